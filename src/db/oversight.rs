//! The figures of the oversight dashboards, each one grouped statement per
//! table over an index range (migration 000035), grouped by township so
//! that one set of statements serves the county, every township and the
//! county median. Nothing here opens a sealed column.
//!
//! Snapshot figures (files on file, visits, waits) are read here; figures
//! of a period (what was published, served, reported in it) are in
//! [`period`]; the pages of the ledger export in [`ledger`].

pub mod ledger;
pub mod period;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

use super::entities::{child, family, match_record, need, provider};
use crate::domain::child::FileStatus;
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

/// Codes of the statuses of a file on file (not closed).
fn open_files() -> Vec<&'static str> {
    vec![FileStatus::Draft.as_str(), FileStatus::Active.as_str()]
}

/// Counts keyed by (township, code).
pub type ByTownship = BTreeMap<(String, String), u64>;

/// Open files per (township, difficulty class); with `created_before`,
/// only the files opened before then (a fixed period's table).
pub async fn files_by_class(
    db: &impl ConnectionTrait,
    created_before: Option<DateTime<Utc>>,
) -> Result<ByTownship, DbErr> {
    use child::Column as C;
    let mut select = child::Entity::find()
        .select_only()
        .column(C::TownshipCode)
        .column(C::DifficultyClass)
        .column_as(Expr::col(C::Id).count(), "n")
        .filter(C::Status.is_in(open_files()));
    if let Some(before) = created_before {
        select = select.filter(C::CreatedAt.lt(before));
    }
    let rows: Vec<(String, String, i64)> = select
        .group_by(C::TownshipCode)
        .group_by(C::DifficultyClass)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(t, c, n)| ((t, c), count(n)))
        .collect())
}

/// Open files per (township, counted age band; "" while not counted).
pub async fn files_by_band(db: &impl ConnectionTrait) -> Result<ByTownship, DbErr> {
    use child::Column as C;
    let rows: Vec<(String, Option<String>, i64)> = child::Entity::find()
        .select_only()
        .column(C::TownshipCode)
        .column(C::CountedBand)
        .column_as(Expr::col(C::Id).count(), "n")
        .filter(C::Status.is_in(open_files()))
        .group_by(C::TownshipCode)
        .group_by(C::CountedBand)
        .into_tuple()
        .all(db)
        .await?;
    let mut out = ByTownship::new();
    for (t, band, n) in rows {
        *out.entry((t, band.unwrap_or_default())).or_default() += count(n);
    }
    Ok(out)
}

/// Per township: (open files, of them visited on or after `since`).
pub async fn visit_coverage(
    db: &impl ConnectionTrait,
    since: NaiveDate,
) -> Result<BTreeMap<String, (u64, u64)>, DbErr> {
    use child::Column as C;
    let rows: Vec<(String, i64, Option<i64>)> = child::Entity::find()
        .select_only()
        .column(C::TownshipCode)
        .column_as(Expr::col(C::Id).count(), "n")
        .expr_as(count_when(C::LastVisitedOn.gte(since)), "visited")
        .filter(C::Status.is_in(open_files()))
        .group_by(C::TownshipCode)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(t, n, v)| (t, (count(n), count(v.unwrap_or(0)))))
        .collect())
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
