//! Appending the entries of concurrent requests in one transaction.
//!
//! Every entry advances the chain's head, so entries are written one after
//! another under the head's lock, and each write transaction ends with a
//! commit that waits for the disk (on PostgreSQL with `synchronous_commit`,
//! about 3.5 ms on this machine's disk). Fifty officers opening files at
//! once would then wait in a queue of fifty flushes. Here a single task
//! takes every entry waiting when it is free, appends them all in one
//! transaction and commits once; each request waits for the commit of the
//! group its entry was in, so no answer leaves before its entry is stored.

use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use sea_orm::DatabaseConnection;
use tokio::sync::{mpsc, oneshot};

use super::{Event, Outcome, RequestCtx, depends, entry};
use crate::db;
use crate::services::ServiceResult;

/// At most this many entries in one transaction (one multi-row insert of
/// 12 values each stays far below either database's parameter limit).
const MAX_GROUP: usize = 256;

/// How many entries may wait for the task before requests wait to hand
/// theirs over.
const QUEUE: usize = 1024;

/// The portal's appender of entries recorded without another write.
pub struct Group {
    db: DatabaseConnection,
    /// Started by the first entry, inside the runtime that serves.
    queue: OnceLock<mpsc::Sender<Pending>>,
    /// Groups committed so far (for `/metrics` and tests).
    committed: Arc<AtomicU64>,
}

/// What `/metrics` counts: transactions committed, and entries in them.
pub const GROUPS_METRIC: &str = "carebridge_audit_group_commits_total";
pub const ENTRIES_METRIC: &str = "carebridge_audit_group_entries_total";

impl std::fmt::Debug for Group {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Group").finish_non_exhaustive()
    }
}

/// One request's entry and the answer it waits for.
struct Pending {
    ctx: RequestCtx,
    action: String,
    target: Option<String>,
    outcome: Outcome,
    detail: Option<String>,
    stored: oneshot::Sender<bool>,
}

impl Group {
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            db,
            queue: OnceLock::new(),
            committed: Arc::default(),
        }
    }

    /// How many group transactions committed so far.
    pub fn commits(&self) -> u64 {
        self.committed.load(Ordering::Relaxed)
    }

    /// Appends `event` with the entries of the requests arriving with it;
    /// true once its group committed, false when the group's transaction
    /// failed (the caller then appends it on its own and learns why).
    pub(super) async fn append(&self, ctx: &RequestCtx, event: &Event<'_>) -> bool {
        let queue = self.queue.get_or_init(|| {
            let (sender, receiver) = mpsc::channel(QUEUE);
            tokio::spawn(run(self.db.clone(), receiver, self.committed.clone()));
            sender
        });
        let (stored, answer) = oneshot::channel();
        let pending = Pending {
            ctx: RequestCtx::new(ctx.actor.clone(), ctx.request_id.clone()),
            action: event.action.to_owned(),
            target: event.target.clone(),
            outcome: event.outcome,
            detail: event.detail.clone(),
            stored,
        };
        if queue.send(pending).await.is_err() {
            return false;
        }
        answer.await.unwrap_or(false)
    }
}

/// Takes what waits, appends it in one transaction, answers each waiter;
/// ends when the portal's state is dropped.
async fn run(
    db: DatabaseConnection,
    mut queue: mpsc::Receiver<Pending>,
    committed: Arc<AtomicU64>,
) {
    let mut group = Vec::with_capacity(MAX_GROUP);
    while queue.recv_many(&mut group, MAX_GROUP).await > 0 {
        let stored = match write(&db, &group).await {
            Ok(()) => {
                committed.fetch_add(1, Ordering::Relaxed);
                metrics::counter!(GROUPS_METRIC).increment(1);
                metrics::counter!(ENTRIES_METRIC).increment(group.len() as u64);
                true
            }
            Err(err) => {
                tracing::warn!(
                    error = %err,
                    entries = group.len(),
                    "appending audit entries together failed; each is appended on its own"
                );
                false
            }
        };
        for pending in group.drain(..) {
            // A request that gave up waiting still had its entry stored.
            let _ = pending.stored.send(stored);
        }
    }
}

async fn write(db: &DatabaseConnection, group: &[Pending]) -> ServiceResult<()> {
    let txn = db::begin_write(db).await?;
    let (first, mut prev_hash) = db::audit::advance_head(&txn, group.len() as i64).await?;
    let mut entries = Vec::with_capacity(group.len());
    let mut changes_allocation = false;
    for (seq, pending) in (first..).zip(group) {
        let event = Event {
            action: &pending.action,
            target: pending.target.clone(),
            outcome: pending.outcome,
            detail: pending.detail.clone(),
        };
        changes_allocation |= depends(&event);
        let entry = entry(seq, prev_hash, &pending.ctx, &event);
        prev_hash = entry.hash.clone();
        entries.push(entry);
    }
    db::audit::set_head_hash(&txn, &prev_hash).await?;
    if changes_allocation {
        db::allocation::count_change(&txn).await?;
    }
    db::audit::insert_many(&txn, entries).await?;
    txn.commit().await?;
    Ok(())
}
