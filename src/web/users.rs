//! Staff accounts: `POST /api/v1/users`, `POST /api/v1/users/{id}/disable`, and the county's page.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use crate::db::entities::user;
use crate::domain::Invalid;
use crate::error::AppResult;
use crate::services::users::{self, UserInput};
use crate::services::{Paging, ServiceError};
use crate::views;

use super::AppState;
use super::body::{AdminRead, AdminWrite, ErrorBody, ListBody};
use super::chrome::{Chrome, flash};
use super::extract::{ApiJson, ApiPath, ApiQuery, Auth, Ctx, FormFields, ListQuery};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    username: String,
    password: String,
    role: String,
    #[serde(default)]
    township: Option<String>,
    #[serde(default)]
    village: Option<String>,
    /// The department of a `department_staff` account (codes of API.md).
    #[serde(default)]
    department: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ManagedUserBody {
    id: String,
    username: String,
    role: String,
    #[schema(required = true)]
    township: Option<String>,
    #[schema(required = true)]
    village: Option<String>,
    #[schema(required = true)]
    department: Option<String>,
    disabled: bool,
}

impl From<user::Model> for ManagedUserBody {
    fn from(u: user::Model) -> Self {
        Self {
            id: u.id,
            username: u.username,
            role: u.role.as_str().to_owned(),
            township: u.township_code,
            village: u.village_code,
            department: u.department.map(|d| d.as_str().to_owned()),
            disabled: u.disabled,
        }
    }
}

/// Creates a staff account (county_admin).
#[utoipa::path(
    post,
    path = "/api/v1/users",
    tag = "users",
    operation_id = "users_create",
    security(("cookie" = [], "csrf" = [])),
    request_body = CreateUserRequest,
    responses(
        (status = 201, description = "Created", body = ManagedUserBody),
        AdminWrite,
        (status = 409, description = "The username is taken", body = ErrorBody),
        (status = 422, description = "Invalid fields (`details` lists them) or a weak password", body = ErrorBody),
    )
)]
pub async fn api_create(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<CreateUserRequest>,
) -> AppResult<(StatusCode, Json<ManagedUserBody>)> {
    let input = UserInput {
        username: body.username,
        password: body.password,
        role: body.role,
        township: body.township,
        village: body.village,
        department: body.department,
    };
    let user = users::create_staff(&state.db, &ctx, &caller, input).await?;
    Ok((StatusCode::CREATED, Json(user.into())))
}

/// Staff accounts (county_admin).
#[utoipa::path(
    get,
    path = "/api/v1/users",
    tag = "users",
    operation_id = "users_list",
    security(("cookie" = [])),
    params(
        ("limit" = Option<u64>, Query, description = "Page size: default 20, at most 100"),
        ("offset" = Option<u64>, Query, description = "Items to skip"),
    ),
    responses(
        (status = 200, description = "`{total, items}`", body = ListBody<ManagedUserBody>),
        AdminRead,
    )
)]
pub async fn api_list(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> AppResult<Json<ListBody<ManagedUserBody>>> {
    let page =
        users::list_staff(&state.db, &caller, Paging::new(query.limit, query.offset)).await?;
    Ok(Json(page.into()))
}

/// Disables a staff account; its sessions end at once (county_admin).
#[utoipa::path(
    post,
    path = "/api/v1/users/{id}/disable",
    tag = "users",
    operation_id = "users_disable",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The user's id")),
    responses(
        (status = 200, description = "Disabled", body = ManagedUserBody),
        AdminWrite,
        (status = 404, description = "No such staff account", body = ErrorBody),
        (status = 409, description = "The caller's own account", body = ErrorBody),
    )
)]
pub async fn api_disable(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<ManagedUserBody>> {
    Ok(Json(
        users::disable(&state.db, &ctx, &caller, &id).await?.into(),
    ))
}

async fn render(
    state: &AppState,
    chrome: &Chrome,
    caller: &crate::services::Principal,
    paging: Paging,
    input: &UserInput,
    errors: &Invalid,
) -> AppResult<maud::Markup> {
    let page = users::list_staff(&state.db, caller, paging).await?;
    let regions = state.regions.clone();
    let townships: Vec<(String, String)> = regions
        .iter()
        .map(|t| (t.code.clone(), t.name.clone()))
        .collect();
    let villages: Vec<(String, String)> = regions
        .iter()
        .flat_map(|t| {
            t.villages
                .iter()
                .map(move |v| (v.code.clone(), format!("{} {}", t.name, v.name)))
        })
        .collect();
    Ok(views::users::users_page(
        &chrome.ctx(),
        &views::users::UsersPage {
            users: &page.items,
            total: page.total,
            limit: paging.limit,
            offset: paging.offset,
            input,
            errors,
            townships: &townships,
            villages: &villages,
        },
    ))
}

pub async fn page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> AppResult<Response> {
    let paging = Paging::new(query.limit, query.offset);
    Ok(render(
        &state,
        &chrome,
        &caller,
        paging,
        &UserInput::default(),
        &Invalid::new(),
    )
    .await?
    .into_response())
}

pub async fn create_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    form: FormFields,
) -> AppResult<Response> {
    let input = UserInput {
        username: form.get("username").to_owned(),
        password: form.get("password").to_owned(),
        role: form.get("role").to_owned(),
        township: form.get_opt("township"),
        village: form.get_opt("village"),
        department: form.get_opt("department"),
    };
    match users::create_staff(&state.db, &ctx, &caller, input.clone()).await {
        Ok(user) => {
            flash(&chrome.session, &format!("已创建账号 {}", user.username)).await?;
            Ok(Redirect::to("/staff").into_response())
        }
        Err(ServiceError::Invalid(errors)) => {
            let page = render(&state, &chrome, &caller, Paging::default(), &input, &errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn disable_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Redirect> {
    let user = users::disable(&state.db, &ctx, &caller, &id).await?;
    flash(
        &chrome.session,
        &format!("已停用账号 {}，其登录已全部失效", user.username),
    )
    .await?;
    Ok(Redirect::to("/staff"))
}
