//! Entitlement records (`entitlements`) and the kept gap rows
//! (`entitlement_gaps`).

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Order};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::columns::NameList;
use super::entities::{child, entitlement, entitlement_gap};

/// A record to store.
pub struct NewRecord<'a> {
    pub id: &'a str,
    pub child_id: &'a str,
    pub benefit: &'a str,
    pub name: &'a str,
    pub since: Option<NaiveDate>,
    pub amount_yuan: Option<i64>,
    pub detail: Option<&'a str>,
    pub reference: Option<&'a str>,
    pub source: &'a str,
    pub referral_id: Option<&'a str>,
    pub recorded_by: &'a str,
}

pub async fn insert(
    db: &impl ConnectionTrait,
    new: NewRecord<'_>,
) -> Result<entitlement::Model, DbErr> {
    entitlement::ActiveModel {
        id: Set(new.id.to_owned()),
        child_id: Set(new.child_id.to_owned()),
        benefit: Set(new.benefit.to_owned()),
        name: Set(new.name.to_owned()),
        since: Set(new.since),
        amount_yuan: Set(new.amount_yuan),
        detail: Set(new.detail.map(str::to_owned)),
        reference: Set(new.reference.map(str::to_owned)),
        ended_on: Set(None),
        source: Set(new.source.to_owned()),
        referral_id: Set(new.referral_id.map(str::to_owned)),
        recorded_by: Set(Some(new.recorded_by.to_owned())),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await
}

/// A file's records, open ones first, then newest.
pub async fn of_child(
    db: &impl ConnectionTrait,
    child_id: &str,
) -> Result<Vec<entitlement::Model>, DbErr> {
    let mut rows = entitlement::Entity::find()
        .filter(entitlement::Column::ChildId.eq(child_id))
        .order_by_desc(entitlement::Column::CreatedAt)
        .order_by_asc(entitlement::Column::Id)
        .all(db)
        .await?;
    rows.sort_by_key(|r| r.ended_on.is_some());
    Ok(rows)
}

/// The benefits a file receives now (open records).
pub async fn open_benefits(
    db: &impl ConnectionTrait,
    child_id: &str,
) -> Result<Vec<String>, DbErr> {
    entitlement::Entity::find()
        .select_only()
        .column(entitlement::Column::Benefit)
        .filter(entitlement::Column::ChildId.eq(child_id))
        .filter(entitlement::Column::EndedOn.is_null())
        .into_tuple::<String>()
        .all(db)
        .await
}

/// The open records of many files: (child_id, benefit).
pub async fn open_benefits_of(
    db: &impl ConnectionTrait,
    child_ids: &[String],
) -> Result<Vec<(String, String)>, DbErr> {
    if child_ids.is_empty() {
        return Ok(Vec::new());
    }
    entitlement::Entity::find()
        .select_only()
        .column(entitlement::Column::ChildId)
        .column(entitlement::Column::Benefit)
        .filter(entitlement::Column::ChildId.is_in(crate::db::id_lists::padded(child_ids)))
        .filter(entitlement::Column::EndedOn.is_null())
        .into_tuple::<(String, String)>()
        .all(db)
        .await
}

pub async fn find(
    db: &impl ConnectionTrait,
    id: &str,
) -> Result<Option<entitlement::Model>, DbErr> {
    entitlement::Entity::find_by_id(id.to_owned()).one(db).await
}

/// Ends an open record on `on`; `false` when it was not open.
pub async fn end(db: &impl ConnectionTrait, id: &str, on: NaiveDate) -> Result<bool, DbErr> {
    let result = entitlement::Entity::update_many()
        .col_expr(entitlement::Column::EndedOn, Expr::value(on))
        .filter(entitlement::Column::Id.eq(id))
        .filter(entitlement::Column::EndedOn.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// The gap row of one file.
pub async fn gap_of(
    db: &impl ConnectionTrait,
    child_id: &str,
) -> Result<Option<entitlement_gap::Model>, DbErr> {
    entitlement_gap::Entity::find_by_id(child_id.to_owned())
        .one(db)
        .await
}

/// What a file's gap row should say (none: no gap).
pub struct GapRow<'a> {
    pub child_id: &'a str,
    pub township_code: &'a str,
    pub worst: i16,
    pub rules: Vec<String>,
    pub since: NaiveDate,
    pub checked_on: NaiveDate,
}

/// Writes a file's gap row (insert or replace), or deletes it.
pub async fn set_gap(
    db: &impl ConnectionTrait,
    child_id: &str,
    row: Option<GapRow<'_>>,
) -> Result<(), DbErr> {
    entitlement_gap::Entity::delete_many()
        .filter(entitlement_gap::Column::ChildId.eq(child_id))
        .exec(db)
        .await?;
    if let Some(row) = row {
        entitlement_gap::ActiveModel {
            child_id: Set(row.child_id.to_owned()),
            township_code: Set(row.township_code.to_owned()),
            worst: Set(row.worst),
            gap_count: Set(i32::try_from(row.rules.len()).unwrap_or(i32::MAX)),
            rules: Set(NameList(row.rules)),
            since: Set(row.since),
            checked_on: Set(row.checked_on),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// One page of the gap list of a township (or the county), worst first,
/// then most gaps, then the longest-standing: an index range in that order.
pub async fn gap_page(
    db: &impl ConnectionTrait,
    township: Option<&str>,
    limit: u64,
    offset: u64,
) -> Result<(u64, Vec<(entitlement_gap::Model, String)>), DbErr> {
    use entitlement_gap::Column as G;
    let mut query = entitlement_gap::Entity::find();
    if let Some(t) = township {
        query = query.filter(G::TownshipCode.eq(t));
    }
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by(G::Worst, Order::Desc)
        .order_by(G::GapCount, Order::Desc)
        .order_by(G::Since, Order::Asc)
        .order_by(G::ChildId, Order::Asc)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?;
    let ids: Vec<String> = rows.iter().map(|r| r.child_id.clone()).collect();
    let numbers: Vec<(String, String)> = if ids.is_empty() {
        Vec::new()
    } else {
        child::Entity::find()
            .select_only()
            .column(child::Column::Id)
            .column(child::Column::FileNo)
            .filter(child::Column::Id.is_in(crate::db::id_lists::padded(&ids)))
            .into_tuple()
            .all(db)
            .await?
    };
    Ok((
        total,
        rows.into_iter()
            .map(|r| {
                let no = numbers
                    .iter()
                    .find(|(id, _)| *id == r.child_id)
                    .map(|(_, no)| no.clone())
                    .unwrap_or_default();
                (r, no)
            })
            .collect(),
    ))
}

/// How many files have a gap, per township.
pub async fn gap_counts(db: &impl ConnectionTrait) -> Result<Vec<(String, i64)>, DbErr> {
    entitlement_gap::Entity::find()
        .select_only()
        .column(entitlement_gap::Column::TownshipCode)
        .column_as(Expr::col(entitlement_gap::Column::ChildId).count(), "n")
        .group_by(entitlement_gap::Column::TownshipCode)
        .into_tuple()
        .all(db)
        .await
}

/// A value kept in `change_counters` under `name` (the rules' fingerprint
/// and the day the gaps were last checked).
pub async fn meta_value(db: &impl ConnectionTrait, name: &str) -> Result<Option<i64>, DbErr> {
    use sea_orm::sea_query::{Alias, Query};
    let select = Query::select()
        .column(Alias::new("value"))
        .from(Alias::new("change_counters"))
        .and_where(Expr::col(Alias::new("name")).eq(name))
        .to_owned();
    match db.query_one(&select).await? {
        Some(row) => Ok(Some(row.try_get("", "value")?)),
        None => Ok(None),
    }
}

/// Sets the value kept under `name`.
pub async fn set_meta(db: &impl ConnectionTrait, name: &str, value: i64) -> Result<(), DbErr> {
    use sea_orm::sea_query::{Alias, Query};
    let delete = Query::delete()
        .from_table(Alias::new("change_counters"))
        .and_where(Expr::col(Alias::new("name")).eq(name))
        .to_owned();
    db.execute(&delete).await?;
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new("change_counters"))
        .columns([Alias::new("name"), Alias::new("value")])
        .values([name.into(), value.into()])
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    db.execute(&insert).await?;
    Ok(())
}

/// The next `limit` files after `after` (by id) that are not closed, for
/// the daily re-check of the gaps.
pub async fn open_files_after(
    db: &impl ConnectionTrait,
    after: &str,
    limit: u64,
) -> Result<Vec<child::Model>, DbErr> {
    child::Entity::find()
        .filter(child::Column::Id.gt(after))
        .filter(child::Column::Status.ne("closed"))
        .order_by_asc(child::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// The gap rows of these files.
pub async fn gaps_of(
    db: &impl ConnectionTrait,
    child_ids: &[String],
) -> Result<Vec<entitlement_gap::Model>, DbErr> {
    if child_ids.is_empty() {
        return Ok(Vec::new());
    }
    entitlement_gap::Entity::find()
        .filter(entitlement_gap::Column::ChildId.is_in(crate::db::id_lists::padded(child_ids)))
        .all(db)
        .await
}
