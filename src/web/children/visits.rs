//! Visits to a child: `GET` and `POST /api/v1/children/{id}/visits`, and
//! the body of a visit (also part of the file's answer).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::db::entities::visit;
use crate::error::AppResult;
use crate::services::children::visits::{self, VisitInput};

use super::super::AppState;
use super::super::body::{ErrorBody, ListBody, OutOfScope, ReadAccess, WriteAccess};
use super::super::extract::{ApiJson, ApiPath, Auth, Ctx};

/// A visit to the child.
#[derive(Serialize, utoipa::ToSchema)]
pub struct VisitBody {
    id: String,
    /// `YYYY-MM-DD`.
    visited_on: String,
    summary: String,
    /// The visitor's name.
    visitor: String,
    created_at: String,
}

impl From<visit::Model> for VisitBody {
    fn from(v: visit::Model) -> Self {
        Self {
            id: v.id,
            visited_on: v.visited_on.to_string(),
            summary: v.summary,
            visitor: v.visitor_name,
            created_at: v.created_at.to_rfc3339(),
        }
    }
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
        (status = 201, description = "The visit", body = VisitBody),
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
) -> AppResult<(StatusCode, Json<VisitBody>)> {
    let input = VisitInput {
        visited_on: body.visited_on,
        summary: body.summary,
    };
    let visit = visits::add(state.store(), &ctx, &caller, &id, input).await?;
    Ok((StatusCode::CREATED, Json(visit.into())))
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
        (status = 200, description = "`{total, items}`: every visit (not paged)", body = ListBody<VisitBody>),
        ReadAccess,
        OutOfScope,
    )
)]
pub async fn api_visits(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<ListBody<VisitBody>>> {
    let visits = visits::list(state.store(), &caller, &id).await?;
    Ok(Json(ListBody::whole(visits, VisitBody::from)))
}
