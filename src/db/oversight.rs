//! The figures of the oversight dashboards, each one grouped statement per
//! table over an index range (migration 000035), grouped by township so
//! that one set of statements serves the county, every township and the
//! county median. Nothing here opens a sealed column.
//!
//! Files on file and visited as of a moment (a period's end), and snapshot
//! figures (waits, families) are read here; figures of a period (what was
//! published, served, reported in it) are in [`period`]; the twelve
//! months of the trend in [`trend`]; the pages of the ledger export in
//! [`ledger`]; the month-end snapshots of files by class and band in
//! [`snapshot`].

pub mod ledger;
pub mod period;
pub mod snapshot;
pub mod trend;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

use super::entities::{child, family, match_record, need, provider, visit};
use crate::domain::matching::MatchStatus;
use crate::domain::need::NeedStatus;

/// `SUM(CASE WHEN cond THEN 1 ELSE 0 END)`: a count of the rows where
/// `cond` holds, beside other counts of the same group.
pub(crate) fn count_when(cond: SimpleExpr) -> SimpleExpr {
    Func::sum(Expr::case(cond, 1).finally(0)).into()
}

pub(crate) fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// Counts keyed by (township, code).
pub type ByTownship = BTreeMap<(String, String), u64>;

/// The moment files are counted at (a period's end, or now while the
/// period runs) and the office days whose visits count for coverage (the
/// 90 days up to and including the last day before that moment).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AsOf {
    pub end: DateTime<Utc>,
    pub visits_from: NaiveDate,
    pub visits_to: NaiveDate,
}

/// A file is on file at `end` when it was opened before it and not closed
/// by then (`closed_at` is set when a file is closed, migration 000046).
pub(crate) fn on_file_at(end: DateTime<Utc>) -> SimpleExpr {
    let created = Expr::col((child::Entity, child::Column::CreatedAt));
    let closed = || Expr::col((child::Entity, child::Column::ClosedAt));
    created
        .lt(end)
        .and(closed().is_null().or(closed().gte(end)))
}

/// Files on file at `end` per (township, difficulty class, counted age
/// band; "" while not counted): one grouped statement over the files.
/// The class and band are the file's current ones (a file's earlier class
/// is not kept, and its band at an earlier date would need the sealed
/// birth date): completed months read their month-end snapshot
/// ([`snapshot`]) instead, when there is one.
pub async fn files_on_file(
    db: &impl ConnectionTrait,
    end: DateTime<Utc>,
) -> Result<BTreeMap<(String, String, String), u64>, DbErr> {
    use child::Column as C;
    let rows: Vec<(String, String, Option<String>, i64)> = child::Entity::find()
        .select_only()
        .column(C::TownshipCode)
        .column(C::DifficultyClass)
        .column(C::CountedBand)
        .column_as(Expr::col(C::Id).count(), "n")
        .filter(on_file_at(end))
        .group_by(C::TownshipCode)
        .group_by(C::DifficultyClass)
        .group_by(C::CountedBand)
        .into_tuple()
        .all(db)
        .await?;
    let mut out = BTreeMap::new();
    for (t, class, band, n) in rows {
        *out.entry((t, class, band.unwrap_or_default())).or_default() += count(n);
    }
    Ok(out)
}

/// Per township: the files on file at `at.end` with a visit on one of the
/// days `at.visits_from..=at.visits_to` (one range of the visits by day,
/// migration 000047, joined to their files).
pub async fn visited_files(
    db: &impl ConnectionTrait,
    at: &AsOf,
) -> Result<BTreeMap<String, u64>, DbErr> {
    let v = |c: visit::Column| Expr::col((visit::Entity, c));
    let select = Query::select()
        .column((child::Entity, child::Column::TownshipCode))
        .expr(Func::count_distinct(Expr::col((
            child::Entity,
            child::Column::Id,
        ))))
        .from(visit::Entity)
        .inner_join(
            child::Entity,
            Expr::col((child::Entity, child::Column::Id))
                .equals((visit::Entity, visit::Column::ChildId)),
        )
        .and_where(v(visit::Column::VisitedOn).gte(at.visits_from))
        .and_where(v(visit::Column::VisitedOn).lte(at.visits_to))
        .and_where(on_file_at(at.end))
        .group_by_col((child::Entity, child::Column::TownshipCode))
        .to_owned();
    let mut out = BTreeMap::new();
    for row in db.query_all(&select).await? {
        let n: i64 = row.try_get_by_index(1)?;
        out.insert(row.try_get_by_index(0)?, count(n));
    }
    Ok(out)
}

/// Needs per (township, status) as they stand.
pub async fn needs_by_status(db: &impl ConnectionTrait) -> Result<ByTownship, DbErr> {
    use need::Column as N;
    let rows: Vec<(String, String, i64)> = need::Entity::find()
        .select_only()
        .column(N::TownshipCode)
        .column(N::Status)
        .column_as(Expr::col(N::Id).count(), "n")
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

/// Published needs per township still waiting after `published_before`.
pub async fn needs_waiting_since(
    db: &impl ConnectionTrait,
    published_before: DateTime<Utc>,
) -> Result<BTreeMap<String, u64>, DbErr> {
    use need::Column as N;
    let rows: Vec<(String, i64)> = need::Entity::find()
        .select_only()
        .column(N::TownshipCode)
        .column_as(Expr::col(N::Id).count(), "n")
        .filter(N::Status.eq(NeedStatus::Published.as_str()))
        .filter(N::PublishedAt.lt(published_before))
        .group_by(N::TownshipCode)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(t, n)| (t, count(n))).collect())
}

/// Proposals waiting per (township, status: `proposed` for the township,
/// `township_approved` for the county): (waiting, of them since before
/// `long_before`).
pub async fn proposals_waiting(
    db: &impl ConnectionTrait,
    long_before: DateTime<Utc>,
) -> Result<BTreeMap<(String, String), (u64, u64)>, DbErr> {
    use match_record::Column as M;
    let rows: Vec<(String, String, i64, Option<i64>)> = match_record::Entity::find()
        .select_only()
        .column(M::TownshipCode)
        .column(M::Status)
        .column_as(Expr::col(M::Id).count(), "n")
        .expr_as(count_when(M::StatusChangedAt.lt(long_before)), "long")
        .filter(M::Status.is_in([
            MatchStatus::Proposed.as_str(),
            MatchStatus::TownshipApproved.as_str(),
        ]))
        .group_by(M::TownshipCode)
        .group_by(M::Status)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(t, s, n, l)| ((t, s), (count(n), count(l.unwrap_or(0)))))
        .collect())
}

/// Providers per status (county-wide: a provider serves several townships).
pub async fn providers_by_status(
    db: &impl ConnectionTrait,
) -> Result<BTreeMap<String, u64>, DbErr> {
    use provider::Column as P;
    let rows: Vec<(String, i64)> = provider::Entity::find()
        .select_only()
        .column(P::Status)
        .column_as(Expr::col(P::Id).count(), "n")
        .group_by(P::Status)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(s, n)| (s, count(n))).collect())
}

/// Caring families per (township, status).
pub async fn families_by_status(db: &impl ConnectionTrait) -> Result<ByTownship, DbErr> {
    use family::Column as F;
    let rows: Vec<(String, String, i64)> = family::Entity::find()
        .select_only()
        .column(F::TownshipCode)
        .column(F::Status)
        .column_as(Expr::col(F::Id).count(), "n")
        .group_by(F::TownshipCode)
        .group_by(F::Status)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(t, s, n)| ((t, s), count(n)))
        .collect())
}
