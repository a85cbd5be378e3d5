//! Caring families (爱心家庭): what they offer and where their application stands.

use std::fmt;
use std::str::FromStr;

use chrono::{Months, NaiveDate};

mod review;

pub use review::{
    ApprovalStanding, FamilyDecision, IllegalFamilyMove, REASSESSMENT_NOTICE_DAYS,
    UnknownFamilyDecision, approval_standing, reassessment_due_by,
};

/// The kinds of care a family may apply to give.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CareType {
    FosterCare,
    EntrustedCare,
    Sponsorship,
}

impl CareType {
    pub const ALL: [CareType; 3] = [
        CareType::FosterCare,
        CareType::EntrustedCare,
        CareType::Sponsorship,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CareType::FosterCare => "foster_care",
            CareType::EntrustedCare => "entrusted_care",
            CareType::Sponsorship => "sponsorship",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CareType::FosterCare => "家庭寄养",
            CareType::EntrustedCare => "委托代养",
            CareType::Sponsorship => "爱心助养",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("未知的照料方式")]
pub struct UnknownCareType;

impl FromStr for CareType {
    type Err = UnknownCareType;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CareType::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or(UnknownCareType)
    }
}

/// A family application: `submitted` → `assessing` (home visit recorded) →
/// `recommended` (township) → `approved` | `rejected` (county). The township
/// may also decline to recommend (`rejected`). Re-assessment comes yearly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FamilyStatus {
    Submitted,
    Assessing,
    Recommended,
    Approved,
    Rejected,
}

impl FamilyStatus {
    pub const ALL: [FamilyStatus; 5] = [
        FamilyStatus::Submitted,
        FamilyStatus::Assessing,
        FamilyStatus::Recommended,
        FamilyStatus::Approved,
        FamilyStatus::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FamilyStatus::Submitted => "submitted",
            FamilyStatus::Assessing => "assessing",
            FamilyStatus::Recommended => "recommended",
            FamilyStatus::Approved => "approved",
            FamilyStatus::Rejected => "rejected",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FamilyStatus::Submitted => "待走访评估",
            FamilyStatus::Assessing => "评估中",
            FamilyStatus::Recommended => "待县级审批",
            FamilyStatus::Approved => "已批准",
            FamilyStatus::Rejected => "未通过",
        }
    }
}

impl fmt::Display for FamilyStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("未知的申请状态")]
pub struct UnknownFamilyStatus;

impl FromStr for FamilyStatus {
    type Err = UnknownFamilyStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FamilyStatus::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or(UnknownFamilyStatus)
    }
}

/// How long a county approval holds before the family is assessed again.
pub const APPROVAL_MONTHS: u32 = 12;

/// The last day an approval given on `approved_on` holds: a year later, the
/// day before the anniversary (an approval of 29 February ends on 28 February).
pub fn approval_ends(approved_on: NaiveDate) -> NaiveDate {
    approved_on
        .pred_opt()
        .and_then(|d| d.checked_add_months(Months::new(APPROVAL_MONTHS)))
        .unwrap_or(NaiveDate::MAX)
}

/// Whether a family may offer care and be matched on `today`: approved by
/// the county, and the approval not yet run out. An approval without an end
/// date does not count: every approval records one.
pub fn approval_current(
    status: FamilyStatus,
    approved_until: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    status == FamilyStatus::Approved && approved_until.is_some_and(|end| today <= end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn an_approval_holds_for_one_year() {
        let approved = day(2026, 3, 1);
        let end = approval_ends(approved);
        assert_eq!(end, day(2027, 2, 28));
        assert!(approval_current(FamilyStatus::Approved, Some(end), end));
        assert!(!approval_current(
            FamilyStatus::Approved,
            Some(end),
            day(2027, 3, 1)
        ));
        assert_eq!(approval_ends(day(2028, 2, 29)), day(2029, 2, 28));
        assert_eq!(approval_ends(day(2026, 3, 31)), day(2027, 3, 30));
    }

    #[test]
    fn only_a_dated_county_approval_is_current() {
        let today = day(2026, 11, 28);
        assert!(!approval_current(FamilyStatus::Approved, None, today));
        for status in [
            FamilyStatus::Submitted,
            FamilyStatus::Assessing,
            FamilyStatus::Recommended,
            FamilyStatus::Rejected,
        ] {
            assert!(!approval_current(status, Some(day(2027, 1, 1)), today));
        }
    }

    #[test]
    fn identifiers_round_trip() {
        for care in CareType::ALL {
            assert_eq!(care.as_str().parse::<CareType>(), Ok(care));
        }
        for status in FamilyStatus::ALL {
            assert_eq!(status.as_str().parse::<FamilyStatus>(), Ok(status));
        }
        assert!("adoption".parse::<CareType>().is_err());
    }
}
