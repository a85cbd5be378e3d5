//! Offers: posting, pausing, editing and closing; who may post what.

use axum::http::StatusCode;
use serde_json::json;

use crate::helpers::{PASSWORD, TOWNSHIP_A, TestApp, offer_body};

#[tokio::test]
async fn a_verified_provider_posts_an_offer_anyone_can_read() {
    let app = TestApp::spawn().await;
    let mut provider = app.verified_provider().await;
    let response = provider
        .post_json(
            "/api/v1/offers",
            offer_body(
                "tutoring",
                "四点半课堂课业辅导",
                "放学后辅导作业，志愿者均为在校师范生。",
                &[TOWNSHIP_A],
            ),
        )
        .await;
    response.assert_status(StatusCode::CREATED);
    let body = response.json();
    assert_eq!(body["status"], "active");
    assert_eq!(body["remaining"], 10);
    let id = body["id"].as_str().expect("id");
    let public = app.client().get(&format!("/api/v1/offers/{id}")).await;
    public.assert_status(StatusCode::OK);
    assert_eq!(public.json()["title"], "四点半课堂课业辅导");
    assert_eq!(public.json()["townships"], json!([TOWNSHIP_A]));
    assert_eq!(public.json()["owner_type"], "provider");
    let mut own = provider.clone();
    assert_eq!(own.get("/api/v1/offers").await.json()["total"], 1);
}

#[tokio::test]
async fn only_verified_providers_and_approved_families_post_and_within_their_kinds() {
    let app = TestApp::spawn().await;
    let body = offer_body("tutoring", "课业辅导", "辅导作业。", &["county"]);
    let (_, pending) = app.register_provider().await;
    app.logged_in(&pending)
        .await
        .post_json("/api/v1/offers", body.clone())
        .await
        .assert_status(StatusCode::FORBIDDEN);
    app.login_as(carebridge::domain::Role::TownshipOfficer)
        .await
        .post_json("/api/v1/offers", body.clone())
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let mut provider = app.verified_provider().await;
    let foster = provider
        .post_json(
            "/api/v1/offers",
            offer_body("foster_care", "家庭寄养", "寄养。", &["county"]),
        )
        .await;
    assert_eq!(foster.error_fields(), vec!["category"]);
    // The demo family offers sponsorship only (see family_body).
    let mut family = app.approved_family(TOWNSHIP_A).await;
    family
        .post_json(
            "/api/v1/offers",
            offer_body("sponsorship", "爱心助养", "每月资助生活费。", &[TOWNSHIP_A]),
        )
        .await
        .assert_status(StatusCode::CREATED);
    let other = family.post_json("/api/v1/offers", body).await;
    assert_eq!(other.error_fields(), vec!["category"]);
    let (_, applicant) = app.apply_family(TOWNSHIP_A).await;
    let mut unapproved = app.client();
    unapproved.login(&applicant, PASSWORD).await;
    unapproved
        .post_json(
            "/api/v1/offers",
            offer_body("sponsorship", "助养", "资助。", &[TOWNSHIP_A]),
        )
        .await
        .assert_status(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn invalid_offers_name_each_field() {
    let app = TestApp::spawn().await;
    let mut provider = app.verified_provider().await;
    let mut body = offer_body("tutoring", "", "辅导", &["county", TOWNSHIP_A]);
    body["capacity"] = json!(0);
    body["age_min"] = json!(12);
    body["age_max"] = json!(6);
    body["starts_on"] = json!("2026-12-10");
    body["ends_on"] = json!("2026-12-01");
    let response = provider.post_json("/api/v1/offers", body).await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields = response.error_fields();
    fields.sort();
    assert_eq!(
        fields,
        vec!["age_min", "capacity", "ends_on", "title", "townships"]
    );
    let unknown = provider
        .post_json(
            "/api/v1/offers",
            offer_body("tutoring", "辅导", "辅导", &["999999999"]),
        )
        .await;
    assert_eq!(unknown.error_fields(), vec!["townships"]);
    let mut extra = offer_body("tutoring", "辅导", "辅导", &["county"]);
    extra["remaining"] = json!(99);
    provider
        .post_json("/api/v1/offers", extra)
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn offers_pause_resume_change_and_close_by_their_owner_only() {
    let app = TestApp::spawn().await;
    let mut provider = app.verified_provider().await;
    let mut other = app.verified_provider().await;
    let id = provider
        .create_offer(offer_body(
            "counselling",
            "心理疏导",
            "专业社工一对一心理疏导。",
            &["county"],
        ))
        .await;
    let path = |action: &str| format!("/api/v1/offers/{id}/{action}");
    other
        .post_json(&path("pause"), json!({}))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let paused = provider.post_json(&path("pause"), json!({})).await;
    assert_eq!(paused.json()["status"], "paused");
    provider
        .post_json(&path("pause"), json!({}))
        .await
        .assert_status(StatusCode::CONFLICT);
    assert_eq!(
        provider.post_json(&path("resume"), json!({})).await.json()["status"],
        "active"
    );
    let mut changed = offer_body(
        "counselling",
        "心理疏导（团体）",
        "团体辅导。",
        &[TOWNSHIP_A],
    );
    changed["capacity"] = json!(4);
    let response = provider
        .clone()
        .send_json(
            axum::http::Method::PUT,
            &format!("/api/v1/offers/{id}"),
            changed,
        )
        .await;
    response.assert_status(StatusCode::OK);
    assert_eq!(response.json()["capacity"], 4);
    assert_eq!(response.json()["remaining"], 4);
    assert_eq!(response.json()["townships"], json!([TOWNSHIP_A]));
    let closed = provider
        .post_json(&path("close"), json!({"reason": "项目周期结束"}))
        .await;
    assert_eq!(closed.json()["status"], "closed");
    assert_eq!(closed.json()["closed_reason"], "项目周期结束");
    provider
        .post_json(&path("resume"), json!({}))
        .await
        .assert_status(StatusCode::CONFLICT);
    let audit = app.audit_entries("offer.close").await;
    assert_eq!(audit[0]["target"], format!("offer:{id}"));
}
