//! Referrals (转介) and one-door intake: `/api/v1/referrals…`,
//! `/api/v1/intakes…`; the answers are in [`body`], the pages in [`pages`].

pub mod body;
pub mod pages;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

use crate::domain::Invalid;
use crate::domain::child::VaultField;
use crate::domain::department::Department;
use crate::domain::referral::{ReferralMove, ReferralStatus};
use crate::error::{AppError, AppResult};
use crate::services::referrals::moves::{self, AnswerInput};
use crate::services::referrals::view::{self, ListFilter};
use crate::services::referrals::{self, ReferralInput, figures, intake};
use crate::services::{Paging, Principal, RequestCtx};

use super::AppState;
use super::body::{
    AdminRead, ErrorBody, InvalidFields, ListBody, ReadAccess, ReasonRequest, WriteAccess,
};
use super::extract::{ApiJson, ApiPath, ApiQuery, Auth, Ctx, parse_filter};
use body::{
    CommentRequest, FiguresBody, ForwardRequest, GrantRequest, IntakeBody, IntakeRequest,
    MovedBody, ReferralBody, ReferralCreatedBody, ReferralDetailBody, ReferralRequest,
};

/// Sends a referral to a department (township_officer of the file, county_admin).
#[utoipa::path(
    post,
    path = "/api/v1/referrals",
    tag = "referrals",
    operation_id = "referrals_create",
    security(("cookie" = [], "csrf" = [])),
    request_body = ReferralRequest,
    responses(
        (status = 201, description = "The new referral: `{id, status: \"sent\", due_on, department}`", body = ReferralCreatedBody),
        WriteAccess,
        (status = 404, description = "The file is absent or outside the caller's scope", body = ErrorBody),
        (status = 409, description = "The file is closed, or a referral about the same entitlement is open", body = ErrorBody),
        (status = 422, description = "Invalid fields, or `details.findings` when the summary holds personal information", body = ErrorBody),
    )
)]
pub async fn api_create(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<ReferralRequest>,
) -> AppResult<(StatusCode, Json<ReferralCreatedBody>)> {
    let input = ReferralInput {
        child_id: body.child_id,
        department: body.department,
        entitlement: body.entitlement,
        matter: body.matter,
        summary: body.summary,
        due_in_days: body.due_in_days,
    };
    let saved = referrals::create(state.store(), &ctx, &caller, input).await?;
    Ok((StatusCode::CREATED, Json(saved.into())))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReferralListQuery {
    /// Page size: default 20, at most 100.
    limit: Option<u64>,
    offset: Option<u64>,
    /// Only referrals in this status.
    status: Option<String>,
    /// `1`: only open referrals past their deadline.
    overdue: Option<String>,
    /// County and township: only those sent to this department.
    department: Option<String>,
    /// County: only those of this township.
    township: Option<String>,
    /// Only those of this child file.
    child: Option<String>,
}

/// Referrals the caller reaches, open and overdue first.
#[utoipa::path(
    get,
    path = "/api/v1/referrals",
    tag = "referrals",
    operation_id = "referrals_list",
    security(("cookie" = [])),
    params(ReferralListQuery),
    responses(
        (status = 200, description = "`{total, items}`: department staff their department's, township officers their township's, county staff all", body = ListBody<ReferralBody>),
        ReadAccess,
        InvalidFields,
    )
)]
pub async fn api_list(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiQuery(query): ApiQuery<ReferralListQuery>,
) -> AppResult<Json<ListBody<ReferralBody>>> {
    let filter = ListFilter {
        status: parse_filter::<ReferralStatus>(query.status.as_deref(), "status")?,
        overdue: matches!(query.overdue.as_deref(), Some("1" | "true")),
        department: parse_filter::<Department>(query.department.as_deref(), "department")?,
        township: query.township.filter(|t| !t.is_empty()),
        child_id: query.child.filter(|c| !c.is_empty()),
    };
    let page = view::list(
        state.store(),
        &caller,
        &filter,
        Paging::new(query.limit, query.offset),
    )
    .await?;
    Ok(Json(page.into()))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RevealQuery {
    /// Fields to reveal (audited), among those the referral needs: a
    /// comma-separated list such as `name,id_number`, or `all`.
    reveal: Option<String>,
}

/// The fields asked for, all of them among `allowed` (422 otherwise).
pub fn parse_reveal(raw: Option<&str>) -> AppResult<Vec<VaultField>> {
    super::children::parse_reveal(raw)
}

/// One referral with the masked fields its department needs (audited).
#[utoipa::path(
    get,
    path = "/api/v1/referrals/{id}",
    tag = "referrals",
    operation_id = "referrals_get",
    security(("cookie" = [])),
    params(("id" = String, Path, description = "The referral's id"), RevealQuery),
    responses(
        (status = 200, description = "The referral, the child's fields it needs (masked unless revealed), its timeline and the reader's moves", body = ReferralDetailBody),
        ReadAccess,
        (status = 404, description = "Absent, or not the caller's department's or township's", body = ErrorBody),
        (status = 422, description = "Unknown field in `reveal`", body = ErrorBody),
    )
)]
pub async fn api_get(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<RevealQuery>,
) -> AppResult<Json<ReferralDetailBody>> {
    let reveal = parse_reveal(query.reveal.as_deref())?;
    let found = view::get(state.store(), &ctx, &caller, &id, &reveal).await?;
    Ok(Json(found.into()))
}

async fn make(
    state: &AppState,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    mv: ReferralMove,
    input: AnswerInput,
) -> AppResult<Json<MovedBody>> {
    let moved = moves::make(state.store(), ctx, caller, id, mv, input).await?;
    Ok(Json(MovedBody::new(moved.referral, moved.forwarded)))
}

/// The department takes a referral on (department_staff of it).
#[utoipa::path(
    post,
    path = "/api/v1/referrals/{id}/accept",
    tag = "referrals",
    operation_id = "referrals_accept",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The referral's id")),
    responses(
        (status = 200, description = "`{id, status: \"accepted\"}`", body = MovedBody),
        WriteAccess,
        (status = 404, description = "Absent or not the caller's department's", body = ErrorBody),
        (status = 409, description = "The state does not allow it (`details.status`)", body = ErrorBody),
    )
)]
pub async fn api_accept(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<MovedBody>> {
    make(
        &state,
        &ctx,
        &caller,
        &id,
        ReferralMove::Accept,
        AnswerInput::default(),
    )
    .await
}

/// Granted: records the entitlement on the file (department_staff of it).
#[utoipa::path(
    post,
    path = "/api/v1/referrals/{id}/grant",
    tag = "referrals",
    operation_id = "referrals_grant",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The referral's id")),
    request_body = GrantRequest,
    responses(
        (status = 200, description = "`{id, status: \"granted\"}`; the entitlement is recorded as received", body = MovedBody),
        WriteAccess,
        (status = 404, description = "Absent or not the caller's department's", body = ErrorBody),
        (status = 409, description = "The state does not allow it, or another answer came first (`details.status`)", body = ErrorBody),
        InvalidFields,
    )
)]
pub async fn api_grant(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<GrantRequest>,
) -> AppResult<Json<MovedBody>> {
    let input = AnswerInput {
        benefit: Some(body.benefit),
        amount_yuan: body.amount_yuan,
        start_on: Some(body.start_on),
        decision_reference: Some(body.decision_reference),
        ..AnswerInput::default()
    };
    make(&state, &ctx, &caller, &id, ReferralMove::Grant, input).await
}

/// Refused, with the reason (department_staff of it).
#[utoipa::path(
    post,
    path = "/api/v1/referrals/{id}/refuse",
    tag = "referrals",
    operation_id = "referrals_refuse",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The referral's id")),
    request_body = ReasonRequest,
    responses(
        (status = 200, description = "`{id, status: \"refused\"}`", body = MovedBody),
        WriteAccess,
        (status = 404, description = "Absent or not the caller's department's", body = ErrorBody),
        (status = 409, description = "The state does not allow it (`details.status`)", body = ErrorBody),
        InvalidFields,
    )
)]
pub async fn api_refuse(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<ReasonRequest>,
) -> AppResult<Json<MovedBody>> {
    let input = AnswerInput {
        reason: Some(body.reason),
        ..AnswerInput::default()
    };
    make(&state, &ctx, &caller, &id, ReferralMove::Refuse, input).await
}

/// Not the department's matter: back to the township, with the reason.
#[utoipa::path(
    post,
    path = "/api/v1/referrals/{id}/return",
    tag = "referrals",
    operation_id = "referrals_return",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The referral's id")),
    request_body = ReasonRequest,
    responses(
        (status = 200, description = "`{id, status: \"returned\"}`", body = MovedBody),
        WriteAccess,
        (status = 404, description = "Absent or not the caller's department's", body = ErrorBody),
        (status = 409, description = "The state does not allow it (`details.status`)", body = ErrorBody),
        InvalidFields,
    )
)]
pub async fn api_return(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<ReasonRequest>,
) -> AppResult<Json<MovedBody>> {
    let input = AnswerInput {
        reason: Some(body.reason),
        ..AnswerInput::default()
    };
    make(&state, &ctx, &caller, &id, ReferralMove::Return, input).await
}

/// Not the department's matter: on to another department (a new referral
/// with a new deadline).
#[utoipa::path(
    post,
    path = "/api/v1/referrals/{id}/forward",
    tag = "referrals",
    operation_id = "referrals_forward",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The referral's id")),
    request_body = ForwardRequest,
    responses(
        (status = 200, description = "`{id, status: \"forwarded\", forwarded: {id, status, due_on, department}}`", body = MovedBody),
        WriteAccess,
        (status = 404, description = "Absent or not the caller's department's", body = ErrorBody),
        (status = 409, description = "The state does not allow it (`details.status`)", body = ErrorBody),
        InvalidFields,
    )
)]
pub async fn api_forward(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<ForwardRequest>,
) -> AppResult<Json<MovedBody>> {
    let input = AnswerInput {
        department: Some(body.department),
        reason: body.reason,
        ..AnswerInput::default()
    };
    make(&state, &ctx, &caller, &id, ReferralMove::Forward, input).await
}

/// The township closes an answered referral (township_officer, county_admin).
#[utoipa::path(
    post,
    path = "/api/v1/referrals/{id}/close",
    tag = "referrals",
    operation_id = "referrals_close",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The referral's id")),
    responses(
        (status = 200, description = "`{id, status: \"closed\"}`", body = MovedBody),
        WriteAccess,
        (status = 404, description = "Absent or not the caller's township's", body = ErrorBody),
        (status = 409, description = "Not answered yet, or closed (`details.status`)", body = ErrorBody),
    )
)]
pub async fn api_close(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<MovedBody>> {
    make(
        &state,
        &ctx,
        &caller,
        &id,
        ReferralMove::Close,
        AnswerInput::default(),
    )
    .await
}

/// A comment in the referral's thread: the department asks, the township answers.
#[utoipa::path(
    post,
    path = "/api/v1/referrals/{id}/comment",
    tag = "referrals",
    operation_id = "referrals_comment",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The referral's id")),
    request_body = CommentRequest,
    responses(
        (status = 201, description = "`{id, status}` of the referral", body = MovedBody),
        WriteAccess,
        (status = 404, description = "Absent or outside the caller's reach", body = ErrorBody),
        (status = 409, description = "The referral is closed", body = ErrorBody),
        (status = 422, description = "Empty text, or `details.findings` when it holds personal information", body = ErrorBody),
    )
)]
pub async fn api_comment(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<CommentRequest>,
) -> AppResult<(StatusCode, Json<MovedBody>)> {
    let saved = moves::comment(state.store(), &ctx, &caller, &id, &body.text).await?;
    Ok((StatusCode::CREATED, Json(MovedBody::new(saved, None))))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FiguresQuery {
    /// Only referrals sent on or after this day (`YYYY-MM-DD`).
    since: Option<String>,
}

/// The county's figures per department (督查): received, answered on time,
/// median days to answer, granted and refused.
#[utoipa::path(
    get,
    path = "/api/v1/referrals/figures",
    tag = "referrals",
    operation_id = "referrals_figures",
    security(("cookie" = [])),
    params(FiguresQuery),
    responses(
        (status = 200, description = "`{items}`: one per department that received referrals", body = FiguresBody),
        AdminRead,
        InvalidFields,
    )
)]
pub async fn api_figures(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiQuery(query): ApiQuery<FiguresQuery>,
) -> AppResult<Json<FiguresBody>> {
    let since = match query
        .since
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(raw) => Some(
            crate::domain::dates::parse_day(raw)
                .ok_or_else(|| AppError::Invalid(Invalid::one("since", "日期格式应为 2026-11-28")))?
                .and_hms_opt(0, 0, 0)
                .map(|t| t.and_utc())
                .unwrap_or_default(),
        ),
    };
    let items = figures::figures(state.store(), &caller, since).await?;
    Ok(Json(FiguresBody {
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// One-door intake: registers a family's application and routes each
/// part to the department responsible as a referral.
#[utoipa::path(
    post,
    path = "/api/v1/intakes",
    tag = "referrals",
    operation_id = "intakes_create",
    security(("cookie" = [], "csrf" = [])),
    request_body = IntakeRequest,
    responses(
        (status = 201, description = "The intake with its referrals", body = IntakeBody),
        WriteAccess,
        (status = 404, description = "The file is absent or outside the caller's scope", body = ErrorBody),
        (status = 409, description = "The file is closed, or an entitlement asked for is already referred", body = ErrorBody),
        (status = 422, description = "Invalid fields, or `details.findings` when the request holds personal information", body = ErrorBody),
    )
)]
pub async fn api_intake(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<IntakeRequest>,
) -> AppResult<(StatusCode, Json<IntakeBody>)> {
    let input = intake::IntakeInput {
        child_id: body.child_id,
        applicant: body.applicant,
        request: body.request,
        entitlements: body.entitlements,
        matters: body
            .matters
            .into_iter()
            .map(|m| (m.department, m.matter))
            .collect(),
    };
    let saved = intake::create(state.store(), &ctx, &caller, input).await?;
    Ok((StatusCode::CREATED, Json(saved.into())))
}

/// One intake with its referrals (township_officer of its township, county_admin).
#[utoipa::path(
    get,
    path = "/api/v1/intakes/{id}",
    tag = "referrals",
    operation_id = "intakes_get",
    security(("cookie" = [])),
    params(("id" = String, Path, description = "The intake's id")),
    responses(
        (status = 200, description = "The intake with its referrals", body = IntakeBody),
        ReadAccess,
        (status = 404, description = "Absent or outside the caller's scope", body = ErrorBody),
    )
)]
pub async fn api_intake_get(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<IntakeBody>> {
    Ok(Json(intake::get(state.store(), &caller, &id).await?.into()))
}
