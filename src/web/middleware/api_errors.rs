//! The net under the API's error JSON: an error answer on an `/api/` path
//! that no `AppError` made (axum's routing, an extractor used without its
//! wrapper from `extract`, a layer) becomes the error JSON with the same
//! status, its headers (`Allow`, `Retry-After`…) kept. The wrappers are the
//! fix; this catches what a later change lets through, and says so in the log.

use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{AppError, ErrorInfo};

/// Rewrites error answers of the API that lack the error JSON.
pub async fn api_errors(req: Request, next: Next) -> Response {
    if !super::is_api(req.uri().path()) {
        return next.run(req).await;
    }
    let response = next.run(req).await;
    let status = response.status();
    let failed = status.is_client_error() || status.is_server_error();
    if !failed || response.extensions().get::<ErrorInfo>().is_some() {
        return response;
    }
    tracing::warn!(
        status = status.as_u16(),
        "an API error answer without the error JSON was rewritten"
    );
    as_error_json(response)
}

/// `response` with the error JSON of its status as its body.
fn as_error_json(response: Response) -> Response {
    let (mut parts, _) = response.into_parts();
    let (ours, body) = AppError::for_status(parts.status)
        .into_response()
        .into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::CONTENT_ENCODING);
    for (name, value) in &ours.headers {
        if name == header::CONTENT_TYPE || !parts.headers.contains_key(name) {
            parts.headers.insert(name.clone(), value.clone());
        }
    }
    parts.extensions.extend(ours.extensions);
    Response::from_parts(parts, body)
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::http::{HeaderValue, Request, StatusCode};
    use axum::middleware::from_fn;
    use axum::routing::get;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    use super::*;

    /// A route that refuses the way axum's extractors do: plain text.
    async fn plain_refusal() -> Response {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            [(header::RETRY_AFTER, "7")],
            "Failed to deserialize",
        )
            .into_response()
    }

    fn app() -> Router {
        Router::new()
            .route("/api/v1/plain", get(plain_refusal))
            .route("/page", get(plain_refusal))
            .route("/api/v1/ours", get(|| async { AppError::Forbidden }))
            .layer(from_fn(api_errors))
    }

    async fn call(uri: &str) -> (StatusCode, axum::http::HeaderMap, String) {
        let response = app()
            .oneshot(Request::get(uri).body(Body::empty()).expect("request"))
            .await
            .expect("infallible");
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.expect("body").to_bytes();
        (
            parts.status,
            parts.headers,
            String::from_utf8_lossy(&bytes).into_owned(),
        )
    }

    #[tokio::test]
    async fn a_plain_api_error_becomes_the_error_json_with_its_status_and_headers() {
        let (status, headers, body) = call("/api/v1/plain").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            headers.get(header::CONTENT_TYPE),
            Some(&HeaderValue::from_static("application/json"))
        );
        assert_eq!(
            headers.get(header::RETRY_AFTER),
            Some(&HeaderValue::from_static("7"))
        );
        let json: serde_json::Value = body.parse().expect("json");
        assert_eq!(json["error"]["code"], "invalid");
        assert!(json["error"]["message"].is_string());
    }

    #[tokio::test]
    async fn pages_and_our_own_errors_pass_unchanged() {
        let (status, _, body) = call("/page").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body, "Failed to deserialize");
        let (status, _, body) = call("/api/v1/ours").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(body.contains("\"forbidden\""), "{body}");
    }

    #[tokio::test]
    async fn routing_refusals_get_the_json_too() {
        let (status, _, body) = call("/api/v1/nothing").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body.contains("\"not_found\""), "{body}");
        let response = app()
            .oneshot(
                Request::delete("/api/v1/plain")
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
            .expect("infallible");
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert!(response.headers().contains_key(header::ALLOW));
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        assert!(String::from_utf8_lossy(&bytes).contains("method_not_allowed"));
    }
}
