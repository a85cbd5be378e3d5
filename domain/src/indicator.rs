//! Supervision indicators (督查指标): a small set of measures, each with a
//! target and an amber band, and the green / amber / red light of a
//! township against each.
//!
//! The set is configurable (`CAREBRIDGE_INDICATORS`, see [`Indicators::parse`]):
//! which measures, and their targets. Pure: no database or web code.

use std::fmt;

/// What an indicator measures (each computed by the oversight metrics).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Measure {
    /// Share of open files visited within 90 days (%).
    VisitCoverage,
    /// Median days from publication to the first approved match.
    DaysToMatch,
    /// Share of proposals decided within 4 working days (%).
    ProposalsDecidedInTime,
    /// Share of urgent reports first answered within 1 hour (%).
    UrgentReportsAnswered,
    /// Share of referrals answered by their deadline (%).
    ReferralsAnsweredInTime,
}

impl Measure {
    pub const ALL: &'static [Measure] = &[
        Measure::VisitCoverage,
        Measure::DaysToMatch,
        Measure::ProposalsDecidedInTime,
        Measure::UrgentReportsAnswered,
        Measure::ReferralsAnsweredInTime,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Measure::VisitCoverage => "visit_coverage",
            Measure::DaysToMatch => "days_to_match",
            Measure::ProposalsDecidedInTime => "proposals_in_time",
            Measure::UrgentReportsAnswered => "urgent_reports_in_time",
            Measure::ReferralsAnsweredInTime => "referrals_in_time",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Measure::VisitCoverage => "90天内走访覆盖率",
            Measure::DaysToMatch => "发布到首次批准对接的天数（中位数）",
            Measure::ProposalsDecidedInTime => "4个工作日内审批对接的比例",
            Measure::UrgentReportsAnswered => "紧急强制报告1小时内首次响应的比例",
            Measure::ReferralsAnsweredInTime => "转介在期限内答复的比例",
        }
    }

    /// Whether more is better (a share) or less (days).
    pub fn direction(self) -> Direction {
        match self {
            Measure::DaysToMatch => Direction::AtMost,
            _ => Direction::AtLeast,
        }
    }

    /// The unit the value is shown in.
    pub fn unit(self) -> &'static str {
        match self {
            Measure::DaysToMatch => "天",
            _ => "%",
        }
    }

    fn from_code(code: &str) -> Option<Self> {
        Measure::ALL.iter().copied().find(|m| m.code() == code)
    }
}

/// Whether a value meets its target from above or from below.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// The value must be at least the target (shares).
    AtLeast,
    /// The value must be at most the target (durations).
    AtMost,
}

/// A township's standing against an indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Light {
    Green,
    Amber,
    Red,
    /// Nothing to measure in the period (no file, no report…).
    NoData,
}

impl Light {
    pub fn code(self) -> &'static str {
        match self {
            Light::Green => "green",
            Light::Amber => "amber",
            Light::Red => "red",
            Light::NoData => "none",
        }
    }

    /// In words, so that the light never depends on colour alone.
    pub fn label(self) -> &'static str {
        match self {
            Light::Green => "达标",
            Light::Amber => "预警",
            Light::Red => "未达标",
            Light::NoData => "无数据",
        }
    }

    /// Points of a ranking: green 2, amber 1, red and no data 0.
    pub fn points(self) -> u32 {
        match self {
            Light::Green => 2,
            Light::Amber => 1,
            Light::Red | Light::NoData => 0,
        }
    }
}

/// One indicator: a measure, its target, and the bound of the amber band
/// (between target and bound: amber; beyond the bound: red).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Indicator {
    pub measure: Measure,
    pub target: f64,
    pub amber: f64,
}

impl Indicator {
    /// The light of `value` (`None`: nothing to measure).
    pub fn light(&self, value: Option<f64>) -> Light {
        let Some(v) = value.filter(|v| v.is_finite()) else {
            return Light::NoData;
        };
        match self.measure.direction() {
            Direction::AtLeast if v >= self.target => Light::Green,
            Direction::AtLeast if v >= self.amber => Light::Amber,
            Direction::AtMost if v <= self.target => Light::Green,
            Direction::AtMost if v <= self.amber => Light::Amber,
            _ => Light::Red,
        }
    }

    /// The target as people read it: ≥ 95%, ≤ 14天.
    pub fn target_text(&self) -> String {
        let sign = match self.measure.direction() {
            Direction::AtLeast => "≥",
            Direction::AtMost => "≤",
        };
        format!("{sign} {}{}", self.target, self.measure.unit())
    }
}

/// The configured set, in the order shown.
#[derive(Clone, Debug, PartialEq)]
pub struct Indicators(Vec<Indicator>);

/// Why an indicator setting was refused.
#[derive(Debug, PartialEq, Eq)]
pub struct BadIndicators(pub String);

impl fmt::Display for BadIndicators {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadIndicators {}

impl Default for Indicators {
    /// The set the county policy's 五(一) suggests.
    fn default() -> Self {
        let of = |measure, target, amber| Indicator {
            measure,
            target,
            amber,
        };
        Indicators(vec![
            of(Measure::VisitCoverage, 95.0, 85.0),
            of(Measure::DaysToMatch, 14.0, 21.0),
            of(Measure::ProposalsDecidedInTime, 90.0, 75.0),
            of(Measure::UrgentReportsAnswered, 100.0, 90.0),
            of(Measure::ReferralsAnsweredInTime, 90.0, 75.0),
        ])
    }
}

impl Indicators {
    /// `code=target/amber` separated by commas, e.g.
    /// `visit_coverage=95/85,days_to_match=14/21`: exactly the measures
    /// named, in that order. The amber bound must lie on the far side of
    /// the target.
    pub fn parse(raw: &str) -> Result<Self, BadIndicators> {
        let mut out: Vec<Indicator> = Vec::new();
        for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let bad = || BadIndicators(format!("指标设置“{part}”应写作 代码=目标/预警界限"));
            let (code, values) = part.split_once('=').ok_or_else(bad)?;
            let measure = Measure::from_code(code.trim())
                .ok_or_else(|| BadIndicators(format!("未知的指标“{}”", code.trim())))?;
            let (target, amber) = values.split_once('/').ok_or_else(bad)?;
            let target: f64 = target.trim().parse().map_err(|_| bad())?;
            let amber: f64 = amber.trim().parse().map_err(|_| bad())?;
            let ordered = match measure.direction() {
                Direction::AtLeast => amber <= target,
                Direction::AtMost => amber >= target,
            };
            if !target.is_finite() || !amber.is_finite() || !ordered {
                return Err(BadIndicators(format!(
                    "指标“{}”的预警界限应在目标之外",
                    measure.code()
                )));
            }
            if out.iter().any(|i| i.measure == measure) {
                return Err(BadIndicators(format!("指标“{}”重复", measure.code())));
            }
            out.push(Indicator {
                measure,
                target,
                amber,
            });
        }
        if out.is_empty() {
            return Err(BadIndicators("至少需要一项指标".into()));
        }
        Ok(Indicators(out))
    }

    pub fn all(&self) -> &[Indicator] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coverage() -> Indicator {
        Indicator {
            measure: Measure::VisitCoverage,
            target: 95.0,
            amber: 85.0,
        }
    }

    #[test]
    fn a_share_is_green_at_its_target_amber_in_the_band_red_below() {
        let i = coverage();
        assert_eq!(i.light(Some(95.0)), Light::Green);
        assert_eq!(i.light(Some(100.0)), Light::Green);
        assert_eq!(i.light(Some(94.9)), Light::Amber);
        assert_eq!(i.light(Some(85.0)), Light::Amber);
        assert_eq!(i.light(Some(84.9)), Light::Red);
        assert_eq!(i.light(None), Light::NoData);
        assert_eq!(i.light(Some(f64::NAN)), Light::NoData);
    }

    #[test]
    fn days_are_green_at_most_the_target() {
        let i = Indicator {
            measure: Measure::DaysToMatch,
            target: 14.0,
            amber: 21.0,
        };
        assert_eq!(i.light(Some(3.0)), Light::Green);
        assert_eq!(i.light(Some(14.0)), Light::Green);
        assert_eq!(i.light(Some(14.5)), Light::Amber);
        assert_eq!(i.light(Some(21.0)), Light::Amber);
        assert_eq!(i.light(Some(22.0)), Light::Red);
        assert_eq!(i.target_text(), "≤ 14天");
    }

    #[test]
    fn a_hundred_percent_target_turns_amber_on_one_miss() {
        let i = Indicator {
            measure: Measure::UrgentReportsAnswered,
            target: 100.0,
            amber: 90.0,
        };
        assert_eq!(i.light(Some(100.0)), Light::Green);
        assert_eq!(i.light(Some(95.0)), Light::Amber);
        assert_eq!(i.light(Some(50.0)), Light::Red);
    }

    #[test]
    fn the_set_parses_and_refuses_amber_on_the_wrong_side() {
        let set = Indicators::parse("days_to_match=10/20, visit_coverage=90/80").expect("set");
        assert_eq!(set.all().len(), 2);
        assert_eq!(set.all()[0].measure, Measure::DaysToMatch);
        assert!(Indicators::parse("visit_coverage=90/95").is_err());
        assert!(Indicators::parse("days_to_match=14/7").is_err());
        assert!(Indicators::parse("unknown=1/2").is_err());
        assert!(Indicators::parse("visit_coverage=90/80,visit_coverage=90/80").is_err());
        assert!(Indicators::parse("").is_err());
        assert_eq!(Indicators::default().all().len(), Measure::ALL.len());
    }

    #[test]
    fn lights_rank_green_over_amber_over_red() {
        assert!(Light::Green.points() > Light::Amber.points());
        assert!(Light::Amber.points() > Light::Red.points());
        assert_eq!(Light::Red.points(), Light::NoData.points());
    }
}
