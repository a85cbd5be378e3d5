//! Extractors: who is asking, the request context, and request bodies,
//! query strings and paths whose rejections become the API's error JSON
//! (or the error page) instead of axum's plain text.

mod params;

pub use params::{ApiPath, ApiQuery};

use std::net::SocketAddr;

use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use bytes::Bytes;
use serde::de::DeserializeOwned;

use crate::error::AppError;
use crate::services::{Principal, RequestCtx, ServiceError};

use super::AppState;
use super::middleware::request_id::RequestId;

/// The logged-in account; `401` when there is none.
pub struct Auth(pub Principal);

/// The logged-in account, if any.
pub struct MaybeAuth(pub Option<Principal>);

/// Request id and actor, for services that audit.
pub struct Ctx(pub RequestCtx);

/// The principal as loaded by `middleware::load_user`.
#[derive(Clone, Debug)]
pub struct LoadedPrincipal(pub Option<Principal>);

fn principal(parts: &Parts) -> Option<Principal> {
    parts
        .extensions
        .get::<LoadedPrincipal>()
        .and_then(|p| p.0.clone())
}

/// The server's id of this request (never the client's `X-Request-Id`).
pub fn request_id(parts: &Parts) -> Option<String> {
    parts.extensions.get::<RequestId>().map(|id| id.0.clone())
}

impl<S: Send + Sync> FromRequestParts<S> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        principal(parts).map(Auth).ok_or(AppError::Unauthenticated)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for MaybeAuth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeAuth(principal(parts)))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Ctx(RequestCtx::new(principal(parts), request_id(parts))))
    }
}

/// The client's address: the peer address, or with `trust_proxy` the last
/// `X-Forwarded-For` entry (the one our own proxy appended).
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if state.settings.trust_proxy
            && let Some(forwarded) = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
        {
            return Ok(ClientAddr(forwarded.trim().chars().take(64).collect()));
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip().to_string())
            .unwrap_or_else(|| "unknown".to_owned());
        Ok(ClientAddr(peer))
    }
}

/// A JSON body that refuses unknown fields (the request types say
/// `deny_unknown_fields`) and answers the API's error JSON when it is
/// malformed (400), of the wrong shape (422), too large (413) or not JSON (415).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

/// A JSON body that may be left out (a step without fields): an empty body
/// reads as `T::default()`; anything else as [`ApiJson`] reads it.
pub struct ApiJsonOrEmpty<T>(pub T);

impl<T: DeserializeOwned + Default, S: Send + Sync> FromRequest<S> for ApiJsonOrEmpty<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let empty = req
            .headers()
            .get(axum::http::header::CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() == b"0")
            || (!req.headers().contains_key(axum::http::header::CONTENT_TYPE)
                && !req
                    .headers()
                    .contains_key(axum::http::header::CONTENT_LENGTH));
        if empty {
            return Ok(ApiJsonOrEmpty(T::default()));
        }
        let ApiJson(value) = ApiJson::<T>::from_request(req, state).await?;
        Ok(ApiJsonOrEmpty(value))
    }
}

fn json_rejection(rejection: JsonRejection) -> AppError {
    match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::UnsupportedMediaType,
        StatusCode::UNPROCESSABLE_ENTITY => AppError::Unprocessable {
            message: format!("提交的字段有误：{}", rejection.body_text()),
        },
        _ => AppError::BadRequest(rejection.body_text()),
    }
}

/// An `application/x-www-form-urlencoded` body as name/value pairs, keeping
/// repeated names (checkbox groups).
pub struct FormFields(pub Vec<(String, String)>);

impl FormFields {
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    pub fn get_opt(&self, name: &str) -> Option<String> {
        let value = self.get(name).trim();
        (!value.is_empty()).then(|| value.to_owned())
    }

    pub fn get_all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub fn parse(body: &[u8]) -> Self {
        FormFields(form_urlencoded::parse(body).into_owned().collect())
    }
}

impl<S: Send + Sync> FromRequest<S> for FormFields {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge
            } else {
                AppError::BadRequest(rejection.body_text())
            }
        })?;
        Ok(FormFields::parse(&bytes))
    }
}

/// A throttled form submission becomes a form error (so that the form is
/// shown again with everything typed, the wait in its summary), with the
/// seconds to wait for the `Retry-After` of [`form_refused`].
pub fn throttled_as_form_error<T>(
    result: Result<T, ServiceError>,
) -> (Result<T, ServiceError>, Option<u64>) {
    match result {
        Err(ServiceError::Throttled {
            retry_after,
            action,
        }) => (
            Err(ServiceError::Invalid(crate::domain::Invalid::one(
                "form",
                crate::error::throttled_message(action, retry_after),
            ))),
            Some(retry_after),
        ),
        other => (other, None),
    }
}

/// A form shown again with its errors: 422, or 429 with `Retry-After` when
/// the submission was throttled.
pub fn form_refused(page: maud::Markup, retry_after: Option<u64>) -> axum::response::Response {
    use axum::response::IntoResponse;
    match retry_after {
        Some(seconds) => (
            StatusCode::TOO_MANY_REQUESTS,
            [(axum::http::header::RETRY_AFTER, seconds.to_string())],
            page,
        )
            .into_response(),
        None => (StatusCode::UNPROCESSABLE_ENTITY, page).into_response(),
    }
}

/// An optional filter of a list request (`status=`, `category=`…): absent
/// or empty means no filter; anything else must parse, or the answer is a
/// 422 naming `field`.
pub fn parse_filter<T>(raw: Option<&str>, field: &str) -> Result<Option<T>, AppError>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    raw.filter(|s| !s.is_empty())
        .map(str::parse::<T>)
        .transpose()
        .map_err(|e| AppError::Invalid(crate::domain::Invalid::one(field, e.to_string())))
}

/// `limit`/`offset`/`status` of list requests.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Page size: default 20, at most 100.
    pub limit: Option<u64>,
    /// Items to skip.
    pub offset: Option<u64>,
    /// Only items in this status.
    pub status: Option<String>,
}
