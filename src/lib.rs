//! CareBridge (童心桥): the county portal that connects social resources to
//! children in difficult circumstances.
//!
//! Who owns what, and what may import what:
//! - `domain`: pure rules and types, the `carebridge-domain` crate
//!   (`domain/`); imports nothing of the app.
//! - `db`: connecting, migrating, and queries over sea-orm entities.
//! - `services`: the use cases (permission, transaction, audit); imports
//!   `domain` and `db`, never `web` or `views`.
//! - `vault`: sealing and opening personal values, the blind index and the
//!   key file; imports nothing of the app.
//! - `views`: maud markup from plain data; imports `domain` and model types.
//! - `web`: axum handlers, extractors, middleware and the router; the only
//!   module that names axum or tower-sessions.
//! - `error`: `AppError` and its one conversion into a response.
//! - `config`, `app`, `cli`: settings, start-up and the command line.
//! - `files`: owner-only files and directories (the umask, modes, the
//!   start-up check); imports nothing of the app.
//! - `synthetic`: made-up offers, child files and needs for load tests and
//!   benchmarks, bulk-written through `db::bulk` (no audit, no outbox:
//!   indexed by a rebuild); imports `db`, `domain`, `vault`, `services`.

pub mod app;
pub mod cli;
pub mod config;
pub mod db;
pub use carebridge_domain as domain;
pub mod error;
pub mod files;
pub mod services;
pub mod synthetic;
pub mod vault;
pub mod views;
pub mod web;
