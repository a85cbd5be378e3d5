//! Writing and checking the audit log.
//!
//! [`append`] runs inside the caller's write transaction, so an entry exists
//! exactly when the decision it records was stored. [`verify`] recomputes the
//! chain from the stored entries alone.

use std::collections::HashMap;

use chrono::{SecondsFormat, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::db;
pub use crate::db::audit::AuditFilter;
use crate::db::entities::audit_log;
use crate::domain::audit::{EntryFields, GENESIS_HASH, entry_hash, terms};

use crate::domain::Role;

use super::{Page, Paging, Principal, RequestCtx, ServiceResult, Store};

mod group;
pub use group::Group;

/// Whether the audited action succeeded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure,
    Denied,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Denied => "denied",
        }
    }
}

/// One thing to record. `detail` must never hold personal data of a child.
pub struct Event<'a> {
    pub action: &'a str,
    pub target: Option<String>,
    pub outcome: Outcome,
    pub detail: Option<String>,
}

impl<'a> Event<'a> {
    pub fn success(action: &'a str, target: impl Into<String>) -> Self {
        Self {
            action,
            target: Some(target.into()),
            outcome: Outcome::Success,
            detail: None,
        }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn with_outcome(mut self, outcome: Outcome) -> Self {
        self.outcome = outcome;
        self
    }
}

/// Appends `event` to the chain on its own: for what is recorded without
/// any other write (a person reading a file, an export). It takes the write
/// lock like every write (`db::begin_write`), so that the head it advances
/// and the entry it inserts are one step of the chain. Through the portal's
/// [`Group`] (`store.audit`), entries of requests arriving together share
/// one transaction, so that one commit (one flush to disk) answers them all;
/// the request returns only once its entry is committed.
pub async fn append_alone(
    store: Store<'_>,
    ctx: &RequestCtx,
    event: Event<'_>,
) -> ServiceResult<()> {
    if let Some(group) = store.audit
        && group.append(ctx, &event).await
    {
        return Ok(());
    }
    // No group, or its transaction failed: this entry on its own, so that
    // the caller learns what went wrong with it.
    let txn = db::begin_write(store.db).await?;
    append(&txn, ctx, event).await?;
    txn.commit().await?;
    Ok(())
}

/// Appends `event` to the chain, inside the caller's write transaction
/// (opened by `db::begin_write`). Never through the pool: the head's
/// advance, its read and the entry's insert would then be separate
/// statements, and two requests at once would take the same number.
pub async fn append(
    txn: &impl ConnectionTrait,
    ctx: &RequestCtx,
    event: Event<'_>,
) -> ServiceResult<()> {
    let (seq, prev_hash) = db::audit::advance_head(txn, 1).await?;
    let entry = entry(seq, prev_hash, ctx, &event);
    if depends(&event) {
        // In the change's transaction: a cached allocation plan is stale
        // exactly when this commits.
        db::allocation::count_change(txn).await?;
    }
    db::audit::set_head_hash(txn, &entry.hash).await?;
    db::audit::insert(txn, entry).await?;
    Ok(())
}

/// Whether `event` changes what the allocation plan is computed from.
fn depends(event: &Event<'_>) -> bool {
    event.outcome == Outcome::Success && crate::domain::allocation::depends_on(event.action)
}

/// The entry recording `event` at `seq`, chained to `prev_hash`.
fn entry(seq: i64, prev_hash: String, ctx: &RequestCtx, event: &Event<'_>) -> audit_log::Model {
    let at = Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true);
    let actor = ctx.actor.as_ref();
    let mut entry = audit_log::Model {
        seq,
        at,
        actor_id: actor.map(|a| a.id.clone()),
        actor_name: actor.map(|a| a.username.clone()),
        role: actor.map(|a| a.role.as_str().to_owned()),
        action: event.action.to_owned(),
        target: event.target.clone(),
        outcome: event.outcome.as_str().to_owned(),
        request_id: ctx.request_id.clone(),
        detail: event.detail.clone(),
        prev_hash,
        hash: String::new(),
    };
    entry.hash = entry_hash(&entry.prev_hash, &fields_of(&entry));
    entry
}

fn fields_of(entry: &audit_log::Model) -> EntryFields<'_> {
    EntryFields {
        seq: entry.seq,
        at: &entry.at,
        actor_id: entry.actor_id.as_deref(),
        actor_name: entry.actor_name.as_deref(),
        role: entry.role.as_deref(),
        action: &entry.action,
        target: entry.target.as_deref(),
        outcome: &entry.outcome,
        request_id: entry.request_id.as_deref(),
        detail: entry.detail.as_deref(),
    }
}

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    Intact { entries: u64 },
    Broken { seq: i64, reason: String },
}

/// Recomputes every hash in sequence order and names the first entry whose
/// stored hash, previous hash or sequence number does not fit.
pub async fn verify(db: &DatabaseConnection) -> ServiceResult<Verification> {
    const BATCH: u64 = 1000;
    let mut prev_hash = GENESIS_HASH.to_owned();
    let mut expected_seq = 1i64;
    let mut count = 0u64;
    loop {
        let batch = db::audit::page_ascending(db, expected_seq - 1, BATCH).await?;
        if batch.is_empty() {
            return Ok(Verification::Intact { entries: count });
        }
        for entry in &batch {
            if entry.seq != expected_seq {
                return Ok(Verification::Broken {
                    seq: expected_seq,
                    reason: format!(
                        "entry #{expected_seq} is missing (next stored is #{})",
                        entry.seq
                    ),
                });
            }
            if entry.prev_hash != prev_hash {
                return Ok(Verification::Broken {
                    seq: entry.seq,
                    reason: "its previous-hash does not match the entry before it".to_owned(),
                });
            }
            if entry_hash(&prev_hash, &fields_of(entry)) != entry.hash {
                return Ok(Verification::Broken {
                    seq: entry.seq,
                    reason: "its content does not match its hash (altered)".to_owned(),
                });
            }
            prev_hash = entry.hash.clone();
            expected_seq += 1;
            count += 1;
        }
    }
}

/// The newest entries first; county staff only (it records everyone's
/// reads and decisions).
pub async fn list(
    db: &DatabaseConnection,
    caller: &Principal,
    paging: Paging,
) -> ServiceResult<Page<audit_log::Model>> {
    list_filtered(db, caller, AuditFilter::default(), paging).await
}

/// The newest entries in `filter` (each part exact); county staff only.
pub async fn list_filtered(
    db: &DatabaseConnection,
    caller: &Principal,
    filter: AuditFilter<'_>,
    paging: Paging,
) -> ServiceResult<Page<audit_log::Model>> {
    caller.require_role(&[Role::CountyAdmin])?;
    let (total, items) = db::audit::list_newest(db, filter, paging.limit, paging.offset).await?;
    Ok(Page { total, items })
}

/// The name of each object `entries` name (by stored target): a file's
/// number, a title, an organisation's, family's or account's name. Never a
/// child's name: the audit page is no way around the vault.
pub async fn object_names(
    db: &DatabaseConnection,
    entries: &[audit_log::Model],
) -> ServiceResult<HashMap<String, String>> {
    let mut ids_by_kind: HashMap<&str, Vec<String>> = HashMap::new();
    for raw in entries.iter().filter_map(|e| e.target.as_deref()) {
        if let Some(t) = terms::target(raw) {
            let ids = ids_by_kind.entry(t.kind).or_default();
            if !ids.iter().any(|id| id == t.id) {
                ids.push(t.id.to_owned());
            }
        }
    }
    let mut names = HashMap::new();
    for (kind, ids) in ids_by_kind {
        for (id, name) in db::audit::names::of_kind(db, kind, &ids).await? {
            names.insert(format!("{kind}:{id}"), name);
        }
    }
    Ok(names)
}
