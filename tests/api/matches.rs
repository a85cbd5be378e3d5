//! Matches over the JSON API: proposing and suggesting, the checks of a
//! proposal, illegal moves and who may do what. The county's second
//! approval, services, completion, withdrawing and cancelling are in
//! `match_moves`; the handover note and privacy in `match_privacy`.

use axum::http::StatusCode;
use carebridge::domain::Role;
use serde_json::json;

use crate::helpers::{TOWNSHIP_A, TOWNSHIP_B, TestApp, offer_body};
use crate::match_helpers::{
    Scene, act, approve, assert_state_conflict, get_match, need_status, propose, propose_raw,
    remaining, tutoring_need, tutoring_offer,
};

#[tokio::test]
async fn a_provider_proposes_and_the_officer_approves_each_step_in_the_timeline_and_the_audit() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 10).await;
    let response = propose_raw(&mut scene.provider, &scene.code, &scene.offer).await;
    response.assert_status(StatusCode::CREATED);
    assert_eq!(response.json()["status"], "proposed");
    let id = response.json()["id"].as_str().expect("id").to_owned();

    let seen = get_match(&mut scene.provider, &id).await;
    assert_eq!(seen["proposed_side"], "provider");
    assert_eq!(seen["need"]["code"], scene.code.as_str());
    assert_eq!(seen["allowed_moves"], json!(["withdraw"]));
    let officer_view = get_match(&mut scene.officer, &id).await;
    assert_eq!(officer_view["allowed_moves"], json!(["approve", "reject"]));
    assert_eq!(officer_view["need"]["id"], scene.need_id.as_str());

    let approved = approve(&mut scene.officer, &id).await;
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["offer"]["remaining"], 9);
    let events = approved["events"].as_array().expect("events");
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["action"], "propose");
    assert_eq!(events[0]["to_status"], "proposed");
    assert_eq!(events[0]["actor_role"], "provider");
    assert_eq!(events[1]["action"], "approve");
    assert_eq!(events[1]["from_status"], "proposed");
    assert_eq!(events[1]["to_status"], "approved");
    assert_eq!(events[1]["actor_role"], "township_officer");
    assert_eq!(remaining(&app, &scene.offer).await, 9);
    assert_eq!(
        need_status(&mut scene.officer, &scene.need_id).await,
        "matched"
    );
    for action in ["match.propose", "match.approve"] {
        let entries = app.audit_entries(action).await;
        assert_eq!(entries.len(), 1, "{action}");
        assert_eq!(entries[0]["target"], format!("match:{id}"));
    }
}

#[tokio::test]
async fn an_officers_suggestion_waits_for_the_owner_to_accept() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 10).await;
    let response = propose_raw(&mut scene.officer, &scene.code, &scene.offer).await;
    response.assert_status(StatusCode::CREATED);
    assert_eq!(response.json()["status"], "suggested");
    let id = response.json()["id"].as_str().expect("id").to_owned();
    assert_state_conflict(
        &act(&mut scene.officer, &id, "approve", json!({})).await,
        "suggested",
    );
    let owner = get_match(&mut scene.provider, &id).await;
    assert_eq!(owner["allowed_moves"], json!(["accept", "withdraw"]));
    let accepted = act(
        &mut scene.provider,
        &id,
        "accept",
        json!({"note": "可以安排"}),
    )
    .await;
    accepted.assert_status(StatusCode::OK);
    assert_eq!(accepted.json()["status"], "proposed");
    assert_eq!(approve(&mut scene.officer, &id).await["status"], "approved");
    let events = get_match(&mut scene.officer, &id).await["events"].clone();
    let actions: Vec<&str> = events
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(actions, ["suggest", "accept", "approve"]);
    assert_eq!(app.audit_entries("match.suggest").await.len(), 1);
    assert_eq!(app.audit_entries("match.accept").await.len(), 1);
}

#[tokio::test]
async fn illegal_moves_answer_409_naming_the_current_state() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 10).await;
    let id = scene.proposal().await;
    assert_state_conflict(
        &act(
            &mut scene.provider,
            &id,
            "services",
            json!({"served_on": "2026-01-01", "summary": "辅导"}),
        )
        .await,
        "proposed",
    );
    assert_state_conflict(
        &act(
            &mut scene.officer,
            &id,
            "complete",
            json!({"feedback": "好", "rating": 5}),
        )
        .await,
        "proposed",
    );
    assert_state_conflict(
        &act(
            &mut scene.officer,
            &id,
            "cancel",
            json!({"reason": "情况变化"}),
        )
        .await,
        "proposed",
    );
    assert_state_conflict(
        &act(&mut scene.officer, &id, "withdraw", json!({})).await,
        "proposed",
    );
    approve(&mut scene.officer, &id).await;
    assert_state_conflict(
        &act(&mut scene.officer, &id, "approve", json!({})).await,
        "approved",
    );
    assert_state_conflict(
        &act(&mut scene.provider, &id, "accept", json!({})).await,
        "approved",
    );
    assert_state_conflict(
        &act(&mut scene.provider, &id, "withdraw", json!({})).await,
        "approved",
    );
    assert_state_conflict(
        &act(
            &mut scene.officer,
            &id,
            "reject",
            json!({"reason": "不合适"}),
        )
        .await,
        "approved",
    );
    assert_state_conflict(
        &act(
            &mut scene.officer,
            &id,
            "complete",
            json!({"feedback": "好", "rating": 5}),
        )
        .await,
        "approved",
    );
    let rejected_id = {
        let (_, code) = tutoring_need(&mut scene.officer).await;
        let id = propose(&mut scene.provider, &code, &scene.offer).await;
        act(
            &mut scene.officer,
            &id,
            "reject",
            json!({"reason": "已由其他服务满足"}),
        )
        .await
        .assert_status(StatusCode::OK);
        id
    };
    for (action, body) in [
        ("approve", json!({})),
        ("withdraw", json!({})),
        ("cancel", json!({"reason": "x"})),
    ] {
        assert_state_conflict(
            &act(&mut scene.officer, &rejected_id, action, body).await,
            "rejected",
        );
    }
    // Nothing moved: the refused moves left no events.
    assert_eq!(
        get_match(&mut scene.officer, &id).await["events"]
            .as_array()
            .expect("events")
            .len(),
        2
    );
}

#[tokio::test]
async fn each_role_reaches_only_its_own_matches() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 10).await;
    let id = scene.proposal().await;
    let path = format!("/api/v1/matches/{id}");

    let mut other_officer = app
        .login_staff(Role::TownshipOfficer, Some(TOWNSHIP_B), None)
        .await;
    other_officer
        .get(&path)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    act(&mut other_officer, &id, "approve", json!({}))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    assert_eq!(
        other_officer.get("/api/v1/matches").await.json()["total"],
        0
    );

    let mut other_provider = app.verified_provider().await;
    other_provider
        .get(&path)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    act(&mut other_provider, &id, "withdraw", json!({}))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    assert_eq!(
        other_provider.get("/api/v1/matches").await.json()["total"],
        0
    );

    let mut supervisor = app.login_as(Role::VillageSupervisor).await;
    supervisor
        .get(&path)
        .await
        .assert_status(StatusCode::FORBIDDEN);
    supervisor
        .get("/api/v1/matches")
        .await
        .assert_status(StatusCode::FORBIDDEN);

    // The owner reads but does not approve; the county reads all.
    act(&mut scene.provider, &id, "approve", json!({}))
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let mut own = scene.provider.clone();
    assert_eq!(own.get("/api/v1/matches").await.json()["total"], 1);
    let mut admin = app.admin().await;
    assert_eq!(admin.get("/api/v1/matches").await.json()["total"], 1);
    admin.get(&path).await.assert_status(StatusCode::OK);
    // The county decides only what reached it.
    assert_state_conflict(
        &act(&mut admin, &id, "approve", json!({})).await,
        "proposed",
    );
    let mut officer = scene.officer.clone();
    let listed = officer
        .get(&format!(
            "/api/v1/matches?status=proposed&need={}",
            scene.code
        ))
        .await;
    assert_eq!(listed.json()["total"], 1);
    assert_eq!(listed.json()["items"][0]["id"], id.as_str());
    assert_eq!(
        officer.get("/api/v1/matches?status=approved").await.json()["total"],
        0
    );
    officer
        .get("/api/v1/matches?status=nonsense")
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn proposals_are_checked_field_by_field() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 10).await;
    let provider = &mut scene.provider;
    // Another category, another provider's offer, ages that do not fit.
    let counselling = provider
        .create_offer(offer_body(
            "counselling",
            "心理疏导",
            "一对一心理疏导。",
            &[TOWNSHIP_A],
        ))
        .await;
    let mut other = app.verified_provider().await;
    let others_offer = tutoring_offer(&mut other, 5).await;
    let mut teens = offer_body("tutoring", "高中课业辅导", "辅导高中课程。", &[TOWNSHIP_A]);
    teens["age_min"] = json!(15);
    teens["age_max"] = json!(17);
    let teens = provider.create_offer(teens).await;
    for offer in [
        &counselling,
        &others_offer,
        &teens,
        &"no-such-offer".to_owned(),
    ] {
        let response = propose_raw(provider, &scene.code, offer).await;
        response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(response.error_fields(), vec!["offer_id"], "{offer}");
    }
    // A paused offer takes no proposals.
    provider
        .post_json(&format!("/api/v1/offers/{}/pause", scene.offer), json!({}))
        .await
        .assert_status(StatusCode::OK);
    let paused = propose_raw(provider, &scene.code, &scene.offer).await;
    assert_eq!(paused.error_fields(), vec!["offer_id"]);
    provider
        .post_json(&format!("/api/v1/offers/{}/resume", scene.offer), json!({}))
        .await
        .assert_status(StatusCode::OK);
    // Nothing named.
    let empty = provider.post_json("/api/v1/matches", json!({})).await;
    empty.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(empty.error_fields(), vec!["need_code", "offer_id"]);
    // Too long a note.
    let long = provider
        .post_json(
            "/api/v1/matches",
            json!({"need_code": scene.code, "offer_id": scene.offer, "note": "长".repeat(1001)}),
        )
        .await;
    assert_eq!(long.error_fields(), vec!["note"]);
    // Unknown and unpublished needs are not found.
    propose_raw(provider, "XQ0000000000", &scene.offer)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let child = scene
        .officer
        .create_child(crate::helpers::child_body(
            "柳青青",
            &crate::helpers::id_number_for("20150101", 480, false),
            TOWNSHIP_A,
            crate::helpers::VILLAGE_A,
        ))
        .await;
    let draft = scene
        .officer
        .post_json("/api/v1/needs", crate::helpers::need_body(&child))
        .await;
    let draft_code = draft.json()["code"].as_str().expect("code").to_owned();
    propose_raw(provider, &draft_code, &scene.offer)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let for_officer = propose_raw(&mut scene.officer, &draft_code, &scene.offer).await;
    assert_eq!(for_officer.error_fields(), vec!["need_code"]);
    // The officer of another township does not reach the need.
    let mut other_officer = app
        .login_staff(Role::TownshipOfficer, Some(TOWNSHIP_B), None)
        .await;
    propose_raw(&mut other_officer, &scene.code, &scene.offer)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    // Village supervisors and county staff do not propose; pending providers neither.
    for mut client in [
        app.login_as(Role::VillageSupervisor).await,
        app.admin().await,
    ] {
        propose_raw(&mut client, &scene.code, &scene.offer)
            .await
            .assert_status(StatusCode::FORBIDDEN);
    }
    // One open match per need and offer.
    propose(provider, &scene.code, &scene.offer).await;
    let duplicate = propose_raw(provider, &scene.code, &scene.offer).await;
    duplicate.assert_status(StatusCode::CONFLICT);
    assert_eq!(duplicate.json()["error"]["code"], "duplicate");
    let again = propose_raw(&mut scene.officer, &scene.code, &scene.offer).await;
    assert_eq!(again.json()["error"]["code"], "duplicate");
}

#[tokio::test]
async fn an_owner_is_not_told_where_a_generalized_need_is_but_the_officer_cannot_approve_an_offer_that_misses_it()
 {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 10).await;
    // One child on file: the projection shows the county, not township A.
    let mut provider = scene.provider.clone();
    let shown = provider.get(&format!("/api/v1/needs/{}", scene.code)).await;
    shown.assert_status(StatusCode::OK);
    assert!(shown.json()["township"].is_null(), "{}", shown.text());
    let elsewhere = provider
        .create_offer(offer_body(
            "tutoring",
            "南溪课业辅导",
            "辅导作业。",
            &[TOWNSHIP_B],
        ))
        .await;
    let id = propose(&mut provider, &scene.code, &elsewhere).await;
    let refused = act(&mut scene.officer, &id, "approve", json!({})).await;
    refused.assert_status(StatusCode::CONFLICT);
    assert_eq!(remaining(&app, &elsewhere).await, 10);
    // The officer knows the township and is told at once.
    let suggestion = propose_raw(&mut scene.officer, &scene.code, &elsewhere).await;
    assert_eq!(suggestion.error_fields(), vec!["offer_id"]);
}

#[tokio::test]
async fn the_match_page_shows_the_decision_forms_of_its_state_open() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 10).await;
    let response = propose_raw(&mut scene.provider, &scene.code, &scene.offer).await;
    let id = response.json()["id"].as_str().expect("id").to_owned();

    let page = scene.officer.get(&format!("/matches/{id}")).await;
    page.assert_status(StatusCode::OK);
    let html = page.text();
    assert!(
        !html.contains("<details"),
        "no decision hides in a collapsed section"
    );
    for action in ["approve", "reject"] {
        assert!(
            html.contains(&format!(r#"action="/matches/{id}/{action}""#)),
            "the {action} form is on the page"
        );
    }
    let reject = &html[html
        .find(&format!(r#"action="/matches/{id}/reject""#))
        .expect("reject form")..];
    let reject = &reject[..reject.find("</form>").expect("form end")];
    assert!(
        reject.contains(r#"name="reason""#),
        "rejecting asks for its reason in the form itself"
    );
}
