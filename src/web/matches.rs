//! Matches: creating, listing and reading under `/api/v1/matches`; the
//! moves are in [`moves`], services and the handover note in [`records`],
//! the pages in [`pages`].

pub mod moves;
pub mod pages;
pub mod records;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::db::entities::service_record;
use crate::domain::matching::{MatchStatus, Party};
use crate::error::AppResult;
use crate::services::matches::{
    self, EventView, ListFilter, MatchDetail, MatchSummary, MoveInput, ProposeInput,
};
use crate::services::{Paging, Principal, RequestCtx};

use super::AppState;
use super::body::{ErrorBody, LoginRequired, OutOfReach};
use super::extract::{ApiJson, ApiPath, ApiQuery, Auth, Ctx, parse_filter};
use super::needs::public_json;

fn event_json(e: &EventView) -> Value {
    json!({
        "action": e.action,
        "from_status": e.from.map(MatchStatus::as_str),
        "to_status": e.to.as_str(),
        "actor_role": e.actor_role.as_str(),
        "actor_name": e.actor_name,
        "note": e.note,
        "at": e.at.to_rfc3339(),
    })
}

/// A service record as JSON.
pub fn service_json(s: &service_record::Model) -> Value {
    json!({
        "id": s.id,
        "served_on": s.served_on.to_string(),
        "hours": s.hours,
        "summary": s.summary,
        "created_at": s.created_at.to_rfc3339(),
    })
}

/// A match as its caller may see it. Owners get the need's projection
/// only; staff also its id.
pub fn detail_json(d: &MatchDetail) -> Value {
    let r = &d.record;
    let o = &d.offer.offer;
    let mut need = public_json(&d.need);
    if let Some(id) = &d.need_id {
        need["id"] = json!(id);
    }
    json!({
        "id": r.id,
        "status": d.status.as_str(),
        "status_label": d.status.label(),
        "category": d.category.as_str(),
        "proposed_side": d.side.as_str(),
        "note": r.note,
        "need": need,
        "offer": {
            "id": o.id,
            "title": o.title,
            "owner": o.owner_name,
            "owner_type": if o.provider_id.is_some() { "provider" } else { "family" },
            "category": o.category,
            "capacity": o.capacity,
            "remaining": o.remaining,
            "status": o.status,
        },
        "handover_note": r.handover_note,
        "feedback": r.feedback,
        "rating": r.rating,
        "events": d.events.iter().map(event_json).collect::<Vec<_>>(),
        "services": d.services.iter().map(service_json).collect::<Vec<_>>(),
        "allowed_moves": d.allowed.iter().map(|a| a.as_str()).collect::<Vec<_>>(),
        // Staff only: since when the match waits for the officer's decision
        // because the guardian withdrew consent to publish.
        "review_since": (d.party != Party::Owner)
            .then_some(r.review_since)
            .flatten()
            .map(|at| at.to_rfc3339()),
        "created_at": r.created_at.to_rfc3339(),
        "status_changed_at": r.status_changed_at.to_rfc3339(),
        "updated_at": r.updated_at.to_rfc3339(),
    })
}

fn summary_json(s: &MatchSummary, staff: bool) -> Value {
    let r = &s.record;
    let mut need = json!({"code": s.need_code, "title": s.need_title});
    if staff {
        need["id"] = json!(r.need_id);
    }
    json!({
        "id": r.id,
        "status": s.status.as_str(),
        "status_label": s.status.label(),
        "category": r.category,
        "proposed_side": r.proposed_side,
        "need": need,
        "offer": {"id": r.offer_id, "title": s.offer_title, "owner": s.offer_owner},
        "created_at": r.created_at.to_rfc3339(),
        "status_changed_at": r.status_changed_at.to_rfc3339(),
    })
}

async fn answer(state: &AppState, caller: &Principal, id: &str) -> AppResult<Json<Value>> {
    let k = state.settings.k_anonymity;
    let detail = matches::get(state.store(), caller, id, k).await?;
    Ok(Json(detail_json(&detail)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchRequest {
    /// The need's public code.
    need_code: Option<String>,
    /// The offer's id.
    offer_id: Option<String>,
    /// At most 1000 characters.
    note: Option<String>,
}

/// Proposes a match: the owner of the offer (`proposed`) or the township
/// officer of the need (`suggested`).
#[utoipa::path(
    post,
    path = "/api/v1/matches",
    tag = "matches",
    operation_id = "matches_create",
    security(("cookie" = [], "csrf" = [])),
    request_body = MatchRequest,
    responses(
        (status = 201, description = "`{id, status}`: `proposed` when the offer's owner proposed, `suggested` when a township officer did", body = Object),
        LoginRequired,
        (status = 403, description = "Not a verified provider, an approved family or a township officer, or missing/wrong `X-CSRF-Token`", body = ErrorBody),
        (status = 404, description = "The need is not published or outside the caller's reach", body = ErrorBody),
        (status = 409, description = "`duplicate`: an open match of this need and offer exists", body = ErrorBody),
        (status = 422, description = "Invalid fields (`details`): the need no longer takes matches, or the offer cannot serve it (state, places, category, area, ages); or `personal_information` in an officer's note", body = ErrorBody),
    )
)]
pub async fn api_create(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<MatchRequest>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let input = ProposeInput {
        need_code: body.need_code.unwrap_or_default(),
        offer_id: body.offer_id.unwrap_or_default(),
        note: body.note,
    };
    let k = state.settings.k_anonymity;
    let saved = matches::propose(state.store(), &ctx, &caller, input, k).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": saved.id, "status": saved.status})),
    ))
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MatchListQuery {
    /// Page size: default 20, at most 100.
    pub limit: Option<u64>,
    /// Items to skip.
    pub offset: Option<u64>,
    /// Only matches in this status.
    pub status: Option<String>,
    /// Only matches of this need (its public code; staff also its id).
    pub need: Option<String>,
    /// Only matches of this offer (its id).
    pub offer: Option<String>,
}

impl MatchListQuery {
    pub fn filter(&self) -> AppResult<ListFilter> {
        let given = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        Ok(ListFilter {
            status: parse_filter::<MatchStatus>(self.status.as_deref(), "status")?,
            need: given(&self.need),
            offer: given(&self.offer),
        })
    }
}

/// The matches in the caller's reach, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/matches",
    tag = "matches",
    operation_id = "matches_list",
    security(("cookie" = [])),
    params(MatchListQuery),
    responses(
        (status = 200, description = "`{total, items: [{id, status, status_label, category, proposed_side, need: {code, title, id?}, offer: {id, title, owner}, created_at, status_changed_at}]}`: county staff all, township officers their township's, providers and families those on their offers", body = Object),
        LoginRequired,
        (status = 403, description = "A role without matches (village supervisors)", body = ErrorBody),
        (status = 422, description = "Unknown `status`", body = ErrorBody),
    )
)]
pub async fn api_list(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiQuery(query): ApiQuery<MatchListQuery>,
) -> AppResult<Json<Value>> {
    let filter = query.filter()?;
    let paging = Paging::new(query.limit, query.offset);
    let page = matches::list(state.store(), &caller, &filter, paging).await?;
    let staff = caller.role.is_staff();
    Ok(Json(json!({
        "total": page.total,
        "items": page.items.iter().map(|s| summary_json(s, staff)).collect::<Vec<_>>(),
    })))
}

/// One match with its need, offer, timeline, services and the caller's allowed moves.
#[utoipa::path(
    get,
    path = "/api/v1/matches/{id}",
    tag = "matches",
    operation_id = "matches_get",
    security(("cookie" = [])),
    params(("id" = String, Path, description = "The match's id")),
    responses(
        (status = 200, description = "`{id, status, status_label, category, proposed_side, note, need, offer: {id, title, owner, owner_type, category, capacity, remaining, status}, handover_note, feedback, rating, events: [{action, from_status, to_status, actor_role, actor_name, note, at}], services: [{id, served_on, hours, summary, created_at}], allowed_moves, created_at, status_changed_at, updated_at}`; `need` is the public projection (staff also get its `id`); `handover_note` is null for the owner until approval", body = Object),
        LoginRequired,
        (status = 403, description = "A role without matches", body = ErrorBody),
        OutOfReach,
    )
)]
pub async fn api_get(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<Value>> {
    answer(&state, &caller, &id).await
}

async fn moved(
    state: &AppState,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    input: MoveInput,
) -> AppResult<Json<Value>> {
    matches::apply_move(state.store(), ctx, caller, id, input).await?;
    answer(state, caller, id).await
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteRequest {
    /// At most 1000 characters.
    pub note: Option<String>,
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveRequest {
    /// At most 1000 characters.
    pub note: Option<String>,
    /// What the owner needs to start (township officer only); never what
    /// identifies the child.
    pub handover_note: Option<String>,
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchReasonRequest {
    /// Required for reject and cancel.
    pub reason: Option<String>,
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteRequest {
    pub feedback: Option<String>,
    /// 1 to 5.
    pub rating: Option<i64>,
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceRequest {
    /// `YYYY-MM-DD`: not in the future, not before the approval.
    pub served_on: Option<String>,
    /// More than 0, at most 24.
    pub hours: Option<f64>,
    pub summary: Option<String>,
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoverRequest {
    pub handover_note: Option<String>,
}
