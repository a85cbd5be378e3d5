//! Request ids: the server makes one for every request, always. A client's
//! own `X-Request-Id` is replaced, not kept: it is noted only in the
//! request's log span (`client_request_id`), so that an id in the audit log
//! or in an answer is one the server made and never one a client chose (a
//! chosen id could make unrelated audit entries look like one request, or
//! pass one request off under another's id).

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// The header carrying the request id, in both directions.
pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// The most of a client's id worth noting beside ours.
const CLIENT_ID_MAX: usize = 64;

/// The server's id of this request: a UUID (v4).
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// What the client sent as `X-Request-Id`, printable ASCII only and at most
/// 64 characters: for matching our logs with the client's, never trusted.
#[derive(Clone, Debug)]
pub struct ClientRequestId(pub String);

/// Replaces any `X-Request-Id` of the request with a new id of ours, which
/// the answer carries back.
pub async fn assign(mut req: Request, next: Next) -> Response {
    let client = req
        .headers_mut()
        .remove(&HEADER)
        .and_then(|value| printable(value.as_bytes()));
    if let Some(client) = client {
        req.extensions_mut().insert(ClientRequestId(client));
    }
    let id = uuid::Uuid::new_v4().to_string();
    // A UUID is plain ASCII: always a valid header value.
    let header = HeaderValue::from_str(&id).ok();
    if let Some(header) = &header {
        req.headers_mut().insert(HEADER, header.clone());
    }
    req.extensions_mut().insert(RequestId(id.clone()));
    // Every error answered inside names this id in its body too.
    let mut response = crate::error::with_request_id(id, next.run(req)).await;
    if let Some(header) = header {
        response.headers_mut().insert(HEADER, header);
    }
    response
}

/// The log span of a request: our id, the client's own id if it sent one,
/// and the path only (query strings may carry search terms or names).
pub fn span<B>(req: &axum::http::Request<B>) -> tracing::Span {
    let id = req
        .extensions()
        .get::<RequestId>()
        .map_or("-", |id| id.0.as_str());
    let span = tracing::info_span!(
        "request",
        id = %id,
        client_request_id = tracing::field::Empty,
        method = %req.method(),
        path = %req.uri().path()
    );
    if let Some(client) = req.extensions().get::<ClientRequestId>() {
        span.record("client_request_id", client.0.as_str());
    }
    span
}

/// The printable ASCII of `raw`, at most [`CLIENT_ID_MAX`] characters; `None`
/// when nothing is left. Control characters never reach the logs.
fn printable(raw: &[u8]) -> Option<String> {
    let kept: String = raw
        .iter()
        .filter(|b| (b' '..=b'~').contains(*b))
        .take(CLIENT_ID_MAX)
        .map(|&b| char::from(b))
        .collect();
    let kept = kept.trim();
    (!kept.is_empty()).then(|| kept.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_id_keeps_printable_ascii_up_to_64_characters() {
        assert_eq!(printable(b"abc-123").as_deref(), Some("abc-123"));
        assert_eq!(printable(b"a\x07b\x1bc\x7f").as_deref(), Some("abc"));
        assert_eq!(printable("\u{4e2d}x".as_bytes()).as_deref(), Some("x"));
        assert_eq!(printable(&[b'y'; 300]).map(|s| s.len()), Some(64));
        assert_eq!(printable(b"  \x01 "), None);
    }
}
