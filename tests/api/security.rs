//! CSRF, security headers and hostile request bodies.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;

use crate::helpers::{ADMIN, PASSWORD, TestApp, provider_body};

#[tokio::test]
async fn api_writes_without_or_with_a_wrong_csrf_token_are_forbidden() {
    let app = TestApp::spawn().await;
    let mut admin = app.admin().await;
    let body = json!({"username": "officer9", "password": PASSWORD, "role": "township_officer", "township": "500235001"});
    let mut without = admin.clone();
    without.csrf = None;
    let response = without.post_json("/api/v1/users", body.clone()).await;
    response.assert_status(StatusCode::FORBIDDEN);
    assert_eq!(response.json()["error"]["code"], "csrf");
    let mut wrong = admin.clone();
    wrong.csrf = Some("forged-token".into());
    wrong
        .post_json("/api/v1/users", body.clone())
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let mut logout = admin.clone();
    logout.csrf = None;
    logout
        .delete("/api/v1/session")
        .await
        .assert_status(StatusCode::FORBIDDEN);
    admin
        .post_json("/api/v1/users", body)
        .await
        .assert_status(StatusCode::CREATED);
}

#[tokio::test]
async fn page_forms_without_the_csrf_field_are_forbidden() {
    let app = TestApp::spawn().await;
    app.seed_admin().await;
    let mut browser = app.client();
    browser.get("/login").await;
    let response = browser
        .post_form("/login", &[("username", ADMIN), ("password", PASSWORD)])
        .await;
    response.assert_status(StatusCode::FORBIDDEN);
    assert!(response.text().contains("页面已过期"));
    let response = browser
        .post_form(
            "/login",
            &[
                ("csrf_token", "guess"),
                ("username", ADMIN),
                ("password", PASSWORD),
            ],
        )
        .await;
    response.assert_status(StatusCode::FORBIDDEN);
    // A cross-site form without any session at all.
    let mut stranger = app.client();
    stranger
        .post_form("/register/provider", &[("name", "x")])
        .await
        .assert_status(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn no_get_request_changes_state() {
    let app = TestApp::spawn().await;
    let mut admin = app.admin().await;
    admin
        .get("/logout")
        .await
        .assert_status(StatusCode::METHOD_NOT_ALLOWED);
    admin.get("/api/v1/me").await.assert_status(StatusCode::OK);
}

#[tokio::test]
async fn security_headers_are_on_every_response() {
    let app = TestApp::spawn().await;
    let mut admin = app.admin().await;
    // Pages, a redirect and API answers, found and not found.
    for (path, expected) in [
        ("/", StatusCode::OK),
        // Signed in already: sent home.
        ("/login", StatusCode::SEE_OTHER),
        ("/api/v1/regions", StatusCode::OK),
        ("/api/v1/me", StatusCode::OK),
        ("/no/such/page", StatusCode::NOT_FOUND),
        ("/api/v1/nothing", StatusCode::NOT_FOUND),
    ] {
        let response = admin.get(path).await;
        assert_eq!(response.status, expected, "{path}");
        let h = |name: &str| {
            response
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned()
        };
        let csp = h("content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(h("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(h("referrer-policy"), "no-referrer", "{path}");
        assert_eq!(h("cache-control"), "no-store", "{path}");
        assert!(!h("x-request-id").is_empty(), "{path}");
    }
}

#[tokio::test]
async fn json_bodies_with_unknown_fields_are_refused() {
    let app = TestApp::spawn().await;
    let mut body = provider_body("massassign");
    body["status"] = json!("verified");
    let response = app.client().post_json("/api/v1/providers", body).await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().contains("status"));
    let mut admin = app.admin().await;
    let response = admin
        .post_json(
            "/api/v1/users",
            json!({"username": "x_officer", "password": PASSWORD, "role": "township_officer", "township": "500235001", "disabled": false}),
        )
        .await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn malformed_oversized_and_mistyped_bodies_answer_4xx_json() {
    let app = TestApp::spawn().await;
    let mut client = app.client();
    let send = |body: Body, content_type: &'static str| {
        Request::builder()
            .method(Method::POST)
            .uri("/api/v1/providers")
            .header(header::CONTENT_TYPE, content_type)
            .body(body)
            .expect("request")
    };
    let malformed = client
        .send(send(Body::from("{\"kind\": "), "application/json"))
        .await;
    malformed.assert_status(StatusCode::BAD_REQUEST);
    assert_eq!(malformed.json()["error"]["code"], "bad_request");
    let huge = format!("{{\"description\": \"{}\"}}", "长".repeat(400_000));
    let oversized = client
        .send(send(Body::from(huge), "application/json"))
        .await;
    oversized.assert_status(StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(oversized.json()["error"]["code"], "payload_too_large");
    let not_json = client
        .send(send(Body::from("kind=charity"), "text/plain"))
        .await;
    not_json.assert_status(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let mut mistyped = provider_body("mistyped");
    mistyped["townships"] = json!("500235001");
    client
        .post_json("/api/v1/providers", mistyped)
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let control = client
        .post_json("/api/v1/providers", json!([1, 2, 3]))
        .await;
    control.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn unknown_paths_answer_404_json_for_the_api_and_a_page_otherwise() {
    let app = TestApp::spawn().await;
    let mut client = app.client();
    let api = client.get("/api/v1/nothing").await;
    api.assert_status(StatusCode::NOT_FOUND);
    assert_eq!(api.json()["error"]["code"], "not_found");
    let page = client.get("/nothing").await;
    page.assert_status(StatusCode::NOT_FOUND);
    assert!(page.text().contains("<html"));
    assert!(page.text().contains("页面不存在"));
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = TestApp::spawn().await;
    let mut client = app.client();
    client.get("/healthz").await.assert_status(StatusCode::OK);
    client.get("/readyz").await.assert_status(StatusCode::OK);
}

#[tokio::test]
async fn regions_are_public_and_bound_staff_to_real_places() {
    let app = TestApp::spawn().await;
    let regions = app.client().get("/api/v1/regions").await;
    regions.assert_status(StatusCode::OK);
    let townships = regions.json()["townships"]
        .as_array()
        .cloned()
        .expect("townships");
    assert!(townships.len() >= 5);
    assert!(townships.iter().any(
        |t| t["name"] == "青龙街道" && t["villages"].as_array().is_some_and(|v| !v.is_empty())
    ));
    let mut admin = app.admin().await;
    let response = admin
        .post_json(
            "/api/v1/users",
            json!({"username": "nowhere_officer", "password": PASSWORD, "role": "township_officer", "township": "500235999"}),
        )
        .await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.error_fields(), vec!["township"]);
}

/// Compressed pages must not carry one secret unchanged beside text an
/// attacker can make them echo (BREACH): each page carries the CSRF token
/// under a fresh mask, never the token itself, and every mask is accepted.
#[tokio::test]
async fn each_page_carries_the_csrf_token_under_a_fresh_mask() {
    let app = TestApp::spawn().await;
    app.seed_admin().await;
    let mut browser = app.client();
    let first = browser.page_csrf("/login").await;
    let second = browser.page_csrf("/login").await;
    assert_ne!(first, second, "the same token twice");
    let response = browser
        .post_form(
            "/login",
            &[
                ("csrf_token", first.as_str()),
                ("username", ADMIN),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert!(response.status.is_redirection(), "{}", response.status);
    let mut api = app.admin().await;
    let raw = api.csrf.clone().expect("the login's token");
    let on_page = api.page_csrf("/needs").await;
    assert_ne!(on_page, raw, "a page carries the session's token unmasked");
}
