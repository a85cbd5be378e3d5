//! Withdrawing the guardian's consent to publish: the file's published
//! needs leave publication at once (back to draft, out of the index, the
//! lists and the suggestions), open proposals end with the reason, and
//! matches that hold their place wait in the officer's inbox for a
//! decision instead of being cut off.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestClient, need_body};
use crate::match_helpers::{
    Scene, act, approve, child_with_need, get_match, need_status, propose, remaining,
};

const WITHDRAW: &str = r#"{"consent": {"keep_file": true, "publish_needs": false}}"#;

fn withdraw() -> Value {
    serde_json::from_str(WITHDRAW).expect("json")
}

/// A second published need of the same file; returns (id, code).
async fn another_need(officer: &mut TestClient, child_id: &str, quantity: i64) -> (String, String) {
    let mut body = need_body(child_id);
    body["quantity"] = json!(quantity);
    let response = officer.post_json("/api/v1/needs", body).await;
    response.assert_status(StatusCode::CREATED);
    let id = response.json()["id"].as_str().expect("id").to_owned();
    let code = response.json()["code"].as_str().expect("code").to_owned();
    officer
        .post_json(&format!("/api/v1/needs/{id}/publish"), json!({}))
        .await
        .assert_status(StatusCode::OK);
    (id, code)
}

async fn child_of(officer: &mut TestClient, need_id: &str) -> String {
    officer
        .get(&format!("/api/v1/needs/{need_id}"))
        .await
        .json()["child_id"]
        .as_str()
        .expect("child_id")
        .to_owned()
}

async fn inbox_kind(client: &mut TestClient, kind: &str) -> u64 {
    let inbox = client.get("/api/v1/inbox").await;
    inbox.assert_status(StatusCode::OK);
    inbox.json()["counts"][kind].as_u64().unwrap_or(0)
}

#[tokio::test]
async fn withdrawing_consent_takes_the_files_needs_out_of_publication() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 5).await;
    let child = child_of(&mut scene.officer, &scene.need_id).await;
    // Need A (the scene's): a proposal waiting for approval.
    let proposal = scene.proposal().await;
    // Need B: an officer's suggestion waiting for the provider, and one
    // approved match (two children wanted, so it stays published).
    let (need_b, code_b) = another_need(&mut scene.officer, &child, 2).await;
    let suggestion = propose(&mut scene.officer, &code_b, &scene.offer).await;
    let second_offer = crate::match_helpers::tutoring_offer(&mut scene.provider, 3).await;
    let running = propose(&mut scene.provider, &code_b, &second_offer).await;
    approve(&mut scene.officer, &running).await;
    // Need C: covered (matched), its match in service.
    let (need_c, code_c) = another_need(&mut scene.officer, &child, 1).await;
    let covered = propose(&mut scene.provider, &code_c, &scene.offer).await;
    approve(&mut scene.officer, &covered).await;
    act(
        &mut scene.provider,
        &covered,
        "services",
        json!({"served_on": chrono::Local::now().date_naive().to_string(), "summary": "辅导数学作业"}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    assert_eq!(need_status(&mut scene.officer, &need_c).await, "matched");
    app.index_now().await;
    let places_before = remaining(&app, &scene.offer).await;

    let response = scene
        .officer
        .patch_json(&format!("/api/v1/children/{child}"), withdraw())
        .await;
    response.assert_status(StatusCode::OK);
    let told = response.json()["publication_withdrawn"].clone();
    assert_eq!(
        told,
        json!({"needs_unpublished": 2, "proposals_ended": 2, "matches_to_review": 2}),
        "the officer is told what happened"
    );

    // Out of publication: drafts, out of the index, not shown to providers.
    assert_eq!(
        need_status(&mut scene.officer, &scene.need_id).await,
        "draft"
    );
    assert_eq!(need_status(&mut scene.officer, &need_b).await, "draft");
    assert_eq!(need_status(&mut scene.officer, &need_c).await, "matched");
    app.index_now().await;
    let mut provider = scene.provider.clone();
    for code in [&scene.code, &code_b, &code_c] {
        provider
            .get(&format!("/api/v1/needs/{code}"))
            .await
            .assert_status(StatusCode::NOT_FOUND);
        let found = provider
            .get("/api/v1/search?type=need&q=辅导&limit=100")
            .await;
        found.assert_status(StatusCode::OK);
        assert!(
            !found.text().contains(code.as_str()),
            "{code} still searchable"
        );
        let suggested = provider
            .get(&format!("/api/v1/offers/{}/suggestions", scene.offer))
            .await;
        suggested.assert_status(StatusCode::OK);
        assert!(
            !suggested.text().contains(code.as_str()),
            "{code} still suggested"
        );
    }
    let listed = provider.get("/api/v1/needs?limit=100").await;
    listed.assert_status(StatusCode::OK);
    assert_eq!(listed.json()["total"], 0);

    // Open proposals ended with the reason.
    for id in [&proposal, &suggestion] {
        let m = get_match(&mut scene.provider, id).await;
        assert_eq!(m["status"], "rejected", "{m}");
        let last = m["events"].as_array().expect("events").last().cloned();
        assert!(
            last.is_some_and(|e| e["note"].as_str().is_some_and(|n| n.contains("撤回"))),
            "{m}"
        );
    }
    // Running matches go on, waiting for the officer.
    for id in [&running, &covered] {
        let m = get_match(&mut scene.officer, id).await;
        assert!(
            m["status"] == "approved" || m["status"] == "in_service",
            "{m}"
        );
        assert!(m["review_since"].is_string(), "{m}");
        let moves = m["allowed_moves"].as_array().expect("moves");
        assert!(moves.contains(&json!("continue")) && moves.contains(&json!("cancel")));
        let owner_view = get_match(&mut scene.provider, id).await;
        assert!(owner_view["review_since"].is_null());
    }
    assert_eq!(
        remaining(&app, &scene.offer).await,
        places_before,
        "no place lost"
    );
    assert_eq!(inbox_kind(&mut scene.officer, "match_to_review").await, 2);
    let mut officer = scene.officer.clone();
    let page = officer.get(&format!("/matches/{running}")).await;
    assert!(page.text().contains("撤回发布需求的同意"));

    // The officer decides: one goes on, one ends.
    act(
        &mut scene.officer,
        &running,
        "continue",
        json!({"note": "已与监护人沟通，继续服务至本学期结束"}),
    )
    .await
    .assert_status(StatusCode::OK);
    assert!(get_match(&mut scene.officer, &running).await["review_since"].is_null());
    act(&mut scene.officer, &running, "continue", json!({}))
        .await
        .assert_status(StatusCode::CONFLICT);
    act(
        &mut scene.officer,
        &covered,
        "cancel",
        json!({"reason": "监护人不同意继续"}),
    )
    .await
    .assert_status(StatusCode::OK);
    assert_eq!(remaining(&app, &scene.offer).await, places_before + 1);
    assert_eq!(inbox_kind(&mut scene.officer, "match_to_review").await, 0);
    // The owner never decides.
    act(&mut scene.provider, &running, "continue", json!({}))
        .await
        .assert_status(StatusCode::FORBIDDEN);
    // Publishing again needs consent again.
    scene
        .officer
        .post_json(
            &format!("/api/v1/needs/{}/publish", scene.need_id),
            json!({}),
        )
        .await
        .assert_status(StatusCode::CONFLICT);
    assert_eq!(app.audit_entries("need.unpublish").await.len(), 2);
}

#[tokio::test]
async fn a_change_that_keeps_the_consent_touches_no_need() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 5).await;
    let child = child_of(&mut scene.officer, &scene.need_id).await;
    let proposal = scene.proposal().await;
    let response = scene
        .officer
        .patch_json(
            &format!("/api/v1/children/{child}"),
            json!({"school": "城关小学"}),
        )
        .await;
    response.assert_status(StatusCode::OK);
    assert!(response.json().get("publication_withdrawn").is_none());
    assert_eq!(
        need_status(&mut scene.officer, &scene.need_id).await,
        "published"
    );
    assert_eq!(
        get_match(&mut scene.provider, &proposal).await["status"],
        "proposed"
    );
}

/// The withdrawal and an approval on the same need race: whichever wins,
/// no match ends up holding a place on the withdrawn file's need without
/// waiting for the officer's decision.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_approval_racing_a_withdrawal_never_leaves_a_match_running_unreviewed() {
    let app = TestApp::spawn().await;
    let mut officer = app
        .login_as(carebridge::domain::Role::TownshipOfficer)
        .await;
    let mut provider = app.verified_provider().await;
    let offer = crate::match_helpers::tutoring_offer(&mut provider, 20).await;
    for _ in 0..4 {
        let (need, code, _) = child_with_need(&mut officer, "tutoring", 1).await;
        let child = child_of(&mut officer, &need).await;
        let id = propose(&mut provider, &code, &offer).await;
        let approving = {
            let mut officer = officer.clone();
            let id = id.clone();
            tokio::spawn(async move { act(&mut officer, &id, "approve", json!({})).await })
        };
        let withdrawing = {
            let mut officer = officer.clone();
            tokio::spawn(async move {
                officer
                    .patch_json(&format!("/api/v1/children/{child}"), withdraw())
                    .await
            })
        };
        let approved = approving.await.expect("task");
        assert!(
            matches!(approved.status, StatusCode::OK | StatusCode::CONFLICT),
            "{}: {}",
            approved.status,
            approved.text()
        );
        withdrawing
            .await
            .expect("task")
            .assert_status(StatusCode::OK);
        let m = get_match(&mut officer, &id).await;
        match m["status"].as_str() {
            Some("approved") => assert!(m["review_since"].is_string(), "{m}"),
            Some("rejected") => {}
            other => panic!("unexpected {other:?}: {m}"),
        }
    }
}
