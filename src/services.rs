//! The use cases of CareBridge. Each public function checks permission,
//! opens a transaction where it writes, does the work, and writes the audit
//! entry in the same transaction, so a decision and its audit entry are
//! stored together or not at all.
//!
//! Services speak in domain types and [`ServiceError`]; they know nothing of
//! HTTP, so that they can be tested and reused by the command line.

pub mod allocation;
pub mod audit;
pub mod auth;
pub mod children;
pub mod clock;
pub mod demo;
pub mod entitlements;
pub mod families;
pub mod files;
pub mod inbox;
pub mod kept;
pub mod matches;
pub mod need_outcomes;
pub mod needs;
pub mod notify;
pub mod offers;
pub mod oversight;
pub mod passwords;
pub mod providers;
pub mod referrals;
pub mod regions;
pub mod reports;
pub mod scope;
pub mod search;
pub mod suggestions;
pub mod throttle;
pub mod timeline;
pub mod users;
pub mod vault_admin;
pub mod volunteers;
// Operations (issue 17).
pub mod backup;
pub mod vitals;

use sea_orm::{DatabaseConnection, DbErr};

use crate::domain::Invalid;
use crate::domain::text_check::{Finding, FindingKind};
use crate::vault::Vault;

pub use scope::{Principal, RequestCtx};

/// Why a use case did not complete.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The input broke a rule; each problem names its field.
    #[error("invalid input: {0}")]
    Invalid(Invalid),
    /// Absent, or outside the caller's scope (deliberately the same answer).
    #[error("not found")]
    NotFound,
    /// Not logged in, or the credentials were wrong.
    #[error("not authenticated")]
    Unauthenticated,
    /// Logged in, but this role may not do this.
    #[error("forbidden")]
    Forbidden,
    /// A duplicate, or the record's state moved on. The message is for users.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The record's state does not allow this: `status` is the state it is
    /// in (its code), so that a client can tell where it stands.
    #[error("state conflict ({status}): {message}")]
    StateConflict { status: String, message: String },
    /// The offer has no place left.
    #[error("no capacity left")]
    NoCapacity,
    /// A public text holds personal information; each finding names its
    /// field and place. Never carries the text itself.
    #[error("personal information in public text ({} findings)", .0.len())]
    Findings(Vec<TextFinding>),
    /// Too many attempts of `action`; retry after this many seconds.
    #[error("{action:?} throttled for {retry_after}s")]
    Throttled {
        retry_after: u64,
        action: ThrottledAction,
    },
    /// The ID number typed has a file the caller does not reach: answered
    /// as the duplicate in `invalid` once the attempt is audited for the
    /// county (`children::record_probe`).
    #[error("ID number filed elsewhere")]
    FiledElsewhere { invalid: Invalid, file_id: String },
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    /// A fault of the portal, not of the request.
    #[error("internal error: {0}")]
    Internal(#[from] Fault),
}

impl ServiceError {
    /// A fault with no underlying error (an invariant that did not hold).
    pub fn internal(context: impl Into<String>) -> Self {
        ServiceError::Internal(Fault::new(context))
    }

    /// A fault caused by `source` while doing `context`.
    pub fn caused(
        context: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        ServiceError::Internal(Fault::caused_by(context, source))
    }
}

/// Something that went wrong inside the portal rather than in the request:
/// what was being done, and the error that caused it. Logged once, with
/// its whole chain, where it becomes an answer; users see only "internal
/// error" and the request id.
#[derive(Debug, thiserror::Error)]
#[error("{context}")]
pub struct Fault {
    context: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl Fault {
    pub fn new(context: impl Into<String>) -> Self {
        Self {
            context: context.into(),
            source: None,
        }
    }

    pub fn caused_by(
        context: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Self {
            context: context.into(),
            source: Some(Box::new(source)),
        }
    }

    /// The context and every cause after it: "context: cause: cause…".
    pub fn chain(&self) -> String {
        let mut out = self.context.clone();
        let mut next = std::error::Error::source(self);
        while let Some(cause) = next {
            out.push_str(": ");
            out.push_str(&cause.to_string());
            next = cause.source();
        }
        out
    }
}

/// A value that does not open is a fault of the deployment (key, data),
/// never of the input: an internal error, named without the value.
/// The search index failing is a fault of the deployment, never of the
/// request.
impl From<search_index::Error> for ServiceError {
    fn from(err: search_index::Error) -> Self {
        ServiceError::caused("search index", err)
    }
}

/// Files of the data directory (the index's pointer and folders).
impl From<std::io::Error> for ServiceError {
    fn from(err: std::io::Error) -> Self {
        ServiceError::caused("data directory", err)
    }
}

/// Blocking work (index, hashing) that panicked or was cancelled.
impl From<tokio::task::JoinError> for ServiceError {
    fn from(err: tokio::task::JoinError) -> Self {
        ServiceError::caused("background task", err)
    }
}

impl From<crate::vault::VaultError> for ServiceError {
    fn from(err: crate::vault::VaultError) -> Self {
        ServiceError::caused("vault", err)
    }
}

impl From<Invalid> for ServiceError {
    fn from(invalid: Invalid) -> Self {
        ServiceError::Invalid(invalid)
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;

/// What was slowed down, for the message of a throttled answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottledAction {
    Login,
    Register,
    /// Filing a mandatory report.
    Report,
    /// Looking up a report's stage.
    ReportLookup,
}

/// What the use cases that touch child files need: the database (the pool,
/// or a write transaction, see [`Store::within`]), the identity vault, and
/// the counts of the k-anonymity population kept between requests.
pub struct Store<'a, C = DatabaseConnection> {
    pub db: &'a C,
    pub vault: &'a Vault,
    /// `None` inside a transaction: what a transaction counts may include
    /// its own uncommitted writes, which must never be kept for others.
    pub kept: Option<&'a kept::Kept>,
    /// The time deadlines and overdue items are decided by.
    pub clock: &'a clock::Clock,
    /// The entitlement rules the portal started with.
    pub rules: &'a crate::domain::entitlement::Rules,
    /// Appends the audit entries of concurrent reads together; `None` for
    /// commands and jobs and inside a transaction.
    pub audit: Option<&'a audit::Group>,
}

impl<C> Clone for Store<'_, C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<C> Copy for Store<'_, C> {}

impl<'a, C> Store<'a, C> {
    /// `db` and `vault` without kept population counts (each projection
    /// counts afresh): for commands and jobs that run once.
    pub fn new(db: &'a C, vault: &'a Vault) -> Self {
        Store {
            db,
            vault,
            kept: None,
            clock: &clock::SYSTEM,
            rules: &entitlements::rules::SHIPPED,
            audit: None,
        }
    }

    /// The same vault over `txn`: what a write decides on is read through
    /// its own transaction.
    pub fn within<'t, T>(self, txn: &'t T) -> Store<'t, T>
    where
        'a: 't,
    {
        Store {
            db: txn,
            vault: self.vault,
            kept: None,
            clock: self.clock,
            rules: self.rules,
            audit: None,
        }
    }
}

/// One finding of the text check in one field: where it is, in bytes (for
/// highlighting the typed text) and in characters (for API clients).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextFinding {
    pub field: &'static str,
    pub kind: FindingKind,
    pub start: usize,
    pub end: usize,
    pub char_start: usize,
    pub char_end: usize,
}

impl TextFinding {
    pub fn new(field: &'static str, text: &str, finding: Finding) -> Self {
        let chars_before = |byte: usize| text.get(..byte).map_or(0, |s| s.chars().count());
        Self {
            field,
            kind: finding.kind,
            start: finding.start,
            end: finding.end,
            char_start: chars_before(finding.start),
            char_end: chars_before(finding.end),
        }
    }
}

/// A list page: the total count and one page of items.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub total: u64,
    pub items: Vec<T>,
}

/// `limit` and `offset` of a list request, already bounded (default 20, max 100).
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    pub limit: u64,
    pub offset: u64,
}

impl Paging {
    pub fn new(limit: Option<u64>, offset: Option<u64>) -> Self {
        Self {
            limit: limit.unwrap_or(20).clamp(1, 100),
            offset: offset.unwrap_or(0),
        }
    }
}

impl Default for Paging {
    fn default() -> Self {
        Self::new(None, None)
    }
}

/// A fresh random identifier for a new record (not sequential, so that ids
/// reveal neither counts nor order).
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_keeps_its_whole_chain() {
        let io = std::io::Error::other("disk full");
        let fault = Fault::caused_by("search index", search_index::Error::Io(io));
        assert_eq!(fault.to_string(), "search index");
        assert_eq!(
            fault.chain(),
            "search index: search index I/O: disk full: disk full"
        );
        assert_eq!(Fault::new("no cause").chain(), "no cause");
    }
}
