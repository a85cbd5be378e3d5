//! Working days (工作日) for referral deadlines: Monday to Friday, less the
//! public holidays and plus the swapped working weekends (调休) the rules
//! file lists for each year.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// The county's working calendar.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    holidays: BTreeSet<NaiveDate>,
    workdays: BTreeSet<NaiveDate>,
}

impl Calendar {
    pub fn new(
        holidays: impl IntoIterator<Item = NaiveDate>,
        workdays: impl IntoIterator<Item = NaiveDate>,
    ) -> Self {
        Self {
            holidays: holidays.into_iter().collect(),
            workdays: workdays.into_iter().collect(),
        }
    }

    /// Whether offices are open on `day`.
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if self.workdays.contains(&day) {
            return true;
        }
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !self.holidays.contains(&day)
    }

    /// The day `n` working days after `from` (`from` itself not counted):
    /// a referral sent on a Friday with 10 working days is due on the
    /// second Friday after.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut day = from;
        let mut left = n;
        while left > 0 {
            day += Duration::days(1);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn ten_working_days_skip_weekends_and_holidays_and_count_swapped_saturdays() {
        let plain = Calendar::default();
        // Friday 4 December 2026 + 10 working days = Friday 18 December.
        assert_eq!(
            plain.add_working_days(day(2026, 12, 4), 10),
            day(2026, 12, 18)
        );
        assert_eq!(
            plain.add_working_days(day(2026, 12, 5), 1),
            day(2026, 12, 7)
        );
        assert_eq!(
            plain.add_working_days(day(2026, 12, 7), 0),
            day(2026, 12, 7)
        );
        let county = Calendar::new([day(2026, 12, 8)], [day(2026, 12, 12)]);
        // The Tuesday is a holiday, the Saturday after is worked.
        assert_eq!(
            county.add_working_days(day(2026, 12, 7), 4),
            day(2026, 12, 12)
        );
        assert_eq!(
            county.add_working_days(day(2026, 12, 7), 5),
            day(2026, 12, 14)
        );
    }
}
