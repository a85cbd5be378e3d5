//! Escalation of what waits (督办): a published need nobody proposed for
//! within its urgency's days is widened to county-wide offers once; still
//! unanswered at the closing time it asks its officer to renew or close
//! it; a proposal the township has not decided within its working days
//! goes to the county's inbox. Pure rules: the days, the cutoffs, the
//! steps' names.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::coded::coded_enum;
use super::entitlement::calendar::Calendar;
use super::need::Urgency;

coded_enum! {
    /// One escalation step, as recorded on the need.
    pub enum EscalationKind ("未知的督办类型") {
        Widened = "widened", "长期无人对接，已扩大至全县范围的服务推荐";
        RenewalAsked = "renewal_asked", "超过期限仍无人对接，请续期或关闭";
        Renewed = "renewed", "乡镇已续期，重新计时";
        ProposalOverdue = "proposal_overdue", "对接申请超期未审批，已提交县级督办";
    }
}

/// The days and deadlines escalation is decided by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EscalationSettings {
    pub widen_critical_days: u32,
    pub widen_urgent_days: u32,
    pub widen_normal_days: u32,
    /// Days after which an unanswered need asks to be renewed or closed.
    pub close_days: u32,
    /// Working days the township has to decide a proposal.
    pub proposal_working_days: u32,
}

impl Default for EscalationSettings {
    fn default() -> Self {
        EscalationSettings {
            widen_critical_days: 2,
            widen_urgent_days: 5,
            widen_normal_days: 10,
            close_days: 40,
            proposal_working_days: 4,
        }
    }
}

impl EscalationSettings {
    /// How long a need of `urgency` waits before it is widened.
    pub fn widen_after(&self, urgency: Urgency) -> Duration {
        Duration::days(i64::from(match urgency {
            Urgency::Critical => self.widen_critical_days,
            Urgency::Urgent => self.widen_urgent_days,
            Urgency::Normal => self.widen_normal_days,
        }))
    }

    /// Needs whose clock started before this are widened at `now`.
    pub fn widen_cutoff(&self, urgency: Urgency, now: DateTime<Utc>) -> DateTime<Utc> {
        now - self.widen_after(urgency)
    }

    /// Needs whose clock started before this ask to be renewed at `now`.
    pub fn close_cutoff(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - Duration::days(i64::from(self.close_days))
    }

    /// The last office day a proposal may have been made on and be overdue
    /// on `today`: its deadline (that many working days after it) is
    /// before today. Deadlines grow with the day they start from, so every
    /// earlier day is overdue too.
    pub fn last_overdue_proposal_day(&self, calendar: &Calendar, today: NaiveDate) -> NaiveDate {
        let mut day = today - Duration::days(1);
        // A deadline of n working days never spans more than a few weeks
        // of holidays; the bound keeps a broken calendar from looping.
        for _ in 0..400 {
            if calendar.add_working_days(day, self.proposal_working_days) < today {
                return day;
            }
            day -= Duration::days(1);
        }
        day
    }
}

/// The start (UTC) of an office day in Beijing time (UTC+8).
pub fn office_day_start(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(chrono::NaiveTime::MIN).and_utc() - Duration::hours(8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn more_urgent_needs_widen_sooner() {
        let s = EscalationSettings::default();
        assert_eq!(s.widen_after(Urgency::Critical), Duration::days(2));
        assert_eq!(s.widen_after(Urgency::Urgent), Duration::days(5));
        assert_eq!(s.widen_after(Urgency::Normal), Duration::days(10));
    }

    #[test]
    fn a_proposal_is_overdue_after_four_working_days() {
        let s = EscalationSettings::default();
        let calendar = Calendar::new([], []);
        // Wednesday 2026-12-09: a proposal of Wednesday 2026-12-02 was due
        // Tuesday 12-08 (Thu, Fri, Mon, Tue) and is overdue; one of Thursday
        // 12-03 is due Wednesday 12-09, today, and is not.
        let last = s.last_overdue_proposal_day(&calendar, day(2026, 12, 9));
        assert_eq!(last, day(2026, 12, 2));
        assert!(calendar.add_working_days(last + Duration::days(1), 4) >= day(2026, 12, 9));
    }

    #[test]
    fn office_days_start_at_beijing_midnight() {
        assert_eq!(
            office_day_start(day(2026, 12, 2)).to_rfc3339(),
            "2026-12-01T16:00:00+00:00"
        );
    }
}
