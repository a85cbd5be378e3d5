//! The child's timeline, its warnings and the township's warning list
//! (issue 18): content, order, kind filter, scope, duplicate-support and
//! gap detection on hand-made cases, and a race between the service write
//! (which keeps `last_served_on`) and completing the match.

use axum::http::StatusCode;
use carebridge::domain::Role;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{TOWNSHIP_A, TOWNSHIP_B, TestApp, TestClient, offer_body};
use crate::match_helpers::{CHILD_NAME, GUARDIAN_PHONE, act, approve, child_with_need, propose};

fn today() -> String {
    chrono::Local::now().date_naive().to_string()
}

/// The child id of a need (staff view of the need).
async fn child_of_need(app: &TestApp, need_id: &str) -> String {
    let row = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            format!("SELECT child_id FROM needs WHERE id = '{need_id}'"),
        ))
        .await
        .expect("query")
        .expect("need row");
    row.try_get_by_index::<String>(0).expect("child_id")
}

async fn offer_with(
    owner: &mut TestClient,
    category: &str,
    title: &str,
    schedule: Option<&str>,
) -> String {
    let mut body = offer_body(category, title, "每周固定时间上门服务。", &[TOWNSHIP_A]);
    body["capacity"] = json!(5);
    if let Some(s) = schedule {
        body["schedule"] = json!(s);
    }
    owner.create_offer(body).await
}

async fn log_service(provider: &mut TestClient, id: &str, hours: f64) -> Value {
    let r = act(
        provider,
        id,
        "services",
        json!({"served_on": today(), "hours": hours, "summary": "辅导作业"}),
    )
    .await;
    r.assert_status(StatusCode::CREATED);
    r.json()
}

async fn timeline(client: &mut TestClient, child: &str, query: &str) -> Value {
    let r = client
        .get(&format!("/api/v1/children/{child}/timeline{query}"))
        .await;
    r.assert_status(StatusCode::OK);
    r.json()
}

fn kinds(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["kind"].as_str().expect("kind").to_owned())
        .collect()
}

fn warnings_of(body: &Value, kind: &str) -> Vec<Value> {
    body["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter(|w| w["kind"] == kind)
        .cloned()
        .collect()
}

#[tokio::test]
async fn the_timeline_shows_every_kind_newest_first_and_filters_by_kind() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let mut provider = app.verified_provider().await;
    let offer = offer_with(&mut provider, "tutoring", "四点半课堂课业辅导", None).await;
    let (need_id, code, _) = child_with_need(&mut officer, "tutoring", 1).await;
    let child = child_of_need(&app, &need_id).await;
    officer
        .post_json(
            &format!("/api/v1/children/{child}/visits"),
            json!({"visited_on": today(), "summary": "入户走访"}),
        )
        .await
        .assert_status(StatusCode::CREATED);
    let id = propose(&mut provider, &code, &offer).await;
    approve(&mut officer, &id).await;
    log_service(&mut provider, &id, 1.5).await;
    officer
        .post_json(
            "/api/v1/referrals",
            json!({"child_id": child, "department": "education", "matter": "教育资助", "summary": "申请教育资助。"}),
        )
        .await
        .assert_status(StatusCode::CREATED);

    let body = timeline(&mut officer, &child, "").await;
    let all = kinds(&body);
    for kind in ["visit", "need", "match", "service", "referral"] {
        assert!(all.iter().any(|k| k == kind), "{kind} missing in {body}");
    }
    let ats: Vec<String> = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["at"].as_str().expect("at").to_owned())
        .collect();
    let parsed: Vec<chrono::DateTime<chrono::Utc>> =
        ats.iter().map(|a| a.parse().expect("rfc3339")).collect();
    assert!(
        parsed.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {ats:?}"
    );
    let match_items: Vec<&Value> = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| i["kind"] == "match")
        .collect();
    assert!(
        match_items
            .iter()
            .all(|i| i["match_id"] == id.as_str() && i["need_code"] == code.as_str())
    );
    assert!(match_items.iter().any(|i| {
        i["title"]
            .as_str()
            .expect("title")
            .contains("四点半课堂课业辅导")
    }));

    let services = timeline(&mut officer, &child, "?kind=service").await;
    assert_eq!(kinds(&services), vec!["service"]);
    assert_eq!(services["items"][0]["hours"], 1.5);
    assert_eq!(services["total"], 1);
    let paged = timeline(&mut officer, &child, "?limit=2").await;
    assert_eq!(paged["items"].as_array().expect("items").len(), 2);
    assert_eq!(paged["total"].as_u64(), Some(all.len() as u64));
    officer
        .get(&format!("/api/v1/children/{child}/timeline?kind=nonsense"))
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!app.audit_entries("child.timeline").await.is_empty());

    // The page, reachable from the file, with its GET filter.
    let file = officer.get(&format!("/children/{child}")).await;
    assert!(file.text().contains(&format!("/children/{child}/timeline")));
    let page = officer
        .get(&format!("/children/{child}/timeline?kind=service"))
        .await;
    page.assert_status(StatusCode::OK);
    assert!(page.text().contains("服务：四点半课堂课业辅导"));
    assert!(
        !page.text().contains("走访（"),
        "the filter keeps visits out"
    );
}

#[tokio::test]
async fn the_timeline_is_refused_outside_the_scope_and_never_names_the_child() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let (need_id, _, id_number) = child_with_need(&mut officer, "tutoring", 1).await;
    let child = child_of_need(&app, &need_id).await;
    let mut other = app
        .login_staff(Role::TownshipOfficer, Some(TOWNSHIP_B), None)
        .await;
    let mut provider = app.verified_provider().await;
    let secrets = [CHILD_NAME, GUARDIAN_PHONE, id_number.as_str()];
    for client in [&mut other, &mut provider] {
        for path in [
            format!("/api/v1/children/{child}/timeline"),
            format!("/children/{child}/timeline"),
        ] {
            let r = client.get(&path).await;
            r.assert_without(StatusCode::NOT_FOUND, &secrets);
        }
    }
    let r = app
        .client()
        .get(&format!("/api/v1/children/{child}/timeline"))
        .await;
    r.assert_without(StatusCode::UNAUTHORIZED, &secrets);
    // Staff in scope see titles, never the child's identity.
    let body = officer
        .get(&format!("/api/v1/children/{child}/timeline"))
        .await;
    body.assert_ok_without(&secrets);
    let mut admin = app.admin().await;
    admin
        .get(&format!("/api/v1/children/{child}/timeline"))
        .await
        .assert_ok_without(&secrets);
    // Providers have no warning list either.
    provider
        .get("/api/v1/warnings")
        .await
        .assert_status(StatusCode::FORBIDDEN);
    other
        .get(&format!("/api/v1/warnings?township={TOWNSHIP_A}"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

/// Two providers' offers of one category on one child's need (quantity 2),
/// both approved; returns (officer, child id, match a, match b).
async fn two_supports(
    app: &TestApp,
    schedules: [Option<&str>; 2],
) -> (TestClient, String, String, String, TestClient) {
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let (need_id, code, _) = child_with_need(&mut officer, "tutoring", 2).await;
    let child = child_of_need(app, &need_id).await;
    let mut ids = Vec::new();
    let mut last = None;
    for (i, schedule) in schedules.into_iter().enumerate() {
        let mut provider = app.verified_provider().await;
        let offer = offer_with(&mut provider, "tutoring", &format!("课业辅导{i}"), schedule).await;
        let id = propose(&mut provider, &code, &offer).await;
        approve(&mut officer, &id).await;
        ids.push(id);
        last = Some(provider);
    }
    let b = ids.pop().expect("b");
    let a = ids.pop().expect("a");
    (officer, child, a, b, last.expect("provider"))
}

#[tokio::test]
async fn two_providers_tutoring_the_same_child_at_once_are_a_duplicate_listed_for_the_township() {
    let app = TestApp::spawn().await;
    let (mut officer, child, a, b, _) =
        two_supports(&app, [None, Some("每周一至周五 16:30-18:00")]).await;
    let body = timeline(&mut officer, &child, "").await;
    let dup = warnings_of(&body, "duplicate_support");
    assert_eq!(dup.len(), 1, "{body}");
    let mut ids: Vec<String> = dup[0]["match_ids"]
        .as_array()
        .expect("ids")
        .iter()
        .map(|v| v.as_str().expect("id").to_owned())
        .collect();
    ids.sort();
    let mut expected = vec![a.clone(), b.clone()];
    expected.sort();
    assert_eq!(ids, expected);
    assert_eq!(dup[0]["since"], today());

    let list = officer.get("/api/v1/warnings?kind=duplicate_support").await;
    list.assert_status(StatusCode::OK);
    assert_eq!(list.json()["total"], 1, "{}", list.json());
    assert_eq!(list.json()["items"][0]["child_id"], child.as_str());
    let mut admin = app.admin().await;
    let county = admin
        .get(&format!(
            "/api/v1/warnings?kind=duplicate_support&township={TOWNSHIP_A}"
        ))
        .await;
    assert_eq!(county.json()["total"], 1);
    let elsewhere = admin
        .get(&format!(
            "/api/v1/warnings?kind=duplicate_support&township={TOWNSHIP_B}"
        ))
        .await;
    assert_eq!(elsewhere.json()["total"], 0);
    let page = officer.get("/warnings?kind=duplicate_support").await;
    page.assert_status(StatusCode::OK);
    assert!(
        page.text().contains(&format!("/matches/{a}"))
            || page.text().contains(&format!("/matches/{b}"))
    );
    assert!(
        officer.get("/").await.text().contains("/warnings"),
        "linked from the navigation"
    );
}

#[tokio::test]
async fn tutors_on_different_weekdays_are_no_duplicate() {
    let app = TestApp::spawn().await;
    let (mut officer, child, _, _, _) =
        two_supports(&app, [Some("每周一 18:00-20:00"), Some("每周四晚上")]).await;
    let body = timeline(&mut officer, &child, "").await;
    assert!(warnings_of(&body, "duplicate_support").is_empty(), "{body}");
    let list = officer.get("/api/v1/warnings?kind=duplicate_support").await;
    assert_eq!(list.json()["total"], 0);
}

#[tokio::test]
async fn a_match_silent_past_the_gap_days_is_a_service_gap_and_an_unvisited_file_is_overdue() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let mut provider = app.verified_provider().await;
    let offer = offer_with(&mut provider, "tutoring", "课业辅导", None).await;
    let (need_id, code, _) = child_with_need(&mut officer, "tutoring", 1).await;
    let child = child_of_need(&app, &need_id).await;
    let served = propose(&mut provider, &code, &offer).await;
    approve(&mut officer, &served).await;
    log_service(&mut provider, &served, 2.0).await;

    app.advance_clock(chrono::Duration::days(25));
    let body = timeline(&mut officer, &child, "").await;
    assert!(warnings_of(&body, "service_gap").is_empty(), "{body}");
    let list = officer.get("/api/v1/warnings?kind=service_gap").await;
    assert_eq!(list.json()["total"], 0);

    app.advance_clock(chrono::Duration::days(7));
    let body = timeline(&mut officer, &child, "").await;
    let gaps = warnings_of(&body, "service_gap");
    assert_eq!(gaps.len(), 1, "{body}");
    assert_eq!(gaps[0]["match_ids"][0], served.as_str());
    assert_eq!(gaps[0]["since"], today());
    let list = officer.get("/api/v1/warnings?kind=service_gap").await;
    assert_eq!(list.json()["total"], 1, "{}", list.json());
    assert_eq!(list.json()["items"][0]["match_ids"][0], served.as_str());
    assert!(warnings_of(&body, "visit_overdue").is_empty());
    let overdue = officer.get("/api/v1/warnings?kind=visit_overdue").await;
    assert_eq!(overdue.json()["total"], 0);

    app.advance_clock(chrono::Duration::days(60));
    let body = timeline(&mut officer, &child, "").await;
    assert_eq!(warnings_of(&body, "visit_overdue").len(), 1, "{body}");
    let overdue = officer.get("/api/v1/warnings?kind=visit_overdue").await;
    assert_eq!(overdue.json()["total"], 1);
    assert_eq!(overdue.json()["items"][0]["child_id"], child.as_str());
    let mut other = app
        .login_staff(Role::TownshipOfficer, Some(TOWNSHIP_B), None)
        .await;
    assert_eq!(
        other
            .get("/api/v1/warnings?kind=visit_overdue")
            .await
            .json()["total"],
        0
    );
}

#[tokio::test]
async fn an_approved_match_never_served_is_a_gap_from_its_approval() {
    let app = TestApp::spawn_with(|s| s.service_gap_days = 10).await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let mut provider = app.verified_provider().await;
    let offer = offer_with(&mut provider, "tutoring", "课业辅导", None).await;
    let (need_id, code, _) = child_with_need(&mut officer, "tutoring", 1).await;
    let child = child_of_need(&app, &need_id).await;
    let id = propose(&mut provider, &code, &offer).await;
    approve(&mut officer, &id).await;
    app.advance_clock(chrono::Duration::days(10));
    assert!(warnings_of(&timeline(&mut officer, &child, "").await, "service_gap").is_empty());
    app.advance_clock(chrono::Duration::days(2));
    let gaps = warnings_of(&timeline(&mut officer, &child, "").await, "service_gap");
    assert_eq!(gaps.len(), 1);
    let list = officer.get("/api/v1/warnings?kind=service_gap").await;
    assert_eq!(list.json()["total"], 1);
}

async fn last_served_on(app: &TestApp, id: &str) -> (Option<String>, Option<String>, String) {
    let backend = app.db.get_database_backend();
    let one = |sql: String| sea_orm::Statement::from_string(backend, sql);
    let row = app
        .db
        .query_one_raw(one(format!(
            "SELECT CAST(last_served_on AS TEXT), status FROM matches WHERE id = '{id}'"
        )))
        .await
        .expect("query")
        .expect("row");
    let max = app
        .db
        .query_one_raw(one(format!(
            "SELECT CAST(MAX(served_on) AS TEXT) FROM service_records WHERE match_id = '{id}'"
        )))
        .await
        .expect("query")
        .expect("row");
    (
        row.try_get_by_index(0).expect("last"),
        max.try_get_by_index(0).expect("max"),
        row.try_get_by_index(1).expect("status"),
    )
}

#[tokio::test]
async fn logging_services_while_the_match_is_completed_keeps_last_served_on_exact() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let mut provider = app.verified_provider().await;
    let offer = offer_with(&mut provider, "tutoring", "课业辅导", None).await;
    let (_, code, _) = child_with_need(&mut officer, "tutoring", 1).await;
    let id = propose(&mut provider, &code, &offer).await;
    approve(&mut officer, &id).await;
    log_service(&mut provider, &id, 1.0).await;
    let writes = (0..6).map(|i| {
        let (mut provider, mut officer, id) = (provider.clone(), officer.clone(), id.clone());
        async move {
            if i == 3 {
                act(
                    &mut officer,
                    &id,
                    "complete",
                    json!({"feedback": "按期完成", "rating": 5}),
                )
                .await
            } else {
                act(
                    &mut provider,
                    &id,
                    "services",
                    json!({"served_on": today(), "hours": 1, "summary": "辅导"}),
                )
                .await
            }
        }
    });
    let answers = futures_util::future::join_all(writes).await;
    for a in &answers {
        assert!(
            matches!(
                a.status,
                StatusCode::OK | StatusCode::CREATED | StatusCode::CONFLICT
            ),
            "{} {}",
            a.status,
            a.json()
        );
    }
    let (last, max, status) = last_served_on(&app, &id).await;
    assert_eq!(last, max, "last_served_on follows the records");
    assert_eq!(last.as_deref(), Some(today().as_str()));
    assert_eq!(status, "completed");
    let created = answers
        .iter()
        .filter(|a| a.status == StatusCode::CREATED)
        .count();
    let backend = app.db.get_database_backend();
    let count = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            backend,
            format!("SELECT COUNT(*) FROM service_records WHERE match_id = '{id}'"),
        ))
        .await
        .expect("query")
        .expect("row")
        .try_get_by_index::<i64>(0)
        .expect("count");
    assert_eq!(
        count as usize,
        created + 1,
        "every 201 left its record, no other"
    );
}
