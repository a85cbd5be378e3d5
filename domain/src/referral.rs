//! A referral (转介) of a child's case to a government department, and the
//! moves between its states (DESIGN.md, "Workflows"): `sent` → `accepted`
//! → `granted` | `refused` → `closed`; `sent`/`accepted` → `returned` (not
//! the department's matter) or `forwarded` (a new referral to another
//! department). Deadlines are working days; past its deadline a referral
//! is overdue, past twice its deadline it escalates to the county.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::coded::coded_enum;

coded_enum! {
    /// Where a referral stands.
    pub enum ReferralStatus ("未知的转介状态") {
        Sent = "sent", "待部门受理";
        Accepted = "accepted", "部门办理中";
        Granted = "granted", "已落实";
        Refused = "refused", "不予办理";
        Returned = "returned", "已退回乡镇";
        Forwarded = "forwarded", "已转其他部门";
        Closed = "closed", "已办结";
    }
}

impl ReferralStatus {
    /// Still with the department: its deadline runs.
    pub fn is_open(self) -> bool {
        matches!(self, ReferralStatus::Sent | ReferralStatus::Accepted)
    }

    /// The department has answered (any way).
    pub fn is_answered(self) -> bool {
        !self.is_open()
    }
}

/// What someone does to a referral.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReferralMove {
    /// The department takes it on.
    Accept,
    /// The department grants the entitlement or settles the matter.
    Grant,
    /// The department refuses, with a reason.
    Refuse,
    /// Not the department's matter: back to the township, with a reason.
    Return,
    /// Not the department's matter: on to another department.
    Forward,
    /// The township closes an answered referral.
    Close,
}

impl ReferralMove {
    /// The code used in paths and the audit log.
    pub fn as_str(self) -> &'static str {
        match self {
            ReferralMove::Accept => "accept",
            ReferralMove::Grant => "grant",
            ReferralMove::Refuse => "refuse",
            ReferralMove::Return => "return",
            ReferralMove::Forward => "forward",
            ReferralMove::Close => "close",
        }
    }

    pub fn parse(code: &str) -> Option<ReferralMove> {
        [
            ReferralMove::Accept,
            ReferralMove::Grant,
            ReferralMove::Refuse,
            ReferralMove::Return,
            ReferralMove::Forward,
            ReferralMove::Close,
        ]
        .into_iter()
        .find(|m| m.as_str() == code)
    }

    /// Whether the department makes this move (otherwise the township does).
    pub fn by_department(self) -> bool {
        !matches!(self, ReferralMove::Close)
    }
}

/// A move the referral's state does not allow, naming that state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("转介当前为“{}”，不能执行此操作", .0.label())]
pub struct IllegalReferralMove(pub ReferralStatus);

/// The state after `mv` from `from`, or why not.
pub fn next_status(
    from: ReferralStatus,
    mv: ReferralMove,
) -> Result<ReferralStatus, IllegalReferralMove> {
    use ReferralMove as M;
    use ReferralStatus as S;
    match (from, mv) {
        (S::Sent, M::Accept) => Ok(S::Accepted),
        (S::Accepted, M::Grant) => Ok(S::Granted),
        (S::Accepted, M::Refuse) => Ok(S::Refused),
        (S::Sent | S::Accepted, M::Return) => Ok(S::Returned),
        (S::Sent | S::Accepted, M::Forward) => Ok(S::Forwarded),
        (S::Granted | S::Refused | S::Returned, M::Close) => Ok(S::Closed),
        _ => Err(IllegalReferralMove(from)),
    }
}

/// The moves allowed from `status`, by the department or by the township.
pub fn allowed_moves(status: ReferralStatus, department: bool) -> Vec<ReferralMove> {
    use ReferralMove as M;
    [
        M::Accept,
        M::Grant,
        M::Refuse,
        M::Return,
        M::Forward,
        M::Close,
    ]
    .into_iter()
    .filter(|m| m.by_department() == department && next_status(status, *m).is_ok())
    .collect()
}

/// The calendar day of the county's offices (Beijing time, UTC+8) at `at`:
/// deadlines are working days there.
pub fn office_day(at: DateTime<Utc>) -> NaiveDate {
    (at + Duration::hours(8)).date_naive()
}

/// Whether an open referral due on `due_on` is overdue on `today`.
pub fn is_overdue(status: ReferralStatus, due_on: NaiveDate, today: NaiveDate) -> bool {
    status.is_open() && today > due_on
}

/// Whether an open referral escalating on `escalate_on` (twice its
/// deadline) has reached the county on `today`.
pub fn is_escalated(status: ReferralStatus, escalate_on: NaiveDate, today: NaiveDate) -> bool {
    status.is_open() && today > escalate_on
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_referral_moves_only_along_its_workflow() {
        use ReferralMove as M;
        use ReferralStatus as S;
        assert_eq!(next_status(S::Sent, M::Accept), Ok(S::Accepted));
        assert_eq!(next_status(S::Accepted, M::Grant), Ok(S::Granted));
        assert_eq!(
            next_status(S::Sent, M::Grant),
            Err(IllegalReferralMove(S::Sent))
        );
        assert_eq!(next_status(S::Sent, M::Forward), Ok(S::Forwarded));
        assert_eq!(
            next_status(S::Granted, M::Refuse),
            Err(IllegalReferralMove(S::Granted))
        );
        assert_eq!(next_status(S::Refused, M::Close), Ok(S::Closed));
        assert_eq!(
            next_status(S::Forwarded, M::Close),
            Err(IllegalReferralMove(S::Forwarded))
        );
        for status in ReferralStatus::ALL {
            for m in allowed_moves(*status, true) {
                assert!(status.is_open(), "{status:?} {m:?}");
            }
        }
        assert_eq!(
            allowed_moves(S::Sent, true),
            vec![M::Accept, M::Return, M::Forward]
        );
        assert_eq!(allowed_moves(S::Granted, false), vec![M::Close]);
    }

    #[test]
    fn overdue_after_the_due_day_and_escalated_after_twice_it() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).expect("date");
        assert!(!is_overdue(ReferralStatus::Sent, day(10), day(10)));
        assert!(is_overdue(ReferralStatus::Accepted, day(10), day(11)));
        assert!(!is_overdue(ReferralStatus::Granted, day(10), day(20)));
        assert!(is_escalated(ReferralStatus::Sent, day(20), day(21)));
        assert!(!is_escalated(ReferralStatus::Returned, day(20), day(21)));
    }
}
