//! The six account roles and what each one is.

use std::fmt;
use std::str::FromStr;

/// An account's role. The scope each role sees is decided in `services::scope`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    CountyAdmin,
    TownshipOfficer,
    VillageSupervisor,
    Provider,
    Family,
    /// Staff of a county department (education, civil affairs, DPF…):
    /// county-wide, but only the referrals sent to their department.
    DepartmentStaff,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::CountyAdmin,
        Role::TownshipOfficer,
        Role::VillageSupervisor,
        Role::Provider,
        Role::Family,
        Role::DepartmentStaff,
    ];

    /// The identifier used in the database and the JSON API.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::CountyAdmin => "county_admin",
            Role::TownshipOfficer => "township_officer",
            Role::VillageSupervisor => "village_supervisor",
            Role::Provider => "provider",
            Role::Family => "family",
            Role::DepartmentStaff => "department_staff",
        }
    }

    /// The name shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Role::CountyAdmin => "县级管理员",
            Role::TownshipOfficer => "乡镇（街道）民政干部",
            Role::VillageSupervisor => "村（居）儿童福利督导员",
            Role::Provider => "服务机构",
            Role::Family => "爱心家庭",
            Role::DepartmentStaff => "部门工作人员",
        }
    }

    /// Accounts the county administrator creates: every government role.
    pub fn is_government(self) -> bool {
        self.is_staff() || self == Role::DepartmentStaff
    }

    /// Government staff: the only roles that may ever see a child's file
    /// (department staff see only the referrals sent to them).
    pub fn is_staff(self) -> bool {
        matches!(
            self,
            Role::CountyAdmin | Role::TownshipOfficer | Role::VillageSupervisor
        )
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text was not one of the role identifiers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("未知的角色")]
pub struct UnknownRole;

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or(UnknownRole)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_identifiers() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("admin".parse::<Role>().is_err());
    }

    #[test]
    fn only_government_roles_are_staff() {
        assert!(Role::CountyAdmin.is_staff());
        assert!(Role::VillageSupervisor.is_staff());
        assert!(!Role::Provider.is_staff());
        assert!(!Role::Family.is_staff());
    }
}
