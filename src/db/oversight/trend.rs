//! The monthly series of the 12-month trend: one grouped statement per
//! figure over the whole twelve months, with one `SUM(CASE …)` (or
//! `COUNT(DISTINCT CASE …)`) per month, grouped by township — plain SQL
//! that SQLite and PostgreSQL both run, and a fixed number of statements
//! whatever the number of files. Figures that need each item (medians,
//! per-item deadlines) read the items of the twelve months with the
//! period statements (`super::period`) over the whole span instead.

use std::collections::BTreeMap;

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query, SelectStatement, SimpleExpr};
use sea_orm::{ConnectionTrait, DbErr};

use super::period::Span;
use super::{AsOf, on_file_at};
use crate::db::entities::{child, match_record, need, service_record, visit};
use crate::domain::matching::MatchStatus;

/// As a real number on both engines (SQLite would answer an integer for
/// whole values, PostgreSQL a numeric for sums).
fn real(e: SimpleExpr) -> SimpleExpr {
    Expr::expr(e).cast_as(Alias::new("float8"))
}

/// `SUM(CASE WHEN cond THEN value ELSE 0 END)`, as a real number.
fn sum_when(cond: SimpleExpr, value: SimpleExpr) -> SimpleExpr {
    real(Func::sum(Expr::case(cond, value).finally(0)).into())
}

fn one() -> SimpleExpr {
    Expr::val(1)
}

/// The span from the first month's start to the last month's end.
fn whole(months: &[Span]) -> Option<Span> {
    let (first, last) = (months.first()?, months.last()?);
    Some(Span {
        from: first.from,
        to: last.to,
        from_day: first.from_day,
        to_day: last.to_day,
    })
}

/// Runs `select` (`keys` text columns, then `per_month` figures for each of
/// `months` months) and reads, per key, the figures month by month.
async fn read(
    db: &impl ConnectionTrait,
    select: &SelectStatement,
    keys: usize,
    months: usize,
    per_month: usize,
) -> Result<BTreeMap<Vec<String>, Vec<Vec<f64>>>, DbErr> {
    let mut out = BTreeMap::new();
    for row in db.query_all(select).await? {
        let mut key = Vec::with_capacity(keys);
        for k in 0..keys {
            key.push(row.try_get_by_index::<String>(k)?);
        }
        let mut values = Vec::with_capacity(months);
        for m in 0..months {
            let mut month = Vec::with_capacity(per_month);
            for j in 0..per_month {
                let v: Option<f64> = row.try_get_by_index(keys + m * per_month + j)?;
                month.push(v.unwrap_or(0.0));
            }
            values.push(month);
        }
        out.insert(key, values);
    }
    Ok(out)
}

fn whole_number(v: f64) -> u64 {
    if v.is_finite() && v > 0.0 {
        v.round() as u64
    } else {
        0
    }
}

/// Per township: the files on file at each of `ends` (the rule of
/// `super::on_file_at`).
pub async fn files(
    db: &impl ConnectionTrait,
    ends: &[AsOf],
) -> Result<BTreeMap<String, Vec<u64>>, DbErr> {
    let (Some(first), Some(last)) = (ends.first(), ends.last()) else {
        return Ok(BTreeMap::new());
    };
    let c = |col: child::Column| Expr::col((child::Entity, col));
    let mut select = Query::select();
    select
        .column((child::Entity, child::Column::TownshipCode))
        .from(child::Entity)
        // Only files on file at some month's end.
        .and_where(c(child::Column::CreatedAt).lt(last.end))
        .and_where(
            c(child::Column::ClosedAt)
                .is_null()
                .or(c(child::Column::ClosedAt).gte(first.end)),
        )
        .group_by_col((child::Entity, child::Column::TownshipCode));
    for at in ends {
        select.expr(sum_when(on_file_at(at.end), one()));
    }
    Ok(read(db, &select, 1, ends.len(), 1)
        .await?
        .into_iter()
        .map(|(mut k, v)| (k.remove(0), v.iter().map(|m| whole_number(m[0])).collect()))
        .collect())
}

/// Per township: for each of `ends`, the files on file then with a visit
/// on one of its days (`visits_from..=visits_to`): one range of the visits
/// by day over the fifteen months, each file counted once per month.
pub async fn visited(
    db: &impl ConnectionTrait,
    ends: &[AsOf],
) -> Result<BTreeMap<String, Vec<u64>>, DbErr> {
    let (Some(from), Some(to)) = (
        ends.iter().map(|a| a.visits_from).min(),
        ends.iter().map(|a| a.visits_to).max(),
    ) else {
        return Ok(BTreeMap::new());
    };
    let on = || Expr::col((visit::Entity, visit::Column::VisitedOn));
    let mut select = Query::select();
    select
        .column((child::Entity, child::Column::TownshipCode))
        .from(visit::Entity)
        .inner_join(
            child::Entity,
            Expr::col((child::Entity, child::Column::Id))
                .equals((visit::Entity, visit::Column::ChildId)),
        )
        .and_where(on().gte(from))
        .and_where(on().lte(to))
        .group_by_col((child::Entity, child::Column::TownshipCode));
    for at in ends {
        let counted = on()
            .gte(at.visits_from)
            .and(on().lte(at.visits_to))
            .and(on_file_at(at.end));
        let file = Expr::case(counted, Expr::col((child::Entity, child::Column::Id)));
        select.expr(real(Func::count_distinct(file).into()));
    }
    Ok(read(db, &select, 1, ends.len(), 1)
        .await?
        .into_iter()
        .map(|(mut k, v)| (k.remove(0), v.iter().map(|m| whole_number(m[0])).collect()))
        .collect())
}

/// Needs published in each month per (township, status now).
pub async fn needs_published(
    db: &impl ConnectionTrait,
    months: &[Span],
) -> Result<BTreeMap<(String, String), Vec<u64>>, DbErr> {
    let Some(all) = whole(months) else {
        return Ok(BTreeMap::new());
    };
    let at = || Expr::col((need::Entity, need::Column::PublishedAt));
    let within = |s: &Span| at().gte(s.from).and(at().lt(s.to));
    let mut select = Query::select();
    select
        .column((need::Entity, need::Column::TownshipCode))
        .column((need::Entity, need::Column::Status))
        .from(need::Entity)
        .and_where(within(&all))
        .group_by_col((need::Entity, need::Column::TownshipCode))
        .group_by_col((need::Entity, need::Column::Status));
    for span in months {
        select.expr(sum_when(within(span), one()));
    }
    Ok(read(db, &select, 2, months.len(), 1)
        .await?
        .into_iter()
        .map(|(mut k, v)| {
            let status = k.pop().unwrap_or_default();
            let township = k.pop().unwrap_or_default();
            (
                (township, status),
                v.iter().map(|m| whole_number(m[0])).collect(),
            )
        })
        .collect())
}

/// Per township, per month: (services logged on its days, their hours).
pub async fn services(
    db: &impl ConnectionTrait,
    months: &[Span],
) -> Result<BTreeMap<String, Vec<(u64, f64)>>, DbErr> {
    let Some(all) = whole(months) else {
        return Ok(BTreeMap::new());
    };
    let on = || Expr::col((service_record::Entity, service_record::Column::ServedOn));
    let within = |s: &Span| on().gte(s.from_day).and(on().lt(s.to_day));
    let mut select = Query::select();
    select
        .column((match_record::Entity, match_record::Column::TownshipCode))
        .from(service_record::Entity)
        .inner_join(
            match_record::Entity,
            Expr::col((match_record::Entity, match_record::Column::Id))
                .equals((service_record::Entity, service_record::Column::MatchId)),
        )
        .and_where(within(&all))
        .group_by_col((match_record::Entity, match_record::Column::TownshipCode));
    for span in months {
        let hours = Expr::col((service_record::Entity, service_record::Column::Hours));
        select.expr(sum_when(within(span), one()));
        select.expr(real(
            Func::sum(Expr::case(within(span), hours).finally(0.0)).into(),
        ));
    }
    Ok(read(db, &select, 1, months.len(), 2)
        .await?
        .into_iter()
        .map(|(mut k, v)| {
            (
                k.remove(0),
                v.iter().map(|m| (whole_number(m[0]), m[1])).collect(),
            )
        })
        .collect())
}

/// Per township, per month: (matches completed in it, of them rated, the
/// sum of their ratings).
pub async fn completions(
    db: &impl ConnectionTrait,
    months: &[Span],
) -> Result<BTreeMap<String, Vec<(u64, u64, u64)>>, DbErr> {
    let Some(all) = whole(months) else {
        return Ok(BTreeMap::new());
    };
    let m = |c: match_record::Column| Expr::col((match_record::Entity, c));
    let at = || m(match_record::Column::StatusChangedAt);
    let within = |s: &Span| at().gte(s.from).and(at().lt(s.to));
    let rated = || m(match_record::Column::Rating).is_not_null();
    let mut select = Query::select();
    select
        .column((match_record::Entity, match_record::Column::TownshipCode))
        .from(match_record::Entity)
        .and_where(m(match_record::Column::Status).eq(MatchStatus::Completed.as_str()))
        .and_where(within(&all))
        .group_by_col((match_record::Entity, match_record::Column::TownshipCode));
    for span in months {
        select.expr(sum_when(within(span), one()));
        select.expr(sum_when(within(span).and(rated()), one()));
        select.expr(sum_when(
            within(span).and(rated()),
            m(match_record::Column::Rating),
        ));
    }
    Ok(read(db, &select, 1, months.len(), 3)
        .await?
        .into_iter()
        .map(|(mut k, v)| {
            (
                k.remove(0),
                v.iter()
                    .map(|x| (whole_number(x[0]), whole_number(x[1]), whole_number(x[2])))
                    .collect(),
            )
        })
        .collect())
}
