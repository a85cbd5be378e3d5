//! Caring families (爱心家庭): what they offer and where their application stands.

use std::fmt;
use std::str::FromStr;

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
            FamilyStatus::Submitted => "已提交，等待乡镇走访评估",
            FamilyStatus::Assessing => "评估中",
            FamilyStatus::Recommended => "乡镇已推荐，等待县级审批",
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

#[cfg(test)]
mod tests {
    use super::*;

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
