//! Places and coverage: concurrent approvals never overbook an offer, a
//! cancel gives the place back, and a need's status follows its matches.

use axum::http::StatusCode;
use serde_json::json;

use crate::helpers::TestApp;
use crate::match_helpers::{
    Scene, act, approve, assert_state_conflict, child_with_need, get_match, need_status, propose,
    remaining, tutoring_need, tutoring_offer,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_approvals_of_an_offer_with_three_places_take_exactly_three() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 3).await;
    let mut matches = Vec::new();
    let mut needs = Vec::new();
    for _ in 0..50 {
        let (need_id, code) = tutoring_need(&mut scene.officer).await;
        matches.push(propose(&mut scene.provider, &code, &scene.offer).await);
        needs.push(need_id);
    }
    let tasks: Vec<_> = matches
        .iter()
        .map(|id| {
            let mut officer = scene.officer.clone();
            let id = id.clone();
            tokio::spawn(async move { act(&mut officer, &id, "approve", json!({})).await })
        })
        .collect();
    let mut approved = 0;
    let mut full = 0;
    for task in tasks {
        let response = task.await.expect("task");
        match response.status {
            StatusCode::OK => approved += 1,
            StatusCode::CONFLICT => {
                let body = response.json();
                assert_eq!(body["error"]["code"], "no_capacity", "{body}");
                assert_eq!(body["error"]["message"], "该服务名额已满");
                full += 1;
            }
            other => panic!("unexpected {other}: {}", response.text()),
        }
    }
    assert_eq!((approved, full), (3, 47));
    assert_eq!(remaining(&app, &scene.offer).await, 0);
    let mut officer = scene.officer.clone();
    let listed = officer
        .get("/api/v1/matches?status=approved&limit=100")
        .await;
    assert_eq!(listed.json()["total"], 3);
    let mut matched = 0;
    for need in &needs {
        if need_status(&mut scene.officer, need).await == "matched" {
            matched += 1;
        }
    }
    assert_eq!(matched, 3, "exactly the approved needs are matched");
    assert_eq!(app.audit_entries("match.approve").await.len(), 3);
    assert!(matches!(
        carebridge::services::audit::verify(&app.db)
            .await
            .expect("verify"),
        carebridge::services::audit::Verification::Intact { .. }
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_concurrent_approvals_of_one_match_move_it_once() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 5).await;
    let id = scene.proposal().await;
    let tasks: Vec<_> = (0..2)
        .map(|_| {
            let mut officer = scene.officer.clone();
            let id = id.clone();
            tokio::spawn(async move { act(&mut officer, &id, "approve", json!({})).await })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        let response = task.await.expect("task");
        if response.status == StatusCode::CONFLICT {
            assert_state_conflict(&response, "approved");
        }
        statuses.push(response.status);
    }
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    assert_eq!(remaining(&app, &scene.offer).await, 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_approvals_of_two_offers_for_one_child_cover_the_need_once() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 5).await;
    let second_offer = tutoring_offer(&mut scene.provider, 5).await;
    let ids = [
        scene.proposal().await,
        propose(&mut scene.provider, &scene.code, &second_offer).await,
    ];
    let tasks: Vec<_> = ids
        .iter()
        .map(|id| {
            let mut officer = scene.officer.clone();
            let id = id.clone();
            tokio::spawn(async move { act(&mut officer, &id, "approve", json!({})).await })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.expect("task").status);
    }
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    let places = remaining(&app, &scene.offer).await + remaining(&app, &second_offer).await;
    assert_eq!(places, 9, "one place taken in all");
    assert_eq!(
        need_status(&mut scene.officer, &scene.need_id).await,
        "matched"
    );
}

#[tokio::test]
async fn cancelling_an_approved_match_gives_its_place_back_and_reopens_the_need() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 1).await;
    let id = scene.approved().await;
    assert_eq!(remaining(&app, &scene.offer).await, 0);
    assert_eq!(
        need_status(&mut scene.officer, &scene.need_id).await,
        "matched"
    );
    // Another need cannot get the last place.
    let (_, other_code) = tutoring_need(&mut scene.officer).await;
    let full =
        crate::match_helpers::propose_raw(&mut scene.provider, &other_code, &scene.offer).await;
    assert_eq!(full.error_fields(), vec!["offer_id"]);
    let cancelled = act(
        &mut scene.officer,
        &id,
        "cancel",
        json!({"reason": "家庭搬迁"}),
    )
    .await;
    cancelled.assert_status(StatusCode::OK);
    assert_eq!(remaining(&app, &scene.offer).await, 1);
    assert_eq!(
        need_status(&mut scene.officer, &scene.need_id).await,
        "published"
    );
    // Cancelling twice gives nothing back twice.
    assert_state_conflict(
        &act(&mut scene.officer, &id, "cancel", json!({"reason": "再次"})).await,
        "cancelled",
    );
    assert_eq!(remaining(&app, &scene.offer).await, 1);
    // The place serves another need now.
    let other = propose(&mut scene.provider, &other_code, &scene.offer).await;
    approve(&mut scene.officer, &other).await;
    assert_eq!(remaining(&app, &scene.offer).await, 0);
    assert_eq!(app.audit_entries("need.follow_matches").await.len(), 3);
}

#[tokio::test]
async fn a_need_for_two_children_stays_published_until_both_places_are_approved() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 10).await;
    let (need_id, code, _) = child_with_need(&mut scene.officer, "tutoring", 2).await;
    let second_offer = tutoring_offer(&mut scene.provider, 10).await;
    let first = propose(&mut scene.provider, &code, &scene.offer).await;
    let second = propose(&mut scene.provider, &code, &second_offer).await;
    approve(&mut scene.officer, &first).await;
    assert_eq!(need_status(&mut scene.officer, &need_id).await, "published");
    approve(&mut scene.officer, &second).await;
    assert_eq!(need_status(&mut scene.officer, &need_id).await, "matched");
    act(
        &mut scene.provider,
        &second,
        "cancel",
        json!({"reason": "志愿者不足"}),
    )
    .await
    .assert_status(StatusCode::OK);
    assert_eq!(need_status(&mut scene.officer, &need_id).await, "published");
}

#[tokio::test]
async fn a_need_is_fulfilled_when_its_approved_matches_are_completed() {
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
    assert_eq!(
        need_status(&mut scene.officer, &scene.need_id).await,
        "matched"
    );
    act(
        &mut scene.officer,
        &id,
        "complete",
        json!({"feedback": "完成得很好", "rating": 5}),
    )
    .await
    .assert_status(StatusCode::OK);
    assert_eq!(
        need_status(&mut scene.officer, &scene.need_id).await,
        "fulfilled"
    );
    // A completed match keeps its place.
    assert_eq!(remaining(&app, &scene.offer).await, 9);
}

#[tokio::test]
async fn a_covered_need_takes_no_further_approval() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 10).await;
    let other_offer = tutoring_offer(&mut scene.provider, 10).await;
    let first = scene.proposal().await;
    let second = propose(&mut scene.provider, &scene.code, &other_offer).await;
    approve(&mut scene.officer, &first).await;
    let refused = act(&mut scene.officer, &second, "approve", json!({})).await;
    refused.assert_status(StatusCode::CONFLICT);
    assert_eq!(remaining(&app, &other_offer).await, 10);
    // The covered need takes no new proposals either.
    let third_offer = tutoring_offer(&mut scene.provider, 10).await;
    let late =
        crate::match_helpers::propose_raw(&mut scene.provider, &scene.code, &third_offer).await;
    assert_eq!(late.error_fields(), vec!["need_code"]);
}

#[tokio::test]
async fn approval_and_cancel_reindex_the_need_and_the_offer() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 10).await;
    app.index_now().await;
    let mut provider = scene.provider.clone();
    assert_eq!(provider.get("/api/v1/needs").await.json()["total"], 1);
    let before = carebridge::db::outbox::last_seq(&app.db)
        .await
        .expect("seq");
    let id = scene.approved().await;
    let entries = carebridge::db::outbox::after(&app.db, before, 100)
        .await
        .expect("outbox");
    let has = |kind: &str, id: &str| entries.iter().any(|e| e.kind == kind && e.ref_id == id);
    assert!(has("offer", &scene.offer), "the offer's places changed");
    assert!(has("need", &scene.need_id), "the need is matched");
    app.index_now().await;
    assert_eq!(
        provider.get("/api/v1/needs").await.json()["total"],
        0,
        "a matched need is no longer listed"
    );
    act(
        &mut scene.officer,
        &id,
        "cancel",
        json!({"reason": "家庭搬迁"}),
    )
    .await
    .assert_status(StatusCode::OK);
    app.index_now().await;
    assert_eq!(provider.get("/api/v1/needs").await.json()["total"], 1);
}

#[tokio::test]
async fn closing_a_need_ends_its_open_matches_and_gives_places_back() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 3).await;
    let other_offer = tutoring_offer(&mut scene.provider, 2).await;
    let pending = propose(&mut scene.provider, &scene.code, &other_offer).await;
    let approved = scene.approved().await;
    assert_eq!(remaining(&app, &scene.offer).await, 2);

    scene
        .officer
        .post_json(
            &format!("/api/v1/needs/{}/close", scene.need_id),
            json!({"reason": "孩子已随父母迁往外县"}),
        )
        .await
        .assert_status(StatusCode::OK);

    assert_eq!(
        get_match(&mut scene.officer, &approved).await["status"],
        "cancelled"
    );
    assert_eq!(
        get_match(&mut scene.officer, &pending).await["status"],
        "rejected"
    );
    assert_eq!(remaining(&app, &scene.offer).await, 3, "the place is back");
    assert_eq!(remaining(&app, &other_offer).await, 2);
    assert_eq!(
        need_status(&mut scene.officer, &scene.need_id).await,
        "closed"
    );
    let timeline = get_match(&mut scene.provider, &approved).await;
    let last = timeline["events"]
        .as_array()
        .and_then(|e| e.last())
        .cloned()
        .expect("events");
    assert_eq!(last["note"], "需求已关闭：孩子已随父母迁往外县");
    assert_eq!(app.audit_entries("match.cancel").await.len(), 1);
    assert_eq!(app.audit_entries("match.reject").await.len(), 1);
}
