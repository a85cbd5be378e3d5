//! Offers: `/api/v1/offers…`; the answer is in [`body`], the pages in
//! [`pages`] (their form in [`form`]).

pub mod body;
pub mod form;
pub mod pages;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

use crate::domain::offer::OfferStatus;
use crate::error::AppResult;
use crate::services::offers::{self, OfferInput, OfferMove};
use crate::services::{Paging, Principal, RequestCtx};

use super::AppState;
use super::body::{ErrorBody, InvalidFields, ListBody, LoginRequired, WriteAccess};
use super::extract::{ApiJson, ApiPath, ApiQuery, Auth, Ctx, ListQuery, parse_filter};
use body::OfferBody;

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
        (status = 201, description = "The offer, `status: \"active\"`", body = OfferBody),
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
) -> AppResult<(StatusCode, Json<OfferBody>)> {
    let view = offers::create(&state.db, &ctx, &caller, body.into()).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// One offer (public).
#[utoipa::path(
    get,
    path = "/api/v1/offers/{id}",
    tag = "offers",
    operation_id = "offers_get",
    params(("id" = String, Path, description = "The offer's id")),
    responses(
        (status = 200, description = "The offer", body = OfferBody),
        (status = 404, description = "No such offer", body = ErrorBody),
    )
)]
pub async fn api_get(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<OfferBody>> {
    Ok(Json(offers::get(&state.db, &id).await?.into()))
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
        (status = 200, description = "The offer", body = OfferBody),
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
) -> AppResult<Json<OfferBody>> {
    let view = offers::update(&state.db, &ctx, &caller, &id, body.into()).await?;
    Ok(Json(view.into()))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    reason: Option<String>,
}

async fn change(
    state: AppState,
    caller: Principal,
    ctx: RequestCtx,
    id: String,
    action: OfferMove,
    reason: Option<String>,
) -> AppResult<Json<OfferBody>> {
    let view =
        offers::change_status(&state.db, &ctx, &caller, &id, action, reason.as_deref()).await?;
    Ok(Json(view.into()))
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
        (status = 200, description = "The offer", body = OfferBody),
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
) -> AppResult<Json<OfferBody>> {
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
        (status = 200, description = "The offer", body = OfferBody),
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
) -> AppResult<Json<OfferBody>> {
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
        (status = 200, description = "The offer", body = OfferBody),
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
) -> AppResult<Json<OfferBody>> {
    change(state, caller, ctx, id, OfferMove::Close, body.reason).await
}

/// The caller's own offers (providers and families).
#[utoipa::path(
    get,
    path = "/api/v1/offers",
    tag = "offers",
    operation_id = "offers_list_own",
    security(("cookie" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "`{total, items}` of offers", body = ListBody<OfferBody>),
        LoginRequired,
        (status = 403, description = "Not a provider or family", body = ErrorBody),
        (status = 422, description = "Unknown `status`", body = ErrorBody),
    )
)]
pub async fn api_list_own(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> AppResult<Json<ListBody<OfferBody>>> {
    let status = parse_filter::<OfferStatus>(query.status.as_deref(), "status")?;
    let paging = Paging::new(query.limit, query.offset);
    let page = offers::list_own(&state.db, &caller, status, paging).await?;
    Ok(Json(page.into()))
}
