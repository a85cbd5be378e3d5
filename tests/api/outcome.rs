//! Outcomes (issue 18): closing a need records how it ended, checked like
//! its public texts; fulfilling one records "fully met"; both feed the
//! owner's record in suggestions, kept as counter rows changed by
//! relative updates (raced here between two different writes).

use axum::http::StatusCode;
use carebridge::domain::Role;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use crate::helpers::{TestApp, TestClient};
use crate::match_helpers::{
    CHILD_NAME, Scene, act, approve, child_with_need, propose, tutoring_offer,
};

fn today() -> String {
    chrono::Local::now().date_naive().to_string()
}

async fn serve_and_complete(officer: &mut TestClient, provider: &mut TestClient, id: &str) {
    act(
        provider,
        id,
        "services",
        json!({"served_on": today(), "hours": 1.0, "summary": "辅导数学作业"}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    act(
        officer,
        id,
        "complete",
        json!({"feedback": "孩子成绩进步明显", "rating": 4}),
    )
    .await
    .assert_status(StatusCode::OK);
}

/// The provider's counter row: (completed, rating sum, rated, fully, partly, not met).
async fn counters(app: &TestApp) -> (i64, i64, i64, i64, i64, i64) {
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT completed, rating_sum, rated, fully_met, partly_met, not_met \
             FROM owner_records WHERE owner_kind = 'provider'",
        ))
        .await
        .expect("query")
        .expect("the provider has a record row");
    let get = |c: &str| row.try_get::<i64>("", c).expect(c);
    (
        get("completed"),
        get("rating_sum"),
        get("rated"),
        get("fully_met"),
        get("partly_met"),
        get("not_met"),
    )
}

#[tokio::test]
async fn an_incomplete_outcome_is_refused_field_by_field_in_chinese() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let (need_id, _, _) = child_with_need(&mut officer, "tutoring", 1).await;
    let path = format!("/api/v1/needs/{need_id}/close");
    for (body, field, words) in [
        (
            json!({"reason": "情况变化", "outcome": "partly_met"}),
            "delivered",
            "已提供的帮助",
        ),
        (
            json!({"reason": "情况变化", "outcome": "not_met"}),
            "not_met_reason",
            "未满足的原因",
        ),
        (
            json!({"reason": "情况变化", "outcome": "not_met", "not_met_reason": "other"}),
            "outcome_note",
            "其他原因",
        ),
        (
            json!({"reason": "情况变化", "outcome": "so_so"}),
            "outcome",
            "未知的成效",
        ),
    ] {
        let response = officer.post_json(&path, body).await;
        response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(response.error_fields(), vec![field]);
        let message = response.json_field_error(field).expect("message");
        assert!(message.contains(words), "{message}");
    }
    // What was delivered goes through the personal-information check.
    let leaked = officer
        .post_json(
            &path,
            json!({"reason": "情况变化", "outcome": "partly_met",
                   "delivered": format!("已为{CHILD_NAME}辅导两个月")}),
        )
        .await;
    leaked.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(leaked.json()["error"]["details"]["findings"].is_array());
    // The page's form asks for an outcome always.
    let csrf = officer.page_csrf(&format!("/needs/{need_id}")).await;
    let page = officer
        .post_form(
            &format!("/needs/{need_id}/close"),
            &[("csrf_token", &csrf), ("reason", "情况变化")],
        )
        .await;
    page.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text().contains("请选择需求的满足情况"));
    // Nothing was closed by the refusals; a close without any outcome (an
    // API client written before outcomes) still works and records none.
    let closed = officer
        .post_json(&path, json!({"reason": "情况变化"}))
        .await;
    closed.assert_status(StatusCode::OK);
    assert!(closed.json()["outcome"].is_null());
}

#[tokio::test]
async fn completion_rating_and_outcomes_change_the_owners_record_in_suggestions() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 3).await;
    let id = scene.approved().await;
    serve_and_complete(&mut scene.officer, &mut scene.provider, &id).await;
    // One completion rated 4; the need it served is fulfilled: fully met.
    assert_eq!(counters(&app).await, (1, 4, 1, 1, 0, 0));
    let need = scene
        .officer
        .get(&format!("/api/v1/needs/{}", scene.need_id))
        .await
        .json();
    assert_eq!(need["status"], "fulfilled");
    assert_eq!(need["outcome"]["outcome"], "fully_met");

    // The officer's suggestions for another need show the record.
    let (other, _, _) = child_with_need(&mut scene.officer, "tutoring", 1).await;
    app.index_now().await;
    let body = scene
        .officer
        .get(&format!("/api/v1/needs/{other}/suggestions"))
        .await
        .json()
        .to_string();
    assert!(body.contains("已完成服务1次，平均评分4.0"), "{body}");
    assert!(body.contains("完全满足1次"), "{body}");
}

#[tokio::test]
async fn completing_one_match_while_closing_another_need_counts_both_on_the_owner() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let mut provider = app.verified_provider().await;
    let offer = tutoring_offer(&mut provider, 5).await;
    let second = tutoring_offer(&mut provider, 5).await;
    // Need C wants two children: one match completed, one still approved,
    // so it stays open and can be closed as partly met.
    let (need_c, code_c, _) = child_with_need(&mut officer, "tutoring", 2).await;
    let c1 = propose(&mut provider, &code_c, &offer).await;
    approve(&mut officer, &c1).await;
    let c2 = propose(&mut provider, &code_c, &second).await;
    approve(&mut officer, &c2).await;
    serve_and_complete(&mut officer, &mut provider, &c1).await;
    // Need B has one match in service, ready to complete.
    let (_, code_b, _) = child_with_need(&mut officer, "tutoring", 1).await;
    let b = propose(&mut provider, &code_b, &offer).await;
    approve(&mut officer, &b).await;
    act(
        &mut provider,
        &b,
        "services",
        json!({"served_on": today(), "hours": 1.0, "summary": "辅导"}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    assert_eq!(counters(&app).await, (1, 4, 1, 0, 0, 0));

    let mut completer = officer.on(&app);
    let mut closer = officer.on(&app);
    let close_path = format!("/api/v1/needs/{need_c}/close");
    let (completed, closed) = tokio::join!(
        act(
            &mut completer,
            &b,
            "complete",
            json!({"feedback": "按时完成", "rating": 5}),
        ),
        closer.post_json(
            &close_path,
            json!({"reason": "另一名儿童已转学", "outcome": "partly_met",
                   "delivered": "已为一名儿童提供一学期辅导"}),
        ),
    );
    completed.assert_status(StatusCode::OK);
    closed.assert_status(StatusCode::OK);
    // Both counted: B's completion (rated 5) and its fulfilment, and C's
    // partial outcome for the owner of its completed match.
    assert_eq!(counters(&app).await, (2, 9, 2, 1, 1, 0));
}

/// A dashboard figure's value (`None`: nothing recorded).
async fn dashboard_value(client: &mut TestClient, query: &str, code: &str) -> Option<f64> {
    let year = chrono::Local::now().date_naive().format("%Y").to_string();
    let body = client
        .get(&format!("/api/v1/dashboard?period={year}{query}"))
        .await
        .json();
    body["figures"]
        .as_array()
        .expect("figures")
        .iter()
        .find(|f| f["code"] == code)
        .unwrap_or_else(|| panic!("no figure {code} in {body}"))["value"]
        .as_f64()
}

#[tokio::test]
async fn outcomes_recorded_in_the_period_show_in_the_dashboard_by_kind_and_reason() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 3).await;
    let mut county = app.login_as(Role::CountyAdmin).await;
    let township = format!("&township={}", crate::helpers::TOWNSHIP_A);
    // (The dashboard is first read after the outcomes: it answers from
    // figures kept per period, refreshed off the request path.)
    // One need fulfilled through its match (fully met), one closed as no
    // longer needed.
    let id = scene.approved().await;
    serve_and_complete(&mut scene.officer, &mut scene.provider, &id).await;
    let (other, _, _) = child_with_need(&mut scene.officer, "tutoring", 1).await;
    scene
        .officer
        .post_json(
            &format!("/api/v1/needs/{other}/close"),
            json!({"reason": "家庭情况好转", "outcome": "not_met",
                   "not_met_reason": "no_longer_needed"}),
        )
        .await
        .assert_status(StatusCode::OK);
    for (query, who) in [("", &mut county), (township.as_str(), &mut scene.officer)] {
        assert_eq!(
            dashboard_value(who, query, "outcome_fully_met").await,
            Some(1.0)
        );
        assert_eq!(
            dashboard_value(who, query, "outcome_partly_met").await,
            Some(0.0)
        );
        assert_eq!(
            dashboard_value(who, query, "outcome_not_met_no_longer_needed").await,
            Some(1.0)
        );
        assert_eq!(
            dashboard_value(who, query, "outcome_not_met_other").await,
            Some(0.0)
        );
    }
    // Another township's dashboard counts none of them.
    let elsewhere = format!("&township={}", crate::helpers::TOWNSHIP_B);
    assert_eq!(
        dashboard_value(&mut county, &elsewhere, "outcome_fully_met").await,
        Some(0.0)
    );
    // The public statistics count them for the last whole quarter, and
    // a count of fewer than k needs (children) is shown only as "<k".
    app.advance_clock(chrono::Duration::days(200));
    let stats = app.client().get("/api/v1/stats").await.json();
    for field in ["needs_fully_met", "needs_partly_met"] {
        assert!(stats[field]["value"].is_null(), "{stats}");
        assert!(
            stats[field]["display"]
                .as_str()
                .expect("display")
                .starts_with('<'),
            "{stats}"
        );
    }
}
