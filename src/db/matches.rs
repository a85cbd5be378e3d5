//! Matches, their events and service records, and the two conditional
//! writes that keep capacity exact: the status of a match moves only from
//! the status it was read in, and a place of an offer is taken only while
//! one remains (both decided by the database, never by a read before).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, ExprTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::entities::{match_event, match_record, offer, service_record};
use crate::domain::matching::MatchStatus;

pub async fn insert(
    db: &impl ConnectionTrait,
    model: match_record::Model,
) -> Result<match_record::Model, DbErr> {
    model.into_active_model().reset_all().insert(db).await
}

pub async fn insert_event(
    db: &impl ConnectionTrait,
    model: match_event::Model,
) -> Result<match_event::Model, DbErr> {
    model.into_active_model().reset_all().insert(db).await
}

pub async fn insert_service(
    db: &impl ConnectionTrait,
    model: service_record::Model,
) -> Result<service_record::Model, DbErr> {
    model.into_active_model().reset_all().insert(db).await
}

pub async fn find(
    db: &impl ConnectionTrait,
    id: &str,
) -> Result<Option<match_record::Model>, DbErr> {
    match_record::Entity::find_by_id(id.to_owned())
        .one(db)
        .await
}

/// Whether a match of this need and offer is still open (in none of `finals`).
pub async fn open_exists(
    db: &impl ConnectionTrait,
    need_id: &str,
    offer_id: &str,
    finals: &[&str],
) -> Result<bool, DbErr> {
    let count = match_record::Entity::find()
        .filter(match_record::Column::NeedId.eq(need_id))
        .filter(match_record::Column::OfferId.eq(offer_id))
        .filter(match_record::Column::Status.is_not_in(finals.iter().copied()))
        .count(db)
        .await?;
    Ok(count > 0)
}

/// What a move writes besides the status.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    pub handover_note: Option<String>,
    pub feedback: Option<String>,
    pub rating: Option<i16>,
    /// Mark the match as waiting for the officer's decision since then
    /// (consent withdrawn), or end that wait (`Some(None)`).
    pub review_since: Option<Option<DateTime<Utc>>>,
}

/// Moves a match from `from` to `to` (with `changes`), only if it is still
/// in `from`; false when another request moved it first.
pub async fn transition(
    db: &impl ConnectionTrait,
    id: &str,
    from: &str,
    to: &str,
    changes: Changes,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let mut update = match_record::Entity::update_many()
        .col_expr(match_record::Column::Status, Expr::value(to))
        .col_expr(match_record::Column::UpdatedAt, Expr::value(at));
    if from != to {
        update = update.col_expr(match_record::Column::StatusChangedAt, Expr::value(at));
        // Completion asks the owner and the officer for their outcome
        // notes (the inboxes list only matches asked).
        if to == MatchStatus::Completed.as_str() {
            update = update.col_expr(match_record::Column::NotesAskedAt, Expr::value(at));
        }
    }
    if let Some(note) = changes.handover_note {
        update = update.col_expr(match_record::Column::HandoverNote, Expr::value(note));
    }
    if let Some(feedback) = changes.feedback {
        update = update.col_expr(match_record::Column::Feedback, Expr::value(feedback));
    }
    if let Some(rating) = changes.rating {
        update = update.col_expr(match_record::Column::Rating, Expr::value(rating));
    }
    if let Some(review) = changes.review_since {
        update = update.col_expr(match_record::Column::ReviewSince, Expr::value(review));
    }
    let result = update
        .filter(match_record::Column::Id.eq(id))
        .filter(match_record::Column::Status.eq(from))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Whose outcome note is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteBy<'a> {
    Owner,
    /// The officer, with its outcome (an `OutcomeKind` code).
    Officer(&'a str),
}

/// Writes one party's outcome note on a completed match, once: only while
/// the match is completed and that party's note is still empty (one
/// conditional statement, so of two notes sent at once one is kept).
pub async fn set_outcome_note(
    db: &impl ConnectionTrait,
    id: &str,
    by: NoteBy<'_>,
    note: &str,
    completed: &str,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    use match_record::Column as M;
    let mut update = match_record::Entity::update_many()
        .col_expr(M::UpdatedAt, Expr::value(at))
        .filter(M::Id.eq(id))
        .filter(M::Status.eq(completed));
    update = match by {
        NoteBy::Owner => update
            .col_expr(M::OwnerOutcomeNote, Expr::value(note))
            .filter(M::OwnerOutcomeNote.is_null()),
        NoteBy::Officer(outcome) => update
            .col_expr(M::OfficerOutcome, Expr::value(outcome))
            .col_expr(M::OfficerOutcomeNote, Expr::value(note))
            .filter(M::OfficerOutcome.is_null()),
    };
    Ok(update.exec(db).await?.rows_affected == 1)
}

/// Takes one place of an active offer that has one left; false when it
/// has none (or is no longer active). One statement, so that concurrent
/// approvals can never take more places than there are.
pub async fn take_place(
    db: &impl ConnectionTrait,
    offer_id: &str,
    active: &str,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = offer::Entity::update_many()
        .col_expr(
            offer::Column::Remaining,
            Expr::col(offer::Column::Remaining).sub(1),
        )
        .col_expr(offer::Column::UpdatedAt, Expr::value(at))
        .filter(offer::Column::Id.eq(offer_id))
        .filter(offer::Column::Remaining.gt(0))
        .filter(offer::Column::Status.eq(active))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Gives one place back to an offer, never above its capacity; false when
/// it was already full.
pub async fn give_back_place(
    db: &impl ConnectionTrait,
    offer_id: &str,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = offer::Entity::update_many()
        .col_expr(
            offer::Column::Remaining,
            Expr::col(offer::Column::Remaining).add(1),
        )
        .col_expr(offer::Column::UpdatedAt, Expr::value(at))
        .filter(offer::Column::Id.eq(offer_id))
        .filter(Expr::col(offer::Column::Remaining).lt(Expr::col(offer::Column::Capacity)))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// How many matches of a need are in any of `statuses`.
pub async fn count_of_need(
    db: &impl ConnectionTrait,
    need_id: &str,
    statuses: &[&str],
) -> Result<u64, DbErr> {
    match_record::Entity::find()
        .filter(match_record::Column::NeedId.eq(need_id))
        .filter(match_record::Column::Status.is_in(statuses.iter().copied()))
        .count(db)
        .await
}

/// The events of a match, oldest first.
pub async fn events(
    db: &impl ConnectionTrait,
    match_id: &str,
) -> Result<Vec<match_event::Model>, DbErr> {
    match_event::Entity::find()
        .filter(match_event::Column::MatchId.eq(match_id))
        .order_by_asc(match_event::Column::CreatedAt)
        .order_by_asc(match_event::Column::Id)
        .all(db)
        .await
}

/// The service records of a match, by the day served.
pub async fn services(
    db: &impl ConnectionTrait,
    match_id: &str,
) -> Result<Vec<service_record::Model>, DbErr> {
    service_record::Entity::find()
        .filter(service_record::Column::MatchId.eq(match_id))
        .order_by_asc(service_record::Column::ServedOn)
        .order_by_asc(service_record::Column::CreatedAt)
        .all(db)
        .await
}

/// Which matches a list shows. `provider_id` and `family_id` narrow to
/// matches on that owner's offers.
#[derive(Debug, Clone, Copy, Default)]
pub struct MatchFilter<'a> {
    pub township: Option<&'a str>,
    pub provider_id: Option<&'a str>,
    pub family_id: Option<&'a str>,
    pub status: Option<&'a str>,
    pub need_id: Option<&'a str>,
    pub offer_id: Option<&'a str>,
}

/// Matches in the filter, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: MatchFilter<'_>,
    limit: u64,
    offset: u64,
) -> Result<(u64, Vec<match_record::Model>), DbErr> {
    let mut query = match_record::Entity::find();
    if let Some(t) = filter.township {
        query = query.filter(match_record::Column::TownshipCode.eq(t));
    }
    for (column, owner) in [
        (offer::Column::ProviderId, filter.provider_id),
        (offer::Column::FamilyId, filter.family_id),
    ] {
        if let Some(owner) = owner {
            let owned = Query::select()
                .column(offer::Column::Id)
                .from(offer::Entity)
                .and_where(Expr::col(column).eq(owner))
                .to_owned();
            query = query.filter(match_record::Column::OfferId.in_subquery(owned));
        }
    }
    if let Some(s) = filter.status {
        query = query.filter(match_record::Column::Status.eq(s));
    }
    if let Some(n) = filter.need_id {
        query = query.filter(match_record::Column::NeedId.eq(n));
    }
    if let Some(o) = filter.offer_id {
        query = query.filter(match_record::Column::OfferId.eq(o));
    }
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_desc(match_record::Column::CreatedAt)
        .order_by_asc(match_record::Column::Id)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?;
    Ok((total, items))
}

/// Moves the matches of a need to the township its child moved to, so
/// that they stay in the reach of the officer now responsible.
pub async fn follow_need_township(
    db: &impl ConnectionTrait,
    need_id: &str,
    township: &str,
) -> Result<(), DbErr> {
    match_record::Entity::update_many()
        .col_expr(match_record::Column::TownshipCode, Expr::value(township))
        .filter(match_record::Column::NeedId.eq(need_id))
        .exec(db)
        .await
        .map(|_| ())
}
