//! The data that goes into the index and comes out of a search.

use std::collections::BTreeMap;
use std::ops::Range;

/// Whether a document is a provider's offer or a published (anonymized) need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocKind {
    /// An offer (program) posted by a provider.
    Offer,
    /// The public projection of a child's need.
    Need,
}

impl DocKind {
    /// The value stored in the index: `"offer"` or `"need"`.
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Offer => "offer",
            DocKind::Need => "need",
        }
    }

    /// Reads back [`DocKind::as_str`].
    pub fn parse(value: &str) -> Option<DocKind> {
        match value {
            "offer" => Some(DocKind::Offer),
            "need" => Some(DocKind::Need),
            _ => None,
        }
    }
}

/// One searchable document. Only public data may be put here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// Unique key, e.g. `offer:<uuid>` or `need:<code>`; upserts and deletes go by key.
    pub key: String,
    /// Offer or need.
    pub kind: DocKind,
    /// The record's id in the application.
    pub id: String,
    /// The public code, for needs.
    pub code: Option<String>,
    /// Title, searchable and weighted above the body.
    pub title: String,
    /// Description, searchable; snippets are cut from it.
    pub body: String,
    /// Category code such as `tutoring` (filter and facet, not searched as text).
    pub category: String,
    /// Township codes (filter and facet); the app decides what goes here.
    pub townships: Vec<String>,
    /// Provider display name, searchable.
    pub provider: Option<String>,
    /// Last change, in seconds since the Unix epoch; browsing without text
    /// lists the newest first.
    pub updated_at: i64,
}

/// One change to apply to the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Insert the document, replacing any document with the same key.
    Upsert(Doc),
    /// Remove the document with this key, if any.
    Delete {
        /// The key of the document to remove.
        key: String,
    },
}

/// A search request. Any text is accepted; see [`crate::SearchIndex::search`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Query {
    /// What the user typed; empty (or without any word) browses.
    pub text: String,
    /// Only offers or only needs.
    pub kind: Option<DocKind>,
    /// Only this category code.
    pub category: Option<String>,
    /// Only documents listing this township code.
    pub township: Option<String>,
    /// Hits per page; capped at [`crate::MAX_LIMIT`].
    pub limit: usize,
    /// Hits to skip; capped at [`crate::MAX_OFFSET`].
    pub offset: usize,
}

impl Default for Query {
    fn default() -> Self {
        Query {
            text: String::new(),
            kind: None,
            category: None,
            township: None,
            limit: 10,
            offset: 0,
        }
    }
}

/// The answer to a search.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    /// How many documents match the text and all filters.
    pub total: usize,
    /// The requested page.
    pub hits: Vec<Hit>,
    /// Counts per category and per township (see [`Facets`]).
    pub facets: Facets,
}

/// Facet counts, computed the usual faceted-search way: each facet counts
/// the documents that match the text, the kind and the *other* filter, while
/// ignoring its own filter, so the user sees what choosing another value
/// would give. Hence, without a category filter the category counts add up
/// to `total`; a document listed under several townships counts once for
/// each of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    /// Category code → number of documents.
    pub category: BTreeMap<String, u64>,
    /// Township code → number of documents.
    pub township: BTreeMap<String, u64>,
}

/// One search result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The document key.
    pub key: String,
    /// Offer or need.
    pub kind: DocKind,
    /// The record's id in the application.
    pub id: String,
    /// The public code, if any.
    pub code: Option<String>,
    /// The title, as indexed.
    pub title: String,
    /// The category code.
    pub category: String,
    /// The township codes.
    pub townships: Vec<String>,
    /// The provider display name, if any.
    pub provider: Option<String>,
    /// Relevance (BM25); 0 when browsing without text.
    pub score: f32,
    /// A passage of the body with the matched words marked.
    pub snippet: Snippet,
}

/// A plain-text passage and the byte ranges in it to highlight.
///
/// No markup: the app escapes `text` and wraps each range itself. Ranges are
/// sorted, do not overlap and lie on character boundaries. A passage cut
/// from a longer body starts and/or ends with `…`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    /// The passage.
    pub text: String,
    /// Byte ranges of `text` to highlight.
    pub highlights: Vec<Range<usize>>,
}

/// A ranking request, for suggestions: every document of `kind` that passes
/// the filters, ordered by how well its text matches the words of `text`.
/// Unlike [`Query`], a document need not hold every word: any shared word
/// counts, and documents that share none still come (with score 0) after
/// those that do, so that a short list is filled by the filters alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranking {
    /// Free text, e.g. a need's title and description; only its first
    /// [`crate::MAX_QUERY_CHARS`] characters and [`crate::MAX_QUERY_WORDS`]
    /// distinct words are used.
    pub text: String,
    /// Only offers or only needs.
    pub kind: DocKind,
    /// Only this category code.
    pub category: Option<String>,
    /// Only documents listing at least one of these township codes; empty
    /// means no township filter.
    pub townships: Vec<String>,
    /// How many of the best documents to return; capped at [`crate::MAX_RANKED`].
    pub limit: usize,
}

/// One ranked document: its key and its relevance (BM25; 0 when it shares
/// no word with the text).
#[derive(Debug, Clone, PartialEq)]
pub struct RankedDoc {
    pub key: String,
    pub score: f32,
}

/// The answer to a [`Ranking`].
#[derive(Debug, Clone, PartialEq)]
pub struct RankedDocs {
    /// How many documents pass the filters (with or without shared words).
    pub total: usize,
    /// The best `limit` of them, best first; ties by key.
    pub docs: Vec<RankedDoc>,
}
