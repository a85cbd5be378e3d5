//! Prometheus metrics: `/metrics` on the admin router only, the names the
//! issue lists, and labels that never hold an id, a code or a name.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::helpers::TestApp;
use crate::match_helpers::Scene;

async fn scrape(app: &TestApp) -> String {
    carebridge::web::metrics::install().expect("metrics recorder");
    let admin = carebridge::web::metrics::admin_router(carebridge::app::state(
        app.prepared.clone(),
        app.search.clone(),
        app.settings.clone(),
    ));
    let response = admin
        .oneshot(
            Request::builder()
                .uri("/metrics")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("infallible");
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()[header::CONTENT_TYPE]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "{content_type}"
    );
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    String::from_utf8(body.to_vec()).expect("utf-8")
}

/// The value of the sample `name{labels}` (labels as rendered).
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|line| {
        line.strip_prefix(series)?
            .strip_prefix(' ')?
            .trim()
            .parse()
            .ok()
    })
}

/// Every label value of every sample.
fn label_values(text: &str) -> Vec<String> {
    let mut values = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let Some(open) = line.find('{') else { continue };
        let Some(close) = line.rfind('}') else {
            continue;
        };
        for pair in line[open + 1..close].split("\",") {
            if let Some((_, value)) = pair.split_once("=\"") {
                values.push(value.trim_end_matches('"').to_owned());
            }
        }
    }
    values
}

#[tokio::test]
async fn metrics_name_routes_by_template_and_hold_no_identifier() {
    // Before the requests: recording starts with the recorder.
    carebridge::web::metrics::install().expect("metrics recorder");
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 3).await;
    let proposal = scene.proposal().await;
    // A provider waiting for verification: a pending approval of the county.
    let (pending_provider, _) = app.register_provider().await;
    scene
        .provider
        .get(&format!("/api/v1/offers/{}", scene.offer))
        .await
        .assert_status(StatusCode::OK);
    // The public page of the need, by its code.
    app.client().get(&format!("/needs/{}", scene.code)).await;
    app.client()
        .get("/no/such/page/4711-metrics-probe")
        .await
        .assert_status(StatusCode::NOT_FOUND);
    app.client()
        .login("metrics_nobody", "not the password at all")
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    app.index_now().await;

    let text = scrape(&app).await;

    for name in [
        "carebridge_http_requests_total",
        "carebridge_http_request_duration_seconds_bucket",
        "carebridge_db_pool_connections",
        "carebridge_db_pool_max_connections",
        "carebridge_outbox_head_seq",
        "carebridge_outbox_lag",
        "carebridge_index_documents",
        "carebridge_waiting_items",
        "carebridge_overdue_items",
        "carebridge_login_failures_total",
    ] {
        assert!(text.contains(name), "{name} missing from\n{text}");
    }
    // Routes by template, statuses as numbers.
    assert!(text.contains(r#"route="/api/v1/offers/{id}""#), "{text}");
    assert!(text.contains(r#"route="/needs/{key}""#), "{text}");
    assert!(text.contains(r#"route="unmatched""#), "{text}");
    assert!(text.contains(r#"status="404""#), "{text}");
    // This app's figures: its index holds the offer and the need, and
    // has applied every outbox entry; its provider waits for the county.
    assert_eq!(sample(&text, "carebridge_outbox_lag"), Some(0.0), "{text}");
    assert!(
        sample(&text, "carebridge_index_documents").is_some_and(|n| n >= 2.0),
        "{text}"
    );
    assert!(
        sample(
            &text,
            r#"carebridge_waiting_items{kind="provider_to_verify"}"#
        )
        .is_some_and(|n| n >= 1.0),
        "{text}"
    );
    assert!(
        sample(&text, "carebridge_login_failures_total").is_some_and(|n| n >= 1.0),
        "{text}"
    );
    // No label holds anything a request named.
    for secret in [
        scene.offer.as_str(),
        scene.code.as_str(),
        proposal.as_str(),
        pending_provider.as_str(),
        scene.id_number.as_str(),
        "4711-metrics-probe",
        "metrics_nobody",
    ] {
        assert!(!text.contains(secret), "{secret} leaked into /metrics");
    }
    for value in label_values(&text) {
        let digits = value
            .split(|c: char| !c.is_ascii_digit())
            .map(str::len)
            .max()
            .unwrap_or(0);
        assert!(
            digits < 6,
            "a label holds what looks like an id or code: {value}"
        );
        assert!(
            value.parse::<f64>().is_ok()
                || value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "/{}_-.+".contains(c)),
            "unexpected label value {value}"
        );
    }
}

#[tokio::test]
async fn the_public_router_does_not_serve_metrics() {
    let app = TestApp::spawn().await;
    app.client()
        .get("/metrics")
        .await
        .assert_status(StatusCode::NOT_FOUND);
}
