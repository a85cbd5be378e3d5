//! Request bodies that would hold a connection: a declared length above
//! the limit is refused before any of the body is read (413), and a body
//! that stalls or trickles is given up on after `body_timeout` (408). Both
//! for the API (error JSON) and for page forms (the error page).

use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::{Method, Request, StatusCode, header};
use futures_util::StreamExt;
use futures_util::stream;
use serde_json::json;

use crate::helpers::{ADMIN, PASSWORD, TestApp, TestClient, TestResponse};

/// Long enough for any answer that does not wait on the body.
const PATIENCE: Duration = Duration::from_secs(5);

/// The body timeout of the tests that stall.
const BODY_TIMEOUT: Duration = Duration::from_millis(400);

/// A body that sends `first` and then nothing, forever, without ending.
fn stalling(first: &'static str) -> Body {
    let first =
        stream::once(async move { Ok::<_, std::io::Error>(Bytes::from_static(first.as_bytes())) });
    Body::from_stream(first.chain(stream::pending()))
}

/// A body that sends one byte every 50 ms, forever: never idle for long,
/// never done.
fn trickling() -> Body {
    Body::from_stream(stream::unfold((), |()| async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        Some((Ok::<_, std::io::Error>(Bytes::from_static(b" ")), ()))
    }))
}

fn post(
    client: &TestClient,
    uri: &str,
    content_type: &str,
    length: Option<u64>,
    body: Body,
) -> Request<Body> {
    let mut builder = Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(header::CONTENT_TYPE, content_type);
    if let Some(token) = &client.csrf {
        builder = builder.header("x-csrf-token", token);
    }
    if let Some(length) = length {
        builder = builder.header(header::CONTENT_LENGTH, length);
    }
    builder.body(body).expect("request")
}

/// Sends `request`, failing the test if the answer takes longer than [`PATIENCE`].
async fn answer(client: &mut TestClient, request: Request<Body>) -> TestResponse {
    let uri = request.uri().to_string();
    tokio::time::timeout(PATIENCE, client.send(request))
        .await
        .unwrap_or_else(|_| panic!("{uri}: no answer within {PATIENCE:?}"))
}

#[track_caller]
fn assert_api_error(response: &TestResponse, status: StatusCode, code: &str) {
    response.assert_status(status);
    assert_eq!(
        response.json()["error"]["code"],
        code,
        "{}",
        response.text()
    );
}

#[track_caller]
fn assert_error_page(response: &TestResponse, status: StatusCode, words: &str) {
    response.assert_status(status);
    let content_type = response
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(content_type.starts_with("text/html"), "{content_type}");
    let text = response.text();
    assert!(text.contains("<html"), "{text}");
    assert!(text.contains(words), "{text}");
}

#[tokio::test]
async fn a_declared_length_above_the_limit_is_refused_before_the_body_is_read() {
    let app = TestApp::spawn().await;
    let huge = Some(1_000_000_000);
    let json = "application/json";
    let form = "application/x-www-form-urlencoded";

    let mut anonymous = app.client();
    let request = post(
        &anonymous,
        "/api/v1/providers",
        json,
        huge,
        stalling("{\"kind\": "),
    );
    let response = answer(&mut anonymous, request).await;
    assert_api_error(
        &response,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    );

    let admin = app.admin().await;
    let mut writer = admin.clone();
    let request = post(&writer, "/api/v1/users", json, huge, Body::empty());
    let response = answer(&mut writer, request).await;
    assert_api_error(
        &response,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    );

    let mut browser = app.client();
    let request = post(&browser, "/login", form, huge, stalling("csrf_token="));
    let response = answer(&mut browser, request).await;
    assert_error_page(&response, StatusCode::PAYLOAD_TOO_LARGE, "提交的内容过大");

    // Exactly the limit is not refused for its declaration.
    let padding = "长".repeat(349_000);
    let mut body = format!("{{\"description\": \"{padding}\"}}");
    body.push_str(&" ".repeat(carebridge::web::BODY_LIMIT - body.len()));
    assert_eq!(body.len(), carebridge::web::BODY_LIMIT);
    let request = post(
        &anonymous,
        "/api/v1/providers",
        json,
        Some(body.len() as u64),
        Body::from(body),
    );
    let response = answer(&mut anonymous, request).await;
    assert_ne!(
        response.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        response.text()
    );
    assert!(response.status.is_client_error(), "{}", response.text());
}

#[tokio::test]
async fn a_body_that_stalls_or_trickles_answers_408_after_the_body_timeout() {
    let app = TestApp::spawn_with(|s| s.body_timeout = BODY_TIMEOUT).await;
    let json = "application/json";
    let form = "application/x-www-form-urlencoded";

    let mut anonymous = app.client();
    for (declared, body) in [
        (Some(500), stalling("{\"kind\": ")),
        (None, stalling("{\"kind\": ")),
        (None, trickling()),
    ] {
        let started = Instant::now();
        let request = post(&anonymous, "/api/v1/providers", json, declared, body);
        let response = answer(&mut anonymous, request).await;
        assert_api_error(&response, StatusCode::REQUEST_TIMEOUT, "request_timeout");
        assert!(started.elapsed() >= BODY_TIMEOUT, "{:?}", started.elapsed());
    }

    let admin = app.admin().await;
    let mut writer = admin.clone();
    let request = post(&writer, "/api/v1/users", json, None, stalling("{"));
    let response = answer(&mut writer, request).await;
    assert_api_error(&response, StatusCode::REQUEST_TIMEOUT, "request_timeout");

    let mut browser = app.client();
    for body in [stalling("csrf_token="), trickling()] {
        let request = post(&browser, "/login", form, Some(200), body);
        let response = answer(&mut browser, request).await;
        assert_error_page(&response, StatusCode::REQUEST_TIMEOUT, "超时");
    }

    // Bodies that arrive are read as before, under the short timeout too.
    let mut client = app.client();
    client
        .login(ADMIN, PASSWORD)
        .await
        .assert_status(StatusCode::OK);
    client
        .post_json(
            "/api/v1/users",
            json!({"username": "prompt_officer", "password": PASSWORD, "role": "township_officer", "township": "500235001"}),
        )
        .await
        .assert_status(StatusCode::CREATED);
}
