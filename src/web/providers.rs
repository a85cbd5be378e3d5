//! Providers: registration (`POST /api/v1/providers`), the county's
//! verification queue and decisions; the pages are in [`pages`].

pub mod pages;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::domain::provider::ProviderStatus;
use crate::error::AppResult;
use crate::services::Paging;
use crate::services::providers::{self, ProviderView, RegistrationInput};

use super::AppState;
use super::body::{
    AdminWrite, CreatedBody, ErrorBody, InvalidFields, ListBody, OutOfScope, ReadAccess,
};
use super::extract::{ApiJson, ApiPath, ApiQuery, Auth, ClientAddr, Ctx, ListQuery, parse_filter};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistrationRequest {
    kind: String,
    name: String,
    #[serde(default)]
    credit_code: Option<String>,
    contact_name: String,
    contact_phone: String,
    townships: Vec<String>,
    description: String,
    username: String,
    password: String,
}

impl From<RegistrationRequest> for RegistrationInput {
    fn from(r: RegistrationRequest) -> Self {
        Self {
            kind: r.kind,
            name: r.name,
            credit_code: r.credit_code,
            contact_name: r.contact_name,
            contact_phone: r.contact_phone,
            townships: r.townships,
            description: r.description,
            username: r.username,
            password: r.password,
            password_confirm: None,
        }
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    decision: String,
    #[serde(default)]
    reason: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ProviderBody {
    id: String,
    kind: String,
    name: String,
    #[schema(required = true)]
    credit_code: Option<String>,
    contact_name: String,
    contact_phone: String,
    description: String,
    townships: Vec<String>,
    status: String,
    #[schema(required = true)]
    reason: Option<String>,
    created_at: String,
}

impl From<ProviderView> for ProviderBody {
    fn from(v: ProviderView) -> Self {
        let p = v.provider;
        Self {
            id: p.id,
            kind: p.kind.as_str().to_owned(),
            name: p.name,
            credit_code: p.credit_code,
            contact_name: p.contact_name,
            contact_phone: p.contact_phone,
            description: p.description,
            townships: v.townships,
            status: p.status.as_str().to_owned(),
            reason: p.decision_reason,
            created_at: p.created_at.to_rfc3339(),
        }
    }
}

/// The decision as typed (API and form alike): `verify`, `reject` or `suspend`.
/// Registers a provider and its account (public); it waits for the county's verification.
#[utoipa::path(
    post,
    path = "/api/v1/providers",
    tag = "providers",
    operation_id = "providers_register",
    request_body = RegistrationRequest,
    responses(
        (status = 201, description = "`{id, status: \"pending\"}`", body = CreatedBody),
        (status = 409, description = "The username or credit code is taken", body = ErrorBody),
        InvalidFields,
        (status = 429, description = "Too many registrations from this address; `details.retry_after` in seconds", body = ErrorBody),
    )
)]
pub async fn api_register(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<RegistrationRequest>,
) -> AppResult<(StatusCode, Json<CreatedBody>)> {
    let view =
        providers::register_public(&state.db, &state.settings, &ctx, body.into(), &addr).await?;
    let created = CreatedBody::new(view.provider.id, view.provider.status.as_str());
    Ok((StatusCode::CREATED, Json(created)))
}

/// Providers (county_admin, township_officer).
#[utoipa::path(
    get,
    path = "/api/v1/providers",
    tag = "providers",
    operation_id = "providers_list",
    security(("cookie" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "`{total, items}`", body = ListBody<ProviderBody>),
        ReadAccess,
        (status = 422, description = "Unknown `status` (pending, verified, rejected, suspended)", body = ErrorBody),
    )
)]
pub async fn api_list(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> AppResult<Json<ListBody<ProviderBody>>> {
    let status = parse_filter::<ProviderStatus>(query.status.as_deref(), "status")?;
    let paging = Paging::new(query.limit, query.offset);
    let page = providers::list(&state.db, &caller, status, paging).await?;
    Ok(Json(page.into()))
}

/// One provider.
#[utoipa::path(
    get,
    path = "/api/v1/providers/{id}",
    tag = "providers",
    operation_id = "providers_get",
    security(("cookie" = [])),
    params(("id" = String, Path, description = "The provider's id")),
    responses(
        (status = 200, description = "The provider", body = ProviderBody),
        ReadAccess,
        OutOfScope,
    )
)]
pub async fn api_get(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<ProviderBody>> {
    Ok(Json(providers::get(&state.db, &caller, &id).await?.into()))
}

/// Verifies, rejects or suspends a provider (county_admin).
#[utoipa::path(
    post,
    path = "/api/v1/providers/{id}/decision",
    tag = "providers",
    operation_id = "providers_decide",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The provider's id")),
    request_body = DecisionRequest,
    responses(
        (status = 200, description = "The provider after the decision", body = ProviderBody),
        AdminWrite,
        (status = 404, description = "No such provider", body = ErrorBody),
        (status = 409, description = "The provider's state already changed", body = ErrorBody),
        (status = 422, description = "`decision` is not verify, reject or suspend, or a reason is missing", body = ErrorBody),
    )
)]
pub async fn api_decide(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<DecisionRequest>,
) -> AppResult<Json<ProviderBody>> {
    let decision = providers::decision_of(&caller, &body.decision)?;
    Ok(Json(
        providers::decide(&state.db, &ctx, &caller, &id, decision, body.reason)
            .await?
            .into(),
    ))
}
