//! Providers: registration (page and `POST /api/v1/providers`), the county's
//! verification queue and decisions.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use crate::domain::provider::{ProviderDecision, ProviderStatus};
use crate::domain::{Invalid, Role};
use crate::error::{AppError, AppResult};
use crate::services::providers::{self, ProviderView, RegistrationInput};
use crate::services::{Paging, ServiceError, regions};
use crate::views;

use super::AppState;
use super::body::{
    AdminWrite, CreatedBody, ErrorBody, InvalidFields, ListBody, OutOfScope, ReadAccess,
};
use super::chrome::{Chrome, flash};
use super::extract::{
    ApiJson, ApiPath, ApiQuery, Auth, ClientAddr, Ctx, FormFields, ListQuery, parse_filter,
};
use super::regions::township_options;

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
            kind: p.kind,
            name: p.name,
            credit_code: p.credit_code,
            contact_name: p.contact_name,
            contact_phone: p.contact_phone,
            description: p.description,
            townships: v.townships,
            status: p.status,
            reason: p.decision_reason,
            created_at: p.created_at.to_rfc3339(),
        }
    }
}

fn parse_decision(decision: &str) -> AppResult<ProviderDecision> {
    decision.parse().map_err(|_| {
        AppError::Invalid(Invalid::one(
            "decision",
            "审核结论应为 verify、reject 或 suspend",
        ))
    })
}

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
    let created = CreatedBody::new(view.provider.id, view.provider.status);
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
    caller
        .require_role(&[Role::CountyAdmin])
        .map_err(AppError::from)?;
    let decision = parse_decision(&body.decision)?;
    Ok(Json(
        providers::decide(&state.db, &ctx, &caller, &id, decision, body.reason)
            .await?
            .into(),
    ))
}

pub async fn register_page(State(state): State<AppState>, chrome: Chrome) -> AppResult<Response> {
    let chrome = chrome.with_form_token().await?;
    let townships = township_options(&state).await?;
    let input = RegistrationInput::default();
    Ok(
        views::providers::registration_form(&chrome.ctx(), &input, &townships, &Invalid::new())
            .into_response(),
    )
}

fn registration_from_form(form: &FormFields) -> RegistrationInput {
    RegistrationInput {
        kind: form.get("kind").to_owned(),
        name: form.get("name").to_owned(),
        credit_code: form.get_opt("credit_code"),
        contact_name: form.get("contact_name").to_owned(),
        contact_phone: form.get("contact_phone").to_owned(),
        townships: form.get_all("townships"),
        description: form.get("description").to_owned(),
        username: form.get("username").to_owned(),
        password: form.get("password").to_owned(),
    }
}

pub async fn register_submit(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    form: FormFields,
) -> AppResult<Response> {
    let input = registration_from_form(&form);
    let result = if form.get("password") != form.get("password_confirm") {
        Err(ServiceError::Invalid(Invalid::one(
            "password_confirm",
            "两次输入的密码不一致",
        )))
    } else {
        providers::register_public(&state.db, &state.settings, &ctx, input.clone(), &addr).await
    };
    let (result, retry_after) = super::extract::throttled_as_form_error(result);
    match result {
        Ok(_) => {
            flash(&chrome.session, "注册已提交，请登录查看审核进度。").await?;
            Ok(Redirect::to("/login").into_response())
        }
        Err(ServiceError::Invalid(errors)) => {
            let townships = township_options(&state).await?;
            let page =
                views::providers::registration_form(&chrome.ctx(), &input, &townships, &errors);
            Ok(super::extract::form_refused(page, retry_after))
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn queue_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> AppResult<Response> {
    let status = parse_filter::<ProviderStatus>(query.status.as_deref(), "status")?;
    let paging = Paging::new(query.limit, query.offset);
    let page = providers::list(&state.db, &caller, status, paging).await?;
    Ok(views::providers::queue(
        &chrome.ctx(),
        status.map(ProviderStatus::as_str),
        &page.items,
        page.total,
        paging.limit,
        paging.offset,
    )
    .into_response())
}

async fn render_detail(
    state: &AppState,
    chrome: &Chrome,
    view: &ProviderView,
    errors: &Invalid,
) -> AppResult<maud::Markup> {
    let townships = regions::list(&state.db).await?;
    let names: Vec<String> = view
        .townships
        .iter()
        .map(|code| regions::township_name(&townships, code).to_owned())
        .collect();
    let can_decide = chrome
        .user
        .as_ref()
        .is_some_and(|u| u.role == Role::CountyAdmin);
    Ok(views::providers::detail(
        &chrome.ctx(),
        view,
        &names,
        can_decide,
        errors,
    ))
}

pub async fn detail_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Response> {
    let view = providers::get(&state.db, &caller, &id).await?;
    Ok(render_detail(&state, &chrome, &view, &Invalid::new())
        .await?
        .into_response())
}

pub async fn decide_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
    form: FormFields,
) -> AppResult<Response> {
    caller
        .require_role(&[Role::CountyAdmin])
        .map_err(AppError::from)?;
    let decision = parse_decision(form.get("decision"))?;
    match providers::decide(
        &state.db,
        &ctx,
        &caller,
        &id,
        decision,
        form.get_opt("reason"),
    )
    .await
    {
        Ok(view) => {
            flash(&chrome.session, &format!("已处理：{}", view.provider.name)).await?;
            Ok(Redirect::to("/providers?status=pending").into_response())
        }
        Err(ServiceError::Invalid(errors)) => {
            let view = providers::get(&state.db, &caller, &id).await?;
            let page = render_detail(&state, &chrome, &view, &errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
