//! Escalation of what waits (督办). The sweep ([`sweep`]) records, once
//! each: a published need unanswered past its urgency's days is widened
//! (offered to county-wide offers of any category too, see
//! `services::suggestions::offer`) and its officer told; unanswered past
//! the closing time it asks the officer to renew ([`renew`]) or close it
//! with a reason and outcome; a proposal undecided past the township's
//! working days goes to the county's inbox. The server runs it every
//! minute; tests call it after moving the clock. Every step is written by
//! [`record_escalation`], in the transaction of the step's mark.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseTransaction;

use crate::db;
use crate::db::entities::need_escalation;
use crate::domain::Role;
use crate::domain::escalation::{EscalationKind, EscalationSettings, office_day_start};
use crate::domain::inbox::InboxKind;
use crate::domain::need::Urgency;
use crate::domain::referral::office_day;

use super::super::audit::{self, Event};
use super::super::{Principal, RequestCtx, ServiceError, ServiceResult, Store, new_id};
use super::{StaffNeed, find_in_scope, staff_need, stored};

/// What one sweep recorded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub widened: u64,
    pub renewal_asked: u64,
    pub proposals_escalated: u64,
}

impl Swept {
    pub fn total(&self) -> u64 {
        self.widened + self.renewal_asked + self.proposals_escalated
    }
}

/// Rows handled per sweep and step (the rest wait for the next minute).
const BATCH: u64 = 200;

/// One escalation step of a need, as shown on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub kind: EscalationKind,
    pub at: DateTime<Utc>,
    pub match_id: Option<String>,
    /// Whether a person (the officer renewing) took the step.
    pub by_staff: bool,
}

/// Records one escalation step: the step on the need and the audit entry,
/// inside the transaction that marked it (so it is recorded exactly when
/// the mark is). The one place every escalation goes through.
#[expect(
    clippy::too_many_arguments,
    reason = "one step's facts, written together"
)]
pub async fn record_escalation(
    txn: &DatabaseTransaction,
    ctx: &RequestCtx,
    need_id: &str,
    township: &str,
    kind: EscalationKind,
    at: DateTime<Utc>,
    match_id: Option<&str>,
    actor_id: Option<&str>,
) -> ServiceResult<()> {
    db::escalation::insert_step(
        txn,
        need_escalation::Model {
            id: new_id(),
            need_id: need_id.to_owned(),
            kind: kind.as_str().to_owned(),
            at,
            match_id: match_id.map(str::to_owned),
            actor_id: actor_id.map(str::to_owned),
            note: None,
        },
    )
    .await?;
    let mut detail = format!("{}; township {township}", kind.as_str());
    if let Some(m) = match_id {
        detail.push_str(&format!("; match {m}"));
    }
    audit::append(
        txn,
        ctx,
        Event::success("need.escalate", format!("need:{need_id}")).with_detail(detail),
    )
    .await?;
    // Every step but a renewal puts an item in an inbox: its people are
    // told in the same transaction.
    let waiting = match kind {
        EscalationKind::Widened => Some(InboxKind::NeedWidened),
        EscalationKind::RenewalAsked => Some(InboxKind::NeedToRenew),
        EscalationKind::ProposalOverdue => Some(InboxKind::ProposalOverdue),
        EscalationKind::Renewed => None,
    };
    if let Some(inbox) = waiting {
        crate::services::notify::events::need_escalated(txn, at, need_id, inbox, match_id).await?;
    }
    Ok(())
}

/// Records every step that is due at the clock's now, each once.
pub async fn sweep(store: Store<'_>, settings: &EscalationSettings) -> ServiceResult<Swept> {
    let now = store.clock.now();
    let ctx = RequestCtx::system();
    let mut swept = Swept::default();
    for urgency in Urgency::ALL.iter().copied() {
        let cutoff = settings.widen_cutoff(urgency, now);
        for need in db::escalation::needs_to_widen(store.db, urgency, cutoff, BATCH).await? {
            let txn = db::begin_write(store.db).await?;
            // Marked once: of two sweeps (two nodes) only one records it.
            if db::escalation::mark_widened(&txn, &need.id, now).await? {
                record_escalation(
                    &txn,
                    &ctx,
                    &need.id,
                    &need.township_code,
                    EscalationKind::Widened,
                    now,
                    None,
                    None,
                )
                .await?;
                // The widened need is a candidate for more offers now.
                db::outbox::append(&txn, db::outbox::OutboxKind::Need, &need.id).await?;
                txn.commit().await?;
                swept.widened += 1;
            } else {
                txn.rollback().await?;
            }
        }
    }
    let cutoff = settings.close_cutoff(now);
    for need in db::escalation::needs_to_renew(store.db, cutoff, BATCH).await? {
        let txn = db::begin_write(store.db).await?;
        if db::escalation::mark_renewal_asked(&txn, &need.id, now).await? {
            record_escalation(
                &txn,
                &ctx,
                &need.id,
                &need.township_code,
                EscalationKind::RenewalAsked,
                now,
                None,
                None,
            )
            .await?;
            txn.commit().await?;
            swept.renewal_asked += 1;
        } else {
            txn.rollback().await?;
        }
    }
    let last_day = settings.last_overdue_proposal_day(store.rules.calendar(), office_day(now));
    let cutoff = office_day_start(last_day + chrono::Duration::days(1));
    for proposal in db::escalation::proposals_overdue(store.db, cutoff, BATCH).await? {
        let txn = db::begin_write(store.db).await?;
        if db::escalation::mark_proposal_escalated(&txn, &proposal.id, now).await? {
            record_escalation(
                &txn,
                &ctx,
                &proposal.need_id,
                &proposal.township_code,
                EscalationKind::ProposalOverdue,
                now,
                Some(&proposal.id),
                None,
            )
            .await?;
            txn.commit().await?;
            swept.proposals_escalated += 1;
        } else {
            txn.rollback().await?;
        }
    }
    Ok(swept)
}

/// The officer renews a need the sweep asked about: its clock restarts
/// (widening, once done, stays). 409 when it was not asked or moved on.
pub async fn renew(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    k: u32,
) -> ServiceResult<StaffNeed> {
    caller.require_role(&[Role::TownshipOfficer])?;
    let now = store.clock.now();
    let txn = db::begin_write(store.db).await?;
    let (need, child) = find_in_scope(store.within(&txn), caller, id).await?;
    if !db::escalation::renew(&txn, &need.id, now).await? {
        return Err(ServiceError::Conflict(
            "该需求当前不需要续期（未到期或已不是发布状态）".into(),
        ));
    }
    record_escalation(
        &txn,
        ctx,
        &need.id,
        &need.township_code,
        EscalationKind::Renewed,
        now,
        None,
        Some(&caller.id),
    )
    .await?;
    let saved = stored(&txn, id).await?;
    txn.commit().await?;
    staff_need(store, caller, saved, &child, k).await
}

/// The escalation steps of a need (for staff who reach it; the caller has
/// checked the scope).
pub async fn steps(store: Store<'_>, need_id: &str) -> ServiceResult<Vec<Step>> {
    let rows = db::escalation::steps_of(store.db, need_id).await?;
    rows.into_iter()
        .map(|r| {
            let kind = r.kind.parse::<EscalationKind>().map_err(|_| {
                ServiceError::internal(format!("unknown escalation kind {:?}", r.kind))
            })?;
            Ok(Step {
                kind,
                at: r.at,
                match_id: r.match_id,
                by_staff: r.actor_id.is_some(),
            })
        })
        .collect()
}
