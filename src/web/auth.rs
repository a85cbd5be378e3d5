//! Login and logout, as pages and as `POST/DELETE /api/v1/session`, and `GET /api/v1/me`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::error::{AppResult, throttled_message};
use crate::services::{Principal, ServiceError, auth};

use super::AppState;
use super::body::{ErrorBody, LoginRequired};
use super::chrome::{Chrome, flash};
use super::csrf::{self, session_error};
use super::extract::{ApiJson, ApiQuery, Auth, ClientAddr, Ctx, FormFields};
use super::middleware::LOGIN_AT_KEY;
use super::return_to;
use super::session_store::USER_KEY;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    username: String,
    password: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct UserBody {
    id: String,
    username: String,
    role: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    township: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    village: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    provider_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    family_id: Option<String>,
    /// The department of a `department_staff` account.
    #[serde(skip_serializing_if = "Option::is_none")]
    department: Option<&'static str>,
}

impl From<&Principal> for UserBody {
    fn from(p: &Principal) -> Self {
        Self {
            id: p.id.clone(),
            username: p.username.clone(),
            role: p.role.as_str(),
            township: p.township.clone(),
            village: p.village.clone(),
            provider_id: p.provider_id.clone(),
            family_id: p.family_id.clone(),
            department: p.department.map(|d| d.as_str()),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SessionBody {
    user: UserBody,
    csrf_token: String,
}

/// Starts an authenticated session under a new id (so that an id planted
/// before login is worthless after it) with a new CSRF token.
async fn establish(session: &Session, principal: &Principal) -> AppResult<String> {
    session.cycle_id().await.map_err(session_error)?;
    session.clear().await;
    session
        .insert(USER_KEY, &principal.id)
        .await
        .map_err(session_error)?;
    session
        .insert(LOGIN_AT_KEY, chrono::Utc::now().timestamp())
        .await
        .map_err(session_error)?;
    let token = csrf::new_token()?;
    session
        .insert(csrf::SESSION_KEY, &token)
        .await
        .map_err(session_error)?;
    Ok(token)
}

/// Logs in: sets the session cookie and answers the account and its CSRF token.
#[utoipa::path(
    post,
    path = "/api/v1/session",
    tag = "session",
    operation_id = "session_login",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in; the `cb_session` cookie is set", body = SessionBody),
        (status = 401, description = "Wrong username or password, or a disabled account", body = ErrorBody),
        (status = 422, description = "Missing or unknown fields", body = ErrorBody),
        (status = 429, description = "Too many failed logins; `details.retry_after` in seconds", body = ErrorBody),
    )
)]
pub async fn api_login(
    State(state): State<AppState>,
    session: Session,
    ClientAddr(addr): ClientAddr,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<LoginRequest>,
) -> AppResult<Json<SessionBody>> {
    let principal = auth::login(
        &state.db,
        &state.settings,
        &body.username,
        body.password,
        &addr,
        ctx.request_id,
    )
    .await?;
    let csrf_token = establish(&session, &principal).await?;
    Ok(Json(SessionBody {
        user: UserBody::from(&principal),
        csrf_token,
    }))
}

/// Logs out: the session ends and its cookie no longer works.
#[utoipa::path(
    delete,
    path = "/api/v1/session",
    tag = "session",
    operation_id = "session_logout",
    security(("cookie" = [], "csrf" = [])),
    responses(
        (status = 204, description = "Logged out"),
        LoginRequired,
        (status = 403, description = "Missing or wrong `X-CSRF-Token`", body = ErrorBody),
    )
)]
pub async fn api_logout(
    State(state): State<AppState>,
    session: Session,
    Ctx(ctx): Ctx,
    Auth(_): Auth,
) -> AppResult<StatusCode> {
    auth::logout(&state.db, &ctx).await?;
    session.flush().await.map_err(session_error)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The logged-in account.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "session",
    operation_id = "session_me",
    security(("cookie" = [])),
    responses(
        (status = 200, description = "The account", body = UserBody),
        LoginRequired,
    )
)]
pub async fn api_me(Auth(principal): Auth) -> Json<UserBody> {
    Json(UserBody::from(&principal))
}

/// `?next=` on the login page: where to go once logged in.
#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

/// Where a login goes on to: `next` when it is a path on this portal.
fn after_login(next: Option<&str>) -> &str {
    next.and_then(return_to::local_path).unwrap_or("/")
}

pub async fn login_page(
    chrome: Chrome,
    ApiQuery(query): ApiQuery<LoginQuery>,
) -> AppResult<Response> {
    let next = after_login(query.next.as_deref());
    if chrome.user.is_some() {
        return Ok(Redirect::to(next).into_response());
    }
    let chrome = chrome.with_form_token().await?;
    Ok(crate::views::auth::login_page(&chrome.ctx(), "", next, None).into_response())
}

pub async fn login_submit(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    form: FormFields,
) -> AppResult<Response> {
    let username = form.get("username").to_owned();
    let next = after_login(Some(form.get("next"))).to_owned();
    let result = auth::login(
        &state.db,
        &state.settings,
        &username,
        form.get("password").to_owned(),
        &addr,
        ctx.request_id,
    )
    .await;
    let (status, message, retry_after) = match result {
        Ok(principal) => {
            establish(&chrome.session, &principal).await?;
            flash(&chrome.session, "登录成功").await?;
            return Ok(Redirect::to(&next).into_response());
        }
        Err(ServiceError::Unauthenticated) => (
            StatusCode::UNAUTHORIZED,
            "用户名或密码不正确".to_owned(),
            None,
        ),
        Err(ServiceError::Throttled {
            retry_after,
            action,
        }) => (
            StatusCode::TOO_MANY_REQUESTS,
            throttled_message(action, retry_after),
            Some(retry_after),
        ),
        Err(other) => return Err(other.into()),
    };
    let mut response = (
        status,
        crate::views::auth::login_page(&chrome.ctx(), &username, &next, Some(&message)),
    )
        .into_response();
    if let Some(value) = retry_after.and_then(|s| HeaderValue::from_str(&s.to_string()).ok()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    Ok(response)
}

pub async fn logout_submit(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    session: Session,
) -> AppResult<Redirect> {
    auth::logout(&state.db, &ctx).await?;
    session.flush().await.map_err(session_error)?;
    Ok(Redirect::to("/login"))
}
