//! The due-notice sweep: the inbox kinds that fall due by a date rather
//! than by a write — a referral past its deadline (`referral_overdue`) or
//! twice it (`referral_escalated`), a published need unmatched past the
//! inbox's days (`need_unmatched`), a family's approval entering its last
//! 60 days (`family_to_reassess` for the township, `approval_expiring`
//! for the family). Nothing is written when they become due, so the sweep
//! makes the moment a write: it reads the rows that became due and are
//! not yet noted (an index range, in batches), marks each once with a
//! conditional update that re-checks the inbox's criteria, and queues the
//! notification in the transaction of the mark, so that of two nodes
//! sweeping at once only the one whose mark wins tells anyone.
//!
//! The server runs it every minute beside the report and escalation
//! sweeps; tests call it after moving the clock.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseTransaction;

use crate::db;
use crate::db::due::ReferralDeadline;
use crate::domain::inbox::{overdue_cutoff, reassess_until};
use crate::domain::matching::MatchStatus;
use crate::domain::referral::office_day;
use crate::services::{ServiceResult, Store};

use super::events;

/// What one sweep noted (and told), by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub referrals_overdue: u64,
    pub referrals_escalated: u64,
    pub needs_unmatched: u64,
    pub approvals_ending: u64,
}

impl Swept {
    pub fn total(&self) -> u64 {
        self.referrals_overdue
            + self.referrals_escalated
            + self.needs_unmatched
            + self.approvals_ending
    }
}

/// Rows handled per sweep and kind (the rest wait for the next minute).
const BATCH: u64 = 200;

/// Marks one row in its own write transaction and, when this sweep's mark
/// won, queues its notification there; `true` when it did.
async fn note_and_tell<'a, M, T>(store: Store<'a>, mark: M, tell: T) -> ServiceResult<bool>
where
    M: AsyncFnOnce(&DatabaseTransaction) -> Result<bool, sea_orm::DbErr>,
    T: AsyncFnOnce(&DatabaseTransaction) -> Result<u64, sea_orm::DbErr>,
{
    let txn = db::begin_write(store.db).await?;
    if mark(&txn).await? {
        tell(&txn).await?;
        txn.commit().await?;
        Ok(true)
    } else {
        txn.rollback().await?;
        Ok(false)
    }
}

/// Notes and tells every item due at the clock's now, each once.
/// `overdue_days` is the inbox's (`--overdue-days`): a need unmatched for
/// longer is due.
pub async fn sweep(store: Store<'_>, overdue_days: u32) -> ServiceResult<Swept> {
    let now: DateTime<Utc> = store.clock.now();
    let mut swept = Swept::default();

    let today = office_day(now);
    for deadline in [ReferralDeadline::Due, ReferralDeadline::Escalate] {
        for referral in db::due::referrals_past(store.db, deadline, today, BATCH).await? {
            let id = referral.id.as_str();
            let told = note_and_tell(
                store,
                async |txn| db::due::note_referral(txn, id, deadline, today, now).await,
                async |txn| events::referral_due(txn, now, id, deadline).await,
            )
            .await?;
            if told {
                match deadline {
                    ReferralDeadline::Due => swept.referrals_overdue += 1,
                    ReferralDeadline::Escalate => swept.referrals_escalated += 1,
                }
            }
        }
    }

    let cutoff = overdue_cutoff(now, overdue_days);
    let open = MatchStatus::codes_where(|s| !s.is_final());
    for need in db::due::needs_unmatched(store.db, cutoff, &open, BATCH).await? {
        let id = need.id.as_str();
        let open = open.as_slice();
        if note_and_tell(
            store,
            async |txn| db::due::note_need_unmatched(txn, id, cutoff, open, now).await,
            async |txn| events::need_unmatched(txn, now, id).await,
        )
        .await?
        {
            swept.needs_unmatched += 1;
        }
    }

    // As the inbox dates it: the approval ends within the window of today.
    let until = reassess_until(now.date_naive());
    for family in db::due::approvals_ending(store.db, until, BATCH).await? {
        let id = family.id.as_str();
        if note_and_tell(
            store,
            async |txn| db::due::note_approval_ending(txn, id, until, now).await,
            async |txn| events::approval_ending(txn, now, id).await,
        )
        .await?
        {
            swept.approvals_ending += 1;
        }
    }
    Ok(swept)
}
