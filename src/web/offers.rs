//! Offers: `/api/v1/offers…`; the pages are in [`pages`].

pub mod pages;

use crate::web::extract::parse_filter;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::domain::offer::OfferStatus;
use crate::error::AppResult;
use crate::services::Paging;
use crate::services::offers::{self, COUNTY, OfferInput, OfferMove, OfferView};

use super::AppState;
use super::body::{ErrorBody, InvalidFields, LoginRequired, WriteAccess};
use super::extract::{ApiJson, ApiPath, ApiQuery, Auth, Ctx, ListQuery};

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

#[derive(Deserialize, utoipa::ToSchema)]
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

/// Publishes an offer (verified provider, approved family).
#[utoipa::path(
    post,
    path = "/api/v1/offers",
    tag = "offers",
    operation_id = "offers_create",
    security(("cookie" = [], "csrf" = [])),
    request_body(content = OfferRequest, description = "`townships: [\"county\"]` means the whole county"),
    responses(
        (status = 201, description = "the offer `{id, owner, owner_type, category, title, description, capacity, remaining, townships, age_min, age_max, starts_on, ends_on, schedule, status, closed_reason, created_at, updated_at}`, with `status: \"active\"`", body = Object),
        LoginRequired,
        (status = 403, description = "Not a verified provider or approved family, or missing/wrong `X-CSRF-Token`", body = ErrorBody),
        InvalidFields,
    )
)]
pub async fn api_create(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<OfferRequest>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let view = offers::create(&state.db, &ctx, &caller, body.into()).await?;
    Ok((StatusCode::CREATED, Json(offer_json(&view))))
}

/// One offer (public).
#[utoipa::path(
    get,
    path = "/api/v1/offers/{id}",
    tag = "offers",
    operation_id = "offers_get",
    params(("id" = String, Path, description = "The offer's id")),
    responses(
        (status = 200, description = "the offer `{id, owner, owner_type, category, title, description, capacity, remaining, townships, age_min, age_max, starts_on, ends_on, schedule, status, closed_reason, created_at, updated_at}`", body = Object),
        (status = 404, description = "No such offer", body = ErrorBody),
    )
)]
pub async fn api_get(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<Value>> {
    Ok(Json(offer_json(&offers::get(&state.db, &id).await?)))
}

/// Replaces an offer's fields (its owner).
#[utoipa::path(
    put,
    path = "/api/v1/offers/{id}",
    tag = "offers",
    operation_id = "offers_update",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The offer's id")),
    request_body = OfferRequest,
    responses(
        (status = 200, description = "the offer `{id, owner, owner_type, category, title, description, capacity, remaining, townships, age_min, age_max, starts_on, ends_on, schedule, status, closed_reason, created_at, updated_at}`", body = Object),
        WriteAccess,
        (status = 404, description = "Absent or not the caller's", body = ErrorBody),
        (status = 409, description = "The offer is closed", body = ErrorBody),
        InvalidFields,
    )
)]
pub async fn api_update(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<OfferRequest>,
) -> AppResult<Json<Value>> {
    let view = offers::update(&state.db, &ctx, &caller, &id, body.into()).await?;
    Ok(Json(offer_json(&view)))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
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

/// Pauses an active offer (its owner).
#[utoipa::path(
    post,
    path = "/api/v1/offers/{id}/pause",
    tag = "offers",
    operation_id = "offers_pause",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The offer's id")),
    responses(
        (status = 200, description = "the offer `{id, owner, owner_type, category, title, description, capacity, remaining, townships, age_min, age_max, starts_on, ends_on, schedule, status, closed_reason, created_at, updated_at}`", body = Object),
        WriteAccess,
        (status = 404, description = "Absent or not the caller's", body = ErrorBody),
        (status = 409, description = "The offer's state does not allow it", body = ErrorBody),
    )
)]
pub async fn api_pause(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<Value>> {
    change(state, caller, ctx, id, OfferMove::Pause, None).await
}

/// Resumes a paused offer (its owner).
#[utoipa::path(
    post,
    path = "/api/v1/offers/{id}/resume",
    tag = "offers",
    operation_id = "offers_resume",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The offer's id")),
    responses(
        (status = 200, description = "the offer `{id, owner, owner_type, category, title, description, capacity, remaining, townships, age_min, age_max, starts_on, ends_on, schedule, status, closed_reason, created_at, updated_at}`", body = Object),
        WriteAccess,
        (status = 404, description = "Absent or not the caller's", body = ErrorBody),
        (status = 409, description = "The offer's state does not allow it", body = ErrorBody),
    )
)]
pub async fn api_resume(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<Value>> {
    change(state, caller, ctx, id, OfferMove::Resume, None).await
}

/// Closes an offer, with an optional reason (its owner).
#[utoipa::path(
    post,
    path = "/api/v1/offers/{id}/close",
    tag = "offers",
    operation_id = "offers_close",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The offer's id")),
    request_body = StatusRequest,
    responses(
        (status = 200, description = "the offer `{id, owner, owner_type, category, title, description, capacity, remaining, townships, age_min, age_max, starts_on, ends_on, schedule, status, closed_reason, created_at, updated_at}`", body = Object),
        WriteAccess,
        (status = 404, description = "Absent or not the caller's", body = ErrorBody),
        (status = 409, description = "Already closed", body = ErrorBody),
        (status = 422, description = "Unknown fields", body = ErrorBody),
    )
)]
pub async fn api_close(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<StatusRequest>,
) -> AppResult<Json<Value>> {
    change(state, caller, ctx, id, OfferMove::Close, body.reason).await
}

/// The caller's own offers (providers and families).
/// The caller's own offers (providers and families).
#[utoipa::path(
    get,
    path = "/api/v1/offers",
    tag = "offers",
    operation_id = "offers_list_own",
    security(("cookie" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "`{total, items}` of offers", body = Object),
        LoginRequired,
        (status = 403, description = "Not a provider or family", body = ErrorBody),
        (status = 422, description = "Unknown `status`", body = ErrorBody),
    )
)]
pub async fn api_list_own(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> AppResult<Json<Value>> {
    let status = parse_filter::<OfferStatus>(query.status.as_deref(), "status")?;
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
