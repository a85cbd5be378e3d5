//! Calendar days as people write and read them: one way to show a day
//! (2026年11月28日) and one way to read a typed one (2026-11-28, the date
//! input's value; 2026/11/28, what Chinese browsers show in it; or
//! 2026年11月28日).

use chrono::{Datelike, NaiveDate};

/// The hint beside every date input: what the browser shows in it.
pub const DATE_HINT: &str = "格式：年/月/日，如 2026/11/28";

/// A day as pages show it: `2026年11月28日` (no leading zeros).
pub fn day_text(day: NaiveDate) -> String {
    format!("{}年{}月{}日", day.year(), day.month(), day.day())
}

/// A typed day: `2026-11-28`, `2026/11/28` or `2026年11月28日` (with or
/// without leading zeros and spaces around).
pub fn parse_day(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    let raw = raw.strip_suffix('日').unwrap_or(raw);
    let mut parts = raw.split(['-', '/', '年', '月']).map(str::trim);
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// A typed moment in Beijing time: `2026-11-30T14:05` (the value of a
/// datetime input), `2026-11-30 14:05` or `2026/11/30 14:05`, seconds
/// optional; as UTC.
pub fn parse_beijing_moment(raw: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let raw = raw.trim();
    let (day, time) = raw.split_once(['T', ' '])?;
    let day = parse_day(day)?;
    let time = chrono::NaiveTime::parse_from_str(time.trim(), "%H:%M")
        .or_else(|_| chrono::NaiveTime::parse_from_str(time.trim(), "%H:%M:%S"))
        .ok()?;
    let beijing = chrono::FixedOffset::east_opt(8 * 3600)?;
    day.and_time(time)
        .and_local_timezone(beijing)
        .single()
        .map(|at| at.with_timezone(&chrono::Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_reads_as_chinese_dates_are_written() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 7).expect("date");
        assert_eq!(day_text(day), "2026年3月7日");
        let day = NaiveDate::from_ymd_opt(2026, 11, 28).expect("date");
        assert_eq!(day_text(day), "2026年11月28日");
    }

    #[test]
    fn a_typed_day_is_read_in_each_way_it_is_shown() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 7);
        for raw in [
            "2026-03-07",
            "2026/3/7",
            " 2026/03/07 ",
            "2026年3月7日",
            "2026年03月07日",
        ] {
            assert_eq!(parse_day(raw), day, "{raw}");
        }
        for raw in [
            "",
            "昨天",
            "2026-13-01",
            "26/3/7",
            "2026-03-07-01",
            "2026年3月",
        ] {
            assert_eq!(parse_day(raw), None, "{raw}");
        }
    }

    #[test]
    fn a_typed_moment_is_read_as_beijing_time() {
        let at = parse_beijing_moment("2026-11-30T08:05").expect("moment");
        assert_eq!(at.to_rfc3339(), "2026-11-30T00:05:00+00:00");
        assert_eq!(
            parse_beijing_moment("2026/11/30 08:05:30").map(|a| a.timestamp() - at.timestamp()),
            Some(30)
        );
        assert_eq!(parse_beijing_moment("2026-11-30"), None);
        assert_eq!(parse_beijing_moment("昨天 8点"), None);
    }
}
