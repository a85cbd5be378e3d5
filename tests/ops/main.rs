//! Process tests: `carebridge serve` as a county runs it, killed with
//! SIGKILL, stopped with SIGTERM, and two nodes on one PostgreSQL.
//!
//! Each test prepares its data in process (the API test helpers, on a
//! database of its own: SQLite, or PostgreSQL with
//! `CAREBRIDGE_TEST_POSTGRES`), then starts the built binary on that
//! database with a data directory (search index) of its own.

#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;
#[allow(dead_code)]
#[path = "../api/match_helpers.rs"]
mod match_helpers;

mod checks;
mod crash;
mod node;
mod nodes;
mod shutdown;
