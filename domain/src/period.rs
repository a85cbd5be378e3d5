//! Reporting periods of the dashboards and bulletins: a month, a quarter
//! or a year, in office days (Beijing). Whole calendar units only, so that
//! no two periods overlap partly (public figures rely on it: differences
//! of overlapping windows could undo suppression).

use chrono::{Datelike, NaiveDate};

/// A whole month, quarter or year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Period {
    Month { year: i32, month: u32 },
    Quarter { year: i32, quarter: u32 },
    Year { year: i32 },
}

impl Period {
    /// `2026-11`, `2026-Q3` (or `2026q3`) or `2026`.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let year = |y: &str| -> Option<i32> {
            (y.len() == 4)
                .then(|| y.parse().ok())
                .flatten()
                .filter(|y| (2000..=2100).contains(y))
        };
        if let Some((y, rest)) = raw.split_once('-').or_else(|| raw.split_once(['Q', 'q'])) {
            let rest = rest.trim_start_matches(['Q', 'q']);
            let y = year(y)?;
            let n: u32 = rest.parse().ok()?;
            if raw.contains(['Q', 'q']) {
                return (1..=4).contains(&n).then_some(Period::Quarter {
                    year: y,
                    quarter: n,
                });
            }
            return (1..=12)
                .contains(&n)
                .then_some(Period::Month { year: y, month: n });
        }
        Some(Period::Year { year: year(raw)? })
    }

    /// The month holding `day`.
    pub fn month_of(day: NaiveDate) -> Self {
        Period::Month {
            year: day.year(),
            month: day.month(),
        }
    }

    /// The last whole quarter before the one holding `day`.
    pub fn last_completed_quarter(day: NaiveDate) -> Self {
        let quarter = (day.month() - 1) / 3 + 1;
        if quarter == 1 {
            Period::Quarter {
                year: day.year() - 1,
                quarter: 4,
            }
        } else {
            Period::Quarter {
                year: day.year(),
                quarter: quarter - 1,
            }
        }
    }

    /// The first day of the period.
    pub fn start(self) -> NaiveDate {
        let (y, m) = match self {
            Period::Month { year, month } => (year, month),
            Period::Quarter { year, quarter } => (year, (quarter - 1) * 3 + 1),
            Period::Year { year } => (year, 1),
        };
        NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The first day after the period.
    pub fn end(self) -> NaiveDate {
        let months = match self {
            Period::Month { .. } => 1,
            Period::Quarter { .. } => 3,
            Period::Year { .. } => 12,
        };
        add_months(self.start(), months)
    }

    /// The previous period of the same length.
    pub fn previous(self) -> Self {
        match self {
            Period::Month { year, month: 1 } => Period::Month {
                year: year - 1,
                month: 12,
            },
            Period::Month { year, month } => Period::Month {
                year,
                month: month - 1,
            },
            Period::Quarter { year, quarter: 1 } => Period::Quarter {
                year: year - 1,
                quarter: 4,
            },
            Period::Quarter { year, quarter } => Period::Quarter {
                year,
                quarter: quarter - 1,
            },
            Period::Year { year } => Period::Year { year: year - 1 },
        }
    }

    /// The code the period is asked for with (`2026-11`, `2026-Q3`, `2026`).
    pub fn code(self) -> String {
        match self {
            Period::Month { year, month } => format!("{year}-{month:02}"),
            Period::Quarter { year, quarter } => format!("{year}-Q{quarter}"),
            Period::Year { year } => year.to_string(),
        }
    }

    /// As pages show it: 2026年11月, 2026年第3季度, 2026年.
    pub fn label(self) -> String {
        match self {
            Period::Month { year, month } => format!("{year}年{month}月"),
            Period::Quarter { year, quarter } => format!("{year}年第{quarter}季度"),
            Period::Year { year } => format!("{year}年"),
        }
    }

    /// The twelve months ending with the one the period ends in, oldest first.
    pub fn trend_months(self) -> Vec<Period> {
        let last = Period::month_of(self.end().pred_opt().unwrap_or(self.end()));
        let mut months = vec![last];
        while months.len() < 12 {
            let first = months[0].previous();
            months.insert(0, first);
        }
        months
    }
}

fn add_months(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_add_months(chrono::Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn periods_parse_and_bound_whole_units() {
        let q = Period::parse("2026-Q3").expect("quarter");
        assert_eq!((q.start(), q.end()), (d(2026, 7, 1), d(2026, 10, 1)));
        let m = Period::parse("2026-12").expect("month");
        assert_eq!((m.start(), m.end()), (d(2026, 12, 1), d(2027, 1, 1)));
        let y = Period::parse("2025").expect("year");
        assert_eq!((y.start(), y.end()), (d(2025, 1, 1), d(2026, 1, 1)));
        assert_eq!(Period::parse("2026-13"), None);
        assert_eq!(Period::parse("2026-Q5"), None);
        assert_eq!(Period::parse("26-1"), None);
        assert_eq!(Period::parse(&q.code()), Some(q));
        assert_eq!(Period::parse(&m.code()), Some(m));
    }

    #[test]
    fn the_last_completed_quarter_is_before_the_current_one() {
        assert_eq!(
            Period::last_completed_quarter(d(2026, 12, 1)),
            Period::Quarter {
                year: 2026,
                quarter: 3
            }
        );
        assert_eq!(
            Period::last_completed_quarter(d(2026, 2, 10)),
            Period::Quarter {
                year: 2025,
                quarter: 4
            }
        );
    }

    #[test]
    fn the_trend_is_twelve_months_ending_with_the_period() {
        let months = Period::parse("2026-Q1").expect("quarter").trend_months();
        assert_eq!(months.len(), 12);
        assert_eq!(
            months[0],
            Period::Month {
                year: 2025,
                month: 4
            }
        );
        assert_eq!(
            months[11],
            Period::Month {
                year: 2026,
                month: 3
            }
        );
    }
}
