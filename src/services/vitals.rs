//! The figures monitoring reads about a running node: how far its search
//! index is behind the outbox, how many documents it holds, the
//! connection pool's use and what waits for the county. Each scrape costs
//! a few indexed reads, never a walk over the files.

use crate::db;
use crate::domain::inbox::InboxKind;
use crate::services::search::SearchHandle;

use super::{ServiceResult, Store, inbox};

/// One reading of a node's figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vitals {
    /// The newest outbox entry in the database.
    pub outbox_head: i64,
    /// The newest outbox entry this node's index has applied.
    pub index_applied: i64,
    /// Documents (offers and published needs) in this node's index.
    pub index_documents: u64,
    pub pool: db::PoolUse,
    /// (kind, waiting, overdue) of what waits for the county.
    pub waiting: Vec<(InboxKind, u64, u64)>,
}

impl Vitals {
    /// Outbox entries this node's index has not applied yet.
    pub fn outbox_lag(&self) -> i64 {
        (self.outbox_head - self.index_applied).max(0)
    }
}

/// Reads the figures now.
pub async fn read(
    store: Store<'_>,
    search: &SearchHandle,
    overdue_days: u32,
) -> ServiceResult<Vitals> {
    let outbox_head = db::outbox::last_seq(store.db).await?;
    let index = search.index();
    let index_applied = index.last_applied_seq()?.unwrap_or(0);
    let index_documents = index.num_docs();
    let counts = inbox::county_counts(store, overdue_days).await?;
    Ok(Vitals {
        outbox_head,
        index_applied,
        index_documents,
        pool: db::pool_use(store.db),
        waiting: counts
            .kinds
            .iter()
            .map(|k| (k.kind, k.waiting, k.overdue))
            .collect(),
    })
}
