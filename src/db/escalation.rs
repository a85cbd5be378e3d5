//! The reads and conditional writes of escalation: which published needs
//! and proposals have waited past their time and are not yet recorded,
//! each step's mark set once by `marks::mark_once` (`… WHERE widened_at IS
//! NULL`: of two sweeps on two nodes only one changes the row), and the
//! steps shown on a need.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::entities::{match_record, need, need_escalation};
use super::marks::mark_once;
use crate::domain::matching::MatchStatus;
use crate::domain::need::{NeedStatus, Urgency};

/// Whether the need has had a proposal (any match) since its clock started.
fn proposed_since_clock() -> Expr {
    let mut since = Query::select();
    since
        .expr(Expr::val(1))
        .from(match_record::Entity)
        .and_where(
            Expr::col((match_record::Entity, match_record::Column::NeedId))
                .equals((need::Entity, need::Column::Id)),
        )
        .and_where(
            Expr::col((match_record::Entity, match_record::Column::CreatedAt))
                .gte(Expr::col((need::Entity, need::Column::WaitingSince))),
        );
    Expr::exists(since)
}

/// Published needs of `urgency` not yet widened whose clock started before
/// `cutoff` and that had no proposal since: an index range of
/// (status, urgency, widened_at, waiting_since), oldest first.
pub async fn needs_to_widen(
    db: &impl ConnectionTrait,
    urgency: Urgency,
    cutoff: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<need::Model>, DbErr> {
    need::Entity::find()
        .filter(need::Column::Status.eq(NeedStatus::Published.as_str()))
        .filter(need::Column::Urgency.eq(urgency.as_str()))
        .filter(need::Column::WidenedAt.is_null())
        .filter(need::Column::WaitingSince.lt(cutoff))
        .filter(proposed_since_clock().not())
        .order_by_asc(need::Column::WaitingSince)
        .limit(limit)
        .all(db)
        .await
}

/// Published needs not yet asked to be renewed whose clock started before
/// `cutoff` and that had no proposal since.
pub async fn needs_to_renew(
    db: &impl ConnectionTrait,
    cutoff: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<need::Model>, DbErr> {
    need::Entity::find()
        .filter(need::Column::Status.eq(NeedStatus::Published.as_str()))
        .filter(need::Column::RenewalAskedAt.is_null())
        // Widening comes first: a need is asked about only once it was
        // offered more widely (a sweep on another node may still be
        // widening it).
        .filter(need::Column::WidenedAt.is_not_null())
        .filter(need::Column::WaitingSince.lt(cutoff))
        .filter(proposed_since_clock().not())
        .order_by_asc(need::Column::WaitingSince)
        .limit(limit)
        .all(db)
        .await
}

/// Marks the need widened at `at` if it is still published and not yet
/// widened; `false` when another sweep (or a move) came first.
pub async fn mark_widened(
    db: &impl ConnectionTrait,
    id: &str,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    mark_once::<need::Entity>(db, need::Column::WidenedAt, at, published(id)).await
}

/// Marks that the officer was asked to renew or close, once, after the
/// widening: widened at or before `at`, so that the need's steps follow
/// each other in time even when a sweep that read its clock earlier (on
/// another node) comes after the one that widened the need.
pub async fn mark_renewal_asked(
    db: &impl ConnectionTrait,
    id: &str,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let only = published(id).add(need::Column::WidenedAt.lte(at));
    mark_once::<need::Entity>(db, need::Column::RenewalAskedAt, at, only).await
}

/// The need `id` while still published.
fn published(id: &str) -> Condition {
    Condition::all()
        .add(need::Column::Id.eq(id))
        .add(need::Column::Status.eq(NeedStatus::Published.as_str()))
}

/// Restarts the need's clock at `at` if it was asked to be renewed and is
/// still published; `false` otherwise (not asked, or moved on).
pub async fn renew(db: &impl ConnectionTrait, id: &str, at: DateTime<Utc>) -> Result<bool, DbErr> {
    let done = need::Entity::update_many()
        .col_expr(need::Column::WaitingSince, Expr::value(at))
        .col_expr(
            need::Column::RenewalAskedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(need::Column::UpdatedAt, Expr::value(at))
        .filter(need::Column::Id.eq(id))
        .filter(need::Column::Status.eq(NeedStatus::Published.as_str()))
        .filter(need::Column::RenewalAskedAt.is_not_null())
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Proposals waiting for the township since before `cutoff`, not yet
/// escalated: an index range of (status, created_at).
pub async fn proposals_overdue(
    db: &impl ConnectionTrait,
    cutoff: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<match_record::Model>, DbErr> {
    match_record::Entity::find()
        .filter(match_record::Column::Status.eq(MatchStatus::Proposed.as_str()))
        .filter(match_record::Column::CreatedAt.lt(cutoff))
        .filter(match_record::Column::EscalatedAt.is_null())
        .order_by_asc(match_record::Column::CreatedAt)
        .limit(limit)
        .all(db)
        .await
}

/// Marks a proposal escalated to the county, once, while it still waits.
pub async fn mark_proposal_escalated(
    db: &impl ConnectionTrait,
    id: &str,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let only = Condition::all()
        .add(match_record::Column::Id.eq(id))
        .add(match_record::Column::Status.eq(MatchStatus::Proposed.as_str()));
    mark_once::<match_record::Entity>(db, match_record::Column::EscalatedAt, at, only).await
}

pub async fn insert_step(
    db: &impl ConnectionTrait,
    step: need_escalation::Model,
) -> Result<(), DbErr> {
    need_escalation::Entity::insert(need_escalation::ActiveModel::from(step))
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The escalation steps of a need, oldest first (a handful at most: each
/// kind but renewals is recorded once per clock).
pub async fn steps_of(
    db: &impl ConnectionTrait,
    need_id: &str,
) -> Result<Vec<need_escalation::Model>, DbErr> {
    let mut steps = need_escalation::Entity::find()
        .filter(need_escalation::Column::NeedId.eq(need_id))
        .order_by_asc(need_escalation::Column::At)
        .limit(100)
        .all(db)
        .await?;
    // Steps recorded at the same moment (one sweep's clock) in the order
    // they follow one another.
    steps.sort_by_key(|s| (s.at, step_rank(&s.kind)));
    Ok(steps)
}

fn step_rank(kind: &str) -> u8 {
    use crate::domain::escalation::EscalationKind as K;
    match kind.parse::<K>() {
        Ok(K::Widened) => 0,
        Ok(K::RenewalAsked) => 1,
        Ok(K::Renewed) => 2,
        Ok(K::ProposalOverdue) => 3,
        Err(_) => 4,
    }
}
