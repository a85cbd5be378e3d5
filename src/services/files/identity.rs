//! A child's personal values in and out of the vault: which column holds
//! which field, sealing a whole identity, and opening chosen fields.

use chrono::NaiveDate;
use zeroize::Zeroizing;

use crate::db::entities::child;
use crate::domain::child::VaultField;
use crate::vault::{Slot, Vault, VaultError};

const TABLE: &str = "children";

/// The personal values of a file, in plain text (only ever in memory).
#[derive(Clone)]
pub struct Identity {
    pub name: String,
    /// Normalized (upper-case X) ID number.
    pub id_number: String,
    pub birth_date: NaiveDate,
    pub village_code: String,
    pub address: Option<String>,
    pub guardian_name: Option<String>,
    pub guardian_phone: Option<String>,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Identity(<redacted>)")
    }
}

impl Identity {
    /// The plain value of `field`, if the file has one.
    pub fn get(&self, field: VaultField) -> Option<String> {
        match field {
            VaultField::Name => Some(self.name.clone()),
            VaultField::IdNumber => Some(self.id_number.clone()),
            VaultField::BirthDate => Some(self.birth_date.format("%Y-%m-%d").to_string()),
            VaultField::Village => Some(self.village_code.clone()),
            VaultField::Address => self.address.clone(),
            VaultField::GuardianName => self.guardian_name.clone(),
            VaultField::GuardianPhone => self.guardian_phone.clone(),
        }
    }
}

/// The sealed column of `field` in a row.
pub fn sealed(model: &child::Model, field: VaultField) -> Option<&[u8]> {
    match field {
        VaultField::Name => Some(&model.name_sealed),
        VaultField::IdNumber => Some(&model.id_number_sealed),
        VaultField::BirthDate => Some(&model.birth_date_sealed),
        VaultField::Village => Some(&model.village_sealed),
        VaultField::Address => model.address_sealed.as_deref(),
        VaultField::GuardianName => model.guardian_name_sealed.as_deref(),
        VaultField::GuardianPhone => model.guardian_phone_sealed.as_deref(),
    }
}

fn set_sealed(model: &mut child::Model, field: VaultField, value: Option<Vec<u8>>) {
    match field {
        VaultField::Name => model.name_sealed = value.unwrap_or_default(),
        VaultField::IdNumber => model.id_number_sealed = value.unwrap_or_default(),
        VaultField::BirthDate => model.birth_date_sealed = value.unwrap_or_default(),
        VaultField::Village => model.village_sealed = value.unwrap_or_default(),
        VaultField::Address => model.address_sealed = value,
        VaultField::GuardianName => model.guardian_name_sealed = value,
        VaultField::GuardianPhone => model.guardian_phone_sealed = value,
    }
}

fn slot<'a>(row: &'a str, field: VaultField) -> Slot<'a> {
    Slot {
        table: TABLE,
        row,
        field: field.as_str(),
    }
}

/// Seals every value of `identity` into `model` (whose `id` must be set)
/// and sets the blind indexes.
pub fn seal_into(
    vault: &Vault,
    identity: &Identity,
    model: &mut child::Model,
) -> Result<(), VaultError> {
    let row = model.id.clone();
    for &field in VaultField::ALL {
        let sealed = match identity.get(field) {
            Some(plain) => Some(vault.seal(slot(&row, field), &plain)?),
            None => None,
        };
        set_sealed(model, field, sealed);
    }
    model.id_number_index = id_number_index(vault, &identity.id_number);
    model.village_index = village_index(vault, &identity.village_code);
    Ok(())
}

/// Opens one field of a row (`None` when the file has no value for it).
pub fn open_field(
    vault: &Vault,
    model: &child::Model,
    field: VaultField,
) -> Result<Option<Zeroizing<String>>, VaultError> {
    sealed(model, field)
        .map(|bytes| vault.open(slot(&model.id, field), bytes))
        .transpose()
}

/// Opens the whole identity of a row.
pub fn open_all(vault: &Vault, model: &child::Model) -> Result<Identity, VaultError> {
    let get = |field| -> Result<Option<String>, VaultError> {
        Ok(open_field(vault, model, field)?.map(|v| v.to_string()))
    };
    let required = |field| -> Result<String, VaultError> {
        get(field)?.ok_or(VaultError::Open {
            field: VaultField::as_str(field).to_owned(),
        })
    };
    let birth = required(VaultField::BirthDate)?;
    Ok(Identity {
        name: required(VaultField::Name)?,
        id_number: required(VaultField::IdNumber)?,
        birth_date: NaiveDate::parse_from_str(&birth, "%Y-%m-%d").map_err(|_| {
            VaultError::Open {
                field: "birth_date".into(),
            }
        })?,
        village_code: required(VaultField::Village)?,
        address: get(VaultField::Address)?,
        guardian_name: get(VaultField::GuardianName)?,
        guardian_phone: get(VaultField::GuardianPhone)?,
    })
}

/// The birth date alone (for age bands), without opening anything else.
pub fn birth_date(vault: &Vault, model: &child::Model) -> Result<NaiveDate, VaultError> {
    birth_date_sealed(vault, &model.id, &model.birth_date_sealed)
}

/// The birth date from the sealed column of row `id` alone (for counting
/// without loading whole files).
pub fn birth_date_sealed(vault: &Vault, id: &str, sealed: &[u8]) -> Result<NaiveDate, VaultError> {
    let plain = vault.open(slot(id, VaultField::BirthDate), sealed)?;
    NaiveDate::parse_from_str(&plain, "%Y-%m-%d").map_err(|_| VaultError::Open {
        field: "birth_date".into(),
    })
}

pub fn id_number_index(vault: &Vault, normalized: &str) -> String {
    vault.blind_index("id_number", normalized)
}

pub fn village_index(vault: &Vault, village_code: &str) -> String {
    vault.blind_index("village", village_code)
}

/// Re-seals every value of a row from `old` to `new`, with new blind indexes.
pub fn reseal(old: &Vault, new: &Vault, model: &mut child::Model) -> Result<(), VaultError> {
    let identity = open_all(old, model)?;
    seal_into(new, &identity, model)
}
