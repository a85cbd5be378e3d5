//! What a child's timeline and the township's warning lists read. A
//! timeline reads the rows of one child (through the child indexes of each
//! table); the township lists read indexes by status and date, a page at a
//! time, so that their cost follows what they show, not the county's size.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, JoinType, Order, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::entities::{
    child, match_event, match_record, need, offer, referral, report, service_record,
};
use crate::domain::child::FileStatus;
use crate::domain::matching::MatchStatus;

/// The matches of one child's needs.
pub async fn matches_of_child(
    db: &impl ConnectionTrait,
    child_id: &str,
) -> Result<Vec<match_record::Model>, DbErr> {
    let needs = Query::select()
        .column(need::Column::Id)
        .from(need::Entity)
        .and_where(Expr::col(need::Column::ChildId).eq(child_id))
        .to_owned();
    match_record::Entity::find()
        .filter(match_record::Column::NeedId.in_subquery(needs))
        .order_by_asc(match_record::Column::CreatedAt)
        .order_by_asc(match_record::Column::Id)
        .all(db)
        .await
}

pub async fn offers(db: &impl ConnectionTrait, ids: &[String]) -> Result<Vec<offer::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    offer::Entity::find()
        .filter(offer::Column::Id.is_in(crate::db::id_lists::padded(ids)))
        .all(db)
        .await
}

pub async fn needs(db: &impl ConnectionTrait, ids: &[String]) -> Result<Vec<need::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    need::Entity::find()
        .filter(need::Column::Id.is_in(crate::db::id_lists::padded(ids)))
        .all(db)
        .await
}

/// The events of `match_ids`, oldest first.
pub async fn events_of(
    db: &impl ConnectionTrait,
    match_ids: &[String],
) -> Result<Vec<match_event::Model>, DbErr> {
    if match_ids.is_empty() {
        return Ok(Vec::new());
    }
    match_event::Entity::find()
        .filter(match_event::Column::MatchId.is_in(crate::db::id_lists::padded(match_ids)))
        .order_by_asc(match_event::Column::CreatedAt)
        .order_by_asc(match_event::Column::Id)
        .all(db)
        .await
}

/// The service records of `match_ids`.
pub async fn services_of(
    db: &impl ConnectionTrait,
    match_ids: &[String],
) -> Result<Vec<service_record::Model>, DbErr> {
    if match_ids.is_empty() {
        return Ok(Vec::new());
    }
    service_record::Entity::find()
        .filter(service_record::Column::MatchId.is_in(crate::db::id_lists::padded(match_ids)))
        .all(db)
        .await
}

pub async fn referrals_of_child(
    db: &impl ConnectionTrait,
    child_id: &str,
) -> Result<Vec<referral::Model>, DbErr> {
    referral::Entity::find()
        .filter(referral::Column::ChildId.eq(child_id))
        .all(db)
        .await
}

/// Mandatory reports that led to the file or name the child's ID number.
pub async fn reports_of_child(
    db: &impl ConnectionTrait,
    child_id: &str,
    id_number_index: &str,
) -> Result<Vec<report::Model>, DbErr> {
    report::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(report::Column::ChildId.eq(child_id))
                .add(report::Column::ChildIdNumberIndex.eq(id_number_index)),
        )
        .all(db)
        .await
}

/// Keeps the latest service day of a match: moves only forward, decided by
/// the database (a relative, conditional update), so that two services
/// logged at once leave the later day whatever their order.
pub async fn served(db: &impl ConnectionTrait, match_id: &str, on: NaiveDate) -> Result<(), DbErr> {
    match_record::Entity::update_many()
        .col_expr(match_record::Column::LastServedOn, Expr::value(on))
        .filter(match_record::Column::Id.eq(match_id))
        .filter(
            sea_orm::Condition::any()
                .add(match_record::Column::LastServedOn.is_null())
                .add(match_record::Column::LastServedOn.lt(on)),
        )
        .exec(db)
        .await
        .map(|_| ())
}

/// A running match silent since `quiet_since`.
#[derive(Debug, Clone)]
pub struct GapRow {
    pub match_id: String,
    pub need_id: String,
    pub township_code: String,
    pub status: MatchStatus,
    pub quiet_since: QuietSince,
}

/// Approved and never served (the approval time), or served on a day.
#[derive(Debug, Clone, Copy)]
pub enum QuietSince {
    Approved(DateTime<Utc>),
    Served(NaiveDate),
}

fn in_township<E: EntityTrait>(
    query: sea_orm::Select<E>,
    column: impl ColumnTrait,
    township: Option<&str>,
) -> sea_orm::Select<E> {
    match township {
        Some(t) => query.filter(column.eq(t)),
        None => query,
    }
}

/// Matches approved before `approved_before` and never served (an
/// approved match moves to in service with its first record): read by
/// `idx_matches_status_changed`.
fn approved_silent(
    township: Option<&str>,
    approved_before: DateTime<Utc>,
) -> sea_orm::Select<match_record::Entity> {
    in_township(
        match_record::Entity::find()
            .filter(match_record::Column::Status.eq(MatchStatus::Approved.as_str()))
            .filter(match_record::Column::StatusChangedAt.lt(approved_before)),
        match_record::Column::TownshipCode,
        township,
    )
}

/// Matches in service last served before `served_before`: read by
/// `idx_matches_status_last_served`.
fn serving_silent(
    township: Option<&str>,
    served_before: NaiveDate,
) -> sea_orm::Select<match_record::Entity> {
    in_township(
        match_record::Entity::find()
            .filter(match_record::Column::Status.eq(MatchStatus::InService.as_str()))
            .filter(match_record::Column::LastServedOn.lt(served_before)),
        match_record::Column::TownshipCode,
        township,
    )
}

/// One page of service gaps, the longest silence first, and their total.
pub async fn gap_page(
    db: &impl ConnectionTrait,
    township: Option<&str>,
    approved_before: DateTime<Utc>,
    served_before: NaiveDate,
    limit: u64,
    offset: u64,
) -> Result<(u64, Vec<GapRow>), DbErr> {
    let total = approved_silent(township, approved_before).count(db).await?
        + serving_silent(township, served_before).count(db).await?;
    // Each source gives at most the rows up to the end of the page; merged
    // by the day their silence began, the page is cut from the front.
    let reach = offset + limit;
    let approved = approved_silent(township, approved_before)
        .order_by_asc(match_record::Column::StatusChangedAt)
        .order_by_asc(match_record::Column::Id)
        .limit(reach)
        .all(db)
        .await?;
    let serving = serving_silent(township, served_before)
        .order_by_asc(match_record::Column::LastServedOn)
        .order_by_asc(match_record::Column::Id)
        .limit(reach)
        .all(db)
        .await?;
    let row = |m: match_record::Model, quiet_since| GapRow {
        match_id: m.id,
        need_id: m.need_id,
        township_code: m.township_code,
        status: m.status,
        quiet_since,
    };
    let mut rows: Vec<(NaiveDate, GapRow)> = Vec::with_capacity(approved.len() + serving.len());
    for m in approved {
        let day = crate::domain::referral::office_day(m.status_changed_at);
        let at = m.status_changed_at;
        rows.push((day, row(m, QuietSince::Approved(at))));
    }
    for m in serving {
        let Some(day) = m.last_served_on else {
            continue;
        };
        rows.push((day, row(m, QuietSince::Served(day))));
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.match_id.cmp(&b.1.match_id)));
    Ok((
        total,
        rows.into_iter()
            .skip(offset as usize)
            .take(limit as usize)
            .map(|(_, r)| r)
            .collect(),
    ))
}

fn overdue_files(
    township: Option<&str>,
    visited_before: NaiveDate,
    opened_before: DateTime<Utc>,
) -> sea_orm::Select<child::Entity> {
    let open = FileStatus::codes_where(|s| s != FileStatus::Closed);
    in_township(
        child::Entity::find()
            .filter(child::Column::Status.is_in(open))
            .filter(
                sea_orm::Condition::any()
                    .add(child::Column::LastVisitedOn.lt(visited_before))
                    .add(
                        sea_orm::Condition::all()
                            .add(child::Column::LastVisitedOn.is_null())
                            .add(child::Column::CreatedAt.lt(opened_before)),
                    ),
            ),
        child::Column::TownshipCode,
        township,
    )
}

/// One page of open files overdue for a visit (read by
/// `idx_children_status_township_visited`), never visited first, then the
/// longest ago; only the columns the list shows.
pub async fn overdue_page(
    db: &impl ConnectionTrait,
    township: Option<&str>,
    visited_before: NaiveDate,
    opened_before: DateTime<Utc>,
    limit: u64,
    offset: u64,
) -> Result<
    (
        u64,
        Vec<(String, String, String, Option<NaiveDate>, DateTime<Utc>)>,
    ),
    DbErr,
> {
    let total = overdue_files(township, visited_before, opened_before)
        .count(db)
        .await?;
    let rows = overdue_files(township, visited_before, opened_before)
        .select_only()
        .column(child::Column::Id)
        .column(child::Column::FileNo)
        .column(child::Column::TownshipCode)
        .column(child::Column::LastVisitedOn)
        .column(child::Column::CreatedAt)
        .order_by_asc(child::Column::LastVisitedOn)
        .order_by_asc(child::Column::CreatedAt)
        .order_by_asc(child::Column::Id)
        .limit(limit)
        .offset(offset)
        .into_tuple()
        .all(db)
        .await?;
    Ok((total, rows))
}

/// A pair of running matches of one child in one category on offers of
/// different owners: a candidate for duplicate support.
#[derive(Debug, Clone)]
pub struct PairRow {
    pub child_id: String,
    pub township_code: String,
    pub first: String,
    pub second: String,
}

/// The candidate pairs of the scope, at most `cap`: a self-join of the
/// running matches (by status and township) through their needs (by
/// child). Its cost follows the running matches of the scope that share a
/// child and a category, not the number of files.
pub async fn duplicate_candidates(
    db: &impl ConnectionTrait,
    township: Option<&str>,
    cap: u64,
) -> Result<Vec<PairRow>, DbErr> {
    let (a, b, na, nb, oa, ob) = (
        Alias::new("a"),
        Alias::new("b"),
        Alias::new("na"),
        Alias::new("nb"),
        Alias::new("oa"),
        Alias::new("ob"),
    );
    let running = [
        MatchStatus::Approved.as_str(),
        MatchStatus::InService.as_str(),
    ];
    let mut select = Query::select();
    select
        .expr_as(
            Expr::col((na.clone(), need::Column::ChildId)),
            Alias::new("child_id"),
        )
        .expr_as(
            Expr::col((a.clone(), match_record::Column::TownshipCode)),
            Alias::new("township_code"),
        )
        .expr_as(
            Expr::col((a.clone(), match_record::Column::Id)),
            Alias::new("first"),
        )
        .expr_as(
            Expr::col((b.clone(), match_record::Column::Id)),
            Alias::new("second"),
        )
        .from_as(match_record::Entity, a.clone())
        .join_as(
            JoinType::InnerJoin,
            need::Entity,
            na.clone(),
            Expr::col((na.clone(), need::Column::Id))
                .equals((a.clone(), match_record::Column::NeedId)),
        )
        .join_as(
            JoinType::InnerJoin,
            need::Entity,
            nb.clone(),
            Expr::col((nb.clone(), need::Column::ChildId))
                .equals((na.clone(), need::Column::ChildId)),
        )
        .join_as(
            JoinType::InnerJoin,
            match_record::Entity,
            b.clone(),
            Expr::col((b.clone(), match_record::Column::NeedId))
                .equals((nb.clone(), need::Column::Id))
                .and(
                    Expr::col((b.clone(), match_record::Column::Category))
                        .equals((a.clone(), match_record::Column::Category)),
                )
                .and(
                    Expr::col((b.clone(), match_record::Column::Id))
                        .gt(Expr::col((a.clone(), match_record::Column::Id))),
                ),
        )
        .join_as(
            JoinType::InnerJoin,
            offer::Entity,
            oa.clone(),
            Expr::col((oa.clone(), offer::Column::Id))
                .equals((a.clone(), match_record::Column::OfferId)),
        )
        .join_as(
            JoinType::InnerJoin,
            offer::Entity,
            ob.clone(),
            Expr::col((ob.clone(), offer::Column::Id))
                .equals((b.clone(), match_record::Column::OfferId)),
        )
        .and_where(Expr::col((a.clone(), match_record::Column::Status)).is_in(running))
        .and_where(Expr::col((b.clone(), match_record::Column::Status)).is_in(running))
        // Different owners: another organisation, or a family (ids of
        // both are random UUIDs, so one column can carry either).
        .and_where(
            Expr::expr(Func::coalesce([
                Expr::col((oa.clone(), offer::Column::ProviderId)),
                Expr::col((oa.clone(), offer::Column::FamilyId)),
            ]))
            .ne(Func::coalesce([
                Expr::col((ob.clone(), offer::Column::ProviderId)),
                Expr::col((ob.clone(), offer::Column::FamilyId)),
            ])),
        );
    if let Some(t) = township {
        select.and_where(Expr::col((a.clone(), match_record::Column::TownshipCode)).eq(t));
    }
    select
        .order_by((a.clone(), match_record::Column::Id), Order::Asc)
        .order_by((b.clone(), match_record::Column::Id), Order::Asc)
        .limit(cap);
    db.query_all(&select)
        .await?
        .into_iter()
        .map(|row| {
            Ok(PairRow {
                child_id: row.try_get("", "child_id")?,
                township_code: row.try_get("", "township_code")?,
                first: row.try_get("", "first")?,
                second: row.try_get("", "second")?,
            })
        })
        .collect()
}

/// File numbers of `ids`.
pub async fn file_numbers(
    db: &impl ConnectionTrait,
    ids: &[String],
) -> Result<Vec<(String, String)>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    child::Entity::find()
        .select_only()
        .column(child::Column::Id)
        .column(child::Column::FileNo)
        .filter(child::Column::Id.is_in(crate::db::id_lists::padded(ids)))
        .into_tuple()
        .all(db)
        .await
}

/// The matches `ids`.
pub async fn matches(
    db: &impl ConnectionTrait,
    ids: &[String],
) -> Result<Vec<match_record::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    match_record::Entity::find()
        .filter(match_record::Column::Id.is_in(crate::db::id_lists::padded(ids)))
        .all(db)
        .await
}

/// The approval events of `match_ids` (what a match's period starts from).
pub async fn approvals_of(
    db: &impl ConnectionTrait,
    match_ids: &[String],
) -> Result<Vec<match_event::Model>, DbErr> {
    if match_ids.is_empty() {
        return Ok(Vec::new());
    }
    match_event::Entity::find()
        .filter(match_event::Column::MatchId.is_in(crate::db::id_lists::padded(match_ids)))
        .filter(match_event::Column::ToStatus.eq(MatchStatus::Approved.as_str()))
        .order_by_asc(match_event::Column::CreatedAt)
        .all(db)
        .await
}
