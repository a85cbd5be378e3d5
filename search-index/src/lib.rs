//! The search index of CareBridge: schema, Chinese tokenizer, index and queries.
//!
//! This crate depends on tantivy and a tokenizer only, never on the database,
//! the web layer or the application's types. Its content arrives with the
//! offers-and-search issue; for now it fixes the crate boundary so that the
//! application depends on it from the start.
