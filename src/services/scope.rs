//! Who is asking, and what they may reach: the one place that decides scope.
//!
//! Every handler that touches a record passes through these checks. A record
//! outside the caller's scope answers `NotFound`, never `Forbidden`: that a
//! child or a family exists in another township is itself information.

use crate::domain::Role;

use super::ServiceError;

/// The logged-in account, as loaded for this request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub id: String,
    pub username: String,
    pub role: Role,
    pub township: Option<String>,
    pub village: Option<String>,
    pub provider_id: Option<String>,
    pub family_id: Option<String>,
    /// The department of a `department_staff` account.
    pub department: Option<crate::domain::department::Department>,
}

/// Who acts and under which request id, for the audit log.
#[derive(Clone, Debug, Default)]
pub struct RequestCtx {
    pub actor: Option<Principal>,
    pub request_id: Option<String>,
}

impl RequestCtx {
    pub fn new(actor: Option<Principal>, request_id: Option<String>) -> Self {
        Self { actor, request_id }
    }

    /// A context for the command line (no logged-in actor).
    pub fn system() -> Self {
        Self::default()
    }
}

impl Principal {
    /// `Forbidden` unless the caller has one of `roles`.
    pub fn require_role(&self, roles: &[Role]) -> Result<(), ServiceError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(ServiceError::Forbidden)
        }
    }

    /// Whether a record that belongs to `township` is within reach of this
    /// caller as a member of staff. County staff reach every township;
    /// township officers and village supervisors their own.
    pub fn staff_reaches_township(&self, township: &str) -> bool {
        match self.role {
            Role::CountyAdmin => true,
            Role::TownshipOfficer | Role::VillageSupervisor => {
                self.township.as_deref() == Some(township)
            }
            Role::Provider | Role::Family | Role::DepartmentStaff => false,
        }
    }

    /// `NotFound` unless this staff member reaches `township`.
    pub fn require_township(&self, township: &str) -> Result<(), ServiceError> {
        if self.staff_reaches_township(township) {
            Ok(())
        } else {
            Err(ServiceError::NotFound)
        }
    }

    /// The township a list must be narrowed to for this caller: `None` for
    /// county staff (all), `Some` for township-bound staff.
    pub fn township_filter(&self) -> Option<&str> {
        match self.role {
            Role::CountyAdmin => None,
            _ => self.township.as_deref().or(Some("")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(role: Role, township: Option<&str>) -> Principal {
        Principal {
            id: "u".into(),
            username: "u".into(),
            role,
            township: township.map(str::to_owned),
            village: None,
            provider_id: None,
            family_id: None,
            department: None,
        }
    }

    #[test]
    fn township_officers_reach_only_their_township() {
        let officer = principal(Role::TownshipOfficer, Some("500235001"));
        assert!(officer.require_township("500235001").is_ok());
        assert!(matches!(
            officer.require_township("500235002"),
            Err(ServiceError::NotFound)
        ));
    }

    #[test]
    fn county_staff_reach_every_township_and_others_none() {
        assert!(principal(Role::CountyAdmin, None).staff_reaches_township("500235002"));
        assert!(!principal(Role::Provider, Some("500235001")).staff_reaches_township("500235001"));
        assert!(!principal(Role::Family, Some("500235001")).staff_reaches_township("500235001"));
    }

    #[test]
    fn an_officer_without_a_township_filters_to_nothing() {
        assert_eq!(
            principal(Role::TownshipOfficer, None).township_filter(),
            Some("")
        );
        assert_eq!(principal(Role::CountyAdmin, None).township_filter(), None);
    }
}
