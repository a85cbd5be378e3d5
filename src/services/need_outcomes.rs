//! Recording a need's outcome: shared by closing a need (`needs`) and by
//! a need fulfilled through its matches (`matches`), so that neither
//! module depends on the other for it.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use crate::db;
use crate::domain::outcome::{NeedOutcome, OutcomeKind};

use super::audit::{self, Event};
use super::{RequestCtx, ServiceResult};

/// Writes a need's outcome (once: only where none is recorded), audited.
pub(crate) async fn record(
    txn: &impl ConnectionTrait,
    ctx: &RequestCtx,
    need_id: &str,
    outcome: &NeedOutcome,
    at: DateTime<Utc>,
) -> ServiceResult<()> {
    let (kind, reason, text) = outcome.columns();
    if db::needs::set_outcome(txn, need_id, kind, reason, text, at).await? {
        // The outcome counts in the record of every owner whose completed
        // match served the need (relative updates, same transaction).
        let delta = match outcome.kind() {
            OutcomeKind::FullyMet => db::suggestions::RecordDelta {
                fully_met: 1,
                ..Default::default()
            },
            OutcomeKind::PartlyMet => db::suggestions::RecordDelta {
                partly_met: 1,
                ..Default::default()
            },
            OutcomeKind::NotMet => db::suggestions::RecordDelta {
                not_met: 1,
                ..Default::default()
            },
        };
        let completed = crate::domain::matching::MatchStatus::Completed.as_str();
        for owner in db::suggestions::owners_of_completed(txn, need_id, completed).await? {
            db::suggestions::bump_record(txn, &owner, delta).await?;
        }
        audit::append(
            txn,
            ctx,
            Event::success("need.outcome", format!("need:{need_id}")).with_detail(kind),
        )
        .await?;
    }
    Ok(())
}
