//! Mandatory reports (强制报告): filed by anyone, handled by the child's
//! township within deadlines, escalated to the county when nobody answers,
//! with every step timed, sealed and audited.

use axum::http::StatusCode;
use carebridge::domain::Role;
use chrono::Duration;
use serde_json::{Value, json};

use crate::helpers::{
    TOWNSHIP_A, TOWNSHIP_B, TestApp, TestClient, VILLAGE_A, child_body, id_number_for,
};

/// A report body for `township`.
pub fn report_body(township: &str, urgent: bool, description: &str) -> Value {
    json!({
        "township": township,
        "description": description,
        "urgent": urgent,
        "reporter_kind": "school",
    })
}

/// Files a report without logging in; returns (reference, lookup code).
pub async fn file(app: &TestApp, body: Value) -> (String, String) {
    let response = app.client().post_json("/api/v1/reports", body).await;
    response.assert_status(StatusCode::CREATED);
    let json = response.json();
    (
        json["reference"].as_str().expect("reference").to_owned(),
        json["lookup_code"].as_str().expect("code").to_owned(),
    )
}

/// The id of the report `reference`, as its township's queue lists it.
pub async fn id_of(staff: &mut TestClient, reference: &str) -> String {
    let list = staff.get("/api/v1/reports?limit=100").await;
    list.assert_status(StatusCode::OK);
    list.json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["reference"] == reference)
        .and_then(|i| i["id"].as_str())
        .expect("listed")
        .to_owned()
}

pub async fn step(
    officer: &mut TestClient,
    id: &str,
    action: &str,
    body: Value,
) -> crate::helpers::TestResponse {
    officer
        .post_json(&format!("/api/v1/reports/{id}/{action}"), body)
        .await
}

pub fn responded() -> Value {
    json!({
        "responders": "乡镇民政干部、村儿童主任",
        "findings": "孩子独自在家，已联系亲属照看",
        "police_called": true,
        "police_case_number": "110-2026-0001",
    })
}

/// Takes report `id` through assign, respond and assess.
pub async fn assessed(officer: &mut TestClient, id: &str) {
    step(officer, id, "assign", json!({}))
        .await
        .assert_status(StatusCode::OK);
    step(officer, id, "respond", responded())
        .await
        .assert_status(StatusCode::OK);
    step(
        officer,
        id,
        "assess",
        json!({"risk_level": "high", "factors": ["no_carer", "neglect"]}),
    )
    .await
    .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn a_public_report_needs_no_login_and_lands_in_its_townships_queue_urgent_first() {
    let app = TestApp::spawn().await;
    let (calm, _) = file(&app, report_body(TOWNSHIP_A, false, "孩子经常一个人在家")).await;
    let (urgent, _) = file(
        &app,
        report_body(TOWNSHIP_A, true, "孩子身上有伤，现在无人照看"),
    )
    .await;
    let (elsewhere, _) = file(&app, report_body(TOWNSHIP_B, false, "孩子辍学在家")).await;
    assert!(calm.starts_with("BG-") && calm.len() == 14, "{calm}");
    assert_ne!(calm, urgent);

    let mut officer_a = app.login_as(Role::TownshipOfficer).await;
    let list = officer_a.get("/api/v1/reports").await;
    list.assert_status(StatusCode::OK);
    let items = list.json()["items"].as_array().expect("items").clone();
    let refs: Vec<&str> = items
        .iter()
        .map(|i| i["reference"].as_str().expect("ref"))
        .collect();
    assert_eq!(
        refs,
        vec![urgent.as_str(), calm.as_str()],
        "urgent first, then oldest"
    );
    assert_eq!(items[0]["status"], "received");
    assert_eq!(items[0]["urgent"], true);
    assert_eq!(items[0]["overdue"], false);
    // No content in the queue.
    assert!(items[0].get("description").is_none());

    let mut officer_b = app
        .login_staff(Role::TownshipOfficer, Some(TOWNSHIP_B), None)
        .await;
    let b_items = officer_b.get("/api/v1/reports").await.json()["items"].clone();
    assert_eq!(b_items.as_array().expect("items").len(), 1);
    assert_eq!(b_items[0]["reference"], elsewhere.as_str());
    let a_id = id_of(&mut officer_a, &urgent).await;
    officer_b
        .get(&format!("/api/v1/reports/{a_id}"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    step(&mut officer_b, &a_id, "assign", json!({}))
        .await
        .assert_status(StatusCode::NOT_FOUND);

    // County staff see every township's reports.
    let mut admin = app.admin().await;
    assert_eq!(admin.get("/api/v1/reports").await.json()["total"], 3);
    admin
        .get(&format!("/api/v1/reports/{a_id}"))
        .await
        .assert_status(StatusCode::OK);

    // Providers, families and village supervisors never see reports.
    let mut provider = app.verified_provider().await;
    provider
        .get("/api/v1/reports")
        .await
        .assert_status(StatusCode::FORBIDDEN);
    provider
        .get(&format!("/api/v1/reports/{a_id}"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let mut family = app.approved_family(TOWNSHIP_A).await;
    family
        .get("/api/v1/reports")
        .await
        .assert_status(StatusCode::FORBIDDEN);
    family
        .get(&format!("/api/v1/reports/{a_id}"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let mut village = app.login_as(Role::VillageSupervisor).await;
    village
        .get("/api/v1/reports")
        .await
        .assert_status(StatusCode::FORBIDDEN);
    app.client()
        .get("/api/v1/reports")
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn bad_reports_get_a_clear_422_and_never_a_5xx() {
    let app = TestApp::spawn().await;
    let mut client = app.client();
    let too_long = "情".repeat(2001);
    let response = client
        .post_json(
            "/api/v1/reports",
            json!({"township": TOWNSHIP_A, "description": too_long}),
        )
        .await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .json_field_error("description")
            .expect("error")
            .contains("2000")
    );
    let response = client
        .post_json(
            "/api/v1/reports",
            json!({"township": "999999999", "description": "孩子无人照看"}),
        )
        .await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.json_field_error("township").is_some());
    let response = client
        .post_json(
            "/api/v1/reports",
            json!({"township": TOWNSHIP_A, "description": "", "child_id_number": "12345",
                   "reporter_kind": "boss", "village": "500235101201"}),
        )
        .await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let fields = response.error_fields();
    for field in ["description", "child_id_number", "reporter_kind", "village"] {
        assert!(fields.contains(&field.to_owned()), "{field} in {fields:?}");
    }
    client
        .post_json("/api/v1/reports", json!({"township": TOWNSHIP_A}))
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    assert_eq!(officer.get("/api/v1/reports").await.json()["total"], 0);
}

#[tokio::test]
async fn the_lookup_code_shows_the_stage_only_and_unknown_and_wrong_look_the_same() {
    let app = TestApp::spawn().await;
    let (reference, code) = file(&app, report_body(TOWNSHIP_A, false, "孩子长期无人照料")).await;
    let mut anyone = app.client();
    let url = |r: &str, c: &str| format!("/api/v1/reports/status?reference={r}&lookup_code={c}");
    let seen = anyone.get(&url(&reference, &code)).await;
    seen.assert_status(StatusCode::OK);
    let body = seen.json();
    let keys: Vec<&String> = body.as_object().expect("object").keys().collect();
    assert_eq!(keys, vec!["reference", "stage", "stage_label"]);
    assert_eq!(body["stage"], "received");
    // Typed in lower case with spaces, as people read codes out.
    let spaced = format!("{} {}", &code[..6].to_lowercase(), &code[6..]);
    let seen = anyone
        .get(&url(&reference, &spaced.replace(' ', "%20")))
        .await;
    seen.assert_status(StatusCode::OK);

    let wrong = anyone.get(&url(&reference, "ABCDEFGHJKMN")).await;
    wrong.assert_status(StatusCode::NOT_FOUND);
    let unknown = anyone.get(&url("BG-2026-999999", &code)).await;
    unknown.assert_status(StatusCode::NOT_FOUND);
    assert_eq!(
        wrong.body_without_request_id(),
        unknown.body_without_request_id()
    );

    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let id = id_of(&mut officer, &reference).await;
    step(&mut officer, &id, "assign", json!({}))
        .await
        .assert_status(StatusCode::OK);
    assert_eq!(
        anyone.get(&url(&reference, &code)).await.json()["stage"],
        "handling"
    );
}

#[tokio::test]
async fn a_report_goes_from_receipt_to_closing_and_refused_steps_answer_409() {
    let app = TestApp::spawn().await;
    let (reference, _) = file(&app, report_body(TOWNSHIP_A, true, "孩子被锁在家中")).await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let id = id_of(&mut officer, &reference).await;

    // Nothing but taking it is allowed first.
    for action in ["respond", "assess", "decide", "intervene", "close"] {
        let refused = step(&mut officer, &id, action, json!({})).await;
        refused.assert_status(StatusCode::CONFLICT);
        assert!(
            refused.json()["error"]["message"]
                .as_str()
                .expect("msg")
                .contains("已接报")
        );
    }
    let mut admin = app.admin().await;
    step(&mut admin, &id, "assign", json!({}))
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let taken = step(&mut officer, &id, "assign", json!({})).await;
    taken.assert_status(StatusCode::OK);
    assert_eq!(taken.json()["status"], "assigned");
    step(&mut officer, &id, "assign", json!({}))
        .await
        .assert_status(StatusCode::CONFLICT);
    step(&mut officer, &id, "bogus", json!({}))
        .await
        .assert_status(StatusCode::NOT_FOUND);

    // The first response needs who went and what they found.
    let missing = step(
        &mut officer,
        &id,
        "respond",
        json!({"police_called": false, "police_case_number": "1"}),
    )
    .await;
    missing.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["responders", "findings", "police_case_number"] {
        assert!(missing.json_field_error(field).is_some(), "{field}");
    }
    let future = (chrono::Utc::now() + Duration::hours(3)).to_rfc3339();
    let mut late = responded();
    late["responded_at"] = json!(future);
    step(&mut officer, &id, "respond", late)
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    step(&mut officer, &id, "respond", responded())
        .await
        .assert_status(StatusCode::OK);
    step(
        &mut officer,
        &id,
        "decide",
        json!({"decision": "intervention"}),
    )
    .await
    .assert_status(StatusCode::CONFLICT);
    step(
        &mut officer,
        &id,
        "assess",
        json!({"risk_level": "extreme"}),
    )
    .await
    .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    step(
        &mut officer,
        &id,
        "assess",
        json!({"risk_level": "high", "factors": ["injury", "abuse_suspected"]}),
    )
    .await
    .assert_status(StatusCode::OK);
    step(&mut officer, &id, "assess", json!({"risk_level": "low"}))
        .await
        .assert_status(StatusCode::CONFLICT);
    step(
        &mut officer,
        &id,
        "decide",
        json!({"decision": "unfounded"}),
    )
    .await
    .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let decided = step(
        &mut officer,
        &id,
        "decide",
        json!({"decision": "intervention"}),
    )
    .await;
    decided.assert_status(StatusCode::OK);
    assert_eq!(decided.json()["status"], "intervention");
    assert!(decided.json()["follow_up_due"].is_string());

    // Temporary care names where the child stays; a foster placement an
    // approved family only.
    step(
        &mut officer,
        &id,
        "intervene",
        json!({"kind": "temporary_care", "note": "送往亲属家"}),
    )
    .await
    .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let (pending_family, _) = app.apply_family(TOWNSHIP_A).await;
    let foster = step(&mut officer, &id, "intervene", json!({
        "kind": "temporary_care", "placement": "foster_family", "family_id": pending_family, "note": "寄养"
    }))
    .await;
    foster.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(foster.json_field_error("family_id").is_some());
    step(&mut officer, &id, "intervene", json!({
        "kind": "temporary_care", "placement": "relatives", "place": "外婆家", "note": "由外婆临时照护"
    }))
    .await
    .assert_status(StatusCode::OK);
    step(
        &mut officer,
        &id,
        "intervene",
        json!({"kind": "police_warning", "note": "派出所对父亲训诫"}),
    )
    .await
    .assert_status(StatusCode::OK);

    // Closing after an intervention needs the follow-up visit.
    step(&mut officer, &id, "close", json!({}))
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let today = chrono::Local::now().date_naive().to_string();
    let closed = step(
        &mut officer,
        &id,
        "close",
        json!({"followed_up_on": today, "follow_up_note": "孩子情况稳定"}),
    )
    .await;
    closed.assert_status(StatusCode::OK);
    assert_eq!(closed.json()["status"], "closed");
    for action in ["assign", "intervene", "close", "link"] {
        step(&mut officer, &id, action, json!({}))
            .await
            .assert_status(StatusCode::CONFLICT);
    }

    // Every step is in the history, timed, and in the audit log.
    let detail = officer.get(&format!("/api/v1/reports/{id}")).await.json();
    let kinds: Vec<&str> = detail["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(
        kinds,
        vec![
            "filed",
            "assigned",
            "responded",
            "assessed",
            "decided",
            "intervened",
            "intervened",
            "followed_up",
            "closed"
        ]
    );
    assert!(
        detail["minutes_to_first_response"]
            .as_i64()
            .expect("minutes")
            >= 0
    );
    assert_eq!(detail["risk_level"], "high");
    assert_eq!(
        detail["steps"][2]["detail"]["police_case_number"],
        "110-2026-0001"
    );
    for action in [
        "report.file",
        "report.assign",
        "report.respond",
        "report.assess",
        "report.decide",
        "report.intervene",
        "report.follow_up",
        "report.close",
        "report.view",
    ] {
        assert!(
            !app.audit_entries(action).await.is_empty(),
            "{action} audited"
        );
    }
    let verified = carebridge::services::audit::verify(&app.db)
        .await
        .expect("verify");
    assert!(
        matches!(
            verified,
            carebridge::services::audit::Verification::Intact { .. }
        ),
        "the audit chain holds"
    );
}

#[tokio::test]
async fn an_unanswered_report_turns_overdue_then_goes_to_the_county_audited_once() {
    let app = TestApp::spawn().await;
    let (urgent, _) = file(&app, report_body(TOWNSHIP_A, true, "孩子在河边无人看管")).await;
    let (calm, _) = file(&app, report_body(TOWNSHIP_A, false, "孩子经常挨饿")).await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let mut admin = app.admin().await;
    let inbox =
        |v: Value, kind: &str| (v["counts"][kind].clone(), v["overdue_counts"][kind].clone());

    let body = officer.get("/api/v1/inbox").await.json();
    assert_eq!(inbox(body, "report_to_respond"), (json!(2), json!(0)));
    let swept = carebridge::services::reports::sweep(app.prepared.store())
        .await
        .expect("sweep");
    assert_eq!((swept.overdue, swept.escalated), (0, 0));

    app.advance_clock(Duration::minutes(61));
    let items = officer.get("/api/v1/reports").await.json()["items"].clone();
    assert_eq!(items[0]["reference"], urgent.as_str());
    assert_eq!(items[0]["overdue"], true);
    assert_eq!(items[0]["escalated"], false);
    assert_eq!(items[1]["overdue"], false, "{calm} has a day");
    let body = officer.get("/api/v1/inbox").await.json();
    assert_eq!(
        inbox(body.clone(), "report_to_respond"),
        (json!(2), json!(1))
    );
    let first = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["kind"] == "report_to_respond" && i["overdue"] == true);
    assert!(
        first.is_some(),
        "the overdue report is marked in the list: {body}"
    );
    let county = admin.get("/api/v1/inbox").await.json();
    assert_eq!(county["counts"]["report_escalated"], 0);
    let swept = carebridge::services::reports::sweep(app.prepared.store())
        .await
        .expect("sweep");
    assert_eq!((swept.overdue, swept.escalated), (1, 0));
    assert_eq!(app.audit_entries("report.overdue").await.len(), 1);

    app.advance_clock(Duration::minutes(60));
    let items = officer.get("/api/v1/reports").await.json()["items"].clone();
    assert_eq!(items[0]["escalated"], true);
    let county = admin.get("/api/v1/inbox").await.json();
    assert_eq!(county["counts"]["report_escalated"], 1);
    assert_eq!(county["overdue_counts"]["report_escalated"], 1);
    let swept = carebridge::services::reports::sweep(app.prepared.store())
        .await
        .expect("sweep");
    assert_eq!((swept.overdue, swept.escalated), (0, 1));
    let again = carebridge::services::reports::sweep(app.prepared.store())
        .await
        .expect("sweep");
    assert_eq!((again.overdue, again.escalated), (0, 0), "recorded once");
    assert_eq!(app.audit_entries("report.escalate").await.len(), 1);
    let id = id_of(&mut officer, &urgent).await;
    let kinds: Vec<String> = officer.get(&format!("/api/v1/reports/{id}")).await.json()["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s["kind"].as_str().expect("kind").to_owned())
        .collect();
    assert_eq!(kinds, vec!["filed", "overdue", "escalated"]);

    // Answered late, it leaves both inboxes.
    step(&mut officer, &id, "assign", json!({}))
        .await
        .assert_status(StatusCode::OK);
    step(&mut officer, &id, "respond", responded())
        .await
        .assert_status(StatusCode::OK);
    let county = admin.get("/api/v1/inbox").await.json();
    assert_eq!(county["counts"]["report_escalated"], 0);
    let body = officer.get("/api/v1/inbox").await.json();
    assert_eq!(body["counts"]["report_to_respond"], 1);

    // The deadline of an ordinary report is a day.
    app.advance_clock(Duration::hours(23));
    let items = officer.get("/api/v1/reports?status=received").await.json()["items"].clone();
    assert_eq!(items[0]["reference"], calm.as_str());
    assert_eq!(items[0]["overdue"], true);
}

#[tokio::test]
async fn the_response_deadlines_follow_the_settings() {
    let app = TestApp::spawn_with(|s| {
        s.report_deadlines.urgent = Duration::minutes(30);
        s.report_deadlines.normal = Duration::hours(4);
    })
    .await;
    let (reference, _) = file(&app, report_body(TOWNSHIP_A, false, "孩子无人照看")).await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    app.advance_clock(Duration::hours(4) + Duration::minutes(1));
    let items = officer.get("/api/v1/reports").await.json()["items"].clone();
    assert_eq!(items[0]["reference"], reference.as_str());
    assert_eq!(items[0]["overdue"], true);
}

#[tokio::test]
async fn assistance_opens_the_childs_file_under_every_rule_of_a_file_and_drafts_needs() {
    let app = TestApp::spawn().await;
    let mut body = report_body(TOWNSHIP_A, false, "孩子父母外出务工，奶奶生病无力照顾");
    body["child_name"] = json!("柏小雨");
    let (reference, _) = file(&app, body).await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let id = id_of(&mut officer, &reference).await;
    assessed(&mut officer, &id).await;

    // A file is opened only for a report decided for assistance.
    let id_number = id_number_for("20160405", 31, false);
    let file_body = child_body("柏小雨", &id_number, TOWNSHIP_A, VILLAGE_A);
    officer
        .post_json(&format!("/api/v1/reports/{id}/file"), file_body.clone())
        .await
        .assert_status(StatusCode::CREATED);
    // (Linking is allowed from assessment on: the file above is linked.)
    let detail = officer.get(&format!("/api/v1/reports/{id}")).await.json();
    let child_id = detail["child_id"].as_str().expect("linked").to_owned();
    step(
        &mut officer,
        &id,
        "decide",
        json!({"decision": "assistance"}),
    )
    .await
    .assert_status(StatusCode::OK);

    // Another report, for another child: the file's rules hold.
    let (second, _) = file(&app, report_body(TOWNSHIP_A, false, "孩子辍学在家")).await;
    let second_id = id_of(&mut officer, &second).await;
    assessed(&mut officer, &second_id).await;
    step(
        &mut officer,
        &second_id,
        "decide",
        json!({"decision": "assistance"}),
    )
    .await
    .assert_status(StatusCode::OK);
    step(&mut officer, &second_id, "close", json!({"followed_up_on": chrono::Local::now().date_naive().to_string(), "follow_up_note": "已回访"}))
        .await
        .assert_status(StatusCode::CONFLICT);
    let mut no_consent = child_body(
        "柏小峰",
        &id_number_for("20140102", 32, true),
        TOWNSHIP_A,
        VILLAGE_A,
    );
    no_consent
        .as_object_mut()
        .expect("object")
        .remove("consent");
    let refused = officer
        .post_json(&format!("/api/v1/reports/{second_id}/file"), no_consent)
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    // The same child twice: one file per child.
    let duplicate = officer
        .post_json(&format!("/api/v1/reports/{second_id}/file"), file_body)
        .await;
    assert!(
        matches!(
            duplicate.status,
            StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY
        ),
        "{}",
        duplicate.status
    );
    assert!(
        officer
            .get(&format!("/api/v1/reports/{second_id}"))
            .await
            .json()["child_id"]
            .is_null()
    );
    let second_file = officer
        .post_json(
            &format!("/api/v1/reports/{second_id}/file"),
            child_body(
                "柏小峰",
                &id_number_for("20140102", 32, true),
                TOWNSHIP_A,
                VILLAGE_A,
            ),
        )
        .await;
    second_file.assert_status(StatusCode::CREATED);

    // Needs for the child go through the need rules: the text check too.
    let mut need = crate::helpers::need_body(&child_id);
    need["description"] = json!(format!("孩子身份证 {id_number}，需要生活照料"));
    let refused = officer.post_json("/api/v1/needs", need).await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["error"]["code"], "personal_information");
    let drafted = officer
        .post_json("/api/v1/needs", crate::helpers::need_body(&child_id))
        .await;
    drafted.assert_status(StatusCode::CREATED);
    assert_eq!(drafted.json()["status"], "draft");
    // Published, it is seen as every need is: under k children of its
    // band and class in the township, without the township.
    let need_id = drafted.json()["id"].as_str().expect("id").to_owned();
    let code = drafted.json()["code"].as_str().expect("code").to_owned();
    officer
        .post_json(&format!("/api/v1/needs/{need_id}/publish"), json!({}))
        .await
        .assert_status(StatusCode::OK);
    app.index_now().await;
    let mut provider = app.verified_provider().await;
    let seen = provider.get(&format!("/api/v1/needs/{code}")).await;
    seen.assert_status(StatusCode::OK);
    assert_eq!(seen.json()["township"], Value::Null, "k-anonymity holds");
    assert!(!seen.text().contains("柏小雨"));

    let today = chrono::Local::now().date_naive().to_string();
    step(
        &mut officer,
        &id,
        "close",
        json!({"followed_up_on": today, "follow_up_note": "生活照料已落实"}),
    )
    .await
    .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn the_reporters_id_number_finds_the_file_in_the_reports_township_only() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let id_number = id_number_for("20150606", 41, true);
    let child = officer
        .create_child(child_body("柏小军", &id_number, TOWNSHIP_A, VILLAGE_A))
        .await;
    let mut body = report_body(TOWNSHIP_A, false, "孩子经常被打");
    body["child_id_number"] = json!(id_number);
    let (reference, code) = file(&app, body).await;
    let id = id_of(&mut officer, &reference).await;
    let detail = officer.get(&format!("/api/v1/reports/{id}")).await.json();
    assert_eq!(detail["file_on_record"], child.as_str());
    assert!(
        detail["child_id_number"]
            .as_str()
            .expect("masked")
            .contains('*')
    );
    // The reporter learns nothing of it.
    let seen = app
        .client()
        .get(&format!(
            "/api/v1/reports/status?reference={reference}&lookup_code={code}"
        ))
        .await
        .text();
    assert!(!seen.contains(&child) && !seen.contains("file"));

    step(&mut officer, &id, "assign", json!({}))
        .await
        .assert_status(StatusCode::OK);
    // A file of another township cannot be linked.
    let mut officer_b = app
        .login_staff(Role::TownshipOfficer, Some(TOWNSHIP_B), None)
        .await;
    let other = officer_b
        .create_child(child_body(
            "柏小红",
            &id_number_for("20150607", 42, false),
            TOWNSHIP_B,
            "500235101201",
        ))
        .await;
    step(&mut officer, &id, "link", json!({"child_id": other}))
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let linked = step(&mut officer, &id, "link", json!({"id_number": id_number})).await;
    linked.assert_status(StatusCode::OK);
    let detail = officer.get(&format!("/api/v1/reports/{id}")).await.json();
    assert_eq!(detail["child_id"], child.as_str());
    step(&mut officer, &id, "link", json!({"child_id": child}))
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn no_word_of_a_report_is_stored_or_indexed_in_plain_text() {
    let app = TestApp::spawn().await;
    const WHAT: &str = "邻居听见欧阳小满夜里哭喊求救";
    const CONTACT: &str = "13811112222";
    const REPORTER: &str = "司马明远";
    const CHILD: &str = "欧阳小满";
    const FOUND: &str = "继父司马某醉酒后殴打";
    let id_number = id_number_for("20140909", 51, true);
    let (reference, _) = file(
        &app,
        json!({
            "township": TOWNSHIP_A, "village": VILLAGE_A, "description": WHAT, "urgent": true,
            "child_location": "红旗村三组后山小屋", "reporter_kind": "neighbour_relative",
            "reporter_name": REPORTER, "reporter_contact": CONTACT,
            "child_name": CHILD, "child_id_number": id_number,
        }),
    )
    .await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let id = id_of(&mut officer, &reference).await;
    step(&mut officer, &id, "assign", json!({}))
        .await
        .assert_status(StatusCode::OK);
    let mut response = responded();
    response["findings"] = json!(FOUND);
    step(&mut officer, &id, "respond", response)
        .await
        .assert_status(StatusCode::OK);
    let detail = officer.get(&format!("/api/v1/reports/{id}")).await.json();
    assert_eq!(detail["description"], WHAT);
    assert_eq!(detail["reporter_contact"], CONTACT);
    assert!(detail["village"].is_string());
    app.index_now().await;

    let mut stored = crate::vault::everything_stored(&app).await;
    let mut dirs = vec![app.settings.data_dir.join("index")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                stored.extend(bytes);
            }
        }
    }
    assert!(
        crate::vault::contains(&stored, &reference),
        "the control is found"
    );
    for secret in [
        WHAT,
        CONTACT,
        REPORTER,
        CHILD,
        FOUND,
        "后山小屋",
        id_number.as_str(),
    ] {
        assert!(
            !crate::vault::contains(&stored, secret),
            "{secret} stored in plain text"
        );
    }
    // The audit log names the report by id only.
    for entry in app.audit_entries("report.respond").await {
        let text = entry.to_string();
        assert!(!text.contains(FOUND) && !text.contains(CHILD), "{text}");
    }
}

#[tokio::test]
async fn public_reports_are_throttled_per_address_and_overall() {
    let app = TestApp::spawn_with(|s| {
        s.report_per_address = 2;
        s.report_global = 4;
    })
    .await;
    let mut one = app.client();
    for _ in 0..2 {
        one.post_json(
            "/api/v1/reports",
            report_body(TOWNSHIP_A, false, "孩子无人照看"),
        )
        .await
        .assert_status(StatusCode::CREATED);
    }
    let slowed = one
        .post_json(
            "/api/v1/reports",
            report_body(TOWNSHIP_A, false, "孩子无人照看"),
        )
        .await;
    slowed.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert!(slowed.headers.get("retry-after").is_some());
    assert!(
        slowed.json()["error"]["message"]
            .as_str()
            .expect("msg")
            .contains("110")
    );
    // Other addresses go on until the overall limit.
    for last in [10u8, 11] {
        let mut other = app.client();
        other.addr = std::net::IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, last));
        other
            .post_json(
                "/api/v1/reports",
                report_body(TOWNSHIP_A, false, "孩子无人照看"),
            )
            .await
            .assert_status(StatusCode::CREATED);
    }
    let mut flood = app.client();
    flood.addr = std::net::IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, 12));
    flood
        .post_json(
            "/api/v1/reports",
            report_body(TOWNSHIP_A, false, "孩子无人照看"),
        )
        .await
        .assert_status(StatusCode::TOO_MANY_REQUESTS);
    // Staff filing from inside the portal answer for it with their account.
    let mut village = app.login_as(Role::VillageSupervisor).await;
    village
        .post_json(
            "/api/v1/reports",
            report_body(TOWNSHIP_A, false, "走访发现孩子无人照看"),
        )
        .await
        .assert_status(StatusCode::CREATED);
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    assert_eq!(officer.get("/api/v1/reports").await.json()["total"], 5);
}

#[tokio::test]
async fn two_decisions_racing_on_one_report_one_wins_and_the_other_gets_409() {
    let app = TestApp::spawn().await;
    for _ in 0..3 {
        let (reference, _) = file(&app, report_body(TOWNSHIP_A, true, "孩子被遗弃在车站")).await;
        let mut officer = app.login_as(Role::TownshipOfficer).await;
        let id = id_of(&mut officer, &reference).await;
        assessed(&mut officer, &id).await;
        let mut a = officer.clone();
        let mut b = officer.clone();
        let decide = format!("/api/v1/reports/{id}/decide");
        let (x, y) = tokio::join!(
            a.post_json(&decide, json!({"decision": "intervention"})),
            b.post_json(
                &decide,
                json!({"decision": "unfounded", "reason": "核查不属实"})
            ),
        );
        let mut statuses = [x.status, y.status];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
        let detail = officer.get(&format!("/api/v1/reports/{id}")).await.json();
        let decided = detail["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .filter(|s| s["kind"] == "decided")
            .count();
        assert_eq!(decided, 1, "one decision recorded");
    }
}

#[tokio::test]
async fn an_intervention_step_and_the_closing_racing_never_record_a_step_after_closing() {
    let app = TestApp::spawn().await;
    for _ in 0..3 {
        let (reference, _) = file(&app, report_body(TOWNSHIP_A, true, "孩子被锁在屋里")).await;
        let mut officer = app.login_as(Role::TownshipOfficer).await;
        let id = id_of(&mut officer, &reference).await;
        assessed(&mut officer, &id).await;
        step(
            &mut officer,
            &id,
            "decide",
            json!({"decision": "intervention"}),
        )
        .await
        .assert_status(StatusCode::OK);
        let today = chrono::Local::now().date_naive().to_string();
        let mut a = officer.clone();
        let mut b = officer.clone();
        let (intervene, close) = (
            format!("/api/v1/reports/{id}/intervene"),
            format!("/api/v1/reports/{id}/close"),
        );
        let (x, y) = tokio::join!(
            a.post_json(
                &intervene,
                json!({"kind": "family_education", "note": "家庭教育指导"})
            ),
            b.post_json(
                &close,
                json!({"followed_up_on": today, "follow_up_note": "已回访"})
            ),
        );
        assert_eq!(y.status, StatusCode::OK, "closing wins or follows");
        assert!(matches!(x.status, StatusCode::OK | StatusCode::CONFLICT));
        let detail = officer.get(&format!("/api/v1/reports/{id}")).await.json();
        let kinds: Vec<&str> = detail["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .map(|s| s["kind"].as_str().expect("kind"))
            .collect();
        assert_eq!(kinds.last(), Some(&"closed"), "{kinds:?}");
        assert_eq!(kinds.contains(&"intervened"), x.status == StatusCode::OK);
    }
}

#[tokio::test]
async fn a_report_found_unfounded_waits_to_be_closed_in_the_inbox_without_a_deadline() {
    let app = TestApp::spawn().await;
    let (reference, _) = file(&app, report_body(TOWNSHIP_A, false, "邻居说孩子常被打骂")).await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let id = id_of(&mut officer, &reference).await;
    assessed(&mut officer, &id).await;
    step(
        &mut officer,
        &id,
        "decide",
        json!({"decision": "unfounded", "reason": "核查不属实"}),
    )
    .await
    .assert_status(StatusCode::OK);

    // An unfounded decision sets no follow-up deadline: the report still
    // waits for its closing, but is never overdue for it.
    let inbox = officer.get("/api/v1/inbox").await;
    inbox.assert_status(StatusCode::OK);
    let body = inbox.json();
    let text = body.to_string();
    assert!(text.contains("report_to_close"), "{text}");
    assert!(text.contains(&id), "{text}");
    officer.get("/inbox").await.assert_status(StatusCode::OK);
}
