//! Request bodies are read here, before anything behind looks at them: a
//! declared `Content-Length` above [`BODY_LIMIT`] answers 413 before a byte
//! of the body is read, and the whole body must arrive within
//! `Settings::body_timeout` or the answer is 408. What is passed on is the
//! body in memory, so the CSRF check and the extractors behind read it at
//! once and a slow or lying client cannot hold them (and a connection)
//! for as long as it likes.

use std::time::Duration;

use axum::body::{Body, HttpBody};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};

use crate::error::AppError;
use crate::web::{AppState, BODY_LIMIT};

/// Reads the request's body within the limit and the time allowed, or
/// answers 413, 408 or 400 and closes the connection.
pub async fn read_body(State(state): State<AppState>, req: Request, next: Next) -> Response {
    match buffered(req, state.settings.body_timeout).await {
        Ok(req) => next.run(req).await,
        Err(err) => {
            let mut response = err.into_response();
            // The client may still be sending: this connection is done.
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            response
        }
    }
}

async fn buffered(req: Request, timeout: Duration) -> Result<Request, AppError> {
    if declared_length(req.headers())?.is_some_and(|length| length > BODY_LIMIT as u64) {
        return Err(AppError::PayloadTooLarge);
    }
    if req.body().is_end_stream() {
        return Ok(req);
    }
    let (parts, body) = req.into_parts();
    let read = tokio::time::timeout(timeout, Limited::new(body, BODY_LIMIT).collect()).await;
    let bytes = match read {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(err)) if err.downcast_ref::<LengthLimitError>().is_some() => {
            return Err(AppError::PayloadTooLarge);
        }
        Ok(Err(err)) => {
            // A broken chunked encoding or a connection that went away.
            tracing::debug!(cause = %err, "request body could not be read");
            return Err(AppError::BadRequest("请求内容未能完整接收".into()));
        }
        Err(_) => return Err(AppError::RequestTimeout),
    };
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// The `Content-Length` the client declared, if any.
fn declared_length(headers: &HeaderMap) -> Result<Option<u64>, AppError> {
    let Some(value) = headers.get(header::CONTENT_LENGTH) else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Some)
        .ok_or_else(|| AppError::BadRequest("Content-Length 不是有效的长度".into()))
}
