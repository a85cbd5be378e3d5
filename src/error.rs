//! `AppError`: every failure a request can end in, and its one conversion
//! into a response.
//!
//! The response is always the error JSON of API.md; it also carries an
//! [`ErrorInfo`] extension, from which `web::middleware::html_errors` renders
//! a Chinese page for requests that are not API calls. Internal errors are
//! logged with their cause and shown only as "internal error" with the
//! request id.

mod param;
mod status;

pub use param::ParamPlace;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::domain::Invalid;
use crate::services::{Fault, ServiceError, TextFinding, ThrottledAction};

tokio::task_local! {
    /// The server's id of the request being answered (set by the request
    /// id layer), so that every error answer can name it.
    static REQUEST_ID: String;
}

/// Runs `answer` with `id` as the request id its errors name.
pub async fn with_request_id<F: std::future::Future>(id: String, answer: F) -> F::Output {
    REQUEST_ID.scope(id, answer).await
}

/// The id of the request being answered, when there is one.
pub fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    /// A query or path parameter that does not parse: `name` when serde
    /// says which, `reason` in serde's words (for developers).
    #[error("bad {} parameter", place.as_str())]
    BadParameter {
        place: ParamPlace,
        name: Option<String>,
        reason: String,
    },
    #[error("not logged in")]
    Unauthenticated,
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("forbidden")]
    Forbidden,
    #[error("csrf token missing or wrong")]
    Csrf,
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("{0}")]
    Conflict(String),
    #[error("{message}")]
    StateConflict { status: String, message: String },
    #[error("no capacity")]
    NoCapacity,
    #[error("body too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// The request body did not arrive within `Settings::body_timeout`.
    #[error("request body timed out")]
    RequestTimeout,
    /// An error answer that axum or a layer made, not a handler: only its
    /// status is known (see [`AppError::for_status`]).
    #[error("status {0}")]
    Status(StatusCode),
    #[error("{0}")]
    Invalid(Invalid),
    #[error("{message}")]
    Unprocessable { message: String },
    #[error("personal information in public text")]
    Findings(Vec<TextFinding>),
    #[error("throttled")]
    Throttled {
        retry_after: u64,
        action: ThrottledAction,
    },
    /// The database could not take the request now (the write lock was
    /// busy for too long, or a deadlock or serialization failure that
    /// retries did not clear): nothing was stored; try again.
    #[error("busy")]
    Busy,
    #[error("internal: {0}")]
    Internal(Fault),
}

/// What a page needs to show an error; attached to every error response.
#[derive(Clone, Debug)]
pub struct ErrorInfo {
    pub status: StatusCode,
    pub message: String,
}

impl From<ServiceError> for AppError {
    fn from(err: ServiceError) -> Self {
        match err {
            ServiceError::Invalid(invalid) | ServiceError::FiledElsewhere { invalid, .. } => {
                AppError::Invalid(invalid)
            }
            ServiceError::NotFound => AppError::NotFound,
            ServiceError::Unauthenticated => AppError::InvalidCredentials,
            ServiceError::Forbidden => AppError::Forbidden,
            ServiceError::Conflict(message) => AppError::Conflict(message),
            ServiceError::StateConflict { status, message } => {
                AppError::StateConflict { status, message }
            }
            ServiceError::NoCapacity => AppError::NoCapacity,
            ServiceError::Throttled {
                retry_after,
                action,
            } => AppError::Throttled {
                retry_after,
                action,
            },
            ServiceError::Findings(findings) => AppError::Findings(findings),
            ServiceError::Db(e) if crate::db::is_transient(&e) => {
                tracing::warn!(cause = %e, "database busy; answered 503");
                AppError::Busy
            }
            ServiceError::Db(e) => AppError::Internal(Fault::caused_by("database", e)),
            ServiceError::Internal(fault) => AppError::Internal(fault),
        }
    }
}

impl AppError {
    fn parts(&self) -> (StatusCode, &'static str, String) {
        match self {
            AppError::BadRequest(m) => (
                StatusCode::BAD_REQUEST,
                "bad_request",
                format!("请求格式不正确：{m}"),
            ),
            AppError::BadParameter { place, name, .. } => (
                StatusCode::BAD_REQUEST,
                "bad_request",
                match name {
                    Some(name) => format!("{} {name} 的值无法识别", place.label()),
                    None => format!("{}无法识别", place.label()),
                },
            ),
            AppError::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "请先登录".into(),
            ),
            AppError::InvalidCredentials => (
                StatusCode::UNAUTHORIZED,
                "invalid_credentials",
                "用户名或密码不正确".into(),
            ),
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "您的账号无权进行此操作".into(),
            ),
            AppError::Csrf => (
                StatusCode::FORBIDDEN,
                "csrf",
                "页面已过期或请求来源不明，请刷新页面后重试".into(),
            ),
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "not_found",
                "没有找到您要的内容".into(),
            ),
            AppError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "不支持此请求方法".into(),
            ),
            AppError::Conflict(m) => (StatusCode::CONFLICT, "conflict", m.clone()),
            AppError::StateConflict { message, .. } => {
                (StatusCode::CONFLICT, "conflict", message.clone())
            }
            AppError::NoCapacity => (StatusCode::CONFLICT, "no_capacity", "该服务名额已满".into()),
            AppError::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "提交的内容过大（上限1 MiB）".into(),
            ),
            AppError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "请以 application/json 提交".into(),
            ),
            AppError::RequestTimeout => (
                StatusCode::REQUEST_TIMEOUT,
                "request_timeout",
                "提交的内容未能及时收到（接收超时），请检查网络后重试".into(),
            ),
            AppError::Status(status) => {
                let (code, message) = status::code_and_message(*status);
                (*status, code, message.into())
            }
            AppError::Invalid(invalid) if invalid.only_duplicates() => {
                (StatusCode::CONFLICT, "duplicate", "已存在相同的记录".into())
            }
            AppError::Invalid(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                "提交的内容有误，请按提示修改".into(),
            ),
            AppError::Unprocessable { message } => {
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid", message.clone())
            }
            AppError::Findings(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "personal_information",
                "公开内容中含有可识别儿童身份的个人信息，请按提示删除后再提交".into(),
            ),
            AppError::Throttled {
                retry_after,
                action,
            } => (
                StatusCode::TOO_MANY_REQUESTS,
                "throttled",
                throttled_message(*action, *retry_after),
            ),
            AppError::Busy => (
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "系统繁忙，您的操作没有保存，请稍后重试".into(),
            ),
            AppError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "服务器内部错误".into(),
            ),
        }
    }
}

/// What a throttled person reads: what was slowed and how long to wait.
pub fn throttled_message(action: ThrottledAction, retry_after: u64) -> String {
    let wait = if retry_after < 60 {
        format!("{retry_after} 秒")
    } else {
        format!("{} 分钟", retry_after.div_ceil(60))
    };
    match action {
        ThrottledAction::Login => format!("登录尝试过于频繁，请 {wait}后再试"),
        ThrottledAction::Register => format!("注册提交过于频繁，请 {wait}后再试"),
        ThrottledAction::Report => {
            format!("提交过于频繁，请 {wait}后再试。如儿童正处于危险之中，请立即拨打 110 报警")
        }
        ThrottledAction::ReportLookup => format!("查询过于频繁，请 {wait}后再试"),
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code, message) = self.parts();
        let details = match &self {
            AppError::Invalid(invalid) => json!(
                invalid
                    .errors
                    .iter()
                    .map(|e| json!({"field": e.field, "message": e.message}))
                    .collect::<Vec<_>>()
            ),
            AppError::BadParameter {
                place,
                name,
                reason,
            } => json!({ "in": place.as_str(), "parameter": name, "reason": reason }),
            AppError::Throttled { retry_after, .. } => json!({ "retry_after": retry_after }),
            AppError::StateConflict { status, .. } => json!({ "status": status }),
            // Where each finding is and what kind it is, never the text found:
            // error bodies may end up in logs.
            AppError::Findings(findings) => json!({
                "findings": findings
                    .iter()
                    .map(|f| json!({
                        "field": f.field,
                        "kind": f.kind.code(),
                        "label": f.kind.label(),
                        "message": f.kind.advice(),
                        "start": f.char_start,
                        "end": f.char_end,
                    }))
                    .collect::<Vec<_>>()
            }),
            _ => serde_json::Value::Null,
        };
        let request_id = current_request_id();
        if let AppError::Internal(fault) = &self {
            // The chain may name tables or constraints, never values:
            // statements are not logged.
            tracing::error!(
                cause = %fault.chain(),
                request_id = request_id.as_deref().unwrap_or("-"),
                "internal error"
            );
        }
        let body = json!({"error": {
            "code": code,
            "message": message,
            "details": details,
            "request_id": request_id,
        }});
        let mut response = (status, axum::Json(body)).into_response();
        let retry_after = match &self {
            AppError::Throttled { retry_after, .. } => Some(*retry_after),
            AppError::Busy => Some(1),
            _ => None,
        };
        if let Some(value) = retry_after.and_then(|s| HeaderValue::from_str(&s.to_string()).ok()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
            .extensions_mut()
            .insert(ErrorInfo { status, message });
        response
    }
}

pub type AppResult<T> = Result<T, AppError>;
