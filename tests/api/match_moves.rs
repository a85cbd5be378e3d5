//! The moves after a proposal over the JSON API: the county's second
//! approval of placements and sponsorship, services, completion,
//! withdrawing and cancelling.

use axum::http::StatusCode;
use carebridge::domain::Role;
use serde_json::json;

use crate::helpers::{TOWNSHIP_A, TestApp, offer_body};
use crate::match_helpers::{
    Scene, act, approve, assert_state_conflict, child_with_need, family_caring_for, get_match,
    need_status, propose, remaining,
};

#[tokio::test]
async fn foster_care_by_a_family_needs_the_countys_second_approval() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let mut family = family_caring_for(&app, &["foster_care"]).await;
    let offer = family
        .create_offer(offer_body(
            "foster_care",
            "家庭寄养",
            "可寄养一名学龄儿童。",
            &[TOWNSHIP_A],
        ))
        .await;
    let (need_id, code, _) = child_with_need(&mut officer, "foster_care", 1).await;
    let id = propose(&mut family, &code, &offer).await;

    let first = approve(&mut officer, &id).await;
    assert_eq!(first["status"], "township_approved");
    assert_eq!(remaining(&app, &offer).await, 10, "no place taken yet");
    assert_eq!(need_status(&mut officer, &need_id).await, "published");
    assert_state_conflict(
        &act(&mut officer, &id, "approve", json!({})).await,
        "township_approved",
    );
    act(&mut family, &id, "approve", json!({}))
        .await
        .assert_status(StatusCode::FORBIDDEN);

    let mut admin = app.admin().await;
    let second = approve(&mut admin, &id).await;
    assert_eq!(second["status"], "approved");
    assert_eq!(remaining(&app, &offer).await, 9);
    assert_eq!(need_status(&mut officer, &need_id).await, "matched");
    let steps: Vec<(String, String)> = second["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| {
            (
                e["to_status"].as_str().unwrap_or("").to_owned(),
                e["actor_role"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("proposed".to_owned(), "family".to_owned()),
            (
                "township_approved".to_owned(),
                "township_officer".to_owned()
            ),
            ("approved".to_owned(), "county_admin".to_owned()),
        ]
    );
    assert_eq!(app.audit_entries("match.approve").await.len(), 2);
}

#[tokio::test]
async fn sponsorship_needs_the_county_too_which_may_refuse_it_with_a_reason() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let mut family = app.approved_family(TOWNSHIP_A).await;
    let offer = family
        .create_offer(offer_body(
            "sponsorship",
            "爱心助养",
            "每月资助生活费。",
            &[TOWNSHIP_A],
        ))
        .await;
    let (need_id, code, _) = child_with_need(&mut officer, "sponsorship", 1).await;
    let id = propose(&mut family, &code, &offer).await;
    assert_eq!(
        approve(&mut officer, &id).await["status"],
        "township_approved"
    );
    let mut admin = app.admin().await;
    let refused = act(&mut admin, &id, "reject", json!({"reason": "  "})).await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.error_fields(), vec!["reason"]);
    let rejected = act(
        &mut admin,
        &id,
        "reject",
        json!({"reason": "家庭经济状况需复核"}),
    )
    .await;
    rejected.assert_status(StatusCode::OK);
    assert_eq!(rejected.json()["status"], "rejected");
    assert_eq!(remaining(&app, &offer).await, 10);
    assert_eq!(need_status(&mut officer, &need_id).await, "published");
    let events = rejected.json()["events"].clone();
    assert_eq!(events[2]["note"], "家庭经济状况需复核");
    assert_eq!(app.audit_entries("match.reject").await.len(), 1);
}

#[tokio::test]
async fn services_are_logged_after_approval_within_their_dates_and_hours() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 10).await;
    let id = scene.approved().await;
    let today = chrono::Local::now().date_naive();
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    for (body, field) in [
        (
            json!({"served_on": day(today + chrono::Duration::days(1)), "summary": "辅导"}),
            "served_on",
        ),
        (
            json!({"served_on": day(today - chrono::Duration::days(1)), "summary": "辅导"}),
            "served_on",
        ),
        (
            json!({"served_on": "2026-13-01", "summary": "辅导"}),
            "served_on",
        ),
        (
            json!({"served_on": day(today), "hours": 0, "summary": "辅导"}),
            "hours",
        ),
        (
            json!({"served_on": day(today), "hours": 24.5, "summary": "辅导"}),
            "hours",
        ),
        (json!({"served_on": day(today), "summary": " "}), "summary"),
    ] {
        let response = act(&mut scene.provider, &id, "services", body).await;
        response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(response.error_fields(), vec![field]);
    }
    act(
        &mut scene.officer,
        &id,
        "services",
        json!({"served_on": day(today), "summary": "辅导"}),
    )
    .await
    .assert_status(StatusCode::FORBIDDEN);
    let logged = act(
        &mut scene.provider,
        &id,
        "services",
        json!({"served_on": day(today), "hours": 1.5, "summary": "辅导数学作业一小时半"}),
    )
    .await;
    logged.assert_status(StatusCode::CREATED);
    assert_eq!(logged.json()["hours"], 1.5);
    let seen = get_match(&mut scene.provider, &id).await;
    assert_eq!(seen["status"], "in_service");
    assert_eq!(seen["services"].as_array().expect("services").len(), 1);
    assert_eq!(seen["services"][0]["summary"], "辅导数学作业一小时半");
    assert_eq!(app.audit_entries("match.service").await.len(), 1);
}

#[tokio::test]
async fn completion_takes_feedback_and_a_rating() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 10).await;
    let id = scene.approved().await;
    let today = chrono::Local::now().date_naive().to_string();
    act(
        &mut scene.provider,
        &id,
        "services",
        json!({"served_on": today, "summary": "辅导"}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    let bad = act(
        &mut scene.officer,
        &id,
        "complete",
        json!({"feedback": "", "rating": 6}),
    )
    .await;
    bad.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields = bad.error_fields();
    fields.sort();
    assert_eq!(fields, vec!["feedback", "rating"]);
    act(
        &mut scene.provider,
        &id,
        "complete",
        json!({"feedback": "很好", "rating": 5}),
    )
    .await
    .assert_status(StatusCode::FORBIDDEN);
    let done = act(
        &mut scene.officer,
        &id,
        "complete",
        json!({"feedback": "孩子成绩进步明显", "rating": 5}),
    )
    .await;
    done.assert_status(StatusCode::OK);
    assert_eq!(done.json()["status"], "completed");
    assert_eq!(done.json()["rating"], 5);
    assert_eq!(done.json()["feedback"], "孩子成绩进步明显");
    assert_eq!(done.json()["allowed_moves"], json!([]));
    assert_eq!(app.audit_entries("match.complete").await.len(), 1);
}

#[tokio::test]
async fn withdrawing_ends_a_proposal_and_cancelling_needs_a_reason() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 10).await;
    let id = scene.proposal().await;
    let withdrawn = act(
        &mut scene.provider,
        &id,
        "withdraw",
        json!({"reason": "人手不足"}),
    )
    .await;
    withdrawn.assert_status(StatusCode::OK);
    assert_eq!(withdrawn.json()["status"], "withdrawn");
    // A withdrawn match no longer blocks a new proposal of the same pair.
    let again = scene.approved().await;
    let no_reason = act(&mut scene.provider, &again, "cancel", json!({})).await;
    assert_eq!(no_reason.error_fields(), vec!["reason"]);
    let cancelled = act(
        &mut scene.provider,
        &again,
        "cancel",
        json!({"reason": "志愿者调离"}),
    )
    .await;
    cancelled.assert_status(StatusCode::OK);
    assert_eq!(cancelled.json()["status"], "cancelled");
    assert_eq!(app.audit_entries("match.withdraw").await.len(), 1);
    assert_eq!(app.audit_entries("match.cancel").await.len(), 1);
}
