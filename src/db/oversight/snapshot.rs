//! The month-end snapshots of files on file (migration 000048): the files
//! of a month's end read a page at a time for the snapshot job, the marker
//! row that decides which node writes a month, and the rows a completed
//! period's figures read back.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{OnConflict, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::on_file_at;
use crate::db::entities::{child, population_month, population_snapshot};
use crate::domain::child::DifficultyClass;

/// One file as the snapshot needs it: id, township, class, sealed birth date.
pub type FileRow = (String, String, DifficultyClass, Vec<u8>);

/// The next page of files on file at `end`, after id `after` (id order,
/// the primary key).
pub async fn files_after(
    db: &impl ConnectionTrait,
    end: DateTime<Utc>,
    after: &str,
    limit: u64,
) -> Result<Vec<FileRow>, DbErr> {
    child::Entity::find()
        .select_only()
        .column(child::Column::Id)
        .column(child::Column::TownshipCode)
        .column(child::Column::DifficultyClass)
        .column(child::Column::BirthDateSealed)
        .filter(child::Column::Id.gt(after))
        .filter(on_file_at(end))
        .order_by_asc(child::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await
}

/// When the snapshot of the month starting on `month` was taken, if it was.
pub async fn taken(
    db: &impl ConnectionTrait,
    month: NaiveDate,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    Ok(population_month::Entity::find_by_id(month)
        .one(db)
        .await?
        .map(|m| m.taken_at))
}

/// Counts keyed by (township, class, band code or "").
pub type Counts = BTreeMap<(String, String, String), u64>;

/// Writes the snapshot of `month` unless one is there: the marker row
/// first (`ON CONFLICT DO NOTHING`: of two nodes one inserts it, the other
/// waits for its commit and inserts nothing), then the counts. `false`
/// when another node had written it.
pub async fn insert(
    db: &impl ConnectionTrait,
    month: NaiveDate,
    taken_at: DateTime<Utc>,
    counts: &Counts,
) -> Result<bool, DbErr> {
    use population_month::Column as M;
    let files: u64 = counts.values().sum();
    let marker = Query::insert()
        .into_table(population_month::Entity)
        .columns([M::Month, M::TakenAt, M::Files])
        .values_panic([
            month.into(),
            taken_at.into(),
            i64::try_from(files).unwrap_or(i64::MAX).into(),
        ])
        .on_conflict(OnConflict::column(M::Month).do_nothing().to_owned())
        .to_owned();
    if db.execute(&marker).await?.rows_affected() != 1 {
        return Ok(false);
    }
    // A county has a few hundred (township, class, band) cells, a province
    // some tens of thousands: a thousand rows per statement.
    let rows: Vec<population_snapshot::ActiveModel> = counts
        .iter()
        .map(|((t, class, band), n)| population_snapshot::ActiveModel {
            month: Set(month),
            township_code: Set(t.clone()),
            difficulty_class: Set(class.clone()),
            age_band: Set(band.clone()),
            files: Set(i64::try_from(*n).unwrap_or(i64::MAX)),
        })
        .collect();
    for chunk in rows.chunks(1_000) {
        population_snapshot::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(true)
}

/// The counts of the snapshot of `month` (empty when none was taken, or
/// nothing was on file).
pub async fn counts(db: &impl ConnectionTrait, month: NaiveDate) -> Result<Counts, DbErr> {
    use population_snapshot::Column as S;
    let rows: Vec<(String, String, String, i64)> = population_snapshot::Entity::find()
        .select_only()
        .column(S::TownshipCode)
        .column(S::DifficultyClass)
        .column(S::AgeBand)
        .column(S::Files)
        .filter(S::Month.eq(month))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(t, class, band, n)| ((t, class, band), super::count(n)))
        .collect())
}
