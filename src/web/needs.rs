//! Needs: `/api/v1/needs…`; the answers are in [`body`], the pages in
//! [`pages`] (their form in [`form`]).

pub mod body;
pub mod form;
pub mod pages;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

use crate::domain::need::NeedCode;
use crate::domain::outcome::OutcomeInput;
use crate::error::AppResult;
use crate::services::Paging;
use crate::services::needs::{self, NeedInput, NeedList, NeedListFilter};

use super::AppState;
use super::body::{ErrorBody, LoginRequired, OutOfScope, ReadAccess, WriteAccess};
use super::extract::{ApiJson, ApiPath, ApiQuery, Auth, Ctx};
use body::{NeedBody, NeedListBody, StaffNeedBody};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NeedRequest {
    child_id: String,
    category: String,
    title: String,
    description: String,
    quantity: Option<i64>,
    urgency: String,
}

impl From<NeedRequest> for NeedInput {
    fn from(r: NeedRequest) -> Self {
        NeedInput {
            child_id: r.child_id,
            category: r.category,
            title: r.title,
            description: r.description,
            quantity: r.quantity,
            urgency: r.urgency,
        }
    }
}

/// Records a need for a child in the caller's scope, as a draft.
#[utoipa::path(
    post,
    path = "/api/v1/needs",
    tag = "needs",
    operation_id = "needs_create",
    security(("cookie" = [], "csrf" = [])),
    request_body = NeedRequest,
    responses(
        (status = 201, description = "The need as staff see it, with its public projection", body = StaffNeedBody),
        WriteAccess,
        (status = 409, description = "The child's file is closed", body = ErrorBody),
        (status = 422, description = "Invalid fields, or `details.findings` `[{field, kind, label, message, start, end}]` when the public text holds personal information", body = ErrorBody),
    )
)]
pub async fn api_create(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<NeedRequest>,
) -> AppResult<(StatusCode, Json<StaffNeedBody>)> {
    let k = state.settings.k_anonymity;
    let need = needs::create(state.store(), &ctx, &caller, body.into(), k).await?;
    Ok((StatusCode::CREATED, Json(need.into())))
}

/// A need: by code the public projection, by id (staff) the staff view.
#[utoipa::path(
    get,
    path = "/api/v1/needs/{key}",
    tag = "needs",
    operation_id = "needs_get",
    security(("cookie" = [])),
    params(("key" = String, Path, description = "The need's public code, or (staff) its id")),
    responses(
        (status = 200, description = "By code the public projection; by id the staff view", body = NeedBody),
        LoginRequired,
        (status = 403, description = "Not a verified provider, an approved family or staff", body = ErrorBody),
        (status = 404, description = "Absent, unpublished or outside the caller's scope", body = ErrorBody),
    )
)]
pub async fn api_get(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiPath(key): ApiPath<String>,
) -> AppResult<Json<NeedBody>> {
    let k = state.settings.k_anonymity;
    if NeedCode::parse(&key).is_some() {
        let public = needs::get_public(state.store(), &caller, &key, k).await?;
        return Ok(Json(NeedBody::Public(public.into())));
    }
    let need = needs::get_for_staff(state.store(), &caller, &key, k).await?;
    Ok(Json(NeedBody::Staff(Box::new(need.into()))))
}

/// Changes a draft need.
#[utoipa::path(
    patch,
    path = "/api/v1/needs/{key}",
    tag = "needs",
    operation_id = "needs_update",
    security(("cookie" = [], "csrf" = [])),
    params(("key" = String, Path, description = "The need's id")),
    request_body = NeedRequest,
    responses(
        (status = 200, description = "The need as staff see it, with its public projection", body = StaffNeedBody),
        WriteAccess,
        OutOfScope,
        (status = 409, description = "The need is no longer a draft", body = ErrorBody),
        (status = 422, description = "Invalid fields, or `details.findings` when the public text holds personal information", body = ErrorBody),
    )
)]
pub async fn api_update(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<NeedRequest>,
) -> AppResult<Json<StaffNeedBody>> {
    let k = state.settings.k_anonymity;
    let need = needs::update(state.store(), &ctx, &caller, &id, body.into(), k).await?;
    Ok(Json(need.into()))
}

/// Publishes a draft need (township_officer).
#[utoipa::path(
    post,
    path = "/api/v1/needs/{id}/publish",
    tag = "needs",
    operation_id = "needs_publish",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The need's id")),
    responses(
        (status = 200, description = "The need as staff see it, with its public projection", body = StaffNeedBody),
        WriteAccess,
        OutOfScope,
        (status = 409, description = "The need's state already changed, or the child's consent does not allow publishing", body = ErrorBody),
        (status = 422, description = "`details.findings` when the public text holds personal information", body = ErrorBody),
    )
)]
pub async fn api_publish(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<StaffNeedBody>> {
    let k = state.settings.k_anonymity;
    let need = needs::publish(state.store(), &ctx, &caller, &id, k).await?;
    Ok(Json(need.into()))
}

/// Closing a need: the reason and, optionally for API clients written
/// before outcomes, its outcome.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseNeedRequest {
    reason: String,
    /// `fully_met`, `partly_met` or `not_met`; absent: no outcome recorded.
    outcome: Option<String>,
    /// What was delivered (required with `partly_met`).
    delivered: Option<String>,
    /// `other_help_found`, `no_longer_needed` or `other` (required with `not_met`).
    not_met_reason: Option<String>,
    /// The note (required with `not_met_reason: other`).
    outcome_note: Option<String>,
}

/// Closes a need with a reason and its outcome.
#[utoipa::path(
    post,
    path = "/api/v1/needs/{id}/close",
    tag = "needs",
    operation_id = "needs_close",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The need's id")),
    request_body = CloseNeedRequest,
    responses(
        (status = 200, description = "The need as staff see it, with its public projection", body = StaffNeedBody),
        WriteAccess,
        OutOfScope,
        (status = 409, description = "Already closed", body = ErrorBody),
        (status = 422, description = "Missing reason, an incomplete outcome, or personal information in its text (`details.findings`)", body = ErrorBody),
    )
)]
pub async fn api_close(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<CloseNeedRequest>,
) -> AppResult<Json<StaffNeedBody>> {
    let k = state.settings.k_anonymity;
    let outcome = OutcomeInput {
        outcome: body.outcome,
        delivered: body.delivered,
        not_met_reason: body.not_met_reason,
        note: body.outcome_note,
    };
    let need = needs::close(
        state.store(),
        &ctx,
        &caller,
        &id,
        &body.reason,
        &outcome,
        false,
        k,
    )
    .await?;
    Ok(Json(need.into()))
}

/// Renews a need the sweep asked about: its escalation clock restarts.
#[utoipa::path(
    post,
    path = "/api/v1/needs/{id}/renew",
    tag = "needs",
    operation_id = "needs_renew",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The need's id")),
    responses(
        (status = 200, description = "The need as staff see it", body = StaffNeedBody),
        WriteAccess,
        OutOfScope,
        (status = 409, description = "Not asked to be renewed, or no longer published", body = ErrorBody),
    )
)]
pub async fn api_renew(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<StaffNeedBody>> {
    let k = state.settings.k_anonymity;
    let need = needs::escalation::renew(state.store(), &ctx, &caller, &id, k).await?;
    Ok(Json(need.into()))
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NeedListQuery {
    /// Page size: default 20, at most 100.
    pub limit: Option<u64>,
    /// Items to skip.
    pub offset: Option<u64>,
    /// Staff only: only needs in this status.
    pub status: Option<String>,
    /// Providers and families: only this category.
    pub category: Option<String>,
    /// Providers and families: only needs shown in this township.
    pub township: Option<String>,
}

/// Staff: the needs of their scope (staff views); verified providers and approved families: published projections.
#[utoipa::path(
    get,
    path = "/api/v1/needs",
    tag = "needs",
    operation_id = "needs_list",
    security(("cookie" = [])),
    params(NeedListQuery),
    responses(
        (status = 200, description = "`{total, items}`: staff views for staff, public projections otherwise", body = NeedListBody),
        ReadAccess,
        (status = 422, description = "Unknown `status` or `category`", body = ErrorBody),
    )
)]
pub async fn api_list(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiQuery(query): ApiQuery<NeedListQuery>,
) -> AppResult<Json<NeedListBody>> {
    let k = state.settings.k_anonymity;
    let paging = Paging::new(query.limit, query.offset);
    let filter = NeedListFilter {
        status: query.status.as_deref(),
        category: query.category.as_deref(),
        township: query.township.as_deref(),
    };
    let list = needs::list(state.store(), &state.search, &caller, filter, paging, k).await?;
    Ok(Json(match list {
        NeedList::Staff { page, .. } => NeedListBody::Staff(page.into()),
        NeedList::Public { page, .. } => NeedListBody::Public(page.into()),
    }))
}
