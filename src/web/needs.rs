//! Needs: `/api/v1/needs…`; the pages are in [`pages`].

pub mod pages;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::domain::Invalid;
use crate::domain::category::Category;
use crate::domain::need::{NeedCode, NeedStatus};
use crate::domain::projection::PublicNeed;
use crate::error::{AppError, AppResult};
use crate::services::needs::{self, NeedInput, StaffNeed};
use crate::services::{Paging, Principal};

use super::AppState;
use super::children::ReasonRequest;
use super::extract::{ApiJson, Auth, Ctx};

/// The public projection as JSON: nothing else of a need ever leaves
/// through the provider- and family-facing answers.
pub fn public_json(p: &PublicNeed) -> Value {
    json!({
        "code": p.code,
        "category": p.category.as_str(),
        "title": p.title,
        "description": p.description,
        "quantity": p.quantity,
        "township": p.township,
        "age_band": p.age_band.as_str(),
        "difficulty_class": p.difficulty_class.as_str(),
        "urgency": p.urgency.as_str(),
        "status": p.status.as_str(),
    })
}

fn staff_json(n: &StaffNeed) -> Value {
    json!({
        "id": n.need.id,
        "code": n.need.code,
        "child_id": n.need.child_id,
        "file_no": n.file_no,
        "status": n.need.status,
        "closed_reason": n.need.closed_reason,
        "created_at": n.need.created_at.to_rfc3339(),
        "published_at": n.need.published_at.map(|t| t.to_rfc3339()),
        "public": public_json(&n.public),
    })
}

#[derive(Deserialize)]
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

pub async fn api_create(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<NeedRequest>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let k = state.settings.k_anonymity;
    let need = needs::create(state.store(), &ctx, &caller, body.into(), k).await?;
    Ok((StatusCode::CREATED, Json(staff_json(&need))))
}

/// `GET /api/v1/needs/{code}` answers the public projection; staff may
/// also ask by the need's id for the internal view.
pub async fn api_get(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(key): Path<String>,
) -> AppResult<Json<Value>> {
    let k = state.settings.k_anonymity;
    if NeedCode::parse(&key).is_some() {
        let public = needs::get_public(state.store(), &caller, &key, k).await?;
        return Ok(Json(public_json(&public)));
    }
    let need = needs::get_for_staff(state.store(), &caller, &key, k).await?;
    Ok(Json(staff_json(&need)))
}

pub async fn api_update(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NeedRequest>,
) -> AppResult<Json<Value>> {
    let k = state.settings.k_anonymity;
    let need = needs::update(state.store(), &ctx, &caller, &id, body.into(), k).await?;
    Ok(Json(staff_json(&need)))
}

pub async fn api_publish(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let k = state.settings.k_anonymity;
    let need = needs::publish(state.store(), &ctx, &caller, &id, k).await?;
    Ok(Json(staff_json(&need)))
}

pub async fn api_close(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReasonRequest>,
) -> AppResult<Json<Value>> {
    let k = state.settings.k_anonymity;
    let need = needs::close(state.store(), &ctx, &caller, &id, &body.reason, k).await?;
    Ok(Json(staff_json(&need)))
}

#[derive(Deserialize, Default)]
pub struct NeedListQuery {
    pub limit: Option<u64>,
    pub offset: Option<u64>,
    pub status: Option<String>,
    pub category: Option<String>,
    pub township: Option<String>,
}

pub fn parse_category(raw: Option<&str>) -> AppResult<Option<Category>> {
    raw.filter(|s| !s.is_empty())
        .map(str::parse::<Category>)
        .transpose()
        .map_err(|e| AppError::Invalid(Invalid::one("category", e.to_string())))
}

pub fn parse_need_status(raw: Option<&str>) -> AppResult<Option<NeedStatus>> {
    raw.filter(|s| !s.is_empty())
        .map(str::parse::<NeedStatus>)
        .transpose()
        .map_err(|e| AppError::Invalid(Invalid::one("status", e.to_string())))
}

fn is_staff(caller: &Principal) -> bool {
    caller.role.is_staff()
}

/// Staff get the needs of their scope (with ids and file numbers);
/// verified providers and approved families the published projections.
pub async fn api_list(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Query(query): Query<NeedListQuery>,
) -> AppResult<Json<Value>> {
    let k = state.settings.k_anonymity;
    let paging = Paging::new(query.limit, query.offset);
    if is_staff(&caller) {
        let status = parse_need_status(query.status.as_deref())?;
        let page = needs::list_for_staff(state.store(), &caller, status, paging, k).await?;
        return Ok(Json(json!({
            "total": page.total,
            "items": page.items.iter().map(staff_json).collect::<Vec<_>>(),
        })));
    }
    let category = parse_category(query.category.as_deref())?;
    let township = query.township.as_deref().filter(|t| !t.is_empty());
    let page = needs::list_public(
        state.store(),
        &state.search,
        &caller,
        category,
        township,
        paging,
        k,
    )
    .await?;
    Ok(Json(json!({
        "total": page.total,
        "items": page.items.iter().map(public_json).collect::<Vec<_>>(),
    })))
}
