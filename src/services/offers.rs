//! Offers (服务/项目): verified providers and approved families post them,
//! pause, resume, change and close them. Every change appends to the search
//! outbox in its own transaction. Who may post and the checking of a typed
//! offer are in `check`.

mod check;

use chrono::Utc;
use sea_orm::DatabaseConnection;

use crate::db;
use crate::db::entities::offer;
use crate::db::outbox::OutboxKind;
use crate::domain::invalid::required_text;
use crate::domain::offer::OfferStatus;
use crate::domain::{Invalid, Role};

use self::check::{apply, owner, parse};
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
        self.offer.status.parse().unwrap_or(OfferStatus::Closed)
    }
}

async fn write(
    conn: &DatabaseConnection,
    ctx: &RequestCtx,
    row: offer::Model,
    townships: Option<&[String]>,
    insert: bool,
    action: &str,
) -> ServiceResult<OfferView> {
    let txn = db::begin_write(conn).await?;
    let id = row.id.clone();
    let saved = if insert {
        db::offers::insert(&txn, row).await?
    } else {
        db::offers::update(&txn, row).await?
    };
    if let Some(townships) = townships {
        db::offers::set_townships(&txn, &id, townships).await?;
    }
    db::outbox::append(&txn, OutboxKind::Offer, &id).await?;
    audit::append(&txn, ctx, Event::success(action, format!("offer:{id}"))).await?;
    let townships = db::offers::townships(&txn, &id).await?;
    txn.commit().await?;
    Ok(OfferView {
        offer: saved,
        townships,
    })
}

/// Whether `caller` may post offers now: a verified provider, or a family
/// whose approval is current; `Forbidden` otherwise (pending or suspended
/// providers, families not approved or past their approval).
pub async fn check_may_post(conn: &DatabaseConnection, caller: &Principal) -> ServiceResult<()> {
    owner(conn, caller).await.map(|_| ())
}

/// Posts an offer; it starts `active` with all its capacity remaining.
pub async fn create(
    conn: &DatabaseConnection,
    ctx: &RequestCtx,
    caller: &Principal,
    input: OfferInput,
) -> ServiceResult<OfferView> {
    let owner = owner(conn, caller).await?;
    let checked = parse(conn, &owner, &input).await?;
    let townships = checked.townships.clone();
    let now = Utc::now();
    let mut row = offer::Model {
        id: new_id(),
        provider_id: owner.provider_id,
        family_id: owner.family_id,
        owner_name: owner.name,
        category: String::new(),
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
        status: OfferStatus::Active.as_str().to_owned(),
        closed_reason: None,
        created_by: caller.id.clone(),
        created_at: now,
        updated_at: now,
    };
    apply(checked, &mut row);
    write(conn, ctx, row, Some(&townships), true, "offer.create").await
}

/// An offer and its townships; anyone may read an offer.
pub async fn get(conn: &DatabaseConnection, id: &str) -> ServiceResult<OfferView> {
    let offer = db::offers::find(conn, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let townships = db::offers::townships(conn, id).await?;
    Ok(OfferView { offer, townships })
}

/// Whether `caller` is the provider or family that posted `offer`.
pub(crate) fn owns(caller: &Principal, offer: &offer::Model) -> bool {
    match caller.role {
        Role::Provider => caller.provider_id.is_some() && caller.provider_id == offer.provider_id,
        Role::Family => caller.family_id.is_some() && caller.family_id == offer.family_id,
        _ => false,
    }
}

/// The caller's own offer, or `NotFound`.
async fn own(
    conn: &DatabaseConnection,
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

fn status_of(offer: &offer::Model) -> OfferStatus {
    offer.status.parse().unwrap_or(OfferStatus::Closed)
}

/// Changes an offer that is not closed. The capacity may not drop below
/// what matches have already taken.
pub async fn update(
    conn: &DatabaseConnection,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    input: OfferInput,
) -> ServiceResult<OfferView> {
    let mut row = own(conn, caller, id).await?;
    status_of(&row)
        .edit()
        .map_err(|e| ServiceError::Conflict(e.to_string()))?;
    let owner = owner(conn, caller).await?;
    let checked = parse(conn, &owner, &input).await?;
    let taken = row.capacity - row.remaining;
    if checked.capacity < taken {
        return Err(Invalid::one(
            "capacity",
            format!("已有{taken}个名额被对接占用，容量不能少于{taken}"),
        )
        .into());
    }
    row.remaining = checked.capacity - taken;
    row.capacity = checked.capacity;
    let townships = checked.townships.clone();
    apply(checked, &mut row);
    row.updated_at = Utc::now();
    write(conn, ctx, row, Some(&townships), false, "offer.update").await
}

/// What an owner does to an offer's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferMove {
    Pause,
    Resume,
    Close,
}

/// Pauses, resumes or closes the caller's offer.
pub async fn change_status(
    conn: &DatabaseConnection,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    action: OfferMove,
    reason: Option<&str>,
) -> ServiceResult<OfferView> {
    let mut row = own(conn, caller, id).await?;
    let current = status_of(&row);
    let (next, name) = match action {
        OfferMove::Pause => (current.pause(), "offer.pause"),
        OfferMove::Resume => (current.resume(), "offer.resume"),
        OfferMove::Close => (current.close(), "offer.close"),
    };
    let next = next.map_err(|e| ServiceError::Conflict(e.to_string()))?;
    if action == OfferMove::Close {
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        row.closed_reason = match reason {
            Some(r) => Some(required_text(r, 500).map_err(|m| Invalid::one("reason", m))?),
            None => None,
        };
    }
    row.status = next.as_str().to_owned();
    row.updated_at = Utc::now();
    write(conn, ctx, row, None, false, name).await
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
