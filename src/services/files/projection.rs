//! The public projection of a need (DESIGN.md, "Privacy model"): what a
//! provider, a family or the search index sees of it, computed from the
//! need and its file at the moment of the read, never typed; and whether
//! anyone outside the staff may see it at all.

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

use crate::db;
use crate::domain::Role;

use crate::db::entities::{child, need};
use crate::domain::projection::{Population, PublicNeed};
use crate::domain::provider::ProviderStatus;

use super::super::{Principal, ServiceError, ServiceResult, Store};
use super::population;

/// The projection of `need` for `child` given the population.
pub fn project(
    vault: &crate::vault::Vault,
    need: &need::Model,
    child: &child::Model,
    population: &Population,
    k: u32,
    today: NaiveDate,
) -> ServiceResult<PublicNeed> {
    let (band, class) = population::band_and_class(vault, child, today)?;
    // A child who turned 18 still has a need on file until it is closed:
    // show the oldest band rather than nothing.
    let band = band.unwrap_or(crate::domain::child::AgeBand::Senior);
    let _bad = |what: &str| ServiceError::internal(format!("unknown {what} on need"));
    Ok(PublicNeed {
        code: need.code.clone(),
        category: need.category,
        title: need.title.clone(),
        description: need.description.clone(),
        quantity: need.quantity,
        township: population.shown_township(&child.township_code, band, class, k),
        age_band: band,
        difficulty_class: class,
        urgency: need.urgency,
        status: need.status,
    })
}

/// Whether anyone outside the staff may see `need`: its state is a public
/// one and its file still has a basis to publish (the guardian's consent
/// or a statutory basis). A need whose consent was withdrawn after it was
/// covered or fulfilled keeps its state but is shown to no one outside.
pub(crate) fn visible_to_public(need: &need::Model, child: &child::Model) -> ServiceResult<bool> {
    Ok(need.status.is_public() && super::basis_of(child).may_publish().is_ok())
}

/// Who may see projections at all: staff, verified providers and approved
/// families. Others are refused (403), anonymous callers earlier (401).
pub(crate) async fn require_viewer<C: ConnectionTrait>(
    store: Store<'_, C>,
    caller: &Principal,
) -> ServiceResult<()> {
    match caller.role {
        Role::CountyAdmin | Role::TownshipOfficer | Role::VillageSupervisor => Ok(()),
        Role::Provider => {
            let id = caller
                .provider_id
                .as_deref()
                .ok_or(ServiceError::Forbidden)?;
            let provider = db::providers::find(store.db, id)
                .await?
                .ok_or(ServiceError::Forbidden)?;
            if provider.status == ProviderStatus::Verified {
                Ok(())
            } else {
                Err(ServiceError::Forbidden)
            }
        }
        Role::Family => {
            let id = caller.family_id.as_deref().ok_or(ServiceError::Forbidden)?;
            let family = db::families::find(store.db, id)
                .await?
                .ok_or(ServiceError::Forbidden)?;
            if crate::services::families::approval_is_current(&family) {
                Ok(())
            } else {
                Err(ServiceError::Forbidden)
            }
        }
    }
}

/// The projection of one need today, reading only the population it
/// counts under.
pub async fn project_one<C: ConnectionTrait>(
    store: Store<'_, C>,
    need: &need::Model,
    child: &child::Model,
    k: u32,
    today: NaiveDate,
) -> ServiceResult<PublicNeed> {
    let mut all = project_all(store, &[(need, child)], k, today).await?;
    all.pop()
        .ok_or_else(|| ServiceError::internal("a projection went missing"))
}

/// The projections of `items` (each need with its file) today, in order:
/// the population of just the (township, band, class) triples they count
/// under is read, each count stopping at k. Cost follows the items, never
/// the number of files in the county.
pub async fn project_all<C: ConnectionTrait>(
    store: Store<'_, C>,
    items: &[(&need::Model, &child::Model)],
    k: u32,
    today: NaiveDate,
) -> ServiceResult<Vec<PublicNeed>> {
    let mut keys = std::collections::BTreeSet::new();
    for (_, child) in items {
        if let Some(key) = population::key_of(store.vault, child, today)? {
            keys.insert(key);
        }
    }
    let population = population::counts(store, &keys, k, today).await?;
    items
        .iter()
        .map(|(need, child)| project(store.vault, need, child, &population, k, today))
        .collect()
}
