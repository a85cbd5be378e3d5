//! The public projection of a need (DESIGN.md, "Privacy model"): what a
//! provider, a family or the search index sees of it, computed from the
//! need and its file at the moment of the read, never typed; and whether
//! anyone outside the staff may see it at all.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

use crate::db;
use crate::domain::Role;

use crate::db::entities::{child, need};
use crate::domain::child::{AgeBand, DifficultyClass};
use crate::domain::projection::{Population, PublicNeed};
use crate::domain::provider::ProviderStatus;

use super::super::{Principal, ServiceError, ServiceResult, Store};
use super::{identity, population};

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
    let band = band.unwrap_or(AgeBand::Senior);
    Ok(public_need(
        need,
        Placement {
            township: population.shown_township(&child.township_code, band, class, k),
            age_band: band,
            difficulty_class: class,
        },
    ))
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
        // Departments see the referrals sent to them, never needs.
        Role::DepartmentStaff => Err(ServiceError::Forbidden),
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

/// The columns of a file that place its needs: its township, its
/// difficulty class and its sealed birth date (opened only to a band).
#[derive(Debug, Clone, Copy)]
pub struct FileFacts<'a> {
    pub id: &'a str,
    pub township: &'a str,
    pub class: DifficultyClass,
    pub birth_date_sealed: &'a [u8],
}

impl<'a> FileFacts<'a> {
    pub fn of(child: &'a child::Model) -> Self {
        FileFacts {
            id: &child.id,
            township: &child.township_code,
            class: child.difficulty_class,
            birth_date_sealed: &child.birth_date_sealed,
        }
    }
}

/// Where a file's needs show: the township (`None`: generalized to the
/// county), the age band and the difficulty class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub township: Option<String>,
    pub age_band: AgeBand,
    pub difficulty_class: DifficultyClass,
}

/// The placements of `files` today, in order: each birth date is opened
/// once, and the population of just the (township, band, class) triples
/// they count under is read, each count stopping at k. Cost follows the
/// files, never the number of files in the county.
pub async fn place_all<C: ConnectionTrait>(
    store: Store<'_, C>,
    files: &[FileFacts<'_>],
    k: u32,
    today: NaiveDate,
) -> ServiceResult<Vec<Placement>> {
    let mut bands = Vec::with_capacity(files.len());
    let mut keys = BTreeSet::new();
    for file in files {
        let birth = identity::birth_date_sealed(store.vault, file.id, file.birth_date_sealed)?;
        let band = AgeBand::of(birth, today);
        if let Some(band) = band {
            keys.insert((file.township.to_owned(), band, file.class));
        }
        bands.push(band);
    }
    let population = population::counts(store, &keys, k, today).await?;
    Ok(files
        .iter()
        .zip(bands)
        .map(|(file, band)| {
            // A child who turned 18 still has a need on file until it is
            // closed: show the oldest band rather than nothing.
            let band = band.unwrap_or(AgeBand::Senior);
            Placement {
                township: population.shown_township(file.township, band, file.class, k),
                age_band: band,
                difficulty_class: file.class,
            }
        })
        .collect())
}

/// The projection of `need` placed at `placement`.
pub fn public_need(need: &need::Model, placement: Placement) -> PublicNeed {
    PublicNeed {
        code: need.code.clone(),
        category: need.category,
        title: need.title.clone(),
        description: need.description.clone(),
        quantity: need.quantity,
        township: placement.township,
        age_band: placement.age_band,
        difficulty_class: placement.difficulty_class,
        urgency: need.urgency,
        status: need.status,
    }
}

/// The projections of `items` (each need with its file) today, in order
/// (see [`place_all`]).
pub async fn project_all<C: ConnectionTrait>(
    store: Store<'_, C>,
    items: &[(&need::Model, &child::Model)],
    k: u32,
    today: NaiveDate,
) -> ServiceResult<Vec<PublicNeed>> {
    let files: Vec<FileFacts<'_>> = items
        .iter()
        .map(|(_, child)| FileFacts::of(child))
        .collect();
    let placed = place_all(store, &files, k, today).await?;
    Ok(items
        .iter()
        .zip(placed)
        .map(|((need, _), placement)| public_need(need, placement))
        .collect())
}
