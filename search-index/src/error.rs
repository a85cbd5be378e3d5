//! The one error type of this crate.

/// Everything that can go wrong in the search index.
///
/// Queries never fail because of what the user typed; these errors come from
/// the index files, the disk or a damaged commit record.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// tantivy reported an error (opening, writing, committing or searching).
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// Reading or writing the index directory failed.
    #[error("search index I/O: {0}")]
    Io(#[from] std::io::Error),
    /// The index directory could not be opened.
    #[error("search index directory: {0}")]
    OpenDirectory(#[from] tantivy::directory::error::OpenDirectoryError),
    /// The writer could not be re-created after [`crate::SearchIndex::wait_for_merges`];
    /// reopen the index.
    #[error("search index has no writer")]
    NoWriter,
    /// The commit payload does not hold a sequence number written by this crate.
    #[error("search index commit payload is not a sequence number: {0:?}")]
    BadPayload(String),
}
