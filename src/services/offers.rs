//! Offers (服务/项目): verified providers and approved families post them,
//! pause, resume, change and close them. Every change appends to the search
//! outbox in its own transaction. Who may post and the checking of a typed
//! offer are in `check`.

mod check;

use chrono::Utc;
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction};

use crate::db;
use crate::db::entities::offer;
use crate::db::outbox::OutboxKind;
use crate::domain::category::Category;
use crate::domain::invalid::required_text;
use crate::domain::offer::OfferStatus;
use crate::domain::{Invalid, Role};

use self::check::{apply, edit_of, owner, parse};
use super::audit::{self, Event};
use super::{Page, Paging, Principal, RequestCtx, ServiceError, ServiceResult, new_id};

/// The value of `townships` that means the whole county.
pub const COUNTY: &str = "county";

/// An offer as typed.
#[derive(Debug, Clone, Default)]
pub struct OfferInput {
    pub category: String,
    pub title: String,
    pub description: String,
    pub capacity: Option<i64>,
    /// Township codes, or [`COUNTY`] alone for the whole county.
    pub townships: Vec<String>,
    pub age_min: Option<i64>,
    pub age_max: Option<i64>,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub schedule: Option<String>,
}

/// An offer with the townships it serves.
#[derive(Debug, Clone)]
pub struct OfferView {
    pub offer: offer::Model,
    /// Empty when the offer serves the whole county.
    pub townships: Vec<String>,
}

impl OfferView {
    pub fn status(&self) -> OfferStatus {
        self.offer.status
    }
}

/// The townships, outbox entry and audit entry of a change to offer `id`,
/// then the offer as stored; the caller commits.
async fn finish(
    txn: &DatabaseTransaction,
    ctx: &RequestCtx,
    id: &str,
    townships: Option<&[String]>,
    action: &str,
) -> ServiceResult<OfferView> {
    if let Some(townships) = townships {
        db::offers::set_townships(txn, id, townships).await?;
    }
    db::outbox::append(txn, OutboxKind::Offer, id).await?;
    audit::append(txn, ctx, Event::success(action, format!("offer:{id}"))).await?;
    let offer = db::offers::find(txn, id)
        .await?
        .ok_or_else(|| ServiceError::internal("offer vanished inside its transaction"))?;
    let townships = db::offers::townships(txn, id).await?;
    Ok(OfferView { offer, townships })
}

/// Whether `caller` may post offers now: a verified provider, or a family
/// whose approval is current (`false` for pending or suspended providers and
/// families not approved or past their approval); `Forbidden` for roles
/// that never post.
pub async fn may_post(conn: &DatabaseConnection, caller: &Principal) -> ServiceResult<bool> {
    caller.require_role(&[Role::Provider, Role::Family])?;
    match owner(conn, caller).await {
        Ok(_) => Ok(true),
        Err(ServiceError::Forbidden) => Ok(false),
        Err(other) => Err(other),
    }
}

/// The categories a family may post (those of the care it was approved
/// for); `None` for a provider, which may post every category but the
/// placements reserved to assessed families (the form says which).
pub async fn family_categories(
    conn: &DatabaseConnection,
    caller: &Principal,
) -> ServiceResult<Option<Vec<Category>>> {
    if caller.role != Role::Family {
        return Ok(None);
    }
    Ok(Some(owner(conn, caller).await?.categories().to_vec()))
}

/// The caller's own offer, or `NotFound` (as for an offer that is not there).
pub async fn get_own(
    conn: &DatabaseConnection,
    caller: &Principal,
    id: &str,
) -> ServiceResult<OfferView> {
    let offer = own(conn, caller, id).await?;
    let townships = db::offers::townships(conn, id).await?;
    Ok(OfferView { offer, townships })
}

/// The field errors of `input` for the caller (none when it parses): for a
/// form that found an error the service cannot see (an age typed that is
/// no number), so that every error is shown at once. A caller who may not
/// post is refused as by [`create`].
pub async fn field_errors(
    conn: &DatabaseConnection,
    caller: &Principal,
    input: &OfferInput,
) -> ServiceResult<Invalid> {
    let owner = owner(conn, caller).await?;
    match parse(conn, &owner, input).await {
        Ok(_) => Ok(Invalid::new()),
        Err(ServiceError::Invalid(errors)) => Ok(errors),
        Err(other) => Err(other),
    }
}

/// Posts an offer; it starts `active` with all its capacity remaining.
pub async fn create(
    conn: &DatabaseConnection,
    ctx: &RequestCtx,
    caller: &Principal,
    input: OfferInput,
) -> ServiceResult<OfferView> {
    // Decided on the owner's standing as it is under the write lock: a
    // provider suspended a moment ago posts nothing.
    let txn = db::begin_write(conn).await?;
    let owner = owner(&txn, caller).await?;
    let checked = parse(&txn, &owner, &input).await?;
    let townships = checked.townships.clone();
    let now = Utc::now();
    let mut row = offer::Model {
        id: new_id(),
        provider_id: owner.provider_id,
        family_id: owner.family_id,
        owner_name: owner.name,
        category: checked.category(),
        title: String::new(),
        description: String::new(),
        capacity: checked.capacity,
        remaining: checked.capacity,
        county_wide: false,
        age_min: None,
        age_max: None,
        starts_on: None,
        ends_on: None,
        schedule: None,
        status: OfferStatus::Active,
        closed_reason: None,
        created_by: caller.id.clone(),
        created_at: now,
        updated_at: now,
    };
    apply(checked, &mut row);
    let id = row.id.clone();
    db::offers::insert(&txn, row).await?;
    let view = finish(&txn, ctx, &id, Some(&townships), "offer.create").await?;
    txn.commit().await?;
    Ok(view)
}

/// An offer and its townships; anyone may read an offer.
pub async fn get(conn: &DatabaseConnection, id: &str) -> ServiceResult<OfferView> {
    let offer = db::offers::find(conn, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let townships = db::offers::townships(conn, id).await?;
    Ok(OfferView { offer, townships })
}

/// What a viewer may do to an offer now: its owner edits, pauses, resumes
/// or closes it as its state allows, and looks for needs while it is open;
/// anyone else only reads it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OfferActions {
    /// The viewer posted it (the owner's panel is shown).
    pub mine: bool,
    pub edit: bool,
    pub pause: bool,
    pub resume: bool,
    pub close: bool,
    /// See the needs it could serve and propose matches.
    pub propose: bool,
}

/// The actions `viewer` has on `offer` (none for anyone but its owner).
pub fn actions_for(viewer: Option<&Principal>, offer: &offer::Model) -> OfferActions {
    if !viewer.is_some_and(|v| owns(v, offer)) {
        return OfferActions::default();
    }
    let status = offer.status;
    OfferActions {
        mine: true,
        edit: status.edit().is_ok(),
        pause: status.pause().is_ok(),
        resume: status.resume().is_ok(),
        close: status.close().is_ok(),
        propose: status.is_open(),
    }
}

/// Whether `caller` is the provider or family that posted `offer`: the one
/// rule of offer ownership.
pub fn owns(caller: &Principal, offer: &offer::Model) -> bool {
    match caller.role {
        Role::Provider => caller.provider_id.is_some() && caller.provider_id == offer.provider_id,
        Role::Family => caller.family_id.is_some() && caller.family_id == offer.family_id,
        _ => false,
    }
}

/// The caller's own offer, or `NotFound`.
async fn own(
    conn: &impl ConnectionTrait,
    caller: &Principal,
    id: &str,
) -> ServiceResult<offer::Model> {
    let offer = db::offers::find(conn, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if owns(caller, &offer) {
        Ok(offer)
    } else {
        Err(ServiceError::NotFound)
    }
}

/// Changes an offer that is not closed. The capacity may not drop below
/// what matches have already taken; the places left move with it.
///
/// Read and written under the write lock (`db::begin_write`), so that an
/// approval taking a place meanwhile is counted, never undone.
pub async fn update(
    conn: &DatabaseConnection,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    input: OfferInput,
) -> ServiceResult<OfferView> {
    let txn = db::begin_write(conn).await?;
    let current = own(&txn, caller, id).await?;
    let status = current.status;
    status
        .edit()
        .map_err(|e| ServiceError::Conflict(e.to_string()))?;
    let owner = owner(&txn, caller).await?;
    let checked = parse(&txn, &owner, &input).await?;
    let taken = current.capacity - current.remaining;
    if checked.capacity < taken {
        return Err(Invalid::one(
            "capacity",
            format!("已有{taken}个名额被对接占用，容量不能少于{taken}"),
        )
        .into());
    }
    let townships = checked.townships.clone();
    if !db::offers::edit(&txn, id, status.as_str(), edit_of(&checked), Utc::now()).await? {
        return Err(moved_on());
    }
    let view = finish(&txn, ctx, id, Some(&townships), "offer.update").await?;
    txn.commit().await?;
    Ok(view)
}

/// The answer when a conditional write found the row changed: cannot
/// happen under the write lock, but the condition stays as a guard.
fn moved_on() -> ServiceError {
    ServiceError::Conflict("该服务刚被更改，请刷新后重试".into())
}

/// What an owner does to an offer's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferMove {
    Pause,
    Resume,
    Close,
}

/// Pauses, resumes or closes the caller's offer: the status only, moved
/// from the status read under the write lock.
pub async fn change_status(
    conn: &DatabaseConnection,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    action: OfferMove,
    reason: Option<&str>,
) -> ServiceResult<OfferView> {
    let reason = match reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) if action == OfferMove::Close => {
            Some(required_text(r, 500).map_err(|m| Invalid::one("reason", m))?)
        }
        _ => None,
    };
    let txn = db::begin_write(conn).await?;
    let current = own(&txn, caller, id).await?;
    let from = current.status;
    let (next, name) = match action {
        OfferMove::Pause => (from.pause(), "offer.pause"),
        OfferMove::Resume => (from.resume(), "offer.resume"),
        OfferMove::Close => (from.close(), "offer.close"),
    };
    let to = next.map_err(|e| ServiceError::Conflict(e.to_string()))?;
    let moved = db::offers::set_status(
        &txn,
        id,
        from.as_str(),
        to.as_str(),
        reason.as_deref(),
        Utc::now(),
    )
    .await?;
    if !moved {
        return Err(moved_on());
    }
    let view = finish(&txn, ctx, id, None, name).await?;
    txn.commit().await?;
    Ok(view)
}

/// The caller's own offers, newest first.
pub async fn list_own(
    conn: &DatabaseConnection,
    caller: &Principal,
    status: Option<OfferStatus>,
    paging: Paging,
) -> ServiceResult<Page<OfferView>> {
    let filter = match caller.role {
        Role::Provider => db::offers::OfferFilter {
            provider_id: Some(
                caller
                    .provider_id
                    .as_deref()
                    .ok_or(ServiceError::Forbidden)?,
            ),
            ..Default::default()
        },
        Role::Family => db::offers::OfferFilter {
            family_id: Some(caller.family_id.as_deref().ok_or(ServiceError::Forbidden)?),
            ..Default::default()
        },
        _ => return Err(ServiceError::Forbidden),
    };
    let filter = db::offers::OfferFilter {
        status: status.map(OfferStatus::as_str),
        ..filter
    };
    let (total, rows) = db::offers::list(conn, filter, paging.limit, paging.offset).await?;
    let mut items = Vec::new();
    for offer in rows {
        let townships = db::offers::townships(conn, &offer.id).await?;
        items.push(OfferView { offer, townships });
    }
    Ok(Page { total, items })
}
