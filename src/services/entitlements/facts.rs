//! What the rules read of a file ([`Facts`]): its plain columns, and the
//! age from the sealed birth date, opened in memory here and reduced to
//! whole years at once (no person sees it, so not an audit entry, as for
//! the population counts).

use chrono::NaiveDate;

use crate::db::entities::child;
use crate::domain::child::{DisabilityType, PovertyType, UnsupportedReason, age_on};
use crate::domain::entitlement::Facts;
use crate::vault::Vault;

use super::super::files::identity;
use super::super::{ServiceError, ServiceResult};

fn code<T: std::str::FromStr>(raw: Option<&str>, what: &str) -> ServiceResult<Option<T>> {
    raw.map(|r| {
        r.parse::<T>()
            .map_err(|_| ServiceError::internal(format!("unknown {what} code in a file")))
    })
    .transpose()
}

/// The facts of `child` on `today`.
pub fn facts_of(vault: &Vault, child: &child::Model, today: NaiveDate) -> ServiceResult<Facts> {
    let birth = identity::birth_date(vault, child)?;
    facts_with_birth(child, birth, today)
}

/// The facts of `child` born on `birth`, on `today`.
pub fn facts_with_birth(
    child: &child::Model,
    birth: NaiveDate,
    today: NaiveDate,
) -> ServiceResult<Facts> {
    Ok(Facts {
        age: Some(age_on(birth, today)).filter(|a| *a >= 0),
        difficulties: child.difficulties.to_vec(),
        poverty_type: code::<PovertyType>(child.poverty_type.as_deref(), "poverty type")?,
        disability_type: code::<DisabilityType>(
            child.disability_type.as_deref(),
            "disability type",
        )?,
        disability_grade: child.disability_grade.and_then(|g| u8::try_from(g).ok()),
        unsupported_reason: code::<UnsupportedReason>(
            child.unsupported_reason.as_deref(),
            "unsupported reason",
        )?,
        school_status: child.school_status,
        suspected_disability: child.suspected_disability,
    })
}
