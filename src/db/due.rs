//! The rows whose inbox item falls due by a date, for the due-notice sweep
//! (`services::notify::due`): which became due and were not yet told
//! (their "noted" column empty), read through the indexes of migration
//! 000043 in limited batches, and the conditional marks that record each
//! moment once. The criteria are the inbox's (`db::inbox`): a row is
//! marked exactly when the inbox shows it, and the mark re-checks them in
//! the marking transaction.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::entities::{family, match_record, need, referral};
use super::marks::{mark_once, rearm};
use crate::domain::family::FamilyStatus;
use crate::domain::need::NeedStatus;
use crate::domain::referral::ReferralStatus;

/// Which deadline of a referral passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReferralDeadline {
    /// `due_on`: the township is told (`referral_overdue`).
    Due,
    /// `escalate_on` (twice the time): the county is told (`referral_escalated`).
    Escalate,
}

impl ReferralDeadline {
    fn columns(self) -> (referral::Column, referral::Column) {
        use referral::Column as R;
        match self {
            ReferralDeadline::Due => (R::DueOn, R::OverdueNotedAt),
            ReferralDeadline::Escalate => (R::EscalateOn, R::EscalationNotedAt),
        }
    }
}

/// Open referrals past `deadline` on `today` (as the inbox's
/// `referral_overdue` / `referral_escalated`).
fn referral_past(deadline: ReferralDeadline, today: NaiveDate) -> Condition {
    let (day, _) = deadline.columns();
    Condition::all()
        .add(referral::Column::Status.is_in(ReferralStatus::codes_where(ReferralStatus::is_open)))
        .add(day.lt(today))
}

/// Open referrals past `deadline` whose moment is not yet noted, the
/// earliest first.
pub async fn referrals_past(
    db: &impl ConnectionTrait,
    deadline: ReferralDeadline,
    today: NaiveDate,
    limit: u64,
) -> Result<Vec<referral::Model>, DbErr> {
    let (day, noted) = deadline.columns();
    referral::Entity::find()
        .filter(referral_past(deadline, today))
        .filter(noted.is_null())
        .order_by_asc(day)
        .order_by_asc(referral::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Notes that the referral passed `deadline`, once, while it still has.
pub async fn note_referral(
    db: &impl ConnectionTrait,
    id: &str,
    deadline: ReferralDeadline,
    today: NaiveDate,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let (_, noted) = deadline.columns();
    mark_once::<referral::Entity>(
        db,
        noted,
        at,
        referral_past(deadline, today).add(referral::Column::Id.eq(id)),
    )
    .await
}

/// Published needs published before `cutoff` without a match in `open`
/// statuses (as the inbox's `need_unmatched`).
fn need_unmatched(cutoff: DateTime<Utc>, open: &[&str]) -> Condition {
    let mut matched = Query::select();
    matched
        .expr(Expr::val(1))
        .from(match_record::Entity)
        .and_where(
            Expr::col((match_record::Entity, match_record::Column::NeedId))
                .equals((need::Entity, need::Column::Id)),
        )
        .and_where(
            Expr::col((match_record::Entity, match_record::Column::Status))
                .is_in(open.iter().copied()),
        );
    Condition::all()
        .add(need::Column::Status.eq(NeedStatus::Published.as_str()))
        .add(need::Column::PublishedAt.lt(cutoff))
        .add(Expr::not_exists(matched))
}

/// Needs waiting unmatched past `cutoff` not yet noted, the oldest first.
pub async fn needs_unmatched(
    db: &impl ConnectionTrait,
    cutoff: DateTime<Utc>,
    open: &[&str],
    limit: u64,
) -> Result<Vec<need::Model>, DbErr> {
    need::Entity::find()
        .filter(need_unmatched(cutoff, open))
        .filter(need::Column::UnmatchedNotedAt.is_null())
        .order_by_asc(need::Column::PublishedAt)
        .order_by_asc(need::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Notes that the need waits unmatched, once, while it still does.
pub async fn note_need_unmatched(
    db: &impl ConnectionTrait,
    id: &str,
    cutoff: DateTime<Utc>,
    open: &[&str],
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    mark_once::<need::Entity>(
        db,
        need::Column::UnmatchedNotedAt,
        at,
        need_unmatched(cutoff, open).add(need::Column::Id.eq(id)),
    )
    .await
}

/// The need left the unmatched state (a proposal came, or it was
/// published again): the next time it waits unmatched is told again.
pub async fn rearm_need_unmatched(db: &impl ConnectionTrait, id: &str) -> Result<(), DbErr> {
    rearm::<need::Entity>(
        db,
        need::Column::UnmatchedNotedAt,
        Condition::all().add(need::Column::Id.eq(id)),
    )
    .await
}

/// Approved families whose approval ends on or before `until` (as the
/// inbox's `family_to_reassess` and `approval_expiring`).
fn approval_ending(until: NaiveDate) -> Condition {
    Condition::all()
        .add(family::Column::Status.eq(FamilyStatus::Approved.as_str()))
        .add(family::Column::ApprovedUntil.is_not_null())
        .add(family::Column::ApprovedUntil.lte(until))
}

/// Approvals ending on or before `until` not yet noted, the soonest first.
pub async fn approvals_ending(
    db: &impl ConnectionTrait,
    until: NaiveDate,
    limit: u64,
) -> Result<Vec<family::Model>, DbErr> {
    family::Entity::find()
        .filter(approval_ending(until))
        .filter(family::Column::ReassessNotedAt.is_null())
        .order_by_asc(family::Column::ApprovedUntil)
        .order_by_asc(family::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Notes that the family's approval entered its last days, once.
pub async fn note_approval_ending(
    db: &impl ConnectionTrait,
    id: &str,
    until: NaiveDate,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    mark_once::<family::Entity>(
        db,
        family::Column::ReassessNotedAt,
        at,
        approval_ending(until).add(family::Column::Id.eq(id)),
    )
    .await
}
