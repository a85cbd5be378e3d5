//! Providers (服务机构): their kinds and the verification state machine.

use std::fmt;
use std::str::FromStr;

/// The kinds of organisation that may register as a provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProviderKind {
    Charity,
    SocialWorkAgency,
    VolunteerOrganisation,
    TradeUnion,
    YouthLeague,
    WomensFederation,
    DisabledPersonsFederation,
    WellbeingCommittee,
    Enterprise,
}

impl ProviderKind {
    pub const ALL: [ProviderKind; 9] = [
        ProviderKind::Charity,
        ProviderKind::SocialWorkAgency,
        ProviderKind::VolunteerOrganisation,
        ProviderKind::TradeUnion,
        ProviderKind::YouthLeague,
        ProviderKind::WomensFederation,
        ProviderKind::DisabledPersonsFederation,
        ProviderKind::WellbeingCommittee,
        ProviderKind::Enterprise,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::Charity => "charity",
            ProviderKind::SocialWorkAgency => "social_work_agency",
            ProviderKind::VolunteerOrganisation => "volunteer_organisation",
            ProviderKind::TradeUnion => "trade_union",
            ProviderKind::YouthLeague => "youth_league",
            ProviderKind::WomensFederation => "womens_federation",
            ProviderKind::DisabledPersonsFederation => "disabled_persons_federation",
            ProviderKind::WellbeingCommittee => "wellbeing_committee",
            ProviderKind::Enterprise => "enterprise",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ProviderKind::Charity => "慈善组织",
            ProviderKind::SocialWorkAgency => "社会工作服务机构",
            ProviderKind::VolunteerOrganisation => "志愿服务组织",
            ProviderKind::TradeUnion => "工会志愿服务队",
            ProviderKind::YouthLeague => "共青团志愿服务队",
            ProviderKind::WomensFederation => "妇联",
            ProviderKind::DisabledPersonsFederation => "残联",
            ProviderKind::WellbeingCommittee => "关工委",
            ProviderKind::Enterprise => "企业",
        }
    }

    /// Registered legal persons always hold a unified social credit code;
    /// volunteer teams of unions and the Youth League often do not.
    pub fn requires_credit_code(self) -> bool {
        matches!(
            self,
            ProviderKind::Charity | ProviderKind::SocialWorkAgency | ProviderKind::Enterprise
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("未知的机构类型")]
pub struct UnknownProviderKind;

impl FromStr for ProviderKind {
    type Err = UnknownProviderKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ProviderKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or(UnknownProviderKind)
    }
}

/// Where a provider stands with the county: `pending` → `verified` |
/// `rejected`; `verified` → `suspended`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProviderStatus {
    Pending,
    Verified,
    Rejected,
    Suspended,
}

/// What county staff decide about a provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProviderDecision {
    Verify,
    Reject,
    Suspend,
}

/// The decision does not apply to the provider's current state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("该机构当前状态为“{}”，不能执行此操作", .from.label())]
pub struct IllegalTransition {
    pub from: ProviderStatus,
}

impl ProviderStatus {
    pub const ALL: [ProviderStatus; 4] = [
        ProviderStatus::Pending,
        ProviderStatus::Verified,
        ProviderStatus::Rejected,
        ProviderStatus::Suspended,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProviderStatus::Pending => "pending",
            ProviderStatus::Verified => "verified",
            ProviderStatus::Rejected => "rejected",
            ProviderStatus::Suspended => "suspended",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ProviderStatus::Pending => "待审核",
            ProviderStatus::Verified => "已认证",
            ProviderStatus::Rejected => "未通过",
            ProviderStatus::Suspended => "已暂停",
        }
    }

    /// The state after `decision`, or why it cannot be taken.
    pub fn apply(self, decision: ProviderDecision) -> Result<ProviderStatus, IllegalTransition> {
        match (self, decision) {
            (ProviderStatus::Pending, ProviderDecision::Verify) => Ok(ProviderStatus::Verified),
            (ProviderStatus::Pending, ProviderDecision::Reject) => Ok(ProviderStatus::Rejected),
            (ProviderStatus::Verified, ProviderDecision::Suspend) => Ok(ProviderStatus::Suspended),
            (from, _) => Err(IllegalTransition { from }),
        }
    }
}

impl fmt::Display for ProviderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("未知的机构状态")]
pub struct UnknownProviderStatus;

impl FromStr for ProviderStatus {
    type Err = UnknownProviderStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ProviderStatus::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or(UnknownProviderStatus)
    }
}

impl ProviderDecision {
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderDecision::Verify => "verify",
            ProviderDecision::Reject => "reject",
            ProviderDecision::Suspend => "suspend",
        }
    }

    /// Rejecting or suspending an organisation must tell it why.
    pub fn needs_reason(self) -> bool {
        !matches!(self, ProviderDecision::Verify)
    }
}

impl FromStr for ProviderDecision {
    type Err = UnknownProviderStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "verify" => Ok(ProviderDecision::Verify),
            "reject" => Ok(ProviderDecision::Reject),
            "suspend" => Ok(ProviderDecision::Suspend),
            _ => Err(UnknownProviderStatus),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ProviderDecision::*;
    use ProviderStatus::*;

    #[test]
    fn pending_providers_are_verified_or_rejected() {
        assert_eq!(Pending.apply(Verify), Ok(Verified));
        assert_eq!(Pending.apply(Reject), Ok(Rejected));
        assert_eq!(Verified.apply(Suspend), Ok(Suspended));
    }

    #[test]
    fn decided_providers_cannot_be_decided_again() {
        for from in [Verified, Rejected, Suspended] {
            assert!(from.apply(Verify).is_err(), "{from} → verify");
            assert!(from.apply(Reject).is_err(), "{from} → reject");
        }
        assert!(Pending.apply(Suspend).is_err());
        assert!(Rejected.apply(Suspend).is_err());
    }

    #[test]
    fn identifiers_round_trip() {
        for kind in ProviderKind::ALL {
            assert_eq!(kind.as_str().parse::<ProviderKind>(), Ok(kind));
        }
        for status in ProviderStatus::ALL {
            assert_eq!(status.as_str().parse::<ProviderStatus>(), Ok(status));
        }
    }
}
