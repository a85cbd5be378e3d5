//! The moves of a match under `/api/v1/matches/{id}/…`: each answers the
//! match as `GET /api/v1/matches/{id}` does. Services and the handover
//! note are in `records`.

use axum::Json;
use axum::extract::State;

use crate::error::AppResult;
use crate::services::matches::MoveInput;

use super::super::AppState;
use super::super::body::{ErrorBody, LoginRequired, OutOfReach};
use super::super::extract::{ApiJson, ApiPath, Auth, Ctx};
use super::body::MatchBody;
use super::{ApproveRequest, CompleteRequest, MatchReasonRequest, NoteRequest, moved};

/// The owner of the offer accepts an officer's suggestion (`suggested` → `proposed`).
#[utoipa::path(
    post,
    path = "/api/v1/matches/{id}/accept",
    tag = "matches",
    operation_id = "matches_accept",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The match's id")),
    request_body = NoteRequest,
    responses(
        (status = 200, description = "The match, as `GET /api/v1/matches/{id}`", body = MatchBody),
        LoginRequired,
        (status = 403, description = "Not the offer's owner (in good standing), or missing/wrong `X-CSRF-Token`", body = ErrorBody),
        OutOfReach,
        (status = 409, description = "`conflict` with `details.status`: the match's state does not allow it", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    )
)]
pub async fn api_accept(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<NoteRequest>,
) -> AppResult<Json<MatchBody>> {
    let input = MoveInput::Accept { note: body.note };
    moved(&state, &ctx, &caller, &id, input).await
}

/// Approves: the township officer of the need (`proposed` → `approved`, or
/// `township_approved` for foster care, entrusted care and sponsorship),
/// then county staff (`township_approved` → `approved`). The final
/// approval takes a place of the offer.
#[utoipa::path(
    post,
    path = "/api/v1/matches/{id}/approve",
    tag = "matches",
    operation_id = "matches_approve",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The match's id")),
    request_body = ApproveRequest,
    responses(
        (status = 200, description = "The match, as `GET /api/v1/matches/{id}`", body = MatchBody),
        LoginRequired,
        (status = 403, description = "Not an approver, or missing/wrong `X-CSRF-Token`", body = ErrorBody),
        OutOfReach,
        (status = 409, description = "`no_capacity` when the offer has no place left; `conflict` (with `details.status` when the match's state does not allow it) when the state moved on, the need is already covered or the offer does not serve the child's township", body = ErrorBody),
        (status = 422, description = "Invalid fields, or `personal_information` findings in the note or handover note", body = ErrorBody),
    )
)]
pub async fn api_approve(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<ApproveRequest>,
) -> AppResult<Json<MatchBody>> {
    let input = MoveInput::Approve {
        note: body.note,
        handover_note: body.handover_note,
    };
    moved(&state, &ctx, &caller, &id, input).await
}

/// Refuses a match, with a reason: the township officer before approval,
/// county staff at their step.
#[utoipa::path(
    post,
    path = "/api/v1/matches/{id}/reject",
    tag = "matches",
    operation_id = "matches_reject",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The match's id")),
    request_body = MatchReasonRequest,
    responses(
        (status = 200, description = "The match, as `GET /api/v1/matches/{id}`", body = MatchBody),
        LoginRequired,
        (status = 403, description = "Not an approver, or missing/wrong `X-CSRF-Token`", body = ErrorBody),
        OutOfReach,
        (status = 409, description = "`conflict` with `details.status`", body = ErrorBody),
        (status = 422, description = "Missing reason, or `personal_information` findings in it", body = ErrorBody),
    )
)]
pub async fn api_reject(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<MatchReasonRequest>,
) -> AppResult<Json<MatchBody>> {
    let input = MoveInput::Reject {
        reason: body.reason.unwrap_or_default(),
    };
    moved(&state, &ctx, &caller, &id, input).await
}

/// Takes a match back before approval: the offer's owner (also to decline
/// a suggestion), or the officer its own suggestion.
#[utoipa::path(
    post,
    path = "/api/v1/matches/{id}/withdraw",
    tag = "matches",
    operation_id = "matches_withdraw",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The match's id")),
    request_body = MatchReasonRequest,
    responses(
        (status = 200, description = "The match, as `GET /api/v1/matches/{id}`", body = MatchBody),
        LoginRequired,
        (status = 403, description = "Not the proposing side, or missing/wrong `X-CSRF-Token`", body = ErrorBody),
        OutOfReach,
        (status = 409, description = "`conflict` with `details.status`", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    )
)]
pub async fn api_withdraw(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<MatchReasonRequest>,
) -> AppResult<Json<MatchBody>> {
    let input = MoveInput::Withdraw {
        reason: body.reason,
    };
    moved(&state, &ctx, &caller, &id, input).await
}

/// Ends a match after the township's approval, with a reason: the township
/// officer or the offer's owner. A match that held a place gives it back.
#[utoipa::path(
    post,
    path = "/api/v1/matches/{id}/cancel",
    tag = "matches",
    operation_id = "matches_cancel",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The match's id")),
    request_body = MatchReasonRequest,
    responses(
        (status = 200, description = "The match, as `GET /api/v1/matches/{id}`", body = MatchBody),
        LoginRequired,
        (status = 403, description = "Neither the officer nor the owner, or missing/wrong `X-CSRF-Token`", body = ErrorBody),
        OutOfReach,
        (status = 409, description = "`conflict` with `details.status`", body = ErrorBody),
        (status = 422, description = "Missing reason, or `personal_information` findings in an officer's reason", body = ErrorBody),
    )
)]
pub async fn api_cancel(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<MatchReasonRequest>,
) -> AppResult<Json<MatchBody>> {
    let input = MoveInput::Cancel {
        reason: body.reason.unwrap_or_default(),
    };
    moved(&state, &ctx, &caller, &id, input).await
}

/// Confirms completion with feedback and a rating (the township officer; `in_service` → `completed`).
#[utoipa::path(
    post,
    path = "/api/v1/matches/{id}/complete",
    tag = "matches",
    operation_id = "matches_complete",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The match's id")),
    request_body = CompleteRequest,
    responses(
        (status = 200, description = "The match, as `GET /api/v1/matches/{id}`", body = MatchBody),
        LoginRequired,
        (status = 403, description = "Not the township officer, or missing/wrong `X-CSRF-Token`", body = ErrorBody),
        OutOfReach,
        (status = 409, description = "`conflict` with `details.status`", body = ErrorBody),
        (status = 422, description = "Missing feedback or a rating outside 1–5, or `personal_information` findings in the feedback", body = ErrorBody),
    )
)]
pub async fn api_complete(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<CompleteRequest>,
) -> AppResult<Json<MatchBody>> {
    let input = MoveInput::Complete {
        feedback: body.feedback.unwrap_or_default(),
        rating: body.rating,
    };
    moved(&state, &ctx, &caller, &id, input).await
}

/// The township officer decides that a match waiting for review (the
/// guardian withdrew consent to publish while it held its place) goes on;
/// the match leaves the officer's inbox. (To end it instead: `cancel`.)
#[utoipa::path(
    post,
    path = "/api/v1/matches/{id}/continue",
    tag = "matches",
    operation_id = "matches_continue",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The match's id")),
    request_body = NoteRequest,
    responses(
        (status = 200, description = "The match, as `GET /api/v1/matches/{id}`", body = MatchBody),
        LoginRequired,
        (status = 403, description = "Not the township officer of the need, or missing/wrong `X-CSRF-Token`", body = ErrorBody),
        OutOfReach,
        (status = 409, description = "`conflict` with `details.status`: the match is not waiting for review", body = ErrorBody),
        (status = 422, description = "Invalid fields, or `personal_information` findings in the note", body = ErrorBody),
    )
)]
pub async fn api_continue(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<NoteRequest>,
) -> AppResult<Json<MatchBody>> {
    let input = MoveInput::Continue { note: body.note };
    moved(&state, &ctx, &caller, &id, input).await
}
