//! The child file as typed on a form or sent to the API: [`ChildInput`],
//! laid over a stored file for a change.

use crate::db::entities::child;
use crate::domain::child::DifficultyInput;

use super::super::files::identity::Identity;

/// A file as typed. On an update, `None` in a personal field keeps the
/// stored value (the form shows it masked, not filled in).
#[derive(Debug, Clone, Default)]
pub struct ChildInput {
    pub name: Option<String>,
    pub id_number: Option<String>,
    pub gender: Option<String>,
    pub township: Option<String>,
    pub village: Option<String>,
    pub address: Option<String>,
    pub guardian_name: Option<String>,
    pub guardian_relation: Option<String>,
    pub guardian_phone: Option<String>,
    pub school: Option<String>,
    pub difficulties: Option<DifficultyInput>,
    /// The old "assistance received" ticks: when given, the open
    /// entitlement records follow them (see `entitlements::records`).
    pub assistance: Option<Vec<String>>,
    /// `enrolled`, `not_enrolled`, `not_of_school_age`; empty: not recorded.
    pub school_status: Option<String>,
    pub suspected_disability: Option<bool>,
    pub consent_keep_file: Option<bool>,
    pub consent_publish_needs: Option<bool>,
    pub statutory_basis: Option<String>,
}

impl ChildInput {
    /// This input over `base`: each field given here wins; a personal
    /// field given empty keeps the base value (forms show them masked);
    /// the legal basis is taken whole from one side.
    pub fn over(self, base: ChildInput) -> ChildInput {
        let vault = |typed: Option<String>, stored: Option<String>| match typed {
            Some(t) if !t.trim().is_empty() => Some(t),
            _ => stored,
        };
        let basis_given = self.consent_keep_file.is_some()
            || self.consent_publish_needs.is_some()
            || self.statutory_basis.is_some();
        ChildInput {
            name: vault(self.name, base.name),
            id_number: vault(self.id_number, base.id_number),
            gender: self.gender.or(base.gender),
            township: self.township.or(base.township),
            village: vault(self.village, base.village),
            address: vault(self.address, base.address),
            guardian_name: vault(self.guardian_name, base.guardian_name),
            guardian_relation: self.guardian_relation.or(base.guardian_relation),
            guardian_phone: vault(self.guardian_phone, base.guardian_phone),
            school: self.school.or(base.school),
            difficulties: self.difficulties.or(base.difficulties),
            assistance: self.assistance.or(base.assistance),
            school_status: self.school_status.or(base.school_status),
            suspected_disability: self.suspected_disability.or(base.suspected_disability),
            consent_keep_file: if basis_given {
                self.consent_keep_file
            } else {
                base.consent_keep_file
            },
            consent_publish_needs: if basis_given {
                self.consent_publish_needs
            } else {
                base.consent_publish_needs
            },
            statutory_basis: if basis_given {
                self.statutory_basis
            } else {
                base.statutory_basis
            },
        }
    }

    /// The stored file as input, for changing it.
    pub fn from_file(model: &child::Model, identity: &Identity) -> ChildInput {
        ChildInput {
            name: Some(identity.name.clone()),
            id_number: Some(identity.id_number.clone()),
            gender: Some(model.gender.clone()),
            township: Some(model.township_code.clone()),
            village: Some(identity.village_code.clone()),
            address: identity.address.clone(),
            guardian_name: identity.guardian_name.clone(),
            guardian_relation: model.guardian_relation.clone(),
            guardian_phone: identity.guardian_phone.clone(),
            school: model.school.clone(),
            difficulties: Some(DifficultyInput {
                kinds: model
                    .difficulties
                    .iter()
                    .map(|k| k.as_str().to_owned())
                    .collect(),
                poverty_type: model.poverty_type.clone(),
                disability_type: model.disability_type.clone(),
                disability_grade: model.disability_grade.map(i64::from),
                unsupported_reason: model.unsupported_reason.clone(),
                illness: model.illness.clone(),
            }),
            // Ticks are records now: a change leaves them as they are.
            assistance: None,
            school_status: Some(
                model
                    .school_status
                    .map(|s| s.as_str().to_owned())
                    .unwrap_or_default(),
            ),
            suspected_disability: Some(model.suspected_disability),
            consent_keep_file: model
                .statutory_basis
                .is_none()
                .then_some(model.consent_keep_file),
            consent_publish_needs: model
                .statutory_basis
                .is_none()
                .then_some(model.consent_publish_needs),
            statutory_basis: model.statutory_basis.clone(),
        }
    }
}
