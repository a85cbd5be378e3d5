//! Escalation of what waits (issue 18), with the app's movable clock and
//! the sweep called directly: a need unanswered past its days is widened
//! once (and only then offered to a county-wide offer of another
//! category), its officer told; past the closing time it asks to be
//! renewed or closed; an undecided proposal reaches the county's inbox.

use axum::http::StatusCode;
use carebridge::domain::Role;
use carebridge::domain::escalation::EscalationSettings;
use carebridge::services::needs::escalation::{Swept, sweep};
use chrono::Duration;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestClient, offer_body};
use crate::match_helpers::{CHILD_NAME, Scene, child_with_need, propose};

async fn sweep_now(app: &TestApp) -> Swept {
    sweep(app.prepared.store(), &EscalationSettings::default())
        .await
        .expect("sweep")
}

async fn need_json(officer: &mut TestClient, id: &str) -> Value {
    let response = officer.get(&format!("/api/v1/needs/{id}")).await;
    response.assert_status(StatusCode::OK);
    response.json()
}

fn kinds(need: &Value) -> Vec<String> {
    need["escalations"]
        .as_array()
        .expect("escalations")
        .iter()
        .map(|e| e["kind"].as_str().expect("kind").to_owned())
        .collect()
}

async fn inbox_kinds(client: &mut TestClient) -> Vec<String> {
    let response = client.get("/api/v1/inbox").await;
    response.assert_status(StatusCode::OK);
    response.json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["kind"].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn suggested_codes(provider: &mut TestClient, offer: &str) -> Vec<String> {
    let response = provider
        .get(&format!("/api/v1/offers/{offer}/suggestions"))
        .await;
    response.assert_status(StatusCode::OK);
    response.json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["need"]["code"].as_str().expect("code").to_owned())
        .collect()
}

#[tokio::test]
async fn an_unanswered_need_is_widened_once_and_only_then_offered_county_wide() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let mut provider = app.verified_provider().await;
    let county_offer = provider
        .create_offer(offer_body(
            "counselling",
            "全县心理疏导热线",
            "专业社工提供心理疏导。",
            &["county"],
        ))
        .await;
    let (need_id, code, _) = child_with_need(&mut officer, "tutoring", 1).await;
    app.index_now().await;
    assert!(
        !suggested_codes(&mut provider, &county_offer)
            .await
            .contains(&code)
    );

    // Nine days: a normal need is not yet widened.
    app.advance_clock(Duration::days(9));
    assert_eq!(sweep_now(&app).await.widened, 0);
    assert!(
        !suggested_codes(&mut provider, &county_offer)
            .await
            .contains(&code)
    );

    app.advance_clock(Duration::days(2));
    assert_eq!(sweep_now(&app).await.widened, 1);
    assert_eq!(sweep_now(&app).await.widened, 0, "recorded once");
    app.index_now().await;
    let codes = suggested_codes(&mut provider, &county_offer).await;
    assert!(codes.contains(&code), "{codes:?}");
    let body = provider
        .get(&format!("/api/v1/offers/{county_offer}/suggestions"))
        .await
        .assert_ok_without(&[CHILD_NAME])
        .json();
    assert!(body.to_string().contains("扩大至全县"), "{body}");

    let need = need_json(&mut officer, &need_id).await;
    assert_eq!(kinds(&need), vec!["widened"]);
    assert!(need["widened_at"].is_string());
    assert!(
        inbox_kinds(&mut officer)
            .await
            .contains(&"need_widened".to_owned())
    );
    let page = officer.get(&format!("/needs/{need_id}")).await.text();
    assert!(page.contains("督办记录"), "the need's page shows the step");
    assert_eq!(app.audit_entries("need.escalate").await.len(), 1);
}

#[tokio::test]
async fn a_critical_need_widens_after_two_days_and_a_proposal_stops_the_clock() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 2).await;
    // The scene's need is normal; a proposal on it keeps it from widening.
    scene.proposal().await;
    app.advance_clock(Duration::days(11));
    let swept = sweep_now(&app).await;
    assert_eq!(swept.widened, 0);
    let need = need_json(&mut scene.officer, &scene.need_id).await;
    assert!(need["widened_at"].is_null());
}

#[tokio::test]
async fn past_the_closing_time_the_officer_renews_and_the_clock_restarts() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let (need_id, _, _) = child_with_need(&mut officer, "tutoring", 1).await;
    officer
        .post_json(&format!("/api/v1/needs/{need_id}/renew"), json!({}))
        .await
        .assert_status(StatusCode::CONFLICT);

    app.advance_clock(Duration::days(41));
    let swept = sweep_now(&app).await;
    assert_eq!((swept.widened, swept.renewal_asked), (1, 1));
    assert!(
        inbox_kinds(&mut officer)
            .await
            .contains(&"need_to_renew".to_owned())
    );
    let page = officer.get(&format!("/needs/{need_id}")).await.text();
    assert!(page.contains(&format!("/needs/{need_id}/renew")));

    let renewed = officer
        .post_json(&format!("/api/v1/needs/{need_id}/renew"), json!({}))
        .await;
    renewed.assert_status(StatusCode::OK);
    assert!(renewed.json()["renewal_asked_at"].is_null());
    assert!(
        !inbox_kinds(&mut officer)
            .await
            .contains(&"need_to_renew".to_owned())
    );
    assert_eq!(sweep_now(&app).await.total(), 0);

    app.advance_clock(Duration::days(39));
    assert_eq!(
        sweep_now(&app).await.renewal_asked,
        0,
        "the clock restarted"
    );
    app.advance_clock(Duration::days(2));
    let swept = sweep_now(&app).await;
    assert_eq!(
        (swept.widened, swept.renewal_asked),
        (0, 1),
        "widened once only"
    );
    let need = need_json(&mut officer, &need_id).await;
    assert_eq!(
        kinds(&need),
        vec!["widened", "renewal_asked", "renewed", "renewal_asked"]
    );
}

#[tokio::test]
async fn a_need_asked_to_renew_closes_with_a_reason_and_outcome() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let (need_id, _, _) = child_with_need(&mut officer, "tutoring", 1).await;
    app.advance_clock(Duration::days(41));
    sweep_now(&app).await;
    let closed = officer
        .post_json(
            &format!("/api/v1/needs/{need_id}/close"),
            json!({"reason": "长期无人对接", "outcome": "not_met", "not_met_reason": "no_longer_needed"}),
        )
        .await;
    closed.assert_status(StatusCode::OK);
    assert_eq!(closed.json()["status"], "closed");
    assert_eq!(closed.json()["outcome"]["outcome"], "not_met");
    assert_eq!(
        closed.json()["outcome"]["not_met_reason"],
        "no_longer_needed"
    );
    assert!(
        !inbox_kinds(&mut officer)
            .await
            .contains(&"need_to_renew".to_owned())
    );
    officer
        .post_json(&format!("/api/v1/needs/{need_id}/renew"), json!({}))
        .await
        .assert_status(StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_proposal_undecided_past_four_working_days_reaches_the_county_inbox() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 2).await;
    let proposal = scene.proposal().await;
    let mut admin = app.admin().await;
    app.advance_clock(Duration::days(3));
    assert_eq!(sweep_now(&app).await.proposals_escalated, 0);
    assert!(
        !inbox_kinds(&mut admin)
            .await
            .contains(&"proposal_overdue".to_owned())
    );
    // Ten days hold at least four working days whatever the holidays.
    app.advance_clock(Duration::days(10));
    assert_eq!(sweep_now(&app).await.proposals_escalated, 1);
    assert_eq!(sweep_now(&app).await.proposals_escalated, 0);
    let response = admin.get("/api/v1/inbox").await;
    response.assert_ok_without(&[CHILD_NAME, &scene.id_number]);
    let body = response.json();
    let item = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["kind"] == "proposal_overdue")
        .cloned()
        .expect("the overdue proposal waits for the county");
    assert_eq!(item["url"], format!("/matches/{proposal}"));
    let need = need_json(&mut scene.officer, &scene.need_id).await;
    assert!(kinds(&need).contains(&"proposal_overdue".to_owned()));
    assert_eq!(need["escalations"][0]["match_id"], proposal.as_str());
}

#[tokio::test]
async fn concurrent_sweeps_record_each_step_once() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let (need_id, _, _) = child_with_need(&mut officer, "tutoring", 1).await;
    let mut provider = app.verified_provider().await;
    let offer = crate::match_helpers::tutoring_offer(&mut provider, 2).await;
    let (_, other_code, _) = child_with_need(&mut officer, "tutoring", 1).await;
    propose(&mut provider, &other_code, &offer).await;
    app.advance_clock(Duration::days(45));
    let settings = EscalationSettings::default();
    let store = app.prepared.store();
    let sweeps = (0..4).map(|_| sweep(store, &settings));
    let results = futures_util::future::join_all(sweeps).await;
    let mut total = Swept::default();
    for r in results {
        let r = r.expect("sweep");
        total.widened += r.widened;
        total.renewal_asked += r.renewal_asked;
        total.proposals_escalated += r.proposals_escalated;
    }
    assert_eq!(
        (
            total.widened,
            total.renewal_asked,
            total.proposals_escalated
        ),
        (1, 1, 1)
    );
    let need = need_json(&mut officer, &need_id).await;
    assert_eq!(kinds(&need), vec!["widened", "renewal_asked"]);
    // Each sweep reads its own clock: the renewal is never dated before
    // the widening, whichever sweep took which step.
    let at = |i: usize| {
        need["escalations"][i]["at"]
            .as_str()
            .expect("at")
            .parse::<chrono::DateTime<chrono::Utc>>()
            .expect("RFC 3339")
    };
    assert!(at(0) <= at(1), "widened {} after renewal {}", at(0), at(1));
    assert_eq!(app.audit_entries("need.escalate").await.len(), 3);
}

/// The need's own suggestions page (the officer's) says once it was
/// widened, since when, and what that means; before, it says nothing of it.
#[tokio::test]
async fn a_widened_needs_suggestions_page_says_so_with_the_day() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let (need_id, _, _) = child_with_need(&mut officer, "tutoring", 1).await;
    let path = format!("/needs/{need_id}/suggestions");
    let before = officer.get(&path).await;
    before.assert_status(StatusCode::OK);
    assert!(!before.text().contains("已扩大推荐范围"));

    app.advance_clock(Duration::days(11));
    assert_eq!(sweep_now(&app).await.widened, 1);
    let widened_at = need_json(&mut officer, &need_id).await["widened_at"]
        .as_str()
        .expect("widened_at")
        .parse::<chrono::DateTime<chrono::Utc>>()
        .expect("RFC 3339");
    let day =
        carebridge::domain::dates::day_text(carebridge::domain::referral::office_day(widened_at));
    let page = officer.get(&path).await;
    page.assert_status(StatusCode::OK);
    let text = page.text();
    assert!(text.contains("已扩大推荐范围"), "{text}");
    assert!(
        text.contains(&format!("（{day}起）")),
        "the day it was widened: {day}"
    );
    assert!(
        text.contains("服务全县") && text.contains("其他服务类别"),
        "what it means"
    );
}
