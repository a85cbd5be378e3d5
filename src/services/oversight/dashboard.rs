//! The dashboard of a scope for a period, the supervision indicators with
//! their lights and ranking, and the monthly bulletin (定期通报).

use chrono::{DateTime, Utc};

use crate::domain::child::{AgeBand, DifficultyClass};
use crate::domain::indicator::{Indicator, Indicators, Light, Measure};
use crate::domain::period::Period;
use crate::domain::provider::ProviderStatus;

use super::super::regions::{Township, township_name};
use super::super::{Principal, ServiceError, ServiceResult};
use super::figures::{AllFigures, Figures, Headline};
use super::jobs::{self, Jobs, PeriodFigures, Source};
use super::kept::Kept;
use super::snapshot::ClassBasis;
use super::{Scope, median, scope_of};

/// A headline figure of the scope with the county median beside it (for
/// a township scope).
#[derive(Clone, Debug, PartialEq)]
pub struct HeadlineRow {
    pub figure: Headline,
    pub county_median: Option<f64>,
}

/// A scope's standing against one indicator.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorRow {
    pub indicator: Indicator,
    pub value: Option<f64>,
    pub light: Light,
}

/// One township's row of the ranking.
#[derive(Clone, Debug, PartialEq)]
pub struct RankRow {
    pub rank: usize,
    pub township: String,
    pub name: String,
    pub points: u32,
    pub rows: Vec<IndicatorRow>,
}

/// One monthly series of the trend charts.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesView {
    pub code: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    /// The code of the chart it is drawn in (`TREND_CHARTS`).
    pub chart: &'static str,
    /// One per month; `None`: nothing to measure that month (a share of
    /// no files, a median of no items).
    pub values: Vec<Option<f64>>,
}

/// The trend's charts: (code, title, unit). Series of one unit and scale
/// share a chart.
pub const TREND_CHARTS: &[(&str, &str, &str)] = &[
    ("trend-files", "在档儿童（各月末）", "人"),
    ("trend-shares", "走访覆盖率与转介按期答复率", "%"),
    ("trend-needs", "各月发布的需求及其当前状态", "项"),
    ("trend-activity", "服务记录、完成对接与强制报告", "次/项/件"),
    ("trend-hours", "服务时长", "小时"),
    ("trend-days", "发布到首次批准对接（中位数）", "天"),
    ("trend-response", "强制报告首次响应用时（中位数）", "小时"),
    ("trend-rating", "完成对接平均评分", "分"),
];

/// The trend's series: (code, label, unit, chart).
pub const TREND_SERIES: &[(&str, &str, &str, &str)] = &[
    ("files_open", "在档儿童", "人", "trend-files"),
    ("visit_coverage", "90天内走访覆盖率", "%", "trend-shares"),
    (
        "referrals_in_time",
        "转介期限内答复比例",
        "%",
        "trend-shares",
    ),
    ("needs_published", "发布需求", "项", "trend-needs"),
    ("needs_matched", "其中已对接", "项", "trend-needs"),
    ("needs_fulfilled", "其中已完成", "项", "trend-needs"),
    ("needs_closed", "其中已关闭", "项", "trend-needs"),
    ("services", "服务记录", "次", "trend-activity"),
    ("completed", "完成对接", "项", "trend-activity"),
    ("reports", "强制报告", "件", "trend-activity"),
    ("hours", "服务时长", "小时", "trend-hours"),
    (
        "days_to_match",
        "发布到首次批准对接（中位数）",
        "天",
        "trend-days",
    ),
    (
        "response_hours",
        "首次响应用时（中位数）",
        "小时",
        "trend-response",
    ),
    ("mean_rating", "完成对接平均评分", "分", "trend-rating"),
];

/// The value of trend series `code` for one month's figures.
fn trend_value(code: &str, f: &Figures) -> Option<f64> {
    let n = |v: u64| Some(v as f64);
    match code {
        "files_open" => n(f.files_open),
        "visit_coverage" => f.measure(Measure::VisitCoverage),
        "referrals_in_time" => f.measure(Measure::ReferralsAnsweredInTime),
        "needs_published" => n(f.published),
        "needs_matched" => n(f.matched),
        "needs_fulfilled" => n(f.fulfilled),
        "needs_closed" => n(f.closed),
        "services" => n(f.services),
        "completed" => n(f.completed),
        "reports" => n(f.reports),
        "hours" => Some(f.hours),
        "days_to_match" => median(f.days_to_match.clone()),
        "response_hours" => median(f.response_hours.clone()),
        "mean_rating" => f.mean_rating(),
        _ => None,
    }
}

/// Everything a dashboard page or `GET /api/v1/dashboard` shows.
#[derive(Clone, Debug)]
pub struct Dashboard {
    pub scope: Scope,
    pub scope_name: String,
    pub period: Period,
    pub headline: Vec<HeadlineRow>,
    pub by_class: Vec<(DifficultyClass, u64)>,
    /// Per age band; `None`: not yet banded (a new file, or about to move).
    pub by_band: Vec<(Option<AgeBand>, u64)>,
    /// What the children by class and band are counted by.
    pub class_basis: ClassBasis,
    pub indicators: Vec<IndicatorRow>,
    /// Every township ranked (county scope); the own row only for a township.
    pub ranking: Vec<RankRow>,
    pub trend_months: Vec<Period>,
    pub trend: Vec<SeriesView>,
    /// Providers by status (county-wide: a provider serves several townships).
    pub providers: Vec<(ProviderStatus, u64)>,
    /// When the figures were read (by the background job).
    pub computed_at: DateTime<Utc>,
}

fn rows_of(set: &Indicators, f: &Figures) -> Vec<IndicatorRow> {
    set.all()
        .iter()
        .map(|i| {
            let value = f.measure(i.measure);
            IndicatorRow {
                indicator: *i,
                value,
                light: i.light(value),
            }
        })
        .collect()
}

/// Every township ranked by the points of its lights (green 2, amber 1),
/// ties sharing a rank, then by name.
pub fn ranking(set: &Indicators, all: &AllFigures, townships: &[Township]) -> Vec<RankRow> {
    let mut rows: Vec<RankRow> = townships
        .iter()
        .map(|t| {
            let rows = rows_of(set, &all.township(&t.code));
            RankRow {
                rank: 0,
                township: t.code.clone(),
                name: t.name.clone(),
                points: rows.iter().map(|r| r.light.points()).sum(),
                rows,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.points
            .cmp(&a.points)
            .then_with(|| a.township.cmp(&b.township))
    });
    let mut last: Option<(u32, usize)> = None;
    for (i, row) in rows.iter_mut().enumerate() {
        row.rank = match last {
            Some((points, rank)) if points == row.points => rank,
            _ => i + 1,
        };
        last = Some((row.points, row.rank));
    }
    rows
}

/// The county median of each headline figure: the median over townships
/// of their values (townships with nothing to measure left out).
fn county_medians(all: &AllFigures, townships: &[Township]) -> Vec<Option<f64>> {
    let per: Vec<Vec<Headline>> = townships
        .iter()
        .map(|t| all.township(&t.code).headline())
        .collect();
    let len = per.first().map_or(0, Vec::len);
    (0..len)
        .map(|i| median(per.iter().filter_map(|h| h[i].value).collect()))
        .collect()
}

/// What the dashboard needs besides the database.
pub struct Setup<'a> {
    pub townships: &'a [Township],
    pub indicators: &'a Indicators,
    pub overdue_days: u32,
    pub now: DateTime<Utc>,
}

/// The dashboard of the scope `caller` asks for (`township`) and `period`,
/// from the kept figures of the period (`None`: being computed).
pub async fn dashboard(
    jobs: &Jobs,
    source: &Source,
    caller: &Principal,
    township: Option<&str>,
    period: Period,
    setup: &Setup<'_>,
) -> ServiceResult<Option<Dashboard>> {
    let scope = scope_of(caller, township)?;
    if let Some(t) = scope.township()
        && !setup.townships.iter().any(|x| x.code == t)
    {
        return Err(ServiceError::NotFound);
    }
    Ok(match jobs::figures(jobs, source, period).await? {
        Kept::Ready(kept) => Some(assemble(
            scope,
            period,
            setup,
            &kept.value,
            kept.computed_at,
        )),
        Kept::Pending => None,
    })
}

/// The dashboard of `scope` from the figures of every township.
fn assemble(
    scope: Scope,
    period: Period,
    setup: &Setup<'_>,
    kept: &PeriodFigures,
    computed_at: DateTime<Utc>,
) -> Dashboard {
    let (all, trend, by_status) = (&kept.all, &kept.trend, &kept.providers);
    let providers = ProviderStatus::ALL
        .iter()
        .map(|s| (*s, by_status.get(s.as_str()).copied().unwrap_or(0)))
        .collect();
    let figures = match scope.township() {
        Some(t) => all.township(t),
        None => all.county(),
    };
    let medians = match scope {
        Scope::Township(_) => county_medians(all, setup.townships),
        Scope::County => Vec::new(),
    };
    let headline = figures
        .headline()
        .into_iter()
        .enumerate()
        .map(|(i, figure)| HeadlineRow {
            figure,
            county_median: medians.get(i).copied().flatten(),
        })
        .collect();
    let mut ranking = ranking(setup.indicators, all, setup.townships);
    if let Some(t) = scope.township() {
        ranking.retain(|r| r.township == t);
    }
    let monthly = trend.of(scope.township());
    let trend_view = TREND_SERIES
        .iter()
        .map(|(code, label, unit, chart)| SeriesView {
            code,
            label,
            unit,
            chart,
            values: monthly.iter().map(|f| trend_value(code, f)).collect(),
        })
        .collect();
    let mut by_band: Vec<(Option<AgeBand>, u64)> = AgeBand::ALL
        .iter()
        .zip(&figures.by_band)
        .map(|(b, n)| (Some(*b), *n))
        .collect();
    by_band.push((None, figures.by_band.last().copied().unwrap_or(0)));
    Dashboard {
        scope_name: match scope.township() {
            Some(t) => township_name(setup.townships, t).to_owned(),
            None => "全县".to_owned(),
        },
        scope,
        period,
        headline,
        by_class: DifficultyClass::ALL
            .iter()
            .copied()
            .zip(figures.by_class.iter().copied())
            .collect(),
        by_band,
        class_basis: all.class_basis,
        indicators: rows_of(setup.indicators, &figures),
        ranking,
        trend_months: trend.months.clone(),
        trend: trend_view,
        providers,
        computed_at,
    }
}

/// A change of one township against one indicator since the previous month.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub township: String,
    pub name: String,
    pub indicator: Indicator,
    pub before: Option<f64>,
    pub after: Option<f64>,
    pub light: Light,
}

/// The monthly bulletin: the ranking of the month, and what improved and
/// what slipped since the month before (by light).
#[derive(Clone, Debug)]
pub struct Bulletin {
    pub period: Period,
    pub county: Vec<IndicatorRow>,
    pub ranking: Vec<RankRow>,
    pub improved: Vec<Change>,
    pub slipped: Vec<Change>,
    /// When the older of the two months' figures was read.
    pub computed_at: DateTime<Utc>,
}

/// The bulletin of `month` (county staff only), from the kept figures of
/// the month and the month before (`None`: being computed).
pub async fn bulletin(
    jobs: &Jobs,
    source: &Source,
    caller: &Principal,
    month: Period,
    setup: &Setup<'_>,
) -> ServiceResult<Option<Bulletin>> {
    if scope_of(caller, None)? != Scope::County {
        return Err(ServiceError::Forbidden);
    }
    let month = Period::month_of(month.start());
    // Both jobs start at once; neither waits for the other.
    let (this, before) = tokio::join!(
        jobs::figures(jobs, source, month),
        jobs::figures(jobs, source, month.previous())
    );
    let (Kept::Ready(this), Kept::Ready(before)) = (this?, before?) else {
        return Ok(None);
    };
    let computed_at = this.computed_at.min(before.computed_at);
    let (this, before) = (&this.value.all, &before.value.all);
    let ranking = ranking(setup.indicators, this, setup.townships);
    let previous = self::ranking(setup.indicators, before, setup.townships);
    let mut improved = Vec::new();
    let mut slipped = Vec::new();
    for row in &ranking {
        let Some(old) = previous.iter().find(|p| p.township == row.township) else {
            continue;
        };
        for (now_row, old_row) in row.rows.iter().zip(&old.rows) {
            if now_row.light == Light::NoData || old_row.light == Light::NoData {
                continue;
            }
            let change = Change {
                township: row.township.clone(),
                name: row.name.clone(),
                indicator: now_row.indicator,
                before: old_row.value,
                after: now_row.value,
                light: now_row.light,
            };
            // Lights order green < amber < red: a smaller light is better.
            if now_row.light < old_row.light {
                improved.push(change);
            } else if now_row.light > old_row.light {
                slipped.push(change);
            }
        }
    }
    Ok(Some(Bulletin {
        period: month,
        county: rows_of(setup.indicators, &this.county()),
        ranking,
        improved,
        slipped,
        computed_at,
    }))
}
