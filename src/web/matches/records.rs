//! What is recorded on an approved match: `POST /api/v1/matches/{id}/services`
//! (answers the new record) and the handover note, `POST` or `PUT
//! /api/v1/matches/{id}/handover` (answers the match).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use crate::error::AppResult;
use crate::services::matches::{self, ServiceInput};
use crate::services::{Principal, RequestCtx};

use super::super::AppState;
use super::super::body::{ErrorBody, LoginRequired, OutOfReach};
use super::super::extract::{ApiJson, ApiPath, Auth, Ctx};
use super::body::{MatchBody, ServiceBody};
use super::{HandoverRequest, ServiceRequest, answer};

/// Records a service on an approved match (the offer's owner); the match is then `in_service`.
#[utoipa::path(
    post,
    path = "/api/v1/matches/{id}/services",
    tag = "matches",
    operation_id = "matches_services",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The match's id")),
    request_body = ServiceRequest,
    responses(
        (status = 201, description = "The record", body = ServiceBody),
        LoginRequired,
        (status = 403, description = "Not the offer's owner, or missing/wrong `X-CSRF-Token`", body = ErrorBody),
        OutOfReach,
        (status = 409, description = "`conflict` with `details.status`: not approved (yet), or over", body = ErrorBody),
        (status = 422, description = "Invalid fields (`served_on`, `hours`, `amount`: required for money and goods donations, 1–10000000, refused for other categories, `summary`, `volunteers`: not the organisation's own active volunteers)", body = ErrorBody),
    )
)]
pub async fn api_services(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<ServiceRequest>,
) -> AppResult<(StatusCode, Json<ServiceBody>)> {
    let input = ServiceInput {
        served_on: body.served_on.unwrap_or_default(),
        hours: body.hours,
        amount: body.amount,
        summary: body.summary.unwrap_or_default(),
        volunteers: body.volunteers.unwrap_or_default(),
    };
    let record = matches::log_service(state.store(), &ctx, &caller, &id, input).await?;
    Ok((StatusCode::CREATED, Json(record.into())))
}

async fn handover(
    state: &AppState,
    caller: &Principal,
    ctx: &RequestCtx,
    id: &str,
    body: HandoverRequest,
) -> AppResult<Json<MatchBody>> {
    let note = body.handover_note.unwrap_or_default();
    matches::set_handover(state.store(), ctx, caller, id, &note).await?;
    answer(state, caller, id).await
}

/// Sets or replaces the handover note (the township officer; approved or in service).
#[utoipa::path(
    post,
    path = "/api/v1/matches/{id}/handover",
    tag = "matches",
    operation_id = "matches_handover",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The match's id")),
    request_body = HandoverRequest,
    responses(
        (status = 200, description = "The match, as `GET /api/v1/matches/{id}`", body = MatchBody),
        LoginRequired,
        (status = 403, description = "Not the township officer, or missing/wrong `X-CSRF-Token`", body = ErrorBody),
        OutOfReach,
        (status = 409, description = "`conflict` with `details.status`: not approved, or over", body = ErrorBody),
        (status = 422, description = "Missing note, or `personal_information` findings when it holds what identifies the child", body = ErrorBody),
    )
)]
pub async fn api_handover(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<HandoverRequest>,
) -> AppResult<Json<MatchBody>> {
    handover(&state, &caller, &ctx, &id, body).await
}

/// The same as `POST /api/v1/matches/{id}/handover`.
#[utoipa::path(
    put,
    path = "/api/v1/matches/{id}/handover",
    tag = "matches",
    operation_id = "matches_handover_put",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The match's id")),
    request_body = HandoverRequest,
    responses(
        (status = 200, description = "The match, as `GET /api/v1/matches/{id}`", body = MatchBody),
        LoginRequired,
        (status = 403, description = "Not the township officer, or missing/wrong `X-CSRF-Token`", body = ErrorBody),
        OutOfReach,
        (status = 409, description = "`conflict` with `details.status`: not approved, or over", body = ErrorBody),
        (status = 422, description = "Missing note, or `personal_information` findings when it holds what identifies the child", body = ErrorBody),
    )
)]
pub async fn api_handover_put(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<HandoverRequest>,
) -> AppResult<Json<MatchBody>> {
    handover(&state, &caller, &ctx, &id, body).await
}

/// An outcome note on a completed match.
#[derive(serde::Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeNoteRequest {
    /// The township officer's view: `fully_met`, `partly_met` or `not_met`
    /// (required of the officer; the owner sends none).
    pub outcome: Option<String>,
    /// How it went (at most 2000 characters; checked for personal information).
    pub note: Option<String>,
}

/// Gives the caller's outcome note on a completed match: the offer's owner
/// (a note) or the township officer (an outcome and a note), once each.
#[utoipa::path(
    post,
    path = "/api/v1/matches/{id}/outcome-note",
    tag = "matches",
    operation_id = "matches_outcome_note",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The match's id")),
    request_body = OutcomeNoteRequest,
    responses(
        (status = 200, description = "The match, as `GET /api/v1/matches/{id}`, with `outcome_notes`", body = MatchBody),
        LoginRequired,
        (status = 403, description = "County staff (the owner and the officer give notes), or missing/wrong `X-CSRF-Token`", body = ErrorBody),
        OutOfReach,
        (status = 409, description = "`conflict`: not completed (with `details.status`), or this party's note was already given (a note is not replaced)", body = ErrorBody),
        (status = 422, description = "Missing `note`, the officer's missing or unknown `outcome`, an owner sending `outcome`, or `personal_information` findings", body = ErrorBody),
    )
)]
pub async fn api_outcome_note(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<OutcomeNoteRequest>,
) -> AppResult<Json<MatchBody>> {
    let input = matches::OutcomeNoteInput {
        outcome: body.outcome,
        note: body.note.unwrap_or_default(),
    };
    matches::note_outcome(state.store(), &ctx, &caller, &id, input).await?;
    answer(&state, &caller, &id).await
}
