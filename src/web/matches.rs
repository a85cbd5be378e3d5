//! Matches: creating, listing and reading under `/api/v1/matches`; the
//! answers are in [`body`], the moves in [`moves`], services and the
//! handover note in [`records`], the pages in [`pages`].

pub mod body;
pub mod moves;
pub mod pages;
pub mod records;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

use crate::domain::matching::MatchStatus;
use crate::error::AppResult;
use crate::services::matches::{self, ListFilter, MoveInput, ProposeInput};
use crate::services::{Paging, Principal, RequestCtx};

use super::AppState;
use super::body::{CreatedBody, ErrorBody, ListBody, LoginRequired, OutOfReach};
use super::extract::{ApiJson, ApiPath, ApiQuery, Auth, Ctx, parse_filter};
use body::{MatchBody, MatchSummaryBody};

/// The match as `caller` may see it: the answer of every operation on one.
async fn answer(state: &AppState, caller: &Principal, id: &str) -> AppResult<Json<MatchBody>> {
    let k = state.settings.k_anonymity;
    let detail = matches::get(state.store(), caller, id, k).await?;
    Ok(Json(detail.into()))
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
        (status = 201, description = "`{id, status}`: `proposed` when the offer's owner proposed, `suggested` when a township officer did", body = CreatedBody),
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
) -> AppResult<(StatusCode, Json<CreatedBody>)> {
    let input = ProposeInput {
        need_code: body.need_code.unwrap_or_default(),
        offer_id: body.offer_id.unwrap_or_default(),
        note: body.note,
    };
    let k = state.settings.k_anonymity;
    let saved = matches::propose(state.store(), &ctx, &caller, input, k).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedBody::new(saved.id, saved.status.as_str())),
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
        (status = 200, description = "`{total, items}`: county staff all, township officers their township's, providers and families those on their offers", body = ListBody<MatchSummaryBody>),
        LoginRequired,
        (status = 403, description = "A role without matches (village supervisors)", body = ErrorBody),
        (status = 422, description = "Unknown `status`", body = ErrorBody),
    )
)]
pub async fn api_list(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiQuery(query): ApiQuery<MatchListQuery>,
) -> AppResult<Json<ListBody<MatchSummaryBody>>> {
    let filter = query.filter()?;
    let paging = Paging::new(query.limit, query.offset);
    let page = matches::list(state.store(), &caller, &filter, paging).await?;
    let staff = caller.role.is_staff();
    Ok(Json(ListBody::map(page, |s| {
        MatchSummaryBody::new(s, staff)
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
        (status = 200, description = "The match; `need` is the public projection (staff also get its `id`); `handover_note` is null for the owner until approval", body = MatchBody),
        LoginRequired,
        (status = 403, description = "A role without matches", body = ErrorBody),
        OutOfReach,
    )
)]
pub async fn api_get(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<MatchBody>> {
    answer(&state, &caller, &id).await
}

async fn moved(
    state: &AppState,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    input: MoveInput,
) -> AppResult<Json<MatchBody>> {
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
    /// What a donation gave: yuan (`donation_money`) or items
    /// (`donation_goods`), a whole number from 1 to 10000000; required for
    /// those two categories and refused for every other.
    pub amount: Option<i64>,
    pub summary: Option<String>,
    /// Ids of the organisation's own active volunteers who served
    /// (`GET /api/v1/volunteers`); never anyone else's.
    pub volunteers: Option<Vec<String>>,
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoverRequest {
    pub handover_note: Option<String>,
}
