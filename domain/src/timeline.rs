//! One child's timeline and the warnings computed from it (issue 18): the
//! kinds of entries, and the pure rules that decide duplicate support,
//! service gaps and overdue visits. Imports nothing outside the domain.
//!
//! The duplicate-support rule, as the portal applies it:
//! - two matches of the same child, the same category, and offers of
//!   different owners (two organisations, or an organisation and a family);
//! - each match's period runs from the day it was (finally) approved to the
//!   day it was completed or cancelled, or to today while it is approved or
//!   in service; the periods overlap when they share a day;
//! - when both offers state a weekly schedule the portal can read (weekdays,
//!   optionally a clock-time range, see [`schedule`]), the schedules must
//!   share a weekday and, where both give times, overlap in time: two tutors
//!   on Monday and on Thursday evenings complement each other. An offer
//!   without a readable schedule (money, goods, "每两周一次") is taken to
//!   cover the whole period.
//!
//! The warning's `since` is the first day of the overlap.

pub mod schedule;

use chrono::NaiveDate;

use super::category::Category;
use super::coded::coded_enum;

pub use schedule::Schedule;

coded_enum! {
    /// What a timeline entry records; the `kind` filter takes these codes.
    pub enum EntryKind ("未知的记录类型") {
        Visit = "visit", "走访";
        Need = "need", "需求";
        Match = "match", "对接";
        Service = "service", "服务记录";
        Entitlement = "entitlement", "保障待遇";
        Referral = "referral", "转介";
        Report = "report", "强制报告";
    }
}

coded_enum! {
    /// What a warning on a child's file is about.
    pub enum WarningKind ("未知的提醒类型") {
        DuplicateSupport = "duplicate_support", "重复帮扶";
        ServiceGap = "service_gap", "服务中断";
        VisitOverdue = "visit_overdue", "逾期未走访";
    }
}

/// Days without a service record after which an approved or in-service
/// match is a service gap, unless configured otherwise.
pub const DEFAULT_SERVICE_GAP_DAYS: u32 = 30;

/// What the duplicate rule needs to know of one match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Support {
    pub match_id: String,
    /// The offer's owner (organisation or family), compared for equality only.
    pub owner: String,
    pub category: Category,
    /// The day the match was (finally) approved.
    pub from: NaiveDate,
    /// The day it ended (completed, cancelled); `None` while it runs.
    pub until: Option<NaiveDate>,
    /// The offer's weekly schedule, when it states one the portal can read.
    pub schedule: Option<Schedule>,
}

/// Two matches that support the same child in the same way at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// The two match ids, the smaller first (so that a pair is named once).
    pub match_ids: [String; 2],
    /// The first day both ran.
    pub since: NaiveDate,
}

/// The days two supports both ran on, as of `today`: `None` when they never
/// shared one.
fn shared_days(a: &Support, b: &Support, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let end = |s: &Support| s.until.unwrap_or(today).min(today);
    let start = a.from.max(b.from);
    let stop = end(a).min(end(b));
    (start <= stop).then_some((start, stop))
}

/// Whether `a` and `b` duplicate each other (see the module's rule).
pub fn duplicates(a: &Support, b: &Support, today: NaiveDate) -> Option<NaiveDate> {
    if a.match_id == b.match_id || a.category != b.category || a.owner == b.owner {
        return None;
    }
    let (since, _) = shared_days(a, b, today)?;
    if let (Some(x), Some(y)) = (&a.schedule, &b.schedule)
        && !x.overlaps(y)
    {
        return None;
    }
    Some(since)
}

/// Every duplicated pair among one child's supports, the earliest overlap
/// first.
pub fn duplicate_support(supports: &[Support], today: NaiveDate) -> Vec<Duplicate> {
    let mut out = Vec::new();
    for (i, a) in supports.iter().enumerate() {
        for b in &supports[i + 1..] {
            if let Some(since) = duplicates(a, b, today) {
                let mut ids = [a.match_id.clone(), b.match_id.clone()];
                ids.sort();
                out.push(Duplicate {
                    match_ids: ids,
                    since,
                });
            }
        }
    }
    out.sort_by(|x, y| x.since.cmp(&y.since).then(x.match_ids.cmp(&y.match_ids)));
    out.dedup();
    out
}

/// The day a running match's silence began, if it has lasted longer than
/// `gap_days` on `today`: its last service day, or the day it was approved
/// when nothing was served yet.
pub fn service_gap(
    approved_on: NaiveDate,
    last_served_on: Option<NaiveDate>,
    today: NaiveDate,
    gap_days: u32,
) -> Option<NaiveDate> {
    let quiet_since = last_served_on.map_or(approved_on, |d| d.max(approved_on));
    ((today - quiet_since).num_days() > i64::from(gap_days)).then_some(quiet_since)
}

/// The latest day whose silence is already a gap on `today`: what the
/// township's indexed query compares `last_served_on` against. Agrees with
/// [`service_gap`]: a day `d` is a gap exactly when `d < gap_cutoff(..)`.
pub fn gap_cutoff(today: NaiveDate, gap_days: u32) -> NaiveDate {
    today - chrono::Duration::days(i64::from(gap_days))
}

#[cfg(test)]
mod tests;
