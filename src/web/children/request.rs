//! The request body of `POST /api/v1/children` and `PATCH
//! /api/v1/children/{id}`, and what the service makes of it.

use serde::Deserialize;

use crate::domain::child::DifficultyInput;
use crate::services::children::ChildInput;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisabilityRequest {
    #[serde(rename = "type")]
    kind: String,
    grade: i64,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentRequest {
    keep_file: bool,
    publish_needs: bool,
}

/// The body of `POST /api/v1/children` and `PATCH /api/v1/children/{id}`
/// (on a patch every field is optional and absent fields keep their value).
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChildRequest {
    name: Option<String>,
    id_number: Option<String>,
    gender: Option<String>,
    township: Option<String>,
    village: Option<String>,
    address: Option<String>,
    guardian_name: Option<String>,
    guardian_relation: Option<String>,
    guardian_phone: Option<String>,
    school: Option<String>,
    difficulties: Option<Vec<String>>,
    poverty_type: Option<String>,
    disability: Option<DisabilityRequest>,
    unsupported_reason: Option<String>,
    illness: Option<String>,
    /// The old "assistance received" ticks: when given, the file's open
    /// entitlement records follow them (records made from today).
    assistance: Option<Vec<String>>,
    /// `enrolled`, `not_enrolled` or `not_of_school_age` (empty: not recorded).
    school_status: Option<String>,
    /// A disability is suspected and not yet diagnosed.
    suspected_disability: Option<bool>,
    consent: Option<ConsentRequest>,
    statutory_basis: Option<String>,
}

impl From<ChildRequest> for ChildInput {
    fn from(r: ChildRequest) -> Self {
        let details_given = r.difficulties.is_some();
        ChildInput {
            name: r.name,
            id_number: r.id_number,
            gender: r.gender,
            township: r.township,
            village: r.village,
            address: r.address,
            guardian_name: r.guardian_name,
            guardian_relation: r.guardian_relation,
            guardian_phone: r.guardian_phone,
            school: r.school,
            difficulties: details_given.then(|| DifficultyInput {
                kinds: r.difficulties.unwrap_or_default(),
                poverty_type: r.poverty_type,
                disability_type: r.disability.as_ref().map(|d| d.kind.clone()),
                disability_grade: r.disability.as_ref().map(|d| d.grade),
                unsupported_reason: r.unsupported_reason,
                illness: r.illness,
            }),
            assistance: r.assistance,
            school_status: r.school_status,
            suspected_disability: r.suspected_disability,
            consent_keep_file: r.consent.as_ref().map(|c| c.keep_file),
            consent_publish_needs: r.consent.as_ref().map(|c| c.publish_needs),
            statutory_basis: r.statutory_basis,
        }
    }
}
