//! The search index of CareBridge: schema, Chinese tokenizer, index and queries.
//!
//! This crate depends on tantivy and a tokenizer only, never on the database,
//! the web layer or the application's types. The app feeds it batches of
//! [`Change`]s from its outbox with [`SearchIndex::apply`], asks it
//! [`Query`]s with [`SearchIndex::search`] and, for suggestions, asks it to
//! rank documents against free text with [`SearchIndex::rank`]. Only public
//! data is indexed.

mod collector;
mod columns;
mod error;
mod index;
mod model;
pub mod query;
mod schema;
mod snippet;
pub mod synonyms;
pub mod tokenizer;

pub use error::Error;
pub use index::{MAX_LIMIT, MAX_OFFSET, MAX_RANKED, SearchIndex};
pub use model::{
    Change, Doc, DocKind, Facets, Hit, Query, RankedDoc, RankedDocs, Ranking, Results, Snippet,
};
pub use query::{MAX_QUERY_CHARS, MAX_QUERY_WORDS};
pub use snippet::SNIPPET_CHARS;
