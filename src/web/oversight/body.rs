//! JSON bodies of the oversight endpoints.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::disclosure::Figure;
use crate::domain::period::Period;
use crate::services::oversight::dashboard::{Bulletin, Change, Dashboard, IndicatorRow, RankRow};
use crate::services::oversight::snapshot::ClassBasis;
use crate::services::oversight::stats::PublicStats;
use chrono::{DateTime, Utc};

/// A period: its code (`2026-11`, `2026-Q3`, `2026`), label and days.
#[derive(Serialize, ToSchema)]
pub struct PeriodBody {
    pub code: String,
    pub label: String,
    /// First day (`YYYY-MM-DD`).
    pub from: String,
    /// Day after the last.
    pub to: String,
}

impl From<Period> for PeriodBody {
    fn from(p: Period) -> Self {
        Self {
            code: p.code(),
            label: p.label(),
            from: p.start().to_string(),
            to: p.end().to_string(),
        }
    }
}

/// One headline figure; `value` null: nothing recorded in the period.
#[derive(Serialize, ToSchema)]
pub struct FigureBody {
    pub code: String,
    pub label: String,
    pub value: Option<f64>,
    pub unit: String,
    /// For a township: the median of this figure over the county's townships.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub county_median: Option<f64>,
}

/// A count under a code (a difficulty class, an age band).
#[derive(Serialize, ToSchema)]
pub struct CountBody {
    pub code: String,
    pub label: String,
    pub count: u64,
}

/// A scope's standing against one supervision indicator.
#[derive(Serialize, ToSchema)]
pub struct IndicatorBody {
    pub code: String,
    pub label: String,
    /// `≥ 95%`, `≤ 14天`.
    pub target: String,
    pub value: Option<f64>,
    /// `green`, `amber`, `red` or `none` (nothing to measure).
    pub light: String,
}

impl From<&IndicatorRow> for IndicatorBody {
    fn from(r: &IndicatorRow) -> Self {
        Self {
            code: r.indicator.measure.code().to_owned(),
            label: r.indicator.measure.label().to_owned(),
            target: r.indicator.target_text(),
            value: r.value,
            light: r.light.code().to_owned(),
        }
    }
}

/// A township's row of the ranking.
#[derive(Serialize, ToSchema)]
pub struct TownshipRankBody {
    pub rank: usize,
    pub township: String,
    pub name: String,
    pub points: u32,
    pub indicators: Vec<IndicatorBody>,
}

impl From<&RankRow> for TownshipRankBody {
    fn from(r: &RankRow) -> Self {
        Self {
            rank: r.rank,
            township: r.township.clone(),
            name: r.name.clone(),
            points: r.points,
            indicators: r.rows.iter().map(Into::into).collect(),
        }
    }
}

/// One monthly series.
#[derive(Serialize, ToSchema)]
pub struct SeriesBody {
    /// `files_open`, `visit_coverage`, `referrals_in_time`,
    /// `needs_published`, `needs_matched`, `needs_fulfilled`,
    /// `needs_closed`, `services`, `completed`, `reports`, `hours`,
    /// `days_to_match`, `response_hours`, `mean_rating`.
    pub code: String,
    pub label: String,
    pub unit: String,
    /// One per month, oldest first; `null`: nothing to measure that month
    /// (a share of nothing, a median of no items).
    pub values: Vec<Option<f64>>,
}

/// The last twelve months.
#[derive(Serialize, ToSchema)]
pub struct TrendBody {
    /// `YYYY-MM`, oldest first.
    pub months: Vec<String>,
    pub series: Vec<SeriesBody>,
}

/// The dashboard of a scope.
#[derive(Serialize, ToSchema)]
pub struct DashboardBody {
    /// The township's code; absent for the county.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub township: Option<String>,
    pub scope_name: String,
    pub period: PeriodBody,
    pub figures: Vec<FigureBody>,
    pub children_by_class: Vec<CountBody>,
    pub children_by_band: Vec<CountBody>,
    /// What `children_by_class` and `children_by_band` count by:
    /// `period_running` (the period runs: classes and bands now),
    /// `month_end_snapshot` (a completed period: as at its end, from the
    /// snapshot taken then) or `current_classes` (a completed period with
    /// no snapshot: the files on file at its end, by their classes and
    /// bands now).
    pub children_counted_by: String,
    /// When the month-end snapshot was taken (RFC 3339), with
    /// `month_end_snapshot`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot_taken_at: Option<String>,
    pub indicators: Vec<IndicatorBody>,
    /// Every township (county); the own township's row (township officer).
    pub ranking: Vec<TownshipRankBody>,
    pub trend: TrendBody,
    /// Service providers by status (county-wide).
    pub providers_by_status: Vec<CountBody>,
    /// When the figures were read by the background job (RFC 3339); they
    /// are refreshed at most every 10 minutes after a change.
    pub computed_at: String,
}

impl From<Dashboard> for DashboardBody {
    fn from(d: Dashboard) -> Self {
        Self {
            township: d.scope.township().map(str::to_owned),
            computed_at: d.computed_at.to_rfc3339(),
            scope_name: d.scope_name,
            period: d.period.into(),
            figures: d
                .headline
                .iter()
                .map(|h| FigureBody {
                    code: h.figure.code.to_owned(),
                    label: h.figure.label.to_owned(),
                    value: h.figure.value,
                    unit: h.figure.unit.to_owned(),
                    county_median: h.county_median,
                })
                .collect(),
            children_by_class: d
                .by_class
                .iter()
                .map(|(c, n)| CountBody {
                    code: c.as_str().to_owned(),
                    label: c.label().to_owned(),
                    count: *n,
                })
                .collect(),
            children_by_band: d
                .by_band
                .iter()
                .map(|(b, n)| CountBody {
                    code: b.map_or("unknown", |b| b.as_str()).to_owned(),
                    label: b.map_or("待核定", |b| b.label()).to_owned(),
                    count: *n,
                })
                .collect(),
            children_counted_by: d.class_basis.as_str().to_owned(),
            snapshot_taken_at: match d.class_basis {
                ClassBasis::Snapshot { taken_at } => Some(taken_at.to_rfc3339()),
                _ => None,
            },
            indicators: d.indicators.iter().map(Into::into).collect(),
            ranking: d.ranking.iter().map(Into::into).collect(),
            providers_by_status: d
                .providers
                .iter()
                .map(|(s, n)| CountBody {
                    code: s.as_str().to_owned(),
                    label: s.label().to_owned(),
                    count: *n,
                })
                .collect(),
            trend: TrendBody {
                months: d.trend_months.iter().map(|m| m.code()).collect(),
                series: d
                    .trend
                    .into_iter()
                    .map(|s| SeriesBody {
                        code: s.code.to_owned(),
                        label: s.label.to_owned(),
                        unit: s.unit.to_owned(),
                        values: s.values,
                    })
                    .collect(),
            },
        }
    }
}

/// A change against one indicator since the month before.
#[derive(Serialize, ToSchema)]
pub struct IndicatorChangeBody {
    pub township: String,
    pub name: String,
    pub indicator: String,
    pub before: Option<f64>,
    pub after: Option<f64>,
    pub light: String,
}

impl From<&Change> for IndicatorChangeBody {
    fn from(c: &Change) -> Self {
        Self {
            township: c.township.clone(),
            name: c.name.clone(),
            indicator: c.indicator.measure.code().to_owned(),
            before: c.before,
            after: c.after,
            light: c.light.code().to_owned(),
        }
    }
}

/// The monthly bulletin.
#[derive(Serialize, ToSchema)]
pub struct BulletinBody {
    pub period: PeriodBody,
    pub county: Vec<IndicatorBody>,
    pub ranking: Vec<TownshipRankBody>,
    pub improved: Vec<IndicatorChangeBody>,
    pub slipped: Vec<IndicatorChangeBody>,
    /// When the older of the two months' figures was read (RFC 3339).
    pub computed_at: String,
}

impl From<Bulletin> for BulletinBody {
    fn from(b: Bulletin) -> Self {
        Self {
            period: b.period.into(),
            county: b.county.iter().map(Into::into).collect(),
            ranking: b.ranking.iter().map(Into::into).collect(),
            improved: b.improved.iter().map(Into::into).collect(),
            slipped: b.slipped.iter().map(Into::into).collect(),
            computed_at: b.computed_at.to_rfc3339(),
        }
    }
}

/// A published figure: `value` null when suppressed; `display` is the
/// number, `<k` (under k) or `*` (hidden to protect another figure).
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq)]
pub struct StatBody {
    pub value: Option<u64>,
    pub display: String,
}

impl StatBody {
    fn of(f: Figure, k: u64) -> Self {
        Self {
            value: f.value(),
            display: f.display(k),
        }
    }
}

/// A difficulty class (a column of the table).
#[derive(Serialize, ToSchema)]
pub struct ClassBody {
    pub code: String,
    pub label: String,
}

/// A township's row of the table.
#[derive(Serialize, ToSchema)]
pub struct StatRowBody {
    pub township: String,
    pub name: String,
    /// One per class, in the order of `classes`.
    pub cells: Vec<StatBody>,
    pub total: StatBody,
}

/// The public statistics.
#[derive(Serialize, ToSchema)]
pub struct StatsBody {
    pub period: PeriodBody,
    pub k: u64,
    pub classes: Vec<ClassBody>,
    /// Children on file at the end of the period, by township and class.
    pub children: Vec<StatRowBody>,
    /// The county's total per class.
    pub children_totals: Vec<StatBody>,
    pub children_total: StatBody,
    /// Matches completed in the period (needs met).
    pub needs_met: StatBody,
    /// Needs closed or fulfilled in the period as fully met ("<k" when few).
    pub needs_fully_met: StatBody,
    /// … as partly met.
    pub needs_partly_met: StatBody,
    pub services: u64,
    pub volunteer_hours: f64,
    pub partner_organisations: u64,
    /// When the figures were read by the background job (RFC 3339).
    pub computed_at: String,
}

impl From<(&PublicStats, DateTime<Utc>)> for StatsBody {
    fn from((s, computed_at): (&PublicStats, DateTime<Utc>)) -> Self {
        let k = s.k;
        Self {
            computed_at: computed_at.to_rfc3339(),
            period: s.period.into(),
            k,
            classes: s
                .classes
                .iter()
                .map(|c| ClassBody {
                    code: c.as_str().to_owned(),
                    label: c.label().to_owned(),
                })
                .collect(),
            children: s
                .townships
                .iter()
                .enumerate()
                .map(|(r, (code, name))| StatRowBody {
                    township: code.clone(),
                    name: name.clone(),
                    cells: s.children.cells[r]
                        .iter()
                        .map(|f| StatBody::of(*f, k))
                        .collect(),
                    total: StatBody::of(s.children.row_totals[r], k),
                })
                .collect(),
            children_totals: s
                .children
                .column_totals
                .iter()
                .map(|f| StatBody::of(*f, k))
                .collect(),
            children_total: StatBody::of(s.children.grand_total, k),
            needs_met: StatBody::of(s.needs_met, k),
            needs_fully_met: StatBody::of(s.needs_fully_met, k),
            needs_partly_met: StatBody::of(s.needs_partly_met, k),
            services: s.services,
            volunteer_hours: s.volunteer_hours,
            partner_organisations: s.partner_organisations,
        }
    }
}

/// An export asked for with identity (county administrator, with a purpose).
#[derive(Deserialize, ToSchema)]
pub struct LedgerRequest {
    /// `csv` (default) or `xlsx`.
    #[serde(default)]
    pub format: Option<String>,
    /// One township (county staff); all when absent.
    #[serde(default)]
    pub township: Option<String>,
    #[serde(default)]
    pub include_identity: bool,
    /// Why identity is needed (4–200 characters); audited.
    #[serde(default)]
    pub purpose: Option<String>,
}

/// The figures are being computed: answered with 202 until they are kept.
#[derive(Serialize, ToSchema)]
pub struct ComputingBody {
    /// `running`.
    pub status: &'static str,
    pub message: &'static str,
}

impl Default for ComputingBody {
    fn default() -> Self {
        Self {
            status: "running",
            message: "正在统计，请稍后再试",
        }
    }
}
