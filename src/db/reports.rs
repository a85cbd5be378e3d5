//! Mandatory reports and their steps. A step moves a report only from the
//! states it names (`move_if`): of two steps racing on one report, the
//! second finds the state gone and changes nothing.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Value,
};

use super::entities::{report, report_step};
use crate::domain::report::ReportStatus;

pub async fn insert(db: &impl ConnectionTrait, row: report::Model) -> Result<report::Model, DbErr> {
    row.into_active_model().reset_all().insert(db).await
}

/// The highest reference numbered under `prefix` (`BG-2026-`), if any.
pub async fn last_reference(
    db: &impl ConnectionTrait,
    prefix: &str,
) -> Result<Option<String>, DbErr> {
    report::Entity::find()
        .select_only()
        .column(report::Column::Reference)
        .filter(report::Column::Reference.gte(prefix))
        .filter(report::Column::Reference.lt(format!("{prefix}~")))
        .order_by_desc(report::Column::Reference)
        .limit(1)
        .into_tuple::<String>()
        .one(db)
        .await
}

pub async fn find(db: &impl ConnectionTrait, id: &str) -> Result<Option<report::Model>, DbErr> {
    report::Entity::find_by_id(id.to_owned()).one(db).await
}

pub async fn find_by_reference(
    db: &impl ConnectionTrait,
    reference: &str,
) -> Result<Option<report::Model>, DbErr> {
    report::Entity::find()
        .filter(report::Column::Reference.eq(reference))
        .one(db)
        .await
}

/// Sets `sets` (and `updated_at`) on the report when it is in one of
/// `from` and its column `unset`, if given, is still empty; whether it was.
pub async fn move_if(
    db: &impl ConnectionTrait,
    id: &str,
    from: &[ReportStatus],
    unset: Option<report::Column>,
    sets: Vec<(report::Column, Value)>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let mut update = report::Entity::update_many()
        .col_expr(report::Column::UpdatedAt, Expr::value(now))
        .filter(report::Column::Id.eq(id))
        .filter(report::Column::Status.is_in(from.iter().map(|s| s.as_str())));
    if let Some(column) = unset {
        update = update.filter(column.is_null());
    }
    for (column, value) in sets {
        update = update.col_expr(column, Expr::value(value));
    }
    Ok(update.exec(db).await?.rows_affected == 1)
}

/// Appends a step, numbered after the report's last one.
pub async fn add_step(db: &impl ConnectionTrait, mut row: report_step::Model) -> Result<(), DbErr> {
    let last = report_step::Entity::find()
        .select_only()
        .expr(Func::max(Expr::col(report_step::Column::Seq)))
        .filter(report_step::Column::ReportId.eq(row.report_id.as_str()))
        .into_tuple::<Option<i32>>()
        .one(db)
        .await?
        .flatten();
    row.seq = last.unwrap_or(0) + 1;
    row.into_active_model().reset_all().insert(db).await?;
    Ok(())
}

/// A report's steps, in the order they were recorded.
pub async fn steps(
    db: &impl ConnectionTrait,
    report_id: &str,
) -> Result<Vec<report_step::Model>, DbErr> {
    report_step::Entity::find()
        .filter(report_step::Column::ReportId.eq(report_id))
        .order_by_asc(report_step::Column::Seq)
        .all(db)
        .await
}

/// Which reports a queue shows.
#[derive(Clone, Copy, Debug)]
pub struct QueueFilter<'a> {
    /// One township, or the county's every township.
    pub township: Option<&'a str>,
    /// Of these states.
    pub statuses: &'a [ReportStatus],
}

/// One page of a queue: the urgent first, then the oldest.
pub async fn queue(
    db: &impl ConnectionTrait,
    filter: QueueFilter<'_>,
    limit: u64,
    offset: u64,
) -> Result<(u64, Vec<report::Model>), DbErr> {
    let mut select = report::Entity::find()
        .filter(report::Column::Status.is_in(filter.statuses.iter().map(|s| s.as_str())));
    if let Some(township) = filter.township {
        select = select.filter(report::Column::TownshipCode.eq(township));
    }
    let total = select.clone().count(db).await?;
    let rows = select
        .order_by_desc(report::Column::Urgent)
        .order_by_asc(report::Column::ReceivedAt)
        .order_by_asc(report::Column::Id)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?;
    Ok((total, rows))
}

/// Reports still waiting for a first response whose `column` (the
/// deadline or the escalation time) passed before `now` and whose `noted`
/// column is empty: what the sweep has to record.
pub async fn passed(
    db: &impl ConnectionTrait,
    column: report::Column,
    noted: report::Column,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<report::Model>, DbErr> {
    report::Entity::find()
        .filter(report::Column::Status.is_in(ReportStatus::codes_where(|s| s.awaits_response())))
        .filter(column.lt(now))
        .filter(noted.is_null())
        .order_by_asc(column)
        .limit(limit)
        .all(db)
        .await
}

/// Notes once that the sweep recorded a report's passed time.
pub async fn note(
    db: &impl ConnectionTrait,
    id: &str,
    noted: report::Column,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let done = report::Entity::update_many()
        .col_expr(noted, Expr::value(now))
        .filter(report::Column::Id.eq(id))
        .filter(noted.is_null())
        // The sweep read the report outside this transaction: one answered
        // meanwhile is no longer overdue and is not marked.
        .filter(report::Column::Status.is_in(ReportStatus::codes_where(|s| s.awaits_response())))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Per township: (township, open, awaiting a response, past the deadline,
/// escalated, closed). One grouped statement over the reports only.
pub async fn by_township(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Vec<TownshipCounts>, DbErr> {
    use report::Column as R;
    let awaiting = ReportStatus::codes_where(|s| s.awaits_response());
    let count_when =
        |cond: sea_orm::sea_query::SimpleExpr| Func::sum(Expr::case(cond, 1).finally(0));
    let rows = report::Entity::find()
        .select_only()
        .column(R::TownshipCode)
        .expr_as(
            count_when(R::Status.ne(ReportStatus::Closed.as_str())),
            "open",
        )
        .expr_as(count_when(R::Status.is_in(awaiting.clone())), "awaiting")
        .expr_as(
            count_when(
                R::Status
                    .is_in(awaiting.clone())
                    .and(R::ResponseDue.lt(now)),
            ),
            "overdue",
        )
        .expr_as(
            count_when(R::Status.is_in(awaiting).and(R::EscalateAt.lt(now))),
            "escalated",
        )
        .expr_as(
            count_when(R::Status.eq(ReportStatus::Closed.as_str())),
            "closed",
        )
        .group_by(R::TownshipCode)
        .order_by_asc(R::TownshipCode)
        .into_tuple::<(String, i64, i64, i64, i64, i64)>()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(township, open, awaiting, overdue, escalated, closed)| TownshipCounts {
                township,
                open: count(open),
                awaiting: count(awaiting),
                overdue: count(overdue),
                escalated: count(escalated),
                closed: count(closed),
            },
        )
        .collect())
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// One township's reports, counted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TownshipCounts {
    pub township: String,
    pub open: u64,
    pub awaiting: u64,
    pub overdue: u64,
    pub escalated: u64,
    pub closed: u64,
}
