//! Entitlements: `/api/v1/entitlements/gaps` and
//! `/api/v1/children/{id}/entitlements…`, and the gap list page.

pub mod pages;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

use crate::error::AppResult;
use crate::services::Paging;
use crate::services::entitlements::gaps;
use crate::services::entitlements::records::{self, RecordInput};

use super::AppState;
use super::body::{ErrorBody, InvalidFields, ListBody, OutOfScope, ReadAccess, WriteAccess};
use super::extract::{ApiJson, ApiPath, ApiQuery, Auth, Ctx};
use super::referrals::body::{
    ChildEntitlementsBody, EndRequest, GapItemBody, RecordBody, RecordRequest,
};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GapQuery {
    /// Page size: default 20, at most 100.
    limit: Option<u64>,
    offset: Option<u64>,
    /// County staff: one township (all when absent); a township officer's is their own.
    township: Option<String>,
}

/// Children eligible for a guarantee and not receiving it, worst first.
#[utoipa::path(
    get,
    path = "/api/v1/entitlements/gaps",
    tag = "entitlements",
    operation_id = "entitlements_gaps",
    security(("cookie" = [])),
    params(GapQuery),
    responses(
        (status = 200, description = "`{total, items}`: files with a gap (masked names; audited), the worst gap first, then the most gaps, then the longest-standing", body = ListBody<GapItemBody>),
        ReadAccess,
        (status = 404, description = "A township officer asked for another township", body = ErrorBody),
    )
)]
pub async fn api_gaps(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiQuery(query): ApiQuery<GapQuery>,
) -> AppResult<Json<ListBody<GapItemBody>>> {
    let page = gaps::list(
        state.store(),
        &ctx,
        &caller,
        query.township.as_deref(),
        Paging::new(query.limit, query.offset),
    )
    .await?;
    Ok(Json(page.into()))
}

/// A file's entitlements: for each guarantee, eligible, received, gap.
#[utoipa::path(
    get,
    path = "/api/v1/children/{id}/entitlements",
    tag = "entitlements",
    operation_id = "entitlements_of_child",
    security(("cookie" = [])),
    params(("id" = String, Path, description = "The child file's id")),
    responses(
        (status = 200, description = "`{items: [{rule, name, department, eligible, received: {since, amount?, reference?}?, gap}], records}`", body = ChildEntitlementsBody),
        ReadAccess,
        OutOfScope,
    )
)]
pub async fn api_of_child(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<ChildEntitlementsBody>> {
    let found = records::for_child(state.store(), &ctx, &caller, &id).await?;
    Ok(Json(found.into()))
}

/// Records that the child receives an entitlement (township_officer, county_admin).
#[utoipa::path(
    post,
    path = "/api/v1/children/{id}/entitlements",
    tag = "entitlements",
    operation_id = "entitlements_record",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The child file's id")),
    request_body = RecordRequest,
    responses(
        (status = 201, description = "The record", body = RecordBody),
        WriteAccess,
        OutOfScope,
        (status = 409, description = "Already recorded as received, or the file is closed", body = ErrorBody),
        InvalidFields,
    )
)]
pub async fn api_record(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<RecordRequest>,
) -> AppResult<(StatusCode, Json<RecordBody>)> {
    let input = RecordInput {
        benefit: body.benefit,
        since: Some(body.since),
        amount_yuan: body.amount_yuan,
        detail: body.detail,
        reference: body.reference,
    };
    let saved = records::record(state.store(), &ctx, &caller, &id, input).await?;
    Ok((StatusCode::CREATED, Json(saved.into())))
}

/// Records that the child no longer receives an entitlement.
#[utoipa::path(
    post,
    path = "/api/v1/children/{id}/entitlements/{record}/end",
    tag = "entitlements",
    operation_id = "entitlements_end",
    security(("cookie" = [], "csrf" = [])),
    params(
        ("id" = String, Path, description = "The child file's id"),
        ("record" = String, Path, description = "The record's id"),
    ),
    request_body = EndRequest,
    responses(
        (status = 200, description = "The ended record", body = RecordBody),
        WriteAccess,
        OutOfScope,
        (status = 409, description = "It has already ended", body = ErrorBody),
        InvalidFields,
    )
)]
pub async fn api_end(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath((id, record)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<EndRequest>,
) -> AppResult<Json<RecordBody>> {
    let saved = records::end(
        state.store(),
        &ctx,
        &caller,
        &id,
        &record,
        body.ended_on.as_deref(),
    )
    .await?;
    Ok(Json(saved.into()))
}
