//! What the file form offers a caller: the townships and villages it may
//! file children in (its scope), and whether it may record a statutory
//! basis. Only staff who file children get it (403 for others).

use sea_orm::DatabaseConnection;

use crate::domain::Role;

use super::super::{Principal, ServiceResult, regions};
use super::may_record_statutory_basis;

/// A township or village to choose, as `(code, name)`.
pub type Choice = (String, String);

/// The choices of the file form for one caller.
#[derive(Debug, Clone, Default)]
pub struct FormChoices {
    pub townships: Vec<Choice>,
    /// Villages of those townships (named with their township when there
    /// are several); a village supervisor's own village only.
    pub villages: Vec<Choice>,
    pub statutory_basis: bool,
}

/// The form choices of `caller`: a township officer's township and its
/// villages, a village supervisor's village; `Forbidden` for everyone who
/// does not file children.
pub async fn form_choices(
    conn: &DatabaseConnection,
    caller: &Principal,
) -> ServiceResult<FormChoices> {
    caller.require_role(&[Role::TownshipOfficer, Role::VillageSupervisor])?;
    let all = regions::list(conn).await?;
    let reachable: Vec<&regions::Township> = all
        .iter()
        .filter(|t| caller.staff_reaches_township(&t.code))
        .collect();
    let townships = reachable
        .iter()
        .map(|t| (t.code.clone(), t.name.clone()))
        .collect();
    let villages = reachable
        .iter()
        .flat_map(|t| t.villages.iter().map(move |v| (t, v)))
        .filter(|(_, v)| {
            caller.role != Role::VillageSupervisor || caller.village.as_deref() == Some(&v.code)
        })
        .map(|(t, v)| {
            let label = if reachable.len() > 1 {
                format!("{} {}", t.name, v.name)
            } else {
                v.name.clone()
            };
            (v.code.clone(), label)
        })
        .collect();
    Ok(FormChoices {
        townships,
        villages,
        statutory_basis: may_record_statutory_basis(caller),
    })
}
