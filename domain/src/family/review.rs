//! Assessing a family and deciding on it: the township's home visit ends in
//! a recommendation or a rejection, the county approves or rejects what was
//! recommended, and an approval that nears its end asks for a new visit.

use std::fmt;
use std::str::FromStr;

use chrono::{Days, NaiveDate};

use super::FamilyStatus;

/// How many days before an approval runs out the family is due for its
/// yearly re-assessment (and its pages say so).
pub const REASSESSMENT_NOTICE_DAYS: u64 = 60;

/// What the county decides about a recommended family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FamilyDecision {
    Approve,
    Reject,
}

impl FamilyDecision {
    pub fn as_str(self) -> &'static str {
        match self {
            FamilyDecision::Approve => "approve",
            FamilyDecision::Reject => "reject",
        }
    }

    /// A family that is turned down is told why.
    pub fn needs_reason(self) -> bool {
        self == FamilyDecision::Reject
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("审批结论应为 approve（批准）或 reject（不予批准）")]
pub struct UnknownFamilyDecision;

impl FromStr for FamilyDecision {
    type Err = UnknownFamilyDecision;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "approve" => Ok(FamilyDecision::Approve),
            "reject" => Ok(FamilyDecision::Reject),
            _ => Err(UnknownFamilyDecision),
        }
    }
}

impl fmt::Display for FamilyDecision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The step does not fit the application's current state; the message
/// names that state so that the reader knows where it stands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("该家庭申请当前状态为“{}”，不能{}", .from.label(), .step)]
pub struct IllegalFamilyMove {
    pub from: FamilyStatus,
    pub step: &'static str,
}

impl FamilyStatus {
    /// Whether a township officer may record a home visit now: a new
    /// application, one being assessed, or an approved family (the yearly
    /// re-assessment, or a visit prompted by a concern).
    pub fn may_be_assessed(self) -> bool {
        matches!(
            self,
            FamilyStatus::Submitted | FamilyStatus::Assessing | FamilyStatus::Approved
        )
    }

    /// The state after a home visit that does or does not `recommend` the
    /// family. A recommended family, even one approved before, waits for the
    /// county again.
    pub fn after_assessment(self, recommend: bool) -> Result<FamilyStatus, IllegalFamilyMove> {
        if !self.may_be_assessed() {
            return Err(IllegalFamilyMove {
                from: self,
                step: "登记走访评估",
            });
        }
        Ok(if recommend {
            FamilyStatus::Recommended
        } else {
            FamilyStatus::Rejected
        })
    }

    /// The state after the county's `decision`: only a recommended family
    /// is decided on.
    pub fn after_decision(
        self,
        decision: FamilyDecision,
    ) -> Result<FamilyStatus, IllegalFamilyMove> {
        match (self, decision) {
            (FamilyStatus::Recommended, FamilyDecision::Approve) => Ok(FamilyStatus::Approved),
            (FamilyStatus::Recommended, FamilyDecision::Reject) => Ok(FamilyStatus::Rejected),
            (from, _) => Err(IllegalFamilyMove {
                from,
                step: "进行县级审批",
            }),
        }
    }
}

/// Where a family's county approval stands on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApprovalStanding {
    /// Not approved: never yet, waiting for the county, or turned down.
    NotApproved,
    /// Approved and holding until `until` (inclusive); `reassessment_due`
    /// once the end is [`REASSESSMENT_NOTICE_DAYS`] days away or nearer.
    Current {
        until: NaiveDate,
        reassessment_due: bool,
    },
    /// Approved, but the approval ran out (or never had an end date, which
    /// every approval records): the family must be assessed again.
    Expired { until: Option<NaiveDate> },
}

impl ApprovalStanding {
    /// Approved and due for its yearly visit, or already run out.
    pub fn reassessment_due(self) -> bool {
        match self {
            ApprovalStanding::NotApproved => false,
            ApprovalStanding::Current {
                reassessment_due, ..
            } => reassessment_due,
            ApprovalStanding::Expired { .. } => true,
        }
    }

    pub fn is_current(self) -> bool {
        matches!(self, ApprovalStanding::Current { .. })
    }
}

/// The standing of an approval with `status` and `approved_until` on
/// `today`; agrees with [`super::approval_current`] on what is current.
pub fn approval_standing(
    status: FamilyStatus,
    approved_until: Option<NaiveDate>,
    today: NaiveDate,
) -> ApprovalStanding {
    if status != FamilyStatus::Approved {
        return ApprovalStanding::NotApproved;
    }
    match approved_until {
        Some(until) if super::approval_current(status, approved_until, today) => {
            ApprovalStanding::Current {
                until,
                reassessment_due: until <= reassessment_due_by(today),
            }
        }
        until => ApprovalStanding::Expired { until },
    }
}

/// Approvals ending on or before this day are due for re-assessment on
/// `today` (the bound a list query uses).
pub fn reassessment_due_by(today: NaiveDate) -> NaiveDate {
    today
        .checked_add_days(Days::new(REASSESSMENT_NOTICE_DAYS))
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::family::approval_ends;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn a_visit_recommends_or_rejects_new_and_approved_families() {
        for from in [
            FamilyStatus::Submitted,
            FamilyStatus::Assessing,
            FamilyStatus::Approved,
        ] {
            assert_eq!(from.after_assessment(true), Ok(FamilyStatus::Recommended));
            assert_eq!(from.after_assessment(false), Ok(FamilyStatus::Rejected));
        }
    }

    #[test]
    fn a_family_waiting_for_the_county_or_turned_down_is_not_visited_again() {
        for from in [FamilyStatus::Recommended, FamilyStatus::Rejected] {
            let err = from.after_assessment(true).expect_err("illegal");
            assert_eq!(err.from, from);
            assert!(err.to_string().contains(from.label()), "{err}");
        }
    }

    #[test]
    fn the_county_decides_only_on_a_recommended_family() {
        use FamilyDecision::*;
        let r = FamilyStatus::Recommended;
        assert_eq!(r.after_decision(Approve), Ok(FamilyStatus::Approved));
        assert_eq!(r.after_decision(Reject), Ok(FamilyStatus::Rejected));
        for from in [
            FamilyStatus::Submitted,
            FamilyStatus::Assessing,
            FamilyStatus::Approved,
            FamilyStatus::Rejected,
        ] {
            assert!(from.after_decision(Approve).is_err(), "{from}");
            assert!(from.after_decision(Reject).is_err(), "{from}");
        }
        assert!(Reject.needs_reason());
        assert!(!Approve.needs_reason());
    }

    #[test]
    fn decisions_parse_from_their_identifiers_only() {
        for d in [FamilyDecision::Approve, FamilyDecision::Reject] {
            assert_eq!(d.as_str().parse::<FamilyDecision>(), Ok(d));
        }
        assert!("verify".parse::<FamilyDecision>().is_err());
        assert!("".parse::<FamilyDecision>().is_err());
    }

    #[test]
    fn re_assessment_is_due_sixty_days_before_the_approval_ends() {
        let until = day(2027, 3, 31);
        let approved = FamilyStatus::Approved;
        // 61 days before the end: not yet.
        assert_eq!(
            approval_standing(approved, Some(until), day(2027, 1, 29)),
            ApprovalStanding::Current {
                until,
                reassessment_due: false
            }
        );
        // 60 days before, and on the last day: due, still current.
        for today in [day(2027, 1, 30), until] {
            let standing = approval_standing(approved, Some(until), today);
            assert!(standing.is_current(), "{today}");
            assert!(standing.reassessment_due(), "{today}");
        }
        // The day after: run out.
        let standing = approval_standing(approved, Some(until), day(2027, 4, 1));
        assert_eq!(standing, ApprovalStanding::Expired { until: Some(until) });
        assert!(standing.reassessment_due());
        assert!(!standing.is_current());
    }

    #[test]
    fn only_an_approved_family_has_an_approval_standing() {
        let today = day(2026, 11, 28);
        for status in [
            FamilyStatus::Submitted,
            FamilyStatus::Assessing,
            FamilyStatus::Recommended,
            FamilyStatus::Rejected,
        ] {
            // A family re-assessed after an approval keeps the old end date
            // while it waits for the county: that approval no longer counts.
            let standing = approval_standing(status, Some(day(2027, 1, 1)), today);
            assert_eq!(standing, ApprovalStanding::NotApproved, "{status}");
            assert!(!standing.reassessment_due());
        }
        assert_eq!(
            approval_standing(FamilyStatus::Approved, None, today),
            ApprovalStanding::Expired { until: None }
        );
    }

    #[test]
    fn a_fresh_approval_is_current_and_not_yet_due() {
        let today = day(2026, 11, 28);
        let standing = approval_standing(FamilyStatus::Approved, Some(approval_ends(today)), today);
        assert_eq!(
            standing,
            ApprovalStanding::Current {
                until: day(2027, 11, 27),
                reassessment_due: false
            }
        );
    }

    #[test]
    fn standing_and_approval_current_agree() {
        let until = day(2027, 2, 28);
        let mut today = day(2026, 12, 1);
        while today < day(2027, 4, 1) {
            for status in FamilyStatus::ALL {
                for end in [Some(until), None] {
                    assert_eq!(
                        approval_standing(status, end, today).is_current(),
                        super::super::approval_current(status, end, today),
                        "{status} {end:?} {today}"
                    );
                }
            }
            today = today.succ_opt().expect("next day");
        }
    }
}
