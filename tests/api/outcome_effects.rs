//! What recorded outcomes change (issue 18), through the API: the public
//! statistics count the needs fully and partly met of the last whole
//! quarter, each shown once it reaches k and as "<k" below; and an owner's
//! outcomes move its offers in a need's suggestions.

use axum::http::StatusCode;
use carebridge::domain::Role;
use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestClient};
use crate::match_helpers::{act, approve, child_with_need, propose, tutoring_offer};

/// Closes a fresh need of township A with `outcome` (and what it needs).
async fn closed_with(officer: &mut TestClient, outcome: &str) {
    let (need, _, _) = child_with_need(officer, "tutoring", 1).await;
    close(officer, &need, outcome).await;
}

async fn close(officer: &mut TestClient, need: &str, outcome: &str) {
    let mut body = json!({"reason": "结案", "outcome": outcome});
    match outcome {
        "partly_met" => body["delivered"] = json!("辅导了一个学期"),
        "not_met" => body["not_met_reason"] = json!("no_longer_needed"),
        _ => {}
    }
    officer
        .post_json(&format!("/api/v1/needs/{need}/close"), body)
        .await
        .assert_status(StatusCode::OK);
}

/// Moves the clock to the second day of the next quarter (Beijing), so
/// that the quarter the clock was in is the last whole one.
fn into_next_quarter(app: &TestApp) {
    let today = carebridge::domain::referral::office_day(app.prepared.clock.now());
    let first_month = (today.month() - 1) / 3 * 3 + 1;
    let next = if first_month == 10 {
        NaiveDate::from_ymd_opt(today.year() + 1, 1, 2)
    } else {
        NaiveDate::from_ymd_opt(today.year(), first_month + 3, 2)
    }
    .expect("a day");
    app.advance_clock(Duration::days((next - today).num_days()));
}

async fn stats(app: &TestApp) -> Value {
    let response = app.client().get("/api/v1/stats").await;
    response.assert_status(StatusCode::OK);
    response.json()
}

#[tokio::test]
async fn outcomes_show_in_the_public_statistics_once_they_reach_k() {
    let app = TestApp::spawn().await;
    let k = app.settings.k_anonymity;
    assert_eq!(k, 5);
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    // One quarter: k − 1 needs fully met, k partly met.
    for _ in 0..k - 1 {
        closed_with(&mut officer, "fully_met").await;
    }
    for _ in 0..k {
        closed_with(&mut officer, "partly_met").await;
    }
    // An outcome of not met counts in neither.
    closed_with(&mut officer, "not_met").await;
    into_next_quarter(&app);
    let first = stats(&app).await;
    assert!(first["needs_fully_met"]["value"].is_null(), "{first}");
    assert_eq!(first["needs_fully_met"]["display"], "<5", "{first}");
    assert_eq!(first["needs_partly_met"]["value"], 5, "{first}");
    assert_eq!(first["needs_partly_met"]["display"], "5", "{first}");
    let page = app.client().get("/statistics").await.text();
    assert!(page.contains("结案需求：完全满足"));

    // The next quarter the other way round.
    for _ in 0..k {
        closed_with(&mut officer, "fully_met").await;
    }
    for _ in 0..k - 1 {
        closed_with(&mut officer, "partly_met").await;
    }
    into_next_quarter(&app);
    let second = stats(&app).await;
    assert_eq!(second["needs_fully_met"]["value"], 5, "{second}");
    assert!(second["needs_partly_met"]["value"].is_null(), "{second}");
    assert_eq!(second["needs_partly_met"]["display"], "<5", "{second}");
}

/// A completed match of `owner`'s `offer` on a need of two places (so
/// that completing it does not fulfil the need); answers the need's id.
async fn completed_on_a_need_of_two(
    officer: &mut TestClient,
    owner: &mut TestClient,
    offer: &str,
) -> String {
    let (need, code, _) = child_with_need(officer, "tutoring", 2).await;
    let id = propose(owner, &code, offer).await;
    approve(officer, &id).await;
    act(
        owner,
        &id,
        "services",
        json!({"served_on": chrono::Local::now().date_naive().to_string(), "hours": 1.0, "summary": "辅导数学作业"}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    act(
        officer,
        &id,
        "complete",
        json!({"feedback": "按时到位", "rating": 4}),
    )
    .await
    .assert_status(StatusCode::OK);
    need
}

async fn suggested_offers(officer: &mut TestClient, need: &str) -> Vec<(String, i64)> {
    let response = officer
        .get(&format!("/api/v1/needs/{need}/suggestions"))
        .await;
    response.assert_status(StatusCode::OK);
    response.json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["offer"]["id"].as_str().expect("offer id").to_owned(),
                i["score"].as_i64().expect("score"),
            )
        })
        .collect()
}

#[tokio::test]
async fn an_owners_recorded_outcomes_move_its_offers_in_a_needs_suggestions() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    // Two organisations with the same offer; the first one's is older.
    let mut first = app.verified_provider().await;
    let first_offer = tutoring_offer(&mut first, 5).await;
    let mut second = app.verified_provider().await;
    let second_offer = tutoring_offer(&mut second, 5).await;
    // Each completed one match, equally rated, on a need still open.
    let first_need = completed_on_a_need_of_two(&mut officer, &mut first, &first_offer).await;
    let second_need = completed_on_a_need_of_two(&mut officer, &mut second, &second_offer).await;
    let (target, _, _) = child_with_need(&mut officer, "tutoring", 1).await;
    app.index_now().await;

    let before = suggested_offers(&mut officer, &target).await;
    let ids: Vec<&str> = before.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        [first_offer.as_str(), second_offer.as_str()],
        "{before:?}"
    );
    assert_eq!(before[0].1, before[1].1, "equal records score equally");

    // The first's need ends not met, the second's fully met.
    close(&mut officer, &first_need, "not_met").await;
    close(&mut officer, &second_need, "fully_met").await;
    let after = suggested_offers(&mut officer, &target).await;
    let ids: Vec<&str> = after.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        [second_offer.as_str(), first_offer.as_str()],
        "{after:?}"
    );
    assert!(after[0].1 > after[1].1, "{after:?}");
    let body = officer
        .get(&format!("/api/v1/needs/{target}/suggestions"))
        .await
        .json();
    let reasons = body["items"][0]["reasons"].to_string();
    assert!(
        reasons.contains("服务成效"),
        "the reason says why: {reasons}"
    );
}
