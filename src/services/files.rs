//! Child files as the other use cases read them: who reaches a file (the
//! scope of staff), its legal basis and state, the identity vault's fields
//! ([`identity`]), the k-anonymity population ([`population`]) and the
//! public projection of a file's needs ([`projection`]).
//!
//! The bottom of the file-related services: it imports no other service
//! module, so needs, matches, search and the file use cases (`children`)
//! can all build on it without a cycle.

pub mod identity;
pub mod population;
pub mod projection;
pub mod sensitive;

use sea_orm::ConnectionTrait;

use crate::db;
use crate::db::entities::child;
use crate::domain::Role;
use crate::domain::child::LegalBasis;
use crate::vault::Vault;

use super::{Principal, ServiceError, ServiceResult, Store};

/// The basis recorded on a row.
pub fn basis_of(model: &child::Model) -> LegalBasis {
    match &model.statutory_basis {
        Some(text) => LegalBasis::Statutory(text.clone()),
        None => LegalBasis::Consent {
            keep_file: model.consent_keep_file,
            publish_needs: model.consent_publish_needs,
        },
    }
}

/// The file for `id` if `caller` reaches it as staff; otherwise `NotFound`.
pub async fn find_in_scope<C: ConnectionTrait>(
    store: Store<'_, C>,
    caller: &Principal,
    id: &str,
) -> ServiceResult<child::Model> {
    let child = db::children::find(store.db, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if reaches(store.vault, caller, &child) {
        Ok(child)
    } else {
        Err(ServiceError::NotFound)
    }
}

/// Whether `caller` reaches `child`: county staff all, township officers
/// their township, village supervisors their village; nobody else.
pub fn reaches(vault: &Vault, caller: &Principal, child: &child::Model) -> bool {
    match caller.role {
        Role::CountyAdmin | Role::TownshipOfficer => {
            caller.staff_reaches_township(&child.township_code)
        }
        Role::VillageSupervisor => caller
            .village
            .as_deref()
            .is_some_and(|v| identity::village_index(vault, v) == child.village_index),
        Role::Provider | Role::Family | Role::DepartmentStaff => false,
    }
}
