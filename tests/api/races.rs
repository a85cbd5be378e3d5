//! Races between different write paths on one row: approvals against the
//! owner's edits, pauses and resumes of an offer; a file closed while it is
//! being edited; a need published while its draft is being changed. Each
//! ends in a state that one of the requests, applied alone, could have
//! produced, and no request answers 500.

use axum::http::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResponse, need_body, offer_body};
use crate::match_helpers::{Scene, act, propose, tutoring_need};

/// Statuses a racing request may answer: done, or refused because another
/// request changed the row first (409) or its new state makes the input
/// invalid (422). Never 500.
#[track_caller]
fn assert_settled(response: &TestResponse) {
    assert!(
        matches!(
            response.status,
            StatusCode::OK | StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY
        ),
        "unexpected {}: {}",
        response.status,
        response.text()
    );
}

async fn one_i64(app: &TestApp, sql: &str) -> i64 {
    let row = app
        .db
        .query_one_raw(Statement::from_string(app.db.get_database_backend(), sql))
        .await
        .expect("query")
        .expect("row");
    row.try_get_by_index::<i64>(0).expect("integer")
}

/// (capacity, remaining, places held by matches) of an offer, read from
/// the database.
async fn places(app: &TestApp, offer: &str) -> (i64, i64, i64) {
    let capacity = one_i64(
        app,
        &format!("SELECT CAST(capacity AS BIGINT) FROM offers WHERE id = '{offer}'"),
    )
    .await;
    let remaining = one_i64(
        app,
        &format!("SELECT CAST(remaining AS BIGINT) FROM offers WHERE id = '{offer}'"),
    )
    .await;
    let held = one_i64(
        app,
        &format!(
            "SELECT COUNT(*) FROM matches WHERE offer_id = '{offer}' \
             AND status IN ('approved', 'in_service', 'completed')"
        ),
    )
    .await;
    (capacity, remaining, held)
}

fn edit(capacity: i64) -> Value {
    let mut body = offer_body(
        "tutoring",
        "四点半课堂课业辅导（调整）",
        "放学后辅导作业，时间有调整。",
        &[crate::helpers::TOWNSHIP_A],
    );
    body["capacity"] = json!(capacity);
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn approvals_racing_offer_edits_pauses_and_resumes_never_overbook() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 2).await;
    let mut proposals = Vec::new();
    for _ in 0..12 {
        let (_, code) = tutoring_need(&mut scene.officer).await;
        proposals.push(propose(&mut scene.provider, &code, &scene.offer).await);
    }
    let offer_path = format!("/api/v1/offers/{}", scene.offer);
    let mut tasks = Vec::new();
    for (i, id) in proposals.iter().enumerate() {
        let mut officer = scene.officer.clone();
        let id = id.clone();
        tasks.push(tokio::spawn(async move {
            act(&mut officer, &id, "approve", json!({})).await
        }));
        let mut provider = scene.provider.clone();
        let path = offer_path.clone();
        tasks.push(tokio::spawn(async move {
            match i % 4 {
                0 | 2 => {
                    provider
                        .send_json(axum::http::Method::PUT, &path, edit(2))
                        .await
                }
                1 => {
                    provider
                        .post_json(&format!("{path}/pause"), json!({}))
                        .await
                }
                _ => {
                    provider
                        .post_json(&format!("{path}/resume"), json!({}))
                        .await
                }
            }
        }));
    }
    for task in tasks {
        assert_settled(&task.await.expect("task"));
    }
    let (capacity, remaining, held) = places(&app, &scene.offer).await;
    assert_eq!(capacity, 2);
    assert!(held <= capacity, "{held} places held of {capacity}");
    assert_eq!(remaining, capacity - held, "remaining = capacity - held");
    assert!(matches!(
        carebridge::services::audit::verify(&app.db)
            .await
            .expect("verify"),
        carebridge::services::audit::Verification::Intact { .. }
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn capacity_edits_racing_approvals_keep_remaining_equal_to_free_places() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 3).await;
    let mut proposals = Vec::new();
    for _ in 0..8 {
        let (_, code) = tutoring_need(&mut scene.officer).await;
        proposals.push(propose(&mut scene.provider, &code, &scene.offer).await);
    }
    let path = format!("/api/v1/offers/{}", scene.offer);
    let mut tasks = Vec::new();
    for (i, id) in proposals.iter().enumerate() {
        let mut officer = scene.officer.clone();
        let id = id.clone();
        tasks.push(tokio::spawn(async move {
            act(&mut officer, &id, "approve", json!({})).await
        }));
        let mut provider = scene.provider.clone();
        let path = path.clone();
        // Capacities of 2 to 5: some fall below what approvals just took.
        let capacity = 2 + (i as i64 % 4);
        tasks.push(tokio::spawn(async move {
            provider
                .send_json(axum::http::Method::PUT, &path, edit(capacity))
                .await
        }));
    }
    for task in tasks {
        assert_settled(&task.await.expect("task"));
    }
    let (capacity, remaining, held) = places(&app, &scene.offer).await;
    assert!(held <= capacity, "{held} places held of {capacity}");
    assert_eq!(remaining, capacity - held, "remaining = capacity - held");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_file_closed_while_it_is_edited_stays_closed() {
    let app = TestApp::spawn().await;
    let scene = Scene::new(&app, 2).await;
    let mut officer = scene.officer.clone();
    let need = officer
        .get(&format!("/api/v1/needs/{}", scene.need_id))
        .await
        .json();
    let child_id = need["child_id"].as_str().expect("child_id").to_owned();
    let path = format!("/api/v1/children/{child_id}");
    let mut tasks = Vec::new();
    for i in 0..8 {
        let mut officer = scene.officer.clone();
        let path = path.clone();
        tasks.push(tokio::spawn(async move {
            if i == 3 {
                officer
                    .post_json(
                        &format!("{path}/close"),
                        json!({"reason": "儿童已随父母迁出本县"}),
                    )
                    .await
            } else {
                officer
                    .patch_json(&path, json!({"school": format!("城关小学{i}")}))
                    .await
            }
        }));
    }
    let mut closed = false;
    for (i, task) in tasks.into_iter().enumerate() {
        let response = task.await.expect("task");
        assert_settled(&response);
        if i == 3 {
            closed = response.status == StatusCode::OK;
        }
    }
    assert!(closed, "closing a file is never refused by an edit");
    let status = officer.get(&path).await.json()["status"].clone();
    assert_eq!(status, "closed");
    let need_status = officer
        .get(&format!("/api/v1/needs/{}", scene.need_id))
        .await
        .json()["status"]
        .clone();
    assert_eq!(need_status, "closed", "its needs closed with it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_need_published_while_its_draft_is_edited_stays_published() {
    let app = TestApp::spawn().await;
    let scene = Scene::new(&app, 2).await;
    let mut officer = scene.officer.clone();
    let need = officer
        .get(&format!("/api/v1/needs/{}", scene.need_id))
        .await
        .json();
    let child_id = need["child_id"].as_str().expect("child_id").to_owned();
    for _ in 0..3 {
        let response = officer
            .post_json("/api/v1/needs", need_body(&child_id))
            .await;
        response.assert_status(StatusCode::CREATED);
        let id = response.json()["id"].as_str().expect("id").to_owned();
        let mut tasks = Vec::new();
        for i in 0..6 {
            let mut officer = scene.officer.clone();
            let id = id.clone();
            let child_id = child_id.clone();
            tasks.push(tokio::spawn(async move {
                if i == 2 {
                    officer
                        .post_json(&format!("/api/v1/needs/{id}/publish"), json!({}))
                        .await
                } else {
                    let mut body = need_body(&child_id);
                    body["title"] = json!(format!("四年级数学课业辅导{i}"));
                    officer
                        .patch_json(&format!("/api/v1/needs/{id}"), body)
                        .await
                }
            }));
        }
        let mut published = false;
        for (i, task) in tasks.into_iter().enumerate() {
            let response = task.await.expect("task");
            assert_settled(&response);
            if i == 2 {
                published = response.status == StatusCode::OK;
            }
        }
        assert!(published, "publishing a draft is never refused by an edit");
        let status = officer.get(&format!("/api/v1/needs/{id}")).await.json()["status"].clone();
        assert_eq!(status, "published");
    }
}
