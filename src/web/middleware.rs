//! Request-wide layers: request ids, the error JSON of the API, loading
//! the account, HTML error pages, reading request bodies, CSRF and security
//! headers. Each one is a plain `from_fn` function; `router` applies them.

pub mod api_errors;
pub mod bodies;
pub mod request_id;
pub mod slide;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use http_body_util::BodyExt;
use tower_sessions::Session;

use crate::error::{AppError, ErrorInfo};
use crate::services::auth;

use super::extract::{FormFields, LoadedPrincipal};
use super::session_store::USER_KEY;
use super::{AppState, BODY_LIMIT, csrf};

/// The session key holding the login time (unix seconds), for the absolute expiry.
pub const LOGIN_AT_KEY: &str = "login_at";

/// Loads the session's account on every request, so that a disabled account
/// or a session past its absolute lifetime stops working at once.
pub async fn load_user(
    State(state): State<AppState>,
    session: Session,
    mut req: Request,
    next: Next,
) -> Response {
    match current_principal(&state, &session).await {
        Ok(principal) => {
            req.extensions_mut().insert(LoadedPrincipal(principal));
            next.run(req).await
        }
        Err(err) => err.into_response(),
    }
}

async fn current_principal(
    state: &AppState,
    session: &Session,
) -> Result<Option<crate::services::Principal>, AppError> {
    let Some(user_id) = session
        .get::<String>(USER_KEY)
        .await
        .map_err(csrf::session_error)?
    else {
        return Ok(None);
    };
    let login_at = session
        .get::<i64>(LOGIN_AT_KEY)
        .await
        .map_err(csrf::session_error)?
        .unwrap_or(0);
    let age = chrono::Utc::now().timestamp() - login_at;
    let principal = if age > state.settings.session_absolute.as_secs() as i64 {
        None
    } else {
        auth::load_principal(&state.db, &user_id).await?
    };
    match &principal {
        None => session.flush().await.map_err(csrf::session_error)?,
        Some(_) => slide_idle_expiry(session, login_at).await?,
    }
    Ok(principal)
}

/// The session key holding when an authenticated request last extended the
/// session's idle expiry (unix seconds).
const SEEN_AT_KEY: &str = "seen_at";

/// Extends the idle expiry of a logged-in session (by marking it changed,
/// so that it is saved with a new expiry) at most once a minute, counted
/// from the last extension or the login, and by one request of those in
/// flight together ([`slide`]); any other request leaves the session row
/// untouched.
async fn slide_idle_expiry(session: &Session, login_at: i64) -> Result<(), AppError> {
    let now = chrono::Utc::now().timestamp();
    let seen = session
        .get::<i64>(SEEN_AT_KEY)
        .await
        .map_err(csrf::session_error)?
        .unwrap_or(login_at);
    let Some(id) = session.id() else {
        return Ok(());
    };
    if slide::GATE.claim(id.0, seen, now) {
        session
            .insert(SEEN_AT_KEY, now)
            .await
            .map_err(csrf::session_error)?;
    }
    Ok(())
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// Refuses state-changing requests without the session's CSRF token:
/// the `X-CSRF-Token` header for API calls made with a login session, the
/// `csrf_token` form field for every page form (anonymous ones included).
pub async fn csrf_guard(session: Session, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    if is_api(req.uri().path()) {
        let logged_in = req
            .extensions()
            .get::<LoadedPrincipal>()
            .is_some_and(|p| p.0.is_some());
        if !logged_in {
            return next.run(req).await;
        }
        let presented = req
            .headers()
            .get(csrf::HEADER)
            .and_then(|v| v.to_str().ok());
        return match csrf::matches(&session, presented).await {
            Ok(true) => next.run(req).await,
            Ok(false) => AppError::Csrf.into_response(),
            Err(err) => err.into_response(),
        };
    }
    // `bodies::read_body` in front has read the body within the limit and
    // the time allowed; the limit here guards a change in the layer order.
    let (parts, body) = req.into_parts();
    let bytes = match http_body_util::Limited::new(body, BODY_LIMIT)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return AppError::PayloadTooLarge.into_response(),
    };
    let form = FormFields::parse(&bytes);
    match csrf::matches(&session, Some(form.get(csrf::FORM_FIELD))).await {
        Ok(true) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Ok(false) => AppError::Csrf.into_response(),
        Err(err) => err.into_response(),
    }
}

const CSP: &str = "default-src 'self'; style-src 'self'; img-src 'self' data:; script-src 'self'; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// The kept values one request looks up (the navigation's counts, a
/// list's total, the k-anonymity population, suggestions) share one
/// reading of the portal's change count (`db::allocation::once_per_request`).
pub async fn changes_once(req: Request, next: Next) -> Response {
    crate::db::allocation::once_per_request(next.run(req)).await
}

/// Security headers on every response; `no-store` on everything but static files.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let is_static = req.uri().path().starts_with("/static/") || req.uri().path() == "/favicon.ico";
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    if !is_static {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// For page requests, turns an error response into a Chinese page (and a
/// missing login into a redirect to the login page).
pub async fn html_errors(session: Session, req: Request, next: Next) -> Response {
    if is_api(req.uri().path()) || req.uri().path() == "/healthz" || req.uri().path() == "/readyz" {
        return next.run(req).await;
    }
    let user = req
        .extensions()
        .get::<LoadedPrincipal>()
        .and_then(|p| p.0.clone());
    // A page asked for by a link can be returned to after the login.
    let asked = (req.method() == axum::http::Method::GET)
        .then(|| req.uri().path_and_query().map(|p| p.as_str().to_owned()))
        .flatten();
    let response = next.run(req).await;
    let Some(info) = response.extensions().get::<ErrorInfo>().cloned() else {
        return response;
    };
    if info.status == StatusCode::UNAUTHORIZED && user.is_none() {
        let login = super::return_to::login_url(asked.as_deref().unwrap_or("/"));
        return Redirect::to(&login).into_response();
    }
    // What the answer says about the request beyond its body stays.
    let kept: Vec<_> = [header::ALLOW, header::RETRY_AFTER, header::CONNECTION]
        .into_iter()
        .filter_map(|name| {
            let value = response.headers().get(&name).cloned()?;
            Some((name, value))
        })
        .collect();
    // The page's logout form needs the session's token; never create one here.
    let token = session
        .get::<String>(csrf::SESSION_KEY)
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    let mut page = (
        info.status,
        crate::views::errors::error_page(
            user.as_ref(),
            &token,
            info.status,
            &info.message,
            crate::error::current_request_id().as_deref(),
        ),
    )
        .into_response();
    page.headers_mut().extend(kept);
    page
}
