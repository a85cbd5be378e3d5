//! The public side of needs: who may see projections, a need's projection
//! by its code, the published list, and the staff list of needs in scope.

use std::collections::HashMap;

use crate::db;
use crate::db::entities::{child, need};
use crate::domain::category::Category;
use crate::domain::need::{NeedCode, NeedStatus};
use crate::domain::projection::PublicNeed;
use crate::domain::{Invalid, Role};

use super::super::files::projection::{
    project_all, project_one, require_viewer, visible_to_public,
};
use super::super::files::{self, identity};
use super::super::kept;
use super::super::search::SearchHandle;
use super::super::{Page, Paging, Principal, ServiceError, ServiceResult, Store};
use super::{NeedActions, StaffNeed};

/// The public projection of a need by its code. Drafts and closed needs
/// are visible only to staff who reach the file.
pub async fn get_public(
    store: Store<'_>,
    caller: &Principal,
    code: &str,
    k: u32,
) -> ServiceResult<PublicNeed> {
    require_viewer(store, caller).await?;
    let code = NeedCode::parse(code).ok_or(ServiceError::NotFound)?;
    let need = db::needs::find_by_code(store.db, code.as_str())
        .await?
        .ok_or(ServiceError::NotFound)?;
    let child = db::children::find(store.db, &need.child_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !visible_to_public(&need, &child)? && !files::reaches(store.vault, caller, &child) {
        return Err(ServiceError::NotFound);
    }
    let today = chrono::Local::now().date_naive();
    project_one(store, &need, &child, k, today).await
}

/// What a needs list is filtered by, as the caller typed it: staff filter
/// their views by status; everyone else the public projections by category
/// and township. A filter the caller's list does not use is ignored.
#[derive(Debug, Clone, Copy, Default)]
pub struct NeedListFilter<'a> {
    pub status: Option<&'a str>,
    pub category: Option<&'a str>,
    pub township: Option<&'a str>,
}

/// A needs list: staff views for staff, public projections for the others.
pub enum NeedList {
    Staff {
        status: Option<NeedStatus>,
        page: Page<StaffNeed>,
    },
    Public {
        category: Option<Category>,
        page: Page<PublicNeed>,
    },
}

/// The needs list `caller` reads: which one is decided here, by role.
pub async fn list(
    store: Store<'_>,
    search: &SearchHandle,
    caller: &Principal,
    filter: NeedListFilter<'_>,
    paging: Paging,
    k: u32,
) -> ServiceResult<NeedList> {
    if caller.role.is_staff() {
        let status = parse_filter::<NeedStatus>(filter.status, "status")?;
        let page = list_for_staff(store, caller, status, paging, k).await?;
        return Ok(NeedList::Staff { status, page });
    }
    let category = parse_filter::<Category>(filter.category, "category")?;
    let township = filter.township.filter(|t| !t.is_empty());
    let page = list_public(store, search, caller, category, township, paging, k).await?;
    Ok(NeedList::Public { category, page })
}

/// A code typed as a filter: empty means none; an unknown one is refused.
fn parse_filter<T>(raw: Option<&str>, field: &str) -> ServiceResult<Option<T>>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    raw.filter(|s| !s.is_empty())
        .map(str::parse::<T>)
        .transpose()
        .map_err(|e| Invalid::one(field, e.to_string()).into())
}

/// Published needs as projections, newest first, optionally of one
/// category and one township: a page found through the search index (so
/// that the list costs one page, whatever the number of needs), projected
/// again from the files at the moment of the read. The township filter
/// applies to the township the projection shows: a need the index still
/// files under a township whose count just fell under k is left out rather
/// than placed in it.
pub async fn list_public(
    store: Store<'_>,
    search: &SearchHandle,
    caller: &Principal,
    category: Option<Category>,
    township: Option<&str>,
    paging: Paging,
    k: u32,
) -> ServiceResult<Page<PublicNeed>> {
    require_viewer(store, caller).await?;
    let query = search_index::Query {
        text: String::new(),
        kind: Some(search_index::DocKind::Need),
        category: category.map(|c| c.as_str().to_owned()),
        township: township.map(str::to_owned),
        limit: usize::try_from(paging.limit).unwrap_or(search_index::MAX_LIMIT),
        offset: usize::try_from(paging.offset)
            .unwrap_or(usize::MAX)
            .min(search_index::MAX_OFFSET),
    };
    let index = search.index();
    let results = crate::services::search::work::run(move || index.search(&query)).await?;
    let codes: Vec<String> = results.hits.iter().filter_map(|h| h.code.clone()).collect();
    let needs = db::needs::find_by_codes(store.db, &codes).await?;
    let child_ids: Vec<String> = needs.iter().map(|n| n.child_id.clone()).collect();
    let children: HashMap<String, child::Model> = db::children::find_many(store.db, &child_ids)
        .await?
        .into_iter()
        .map(|c| (c.id.clone(), c))
        .collect();
    let by_code: HashMap<&str, &need::Model> = needs.iter().map(|n| (n.code.as_str(), n)).collect();
    let today = chrono::Local::now().date_naive();
    let mut listed = Vec::new();
    for code in &codes {
        let Some(need) = by_code.get(code.as_str()) else {
            continue;
        };
        let Some(child) = children.get(&need.child_id) else {
            continue;
        };
        if need.status != NeedStatus::Published || !visible_to_public(need, child)? {
            continue;
        }
        listed.push((*need, child));
    }
    let mut items = Vec::new();
    for public in project_all(store, &listed, k, today).await? {
        if township.is_none_or(|t| public.township.as_deref() == Some(t)) {
            items.push(public);
        }
    }
    Ok(Page {
        total: results.total as u64,
        items,
    })
}

/// Needs in the caller's scope (staff), newest first, optionally of one status.
pub async fn list_for_staff(
    store: Store<'_>,
    caller: &Principal,
    status: Option<NeedStatus>,
    paging: Paging,
    k: u32,
) -> ServiceResult<Page<StaffNeed>> {
    caller.require_role(&[
        Role::CountyAdmin,
        Role::TownshipOfficer,
        Role::VillageSupervisor,
    ])?;
    let village_children: Option<Vec<String>> = if caller.role == Role::VillageSupervisor {
        let index = identity::village_index(store.vault, caller.village.as_deref().unwrap_or(""));
        let filter = db::children::ChildFilter {
            township: caller.township_filter(),
            village_index: Some(&index),
            ..Default::default()
        };
        Some(
            db::children::list(store.db, &filter, None, 0)
                .await?
                .1
                .into_iter()
                .map(|c| c.id)
                .collect(),
        )
    } else {
        None
    };
    let statuses = status.map(|s| [s.as_str()]);
    let filter = db::needs::NeedFilter {
        township: caller.township_filter(),
        child_ids: village_children.as_deref(),
        statuses: statuses.as_ref().map(|s| s.as_slice()),
        ..Default::default()
    };
    // Every need of a township: counted once while no need changes.
    let list = format!(
        "needs/{}/{}/{}",
        caller.township_filter().unwrap_or("*"),
        if caller.role == Role::VillageSupervisor {
            caller.village.as_deref().unwrap_or("-")
        } else {
            "*"
        },
        status.map_or("*", |s| s.as_str()),
    );
    let total = kept::total(store.kept, store.db, list, async || {
        db::needs::count(store.db, &filter).await
    })
    .await?;
    let needs = db::needs::page(store.db, &filter, paging.limit, paging.offset).await?;
    let today = chrono::Local::now().date_naive();
    let child_ids: Vec<String> = needs.iter().map(|n| n.child_id.clone()).collect();
    let children: HashMap<String, child::Model> = db::children::find_many(store.db, &child_ids)
        .await?
        .into_iter()
        .map(|c| (c.id.clone(), c))
        .collect();
    let listed: Vec<(&need::Model, &child::Model)> = needs
        .iter()
        .filter_map(|n| children.get(&n.child_id).map(|c| (n, c)))
        .collect();
    let publics = project_all(store, &listed, k, today).await?;
    let items = listed
        .into_iter()
        .zip(publics)
        .map(|((need, child), public)| StaffNeed {
            actions: NeedActions::of(caller.role, need),
            outcome: super::outcome_of(need),
            need: need.clone(),
            file_no: child.file_no.clone(),
            public,
            escalations: Vec::new(),
        })
        .collect();
    Ok(Page { total, items })
}
