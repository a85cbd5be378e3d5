//! Child files: `/api/v1/children…`; the pages are in [`pages`].

pub mod pages;

use crate::web::extract::parse_filter;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::db::entities::{child, child_event, visit};
use crate::domain::Invalid;
use crate::domain::child::{DifficultyInput, FileStatus, VaultField};
use crate::error::{AppError, AppResult};
use crate::services::children::view::{self, FileView, ListItem};
use crate::services::children::visits::{self, VisitInput};
use crate::services::children::{self, ChildInput};
use crate::services::{Paging, Store};

use super::AppState;
use super::body::{
    ErrorBody, InvalidFields, ListBody, LoginRequired, OutOfScope, ReadAccess, ReasonRequest,
    WriteAccess,
};
use super::extract::{ApiJson, ApiPath, ApiQuery, Auth, Ctx, ListQuery};

impl AppState {
    pub fn store(&self) -> Store<'_> {
        Store {
            db: &self.db,
            vault: &self.vault,
        }
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisabilityRequest {
    #[serde(rename = "type")]
    kind: String,
    grade: i64,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentRequest {
    keep_file: bool,
    publish_needs: bool,
}

/// The body of `POST /api/v1/children` and `PATCH /api/v1/children/{id}`
/// (on a patch every field is optional and absent fields keep their value).
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChildRequest {
    name: Option<String>,
    id_number: Option<String>,
    gender: Option<String>,
    township: Option<String>,
    village: Option<String>,
    address: Option<String>,
    guardian_name: Option<String>,
    guardian_relation: Option<String>,
    guardian_phone: Option<String>,
    school: Option<String>,
    difficulties: Option<Vec<String>>,
    poverty_type: Option<String>,
    disability: Option<DisabilityRequest>,
    unsupported_reason: Option<String>,
    illness: Option<String>,
    assistance: Option<Vec<String>>,
    consent: Option<ConsentRequest>,
    statutory_basis: Option<String>,
}

impl From<ChildRequest> for ChildInput {
    fn from(r: ChildRequest) -> Self {
        let details_given = r.difficulties.is_some();
        ChildInput {
            name: r.name,
            id_number: r.id_number,
            gender: r.gender,
            township: r.township,
            village: r.village,
            address: r.address,
            guardian_name: r.guardian_name,
            guardian_relation: r.guardian_relation,
            guardian_phone: r.guardian_phone,
            school: r.school,
            difficulties: details_given.then(|| DifficultyInput {
                kinds: r.difficulties.unwrap_or_default(),
                poverty_type: r.poverty_type,
                disability_type: r.disability.as_ref().map(|d| d.kind.clone()),
                disability_grade: r.disability.as_ref().map(|d| d.grade),
                unsupported_reason: r.unsupported_reason,
                illness: r.illness,
            }),
            assistance: r.assistance,
            consent_keep_file: r.consent.as_ref().map(|c| c.keep_file),
            consent_publish_needs: r.consent.as_ref().map(|c| c.publish_needs),
            statutory_basis: r.statutory_basis,
        }
    }
}

fn list_of(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

/// The non-personal part of a file, as JSON.
fn file_json(c: &child::Model) -> Value {
    json!({
        "id": c.id,
        "file_no": c.file_no,
        "status": c.status,
        "township": c.township_code,
        "gender": c.gender,
        "difficulties": list_of(&c.difficulties),
        "difficulty_class": c.difficulty_class,
        "poverty_type": c.poverty_type,
        "disability": c.disability_type.as_ref().map(|t| json!({"type": t, "grade": c.disability_grade})),
        "unsupported_reason": c.unsupported_reason,
        "illness": c.illness,
        "assistance": list_of(&c.assistance),
        "guardian_relation": c.guardian_relation,
        "school": c.school,
        "consent": c.statutory_basis.is_none().then(|| json!({
            "keep_file": c.consent_keep_file,
            "publish_needs": c.consent_publish_needs,
        })),
        "statutory_basis": c.statutory_basis,
        "closed_reason": c.closed_reason,
        "last_visited_on": c.last_visited_on.map(|d| d.to_string()),
        "created_at": c.created_at.to_rfc3339(),
        "updated_at": c.updated_at.to_rfc3339(),
    })
}

fn visit_json(v: &visit::Model) -> Value {
    json!({
        "id": v.id,
        "visited_on": v.visited_on.to_string(),
        "summary": v.summary,
        "visitor": v.visitor_name,
        "created_at": v.created_at.to_rfc3339(),
    })
}

fn event_json(e: &child_event::Model) -> Value {
    json!({
        "at": e.at.to_rfc3339(),
        "actor": e.actor_name,
        "action": e.action,
        "fields": list_of(&e.fields),
        "note": e.note,
    })
}

fn view_json(v: &FileView) -> Value {
    let mut body = file_json(&v.child);
    let identity: serde_json::Map<String, Value> = v
        .fields
        .iter()
        .map(|f| {
            (
                f.field.as_str().to_owned(),
                json!({"value": f.value, "revealed": f.revealed}),
            )
        })
        .collect();
    if let Value::Object(map) = &mut body {
        map.insert("identity".into(), Value::Object(identity));
        map.insert("age_band".into(), json!(v.age_band.map(|b| b.as_str())));
        map.insert("visit_overdue".into(), json!(v.overdue));
        map.insert(
            "visits".into(),
            json!(v.visits.iter().map(visit_json).collect::<Vec<_>>()),
        );
        map.insert(
            "history".into(),
            json!(v.events.iter().map(event_json).collect::<Vec<_>>()),
        );
        map.insert(
            "needs".into(),
            json!(v
                .needs
                .iter()
                .map(|n| json!({"id": n.id, "code": n.code, "status": n.status, "title": n.title}))
                .collect::<Vec<_>>()),
        );
    }
    body
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ListItemBody {
    id: String,
    file_no: String,
    name: String,
    township: String,
    status: &'static str,
    age_band: Option<&'static str>,
    difficulty_class: &'static str,
    last_visited_on: Option<String>,
    visit_overdue: bool,
}

impl From<ListItem> for ListItemBody {
    fn from(i: ListItem) -> Self {
        Self {
            id: i.id,
            file_no: i.file_no,
            name: i.masked_name,
            township: i.township_code,
            status: i.status.as_str(),
            age_band: i.age_band.map(|b| b.as_str()),
            difficulty_class: i.class.as_str(),
            last_visited_on: i.last_visited_on.map(|d| d.to_string()),
            visit_overdue: i.overdue,
        }
    }
}

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
        (status = 201, description = "`{id, file_no, status}`", body = Object),
        WriteAccess,
        (status = 409, description = "A file for that ID number exists", body = ErrorBody),
        InvalidFields,
    )
)]
pub async fn api_create(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<ChildRequest>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let child = children::create(state.store(), &ctx, &caller, body.into()).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": child.id, "file_no": child.file_no, "status": child.status})),
    ))
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
        (status = 200, description = "The file: its non-personal fields, `identity` (`{field: {value, revealed}}`), `age_band`, `visit_overdue`, `visits`, `history` and `needs`", body = Object),
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
) -> AppResult<Json<Value>> {
    let reveal = parse_reveal(query.reveal.as_deref())?;
    let file = view::get(state.store(), &ctx, &caller, &id, &reveal).await?;
    Ok(Json(view_json(&file)))
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
        (status = 200, description = "The file's non-personal fields; when the change withdrew the guardian's consent to publish, also `publication_withdrawn: {needs_unpublished, proposals_ended, matches_to_review}`", body = Object),
        LoginRequired,
        (status = 403, description = "Not allowed (a village supervisor typing a statutory basis), or missing/wrong `X-CSRF-Token`", body = ErrorBody),
        OutOfScope,
        (status = 409, description = "The file is closed, a village supervisor edits a completed file, or the ID number belongs to another file", body = ErrorBody),
        InvalidFields,
    )
)]
pub async fn api_update(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<ChildRequest>,
) -> AppResult<Json<Value>> {
    let changed = children::update(state.store(), &ctx, &caller, &id, body.into()).await?;
    let mut body = file_json(&changed.file);
    if let Some(w) = changed.withdrawal {
        body["publication_withdrawn"] = json!({
            "needs_unpublished": w.needs_unpublished,
            "proposals_ended": w.proposals_ended,
            "matches_to_review": w.matches_to_review,
        });
    }
    Ok(Json(body))
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
    let page = view::list(
        state.store(),
        &ctx,
        &caller,
        status,
        Paging::new(query.limit, query.offset),
    )
    .await?;
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
    let page = view::search(
        state.store(),
        &ctx,
        &caller,
        &body.q,
        Paging::new(body.limit, body.offset),
    )
    .await?;
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
        (status = 200, description = "The file's non-personal fields", body = Object),
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
) -> AppResult<Json<Value>> {
    let child = children::complete(state.store(), &ctx, &caller, &id).await?;
    Ok(Json(file_json(&child)))
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
        (status = 200, description = "The file's non-personal fields", body = Object),
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
) -> AppResult<Json<Value>> {
    let child = children::close(state.store(), &ctx, &caller, &id, &body.reason).await?;
    Ok(Json(file_json(&child)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitRequest {
    visited_on: String,
    summary: String,
}

/// Records a visit to the child.
#[utoipa::path(
    post,
    path = "/api/v1/children/{id}/visits",
    tag = "children",
    operation_id = "children_add_visit",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The child file's id")),
    request_body = VisitRequest,
    responses(
        (status = 201, description = "The visit: `{id, visited_on, summary, visitor, created_at}`", body = Object),
        WriteAccess,
        OutOfScope,
        (status = 409, description = "The file is closed", body = ErrorBody),
        (status = 422, description = "Invalid date or summary", body = ErrorBody),
    )
)]
pub async fn api_add_visit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<VisitRequest>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let input = VisitInput {
        visited_on: body.visited_on,
        summary: body.summary,
    };
    let visit = visits::add(state.store(), &ctx, &caller, &id, input).await?;
    Ok((StatusCode::CREATED, Json(visit_json(&visit))))
}

/// The visits to a child, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/children/{id}/visits",
    tag = "children",
    operation_id = "children_visits",
    security(("cookie" = [])),
    params(("id" = String, Path, description = "The child file's id")),
    responses(
        (status = 200, description = "`{total, items: [{id, visited_on, summary, visitor, created_at}]}`", body = Object),
        ReadAccess,
        OutOfScope,
    )
)]
pub async fn api_visits(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<Value>> {
    let visits = visits::list(state.store(), &caller, &id).await?;
    Ok(Json(json!({
        "total": visits.len(),
        "items": visits.iter().map(visit_json).collect::<Vec<_>>(),
    })))
}
