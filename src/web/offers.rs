//! Offers: `/api/v1/offers…`.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::domain::Invalid;
use crate::domain::offer::OfferStatus;
use crate::error::{AppError, AppResult};
use crate::services::Paging;
use crate::services::offers::{self, COUNTY, OfferInput, OfferMove, OfferView};

use super::AppState;
use super::extract::{ApiJson, Auth, Ctx, ListQuery};

/// An offer as JSON (public: no account ids, only the owner's name).
pub fn offer_json(view: &OfferView) -> Value {
    let o = &view.offer;
    json!({
        "id": o.id,
        "owner": o.owner_name,
        "owner_type": if o.provider_id.is_some() { "provider" } else { "family" },
        "category": o.category,
        "title": o.title,
        "description": o.description,
        "capacity": o.capacity,
        "remaining": o.remaining,
        "townships": if o.county_wide { vec![COUNTY.to_owned()] } else { view.townships.clone() },
        "age_min": o.age_min,
        "age_max": o.age_max,
        "starts_on": o.starts_on.map(|d| d.to_string()),
        "ends_on": o.ends_on.map(|d| d.to_string()),
        "schedule": o.schedule,
        "status": o.status,
        "closed_reason": o.closed_reason,
        "created_at": o.created_at.to_rfc3339(),
        "updated_at": o.updated_at.to_rfc3339(),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfferRequest {
    category: String,
    title: String,
    description: String,
    capacity: i64,
    townships: Vec<String>,
    age_min: Option<i64>,
    age_max: Option<i64>,
    starts_on: Option<String>,
    ends_on: Option<String>,
    schedule: Option<String>,
}

impl From<OfferRequest> for OfferInput {
    fn from(r: OfferRequest) -> Self {
        OfferInput {
            category: r.category,
            title: r.title,
            description: r.description,
            capacity: Some(r.capacity),
            townships: r.townships,
            age_min: r.age_min,
            age_max: r.age_max,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            schedule: r.schedule,
        }
    }
}

pub async fn api_create(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<OfferRequest>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let view = offers::create(&state.db, &ctx, &caller, body.into()).await?;
    Ok((StatusCode::CREATED, Json(offer_json(&view))))
}

pub async fn api_get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    Ok(Json(offer_json(&offers::get(&state.db, &id).await?)))
}

pub async fn api_update(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<OfferRequest>,
) -> AppResult<Json<Value>> {
    let view = offers::update(&state.db, &ctx, &caller, &id, body.into()).await?;
    Ok(Json(offer_json(&view)))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    reason: Option<String>,
}

async fn change(
    state: AppState,
    caller: crate::services::Principal,
    ctx: crate::services::RequestCtx,
    id: String,
    action: OfferMove,
    reason: Option<String>,
) -> AppResult<Json<Value>> {
    let view =
        offers::change_status(&state.db, &ctx, &caller, &id, action, reason.as_deref()).await?;
    Ok(Json(offer_json(&view)))
}

pub async fn api_pause(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    change(state, caller, ctx, id, OfferMove::Pause, None).await
}

pub async fn api_resume(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    change(state, caller, ctx, id, OfferMove::Resume, None).await
}

pub async fn api_close(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<StatusRequest>,
) -> AppResult<Json<Value>> {
    change(state, caller, ctx, id, OfferMove::Close, body.reason).await
}

pub fn parse_offer_status(raw: Option<&str>) -> AppResult<Option<OfferStatus>> {
    raw.filter(|s| !s.is_empty())
        .map(str::parse::<OfferStatus>)
        .transpose()
        .map_err(|e| AppError::Invalid(Invalid::one("status", e.to_string())))
}

/// The caller's own offers (providers and families).
pub async fn api_list_own(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Query(query): Query<ListQuery>,
) -> AppResult<Json<Value>> {
    let status = parse_offer_status(query.status.as_deref())?;
    let page = offers::list_own(
        &state.db,
        &caller,
        status,
        Paging::new(query.limit, query.offset),
    )
    .await?;
    Ok(Json(json!({
        "total": page.total,
        "items": page.items.iter().map(offer_json).collect::<Vec<_>>(),
    })))
}
