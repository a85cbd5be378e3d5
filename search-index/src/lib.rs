//! The search index of CareBridge: schema, Chinese tokenizer, index and queries.
//!
//! This crate depends on tantivy and a tokenizer only, never on the database,
//! the web layer or the application's types.

mod error;
pub mod synonyms;
pub mod tokenizer;

pub use error::Error;
