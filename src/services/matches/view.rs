//! Reading matches: one match with its need (as a projection), offer,
//! timeline, services and the caller's allowed actions; and the list of
//! the matches in the caller's reach.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::db;
use crate::db::entities::{match_event, match_record, service_record};
use crate::domain::Role;
use crate::domain::category::Category;
use crate::domain::matching::{
    Action, MatchStatus, Party, ProposedSide, allowed_actions, may_note_outcome,
    owner_sees_handover,
};
use crate::domain::need::NeedCode;
use crate::domain::projection::PublicNeed;

use super::super::files::projection::project_one;
use super::super::offers::{self, OfferView};
use super::super::{Page, Paging, Principal, ServiceError, ServiceResult, Store};
use super::access::{load, need_of, require_match_role};

/// One step of a match's timeline. Names who acted by role and display
/// name: an organisation's or household's name for owners; for staff, the
/// account to staff and the office to owners.
#[derive(Debug, Clone)]
pub struct EventView {
    pub action: String,
    pub from: Option<MatchStatus>,
    pub to: MatchStatus,
    pub actor_role: Role,
    pub actor_name: String,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

/// A match as one caller may see it.
#[derive(Debug, Clone)]
pub struct MatchDetail {
    /// The match row; its handover note is cleared when the caller may
    /// not see it yet (an owner before approval).
    pub record: match_record::Model,
    pub status: MatchStatus,
    pub category: Category,
    pub side: ProposedSide,
    pub party: Party,
    /// The need's public projection: all an owner ever sees of it.
    pub need: PublicNeed,
    /// The need's id: staff only.
    pub need_id: Option<String>,
    pub offer: OfferView,
    pub events: Vec<EventView>,
    pub services: Vec<service_record::Model>,
    /// The owner organisation's active volunteers (id, "name（reference）"),
    /// offered on its service form; empty for anyone else.
    pub volunteers: Vec<(String, String)>,
    /// Names of the volunteers who served, by service record id (the
    /// owner and staff see them; never the child's).
    pub served_by: Vec<(String, String)>,
    /// What the caller may do now.
    pub allowed: Vec<Action>,
    /// Whether the caller is asked for its outcome note now (its party may
    /// give one and has not yet).
    pub outcome_note_asked: bool,
}

/// One line of a list of matches.
#[derive(Debug, Clone)]
pub struct MatchSummary {
    /// The match row; the handover note is always cleared in lists.
    pub record: match_record::Model,
    pub status: MatchStatus,
    pub need_code: String,
    pub need_title: String,
    pub offer_title: String,
    pub offer_owner: String,
}

/// The filters of a list.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub status: Option<MatchStatus>,
    /// A need's public code (or, for staff, its id).
    pub need: Option<String>,
    /// An offer's id.
    pub offer: Option<String>,
}

/// Who acted, as the viewer may see it. Staff read account names; an owner
/// reads the office, named by the township the need's projection shows,
/// so that a need generalized to the county (fewer than k children share
/// its township) is not placed by its timeline either.
async fn actor_names(
    store: Store<'_>,
    events: &[match_event::Model],
    owner_name: &str,
    shown_township: Option<&str>,
    staff_viewer: bool,
) -> ServiceResult<HashMap<String, String>> {
    let office = match shown_township {
        Some(code) => db::regions::find_township(store.db, code)
            .await?
            .map(|t| format!("{}民政办", t.name)),
        None => None,
    }
    .unwrap_or_else(|| "乡镇（街道）民政办".to_owned());
    let role_of = |event: &match_event::Model| event.actor_role.parse::<Role>().ok();
    // Staff read account names: all of them in one statement.
    let staff_ids: Vec<&str> = if staff_viewer {
        events
            .iter()
            .filter(|e| role_of(e).is_some_and(|r| !matches!(r, Role::Provider | Role::Family)))
            .map(|e| e.actor_id.as_str())
            .collect()
    } else {
        Vec::new()
    };
    let usernames = db::users::usernames(store.db, &staff_ids).await?;
    let mut names = HashMap::new();
    for event in events {
        if names.contains_key(&event.actor_id) {
            continue;
        }
        let name = match role_of(event) {
            Some(Role::Provider | Role::Family) => owner_name.to_owned(),
            Some(_) if staff_viewer => usernames.get(&event.actor_id).cloned().unwrap_or_default(),
            Some(Role::CountyAdmin) => "县民政局".to_owned(),
            _ => office.clone(),
        };
        names.insert(event.actor_id.clone(), name);
    }
    Ok(names)
}

fn event_view(event: &match_event::Model, names: &HashMap<String, String>) -> Option<EventView> {
    Some(EventView {
        action: event.action.clone(),
        from: event.from_status.as_deref().and_then(|s| s.parse().ok()),
        to: event.to_status.parse().ok()?,
        actor_role: event.actor_role.parse().ok()?,
        actor_name: names.get(&event.actor_id).cloned().unwrap_or_default(),
        note: event.note.clone(),
        at: event.created_at,
    })
}

/// The match `id` as `caller` may see it: `NotFound` out of its reach
/// (another township, another owner's offer), `Forbidden` for roles
/// without matches.
pub async fn get(
    store: Store<'_>,
    caller: &Principal,
    id: &str,
    k: u32,
) -> ServiceResult<MatchDetail> {
    let loaded = load(store.db, caller, id).await?;
    let mut record = loaded.record;
    if loaded.party == Party::Owner && !owner_sees_handover(loaded.status) {
        record.handover_note = None;
    }
    let need = need_of(store.db, &record).await?;
    let child = db::children::find(store.db, &need.child_id)
        .await?
        .ok_or_else(|| ServiceError::internal("need without its file"))?;
    let today = chrono::Local::now().date_naive();
    let public = project_one(store, &need, &child, k, today).await?;
    // The offer `load` read to decide the caller's part in the match.
    let offer = offers::OfferView {
        townships: db::offers::townships(store.db, &record.offer_id).await?,
        offer: loaded.offer,
    };
    let events = db::matches::events(store.db, &record.id).await?;
    let staff = loaded.party != Party::Owner;
    let names = actor_names(
        store,
        &events,
        &offer.offer.owner_name,
        public.township.as_deref(),
        staff,
    )
    .await?;
    let side = record.proposed_side;
    let volunteers = match (&loaded.party, &offer.offer.provider_id) {
        (Party::Owner, Some(p)) => db::volunteers::of_provider(store.db, p)
            .await?
            .into_iter()
            .filter(|v| v.active)
            .map(|v| (v.id, format!("{}（{}）", v.name, v.reference)))
            .collect(),
        _ => Vec::new(),
    };
    let services = db::matches::services(store.db, &record.id).await?;
    let record_ids: Vec<String> = services.iter().map(|s| s.id.clone()).collect();
    let served_by = db::volunteers::names_on(store.db, &record_ids).await?;
    Ok(MatchDetail {
        volunteers,
        served_by,
        services,
        events: events
            .iter()
            .filter_map(|e| event_view(e, &names))
            .collect(),
        allowed: allowed_actions(
            loaded.party,
            loaded.status,
            loaded.category,
            record.review_since.is_some(),
        ),
        outcome_note_asked: may_note_outcome(loaded.party, loaded.status).is_ok()
            // Matches completed before outcome notes existed were not asked.
            && record.notes_asked_at.is_some()
            && match loaded.party {
                Party::Owner => record.owner_outcome_note.is_none(),
                _ => record.officer_outcome.is_none(),
            },
        need_id: staff.then(|| need.id.clone()),
        need: public,
        offer,
        record,
        status: loaded.status,
        category: loaded.category,
        side,
        party: loaded.party,
    })
}

/// The matches in `caller`'s reach, newest first: county staff all,
/// township officers their township's, providers and families those on
/// their own offers.
pub async fn list(
    store: Store<'_>,
    caller: &Principal,
    filter: &ListFilter,
    paging: Paging,
) -> ServiceResult<Page<MatchSummary>> {
    require_match_role(caller)?;
    let mut scope = db::matches::MatchFilter::default();
    match caller.role {
        Role::CountyAdmin => {}
        Role::TownshipOfficer => scope.township = caller.township_filter(),
        Role::Provider => {
            scope.provider_id = Some(caller.provider_id.as_deref().unwrap_or(""));
        }
        Role::Family => scope.family_id = Some(caller.family_id.as_deref().unwrap_or("")),
        Role::VillageSupervisor | Role::DepartmentStaff => return Err(ServiceError::Forbidden),
    }
    let need_id = match filter.need.as_deref().map(str::trim) {
        Some(key) if NeedCode::parse(key).is_some() => Some(
            db::needs::find_by_code(store.db, &key.to_ascii_uppercase())
                .await?
                .map_or_else(String::new, |n| n.id),
        ),
        Some(key) if caller.role.is_staff() => Some(key.to_owned()),
        Some(_) => Some(String::new()),
        None => None,
    };
    scope.need_id = need_id.as_deref();
    scope.offer_id = filter.offer.as_deref();
    scope.status = filter.status.map(MatchStatus::as_str);
    let (total, rows) = db::matches::list(store.db, scope, paging.limit, paging.offset).await?;
    let mut items = Vec::with_capacity(rows.len());
    for mut record in rows {
        record.handover_note = None;
        let status = record.status;
        let need = need_of(store.db, &record).await?;
        let offer = offers::get(store.db, &record.offer_id).await?;
        items.push(MatchSummary {
            status,
            need_code: need.code,
            need_title: need.title,
            offer_title: offer.offer.title,
            offer_owner: offer.offer.owner_name,
            record,
        });
    }
    Ok(Page { total, items })
}
