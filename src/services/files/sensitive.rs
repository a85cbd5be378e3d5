//! What identifies the child of a file, for the text check of what staff
//! write for others to read (a need's public text, notes on a match).

use sea_orm::ConnectionTrait;

use crate::db;
use crate::db::entities::child;
use crate::domain::text_check::Sensitive;

use super::super::{ServiceResult, Store};
use super::identity::{self, Identity};

/// What identifies the child of a file: the child's and guardian's names,
/// the village and the address, the child's birth date and the guardian's
/// phone.
pub(crate) async fn sensitive_of<C: ConnectionTrait>(
    store: Store<'_, C>,
    child: &child::Model,
) -> ServiceResult<Sensitive> {
    let id = identity::open_all(store.vault, child)?;
    let village = db::regions::find_village(store.db, &id.village_code).await?;
    Ok(sensitive_from(&id, village.map(|v| v.name)))
}

/// [`sensitive_of`] for an identity already opened and its village's name.
pub(crate) fn sensitive_from(id: &Identity, village_name: Option<String>) -> Sensitive {
    Sensitive {
        names: [Some(id.name.clone()), id.guardian_name.clone()]
            .into_iter()
            .flatten()
            .collect(),
        places: [village_name, id.address.clone()]
            .into_iter()
            .flatten()
            .collect(),
        birth_date: Some(id.birth_date),
        phones: id.guardian_phone.iter().cloned().collect(),
    }
}
