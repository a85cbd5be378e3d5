//! Figures of a period: what was published, approved, decided, served,
//! reported and referred in it. Grouped counts where a count is all that
//! is shown; where a median or a deadline per item is needed, the items
//! of the period only (their number follows the period's activity, never
//! the number of files on record).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

use super::{ByTownship, count};
use crate::db::entities::{match_event, match_record, need, referral, report, service_record};
use crate::domain::matching::MatchStatus;

/// A half-open span of time `[from, to)` and the office days it covers.
#[derive(Clone, Copy, Debug)]
pub struct Span {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub from_day: NaiveDate,
    pub to_day: NaiveDate,
}

/// Needs published in the span per (township, status now).
pub async fn needs_published(db: &impl ConnectionTrait, span: Span) -> Result<ByTownship, DbErr> {
    use need::Column as N;
    let rows: Vec<(String, String, i64)> = need::Entity::find()
        .select_only()
        .column(N::TownshipCode)
        .column(N::Status)
        .column_as(Expr::col(N::Id).count(), "n")
        .filter(N::PublishedAt.gte(span.from))
        .filter(N::PublishedAt.lt(span.to))
        .group_by(N::TownshipCode)
        .group_by(N::Status)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(t, s, n)| ((t, s), count(n)))
        .collect())
}

/// Needs whose outcome was recorded in the span (closed or fulfilled),
/// per (township, outcome, not-met reason): one range of the index
/// `idx_needs_outcome_at`, which covers every column read.
pub async fn needs_by_outcome(
    db: &impl ConnectionTrait,
    span: Span,
) -> Result<Vec<(String, String, Option<String>, u64)>, DbErr> {
    use need::Column as N;
    let rows: Vec<(String, String, Option<String>, i64)> = need::Entity::find()
        .select_only()
        .column(N::TownshipCode)
        .column(N::Outcome)
        .column(N::OutcomeReason)
        .column_as(Expr::col(N::Id).count(), "n")
        .filter(N::OutcomeAt.gte(span.from))
        .filter(N::OutcomeAt.lt(span.to))
        .filter(N::Outcome.is_not_null())
        .group_by(N::TownshipCode)
        .group_by(N::Outcome)
        .group_by(N::OutcomeReason)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(t, o, r, n)| (t, o, r, count(n)))
        .collect())
}

/// For each need published in the span that has an approved match:
/// (township, need, published at, an approval time). A need with several
/// approvals appears once per approval; the caller keeps the first.
pub async fn first_approvals(
    db: &impl ConnectionTrait,
    span: Span,
) -> Result<Vec<(String, String, DateTime<Utc>, DateTime<Utc>)>, DbErr> {
    let select = Query::select()
        .column((need::Entity, need::Column::TownshipCode))
        .column((need::Entity, need::Column::Id))
        .column((need::Entity, need::Column::PublishedAt))
        .column((match_event::Entity, match_event::Column::CreatedAt))
        .from(need::Entity)
        .inner_join(
            match_record::Entity,
            Expr::col((match_record::Entity, match_record::Column::NeedId))
                .equals((need::Entity, need::Column::Id)),
        )
        .inner_join(
            match_event::Entity,
            Expr::col((match_event::Entity, match_event::Column::MatchId))
                .equals((match_record::Entity, match_record::Column::Id)),
        )
        .and_where(Expr::col((need::Entity, need::Column::PublishedAt)).gte(span.from))
        .and_where(Expr::col((need::Entity, need::Column::PublishedAt)).lt(span.to))
        .and_where(
            Expr::col((match_event::Entity, match_event::Column::ToStatus))
                .eq(MatchStatus::Approved.as_str()),
        )
        .to_owned();
    let mut out = Vec::new();
    for row in db.query_all(&select).await? {
        let published: Option<DateTime<Utc>> = row.try_get_by_index(2)?;
        if let Some(published) = published {
            out.push((
                row.try_get_by_index(0)?,
                row.try_get_by_index(1)?,
                published,
                row.try_get_by_index(3)?,
            ));
        }
    }
    Ok(out)
}

/// Township decisions on proposals taken in the span: (township, when
/// the match was proposed, when it came to the township if later, when
/// it was decided).
pub async fn proposal_decisions(
    db: &impl ConnectionTrait,
    span: Span,
) -> Result<Vec<(String, DateTime<Utc>, Option<DateTime<Utc>>, DateTime<Utc>)>, DbErr> {
    let e = |c: match_event::Column| Expr::col((match_event::Entity, c));
    let select = Query::select()
        .column((match_record::Entity, match_record::Column::TownshipCode))
        .column((match_record::Entity, match_record::Column::CreatedAt))
        .column((match_record::Entity, match_record::Column::ReviewSince))
        .column((match_event::Entity, match_event::Column::CreatedAt))
        .from(match_event::Entity)
        .inner_join(
            match_record::Entity,
            Expr::col((match_record::Entity, match_record::Column::Id))
                .equals((match_event::Entity, match_event::Column::MatchId)),
        )
        .and_where(e(match_event::Column::FromStatus).eq(MatchStatus::Proposed.as_str()))
        .and_where(e(match_event::Column::ToStatus).is_in([
            MatchStatus::TownshipApproved.as_str(),
            MatchStatus::Approved.as_str(),
            MatchStatus::Rejected.as_str(),
        ]))
        .and_where(e(match_event::Column::CreatedAt).gte(span.from))
        .and_where(e(match_event::Column::CreatedAt).lt(span.to))
        .to_owned();
    let mut out = Vec::new();
    for row in db.query_all(&select).await? {
        out.push((
            row.try_get_by_index(0)?,
            row.try_get_by_index(1)?,
            row.try_get_by_index(2)?,
            row.try_get_by_index(3)?,
        ));
    }
    Ok(out)
}

/// Per township: (services logged on days of the span, their hours).
pub async fn services(
    db: &impl ConnectionTrait,
    span: Span,
) -> Result<BTreeMap<String, (u64, f64)>, DbErr> {
    let s = |c: service_record::Column| Expr::col((service_record::Entity, c));
    let select = Query::select()
        .column((match_record::Entity, match_record::Column::TownshipCode))
        .expr(s(service_record::Column::Id).count())
        .expr(Expr::expr(Func::sum(s(service_record::Column::Hours))).cast_as(Alias::new("float8")))
        .from(service_record::Entity)
        .inner_join(
            match_record::Entity,
            Expr::col((match_record::Entity, match_record::Column::Id))
                .equals((service_record::Entity, service_record::Column::MatchId)),
        )
        .and_where(s(service_record::Column::ServedOn).gte(span.from_day))
        .and_where(s(service_record::Column::ServedOn).lt(span.to_day))
        .group_by_col((match_record::Entity, match_record::Column::TownshipCode))
        .to_owned();
    let mut out = BTreeMap::new();
    for row in db.query_all(&select).await? {
        let n: i64 = row.try_get_by_index(1)?;
        let hours: Option<f64> = row.try_get_by_index(2)?;
        out.insert(row.try_get_by_index(0)?, (count(n), hours.unwrap_or(0.0)));
    }
    Ok(out)
}

/// Per township: (matches completed in the span, of them rated, the sum
/// of their ratings).
pub async fn completions(
    db: &impl ConnectionTrait,
    span: Span,
) -> Result<BTreeMap<String, (u64, u64, u64)>, DbErr> {
    use match_record::Column as M;
    let rows: Vec<(String, i64, i64, Option<i64>)> = match_record::Entity::find()
        .select_only()
        .column(M::TownshipCode)
        .column_as(Expr::col(M::Id).count(), "n")
        .column_as(Expr::col(M::Rating).count(), "rated")
        .expr_as(Func::sum(Expr::col(M::Rating)), "ratings")
        .filter(M::Status.eq(MatchStatus::Completed.as_str()))
        .filter(M::StatusChangedAt.gte(span.from))
        .filter(M::StatusChangedAt.lt(span.to))
        .group_by(M::TownshipCode)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(t, n, r, s)| (t, (count(n), count(r), count(s.unwrap_or(0)))))
        .collect())
}

/// Reports received in the span: (township, urgent, received at, first
/// response due, first responded at).
pub async fn reports(
    db: &impl ConnectionTrait,
    span: Span,
) -> Result<
    Vec<(
        String,
        bool,
        DateTime<Utc>,
        DateTime<Utc>,
        Option<DateTime<Utc>>,
    )>,
    DbErr,
> {
    use report::Column as R;
    report::Entity::find()
        .select_only()
        .column(R::TownshipCode)
        .column(R::Urgent)
        .column(R::ReceivedAt)
        .column(R::ResponseDue)
        .column(R::RespondedAt)
        .filter(R::ReceivedAt.gte(span.from))
        .filter(R::ReceivedAt.lt(span.to))
        .into_tuple()
        .all(db)
        .await
}

/// Referrals sent in the span: (township, sent at, due on, answered at).
pub async fn referrals(
    db: &impl ConnectionTrait,
    span: Span,
) -> Result<Vec<(String, DateTime<Utc>, NaiveDate, Option<DateTime<Utc>>)>, DbErr> {
    use referral::Column as F;
    referral::Entity::find()
        .select_only()
        .column(F::TownshipCode)
        .column(F::CreatedAt)
        .column(F::DueOn)
        .column(F::AnsweredAt)
        .filter(F::CreatedAt.gte(span.from))
        .filter(F::CreatedAt.lt(span.to))
        .into_tuple()
        .all(db)
        .await
}
