//! Child files: `/api/v1/children…`; the request bodies are in
//! [`request`], the answers in [`body`], the visits in [`visits`], the
//! pages in [`pages`] (their form in [`form`], a reveal's one view in
//! [`reveal`]).

pub mod body;
pub mod form;
pub mod pages;
pub mod request;
pub mod reveal;
pub mod timeline;
pub mod visits;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

use crate::domain::Invalid;
use crate::domain::child::{FileStatus, VaultField};
use crate::error::{AppError, AppResult};
use crate::services::Paging;
use crate::services::children;
use crate::services::children::view;

use super::AppState;
use super::body::{
    ErrorBody, InvalidFields, ListBody, OutOfScope, ReadAccess, ReasonRequest, WriteAccess,
};
use super::extract::{ApiJson, ApiPath, ApiQuery, Auth, Ctx, ListQuery, parse_filter};
use body::{ChangedFileBody, ChildCreatedBody, FileBody, FileViewBody, ListItemBody};
use request::ChildRequest;

/// `reveal=name,id_number` or `reveal=all`.
pub fn parse_reveal(raw: Option<&str>) -> AppResult<Vec<VaultField>> {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(Vec::new());
    };
    if raw == "all" {
        return Ok(VaultField::ALL.to_vec());
    }
    raw.split(',')
        .map(|f| f.trim().parse::<VaultField>())
        .collect::<Result<_, _>>()
        .map_err(|e| AppError::Invalid(Invalid::one("reveal", e.to_string())))
}

/// Opens a child file (township_officer, village_supervisor).
#[utoipa::path(
    post,
    path = "/api/v1/children",
    tag = "children",
    operation_id = "children_create",
    security(("cookie" = [], "csrf" = [])),
    request_body(content = ChildRequest, description = "`name`, `id_number`, `gender`, `township`, `village` and `difficulties` are required, and either `consent` or `statutory_basis`"),
    responses(
        (status = 201, description = "The new file's `{id, file_no, status}`", body = ChildCreatedBody),
        WriteAccess,
        InvalidFields,
        (status = 409, description = "A file for that ID number exists", body = ErrorBody),
    )
)]
pub async fn api_create(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<ChildRequest>,
) -> AppResult<(StatusCode, Json<ChildCreatedBody>)> {
    let child = children::create(state.store(), &ctx, &caller, body.into()).await?;
    Ok((StatusCode::CREATED, Json(child.into())))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RevealQuery {
    /// Identity fields to reveal (audited): a comma-separated list such as
    /// `name,id_number`, or `all`.
    reveal: Option<String>,
}

/// One child file, masked unless `reveal` asks for fields (every read is audited).
#[utoipa::path(
    get,
    path = "/api/v1/children/{id}",
    tag = "children",
    operation_id = "children_get",
    security(("cookie" = [])),
    params(("id" = String, Path, description = "The child file's id"), RevealQuery),
    responses(
        (status = 200, description = "The file: its non-personal fields, `identity`, `age_band`, `visit_overdue`, `visits`, `history` and `needs`", body = FileViewBody),
        ReadAccess,
        OutOfScope,
        (status = 422, description = "Unknown field in `reveal`", body = ErrorBody),
    )
)]
pub async fn api_get(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<RevealQuery>,
) -> AppResult<Json<FileViewBody>> {
    let reveal = parse_reveal(query.reveal.as_deref())?;
    let file = view::get(state.store(), &ctx, &caller, &id, &reveal).await?;
    Ok(Json(file.into()))
}

/// Changes a child file: absent fields keep their values.
#[utoipa::path(
    patch,
    path = "/api/v1/children/{id}",
    tag = "children",
    operation_id = "children_update",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The child file's id")),
    request_body(content = ChildRequest, description = "The fields to change"),
    responses(
        (status = 200, description = "The file's non-personal fields; when the change withdrew the guardian's consent to publish, also `publication_withdrawn`", body = ChangedFileBody),
        WriteAccess,
        OutOfScope,
        InvalidFields,
        (status = 403, description = "Not allowed (a village supervisor typing a statutory basis), or missing/wrong `X-CSRF-Token`", body = ErrorBody),
        (status = 409, description = "The file is closed, a village supervisor edits a completed file, or the ID number belongs to another file", body = ErrorBody),
    )
)]
pub async fn api_update(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<ChildRequest>,
) -> AppResult<Json<ChangedFileBody>> {
    let changed = children::update(state.store(), &ctx, &caller, &id, body.into()).await?;
    Ok(Json(changed.into()))
}

/// Child files in the caller's scope, masked, least recently visited first.
#[utoipa::path(
    get,
    path = "/api/v1/children",
    tag = "children",
    operation_id = "children_list",
    security(("cookie" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "`{total, items}`", body = ListBody<ListItemBody>),
        ReadAccess,
        (status = 422, description = "Unknown `status`", body = ErrorBody),
    )
)]
pub async fn api_list(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> AppResult<Json<ListBody<ListItemBody>>> {
    let status = parse_filter::<FileStatus>(query.status.as_deref(), "status")?;
    let paging = Paging::new(query.limit, query.offset);
    let page = view::list(state.store(), &ctx, &caller, status, paging).await?;
    Ok(Json(page.into()))
}

/// A search is a POST so that a name typed into it never sits in a URL.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchRequest {
    q: String,
    limit: Option<u64>,
    offset: Option<u64>,
}

/// Searches child files by name, ID number or file number (a POST, so that a name never sits in a URL).
#[utoipa::path(
    post,
    path = "/api/v1/children/search",
    tag = "children",
    operation_id = "children_search",
    security(("cookie" = [], "csrf" = [])),
    request_body = SearchRequest,
    responses(
        (status = 200, description = "`{total, items}`", body = ListBody<ListItemBody>),
        WriteAccess,
        (status = 422, description = "Missing or unknown fields", body = ErrorBody),
    )
)]
pub async fn api_search(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<SearchRequest>,
) -> AppResult<Json<ListBody<ListItemBody>>> {
    let paging = Paging::new(body.limit, body.offset);
    let page = view::search(state.store(), &ctx, &caller, &body.q, paging).await?;
    Ok(Json(page.into()))
}

/// Completes a drafted child file: it becomes active (township_officer).
#[utoipa::path(
    post,
    path = "/api/v1/children/{id}/complete",
    tag = "children",
    operation_id = "children_complete",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The child file's id")),
    responses(
        (status = 200, description = "The file's non-personal fields", body = FileBody),
        WriteAccess,
        OutOfScope,
        (status = 409, description = "The file is not a draft", body = ErrorBody),
    )
)]
pub async fn api_complete(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<FileBody>> {
    let child = children::complete(state.store(), &ctx, &caller, &id).await?;
    Ok(Json(child.into()))
}

/// Closes a child file with a reason.
#[utoipa::path(
    post,
    path = "/api/v1/children/{id}/close",
    tag = "children",
    operation_id = "children_close",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The child file's id")),
    request_body = ReasonRequest,
    responses(
        (status = 200, description = "The file's non-personal fields", body = FileBody),
        WriteAccess,
        OutOfScope,
        (status = 409, description = "Already closed", body = ErrorBody),
        (status = 422, description = "Missing reason", body = ErrorBody),
    )
)]
pub async fn api_close(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<ReasonRequest>,
) -> AppResult<Json<FileBody>> {
    let child = children::close(state.store(), &ctx, &caller, &id, &body.reason).await?;
    Ok(Json(child.into()))
}
