//! Oversight (督查考核、动态监测、信息台账): the dashboards of the county and
//! of each township, the supervision indicators and the monthly bulletin,
//! the public statistics, and the ledger export.
//!
//! Every figure comes from grouped statements over plain indexed columns
//! (`db::oversight`), read once for all townships: the county figures are
//! their sum and the county median beside a township's figure is the
//! median over townships. No sealed column is opened for a request, except
//! by the ledger export, and there only when a county administrator asked
//! for identity with a purpose; the monthly snapshot job (`snapshot`)
//! opens birth dates in the background to count each file in its band at
//! the month's end.
//!
//! Who sees what: county staff the county and any township; a township
//! officer their own township (another answers `NotFound`); nobody else
//! but the public statistics, which pass the disclosure control.

pub mod dashboard;
pub mod figures;
pub mod jobs;
pub mod kept;
pub mod ledger;
pub mod snapshot;
pub mod stats;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::domain::Role;
use crate::domain::period::Period;

use super::{Principal, ServiceError, ServiceResult};
use crate::db::oversight::AsOf;
use crate::db::oversight::period::Span;
use crate::domain::referral::office_day;

/// What a dashboard or export covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    County,
    Township(String),
}

impl Scope {
    pub fn township(&self) -> Option<&str> {
        match self {
            Scope::County => None,
            Scope::Township(t) => Some(t),
        }
    }
}

/// The scope `caller` asked for with `township` (empty: their widest):
/// the county for county staff, a township officer's own township.
pub fn scope_of(caller: &Principal, township: Option<&str>) -> ServiceResult<Scope> {
    let township = township.map(str::trim).filter(|t| !t.is_empty());
    match caller.role {
        Role::CountyAdmin => Ok(township.map_or(Scope::County, |t| Scope::Township(t.to_owned()))),
        Role::TownshipOfficer => {
            let own = caller.township.clone().ok_or(ServiceError::Forbidden)?;
            match township {
                Some(t) if t != own => Err(ServiceError::NotFound),
                _ => Ok(Scope::Township(own)),
            }
        }
        _ => Err(ServiceError::Forbidden),
    }
}

/// When an office day (Beijing, UTC+8) begins, in UTC.
pub fn day_start(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - Duration::hours(8)
}

/// The span of a period in time and in office days.
pub fn span_of(period: Period) -> Span {
    Span {
        from: day_start(period.start()),
        to: day_start(period.end()),
        from_day: period.start(),
        to_day: period.end(),
    }
}

/// What files are counted as of for a period's span: its end, or `now`
/// while it runs (a period in the future counts as of now too); visits
/// count on the [`figures::VISIT_DAYS`] days up to and including the last
/// office day before that moment (a visit 90 days before the last day
/// counts, one 91 days before does not).
pub fn as_of(span: &Span, now: DateTime<Utc>) -> AsOf {
    let end = span.to.min(now);
    let last_day = office_day(end - Duration::seconds(1));
    AsOf {
        end,
        visits_from: last_day - Duration::days(figures::VISIT_DAYS),
        visits_to: last_day,
    }
}

/// The median of `values` (`None` when empty).
pub fn median(mut values: Vec<f64>) -> Option<f64> {
    values.retain(|v| v.is_finite());
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(vec![5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(vec![]), None);
    }

    #[test]
    fn a_past_month_counts_as_of_its_end_and_visits_of_its_last_ninety_days() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day");
        let span = span_of(Period::Month {
            year: 2026,
            month: 3,
        });
        let long_after = day_start(day("2026-12-01"));
        let at = as_of(&span, long_after);
        assert_eq!(at.end, day_start(day("2026-04-01")));
        assert_eq!(at.visits_to, day("2026-03-31"));
        assert_eq!(at.visits_from, day("2026-03-31") - Duration::days(90));
        // While the month runs: as of now, visits up to today.
        let mid = day_start(day("2026-03-10")) + Duration::hours(3);
        let running = as_of(&span, mid);
        assert_eq!(running.end, mid);
        assert_eq!(running.visits_to, day("2026-03-10"));
    }

    #[test]
    fn an_office_day_begins_at_four_in_the_afternoon_utc() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).expect("day");
        assert_eq!(day_start(day).to_rfc3339(), "2026-11-30T16:00:00+00:00");
    }
}
