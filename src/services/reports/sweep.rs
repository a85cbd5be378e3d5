//! The sweep: records, once each, that a report missed its first-response
//! deadline (an entry in its history and the audit log) and that it was
//! escalated to the county at twice the deadline. What is overdue is
//! decided from the clock on every read as well; the sweep makes the
//! moment part of the record. The server runs it every minute; tests call
//! it after moving the clock.

use chrono::{DateTime, Utc};

use crate::db;
use crate::db::entities::report::Column as R;
use crate::domain::inbox::InboxKind;
use crate::domain::report::StepKind;
use crate::services::notify::events;
use crate::services::{RequestCtx, ServiceResult, Store};

use super::record;

/// What one sweep recorded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub overdue: u64,
    pub escalated: u64,
}

/// Reports handled per sweep and kind (the rest wait for the next minute).
const BATCH: u64 = 200;

pub async fn sweep(store: Store<'_>) -> ServiceResult<Swept> {
    let now = store.clock.now();
    let ctx = RequestCtx::default();
    let mut swept = Swept::default();
    for (passed, noted, kind) in [
        (R::ResponseDue, R::OverdueNotedAt, StepKind::Overdue),
        (R::EscalateAt, R::EscalatedAt, StepKind::Escalated),
    ] {
        for report in db::reports::passed(store.db, passed, noted, now, BATCH).await? {
            let at: DateTime<Utc> = match kind {
                StepKind::Overdue => report.response_due,
                _ => report.escalate_at,
            };
            let txn = db::begin_write(store.db).await?;
            // Noted once: of two sweeps (two nodes) only one records it.
            if db::reports::note(&txn, &report.id, noted, now).await? {
                let detail = format!(
                    "township {}; {}",
                    report.township_code,
                    if report.urgent {
                        "urgent"
                    } else {
                        "not urgent"
                    }
                );
                record(
                    &txn,
                    store.vault,
                    &ctx,
                    &report.id,
                    kind,
                    at,
                    now,
                    None,
                    Some(detail),
                )
                .await?;
                // Told in the transaction of the mark: once, by the node
                // whose mark won.
                let inbox = match kind {
                    StepKind::Overdue => InboxKind::ReportToRespond,
                    _ => InboxKind::ReportEscalated,
                };
                events::report_waits(&txn, now, &report.id, &report.township_code, inbox, true)
                    .await?;
                txn.commit().await?;
                match kind {
                    StepKind::Overdue => swept.overdue += 1,
                    _ => swept.escalated += 1,
                }
            } else {
                txn.rollback().await?;
            }
        }
    }
    Ok(swept)
}
