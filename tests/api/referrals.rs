//! Referrals to departments: a referral's whole life, its other answers,
//! department scope, the text check, deadlines and escalation with a
//! moved clock, racing answers, one-door intake, the county's figures and
//! the pages.

use axum::http::StatusCode;
use carebridge::domain::Role;
use serde_json::{Value, json};

use crate::entitlements::{line, lines, orphan_body};
use crate::helpers::{PASSWORD, TOWNSHIP_B, TestApp, TestClient, id_number_for};

/// A `department_staff` account of `department`, logged in.
pub async fn department(app: &TestApp, department: &str) -> TestClient {
    let username = app.unique("dept");
    app.admin()
        .await
        .post_json(
            "/api/v1/users",
            json!({"username": username, "password": PASSWORD, "role": "department_staff", "department": department}),
        )
        .await
        .assert_status(StatusCode::CREATED);
    app.logged_in(&username).await
}

/// An officer with an orphan's file; answers (officer, child id).
async fn orphan(app: &TestApp, seq: u32) -> (TestClient, String) {
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let child = officer
        .create_child(orphan_body(
            "柏小雨",
            &id_number_for("20150307", seq, false),
        ))
        .await;
    (officer, child)
}

async fn refer(officer: &mut TestClient, child: &str, rule: &str) -> Value {
    let response = officer
        .post_json(
            "/api/v1/referrals",
            json!({"child_id": child, "entitlement": rule, "summary": "孤儿，祖母年迈无力抚养，尚未纳入孤儿保障。"}),
        )
        .await;
    response.assert_status(StatusCode::CREATED);
    response.json()
}

fn inbox_count(inbox: &Value, kind: &str) -> (u64, u64) {
    (
        inbox["counts"][kind].as_u64().unwrap_or(0),
        inbox["overdue_counts"][kind].as_u64().unwrap_or(0),
    )
}

#[tokio::test]
async fn a_referral_goes_from_sent_to_granted_and_the_gap_disappears() {
    let app = TestApp::spawn().await;
    let (mut officer, child) = orphan(&app, 1).await;
    let sent = refer(&mut officer, &child, "orphan_allowance").await;
    assert_eq!(sent["status"], "sent");
    assert_eq!(sent["department"], "civil_affairs");
    let id = sent["id"].as_str().expect("id").to_owned();
    // A second referral of the same entitlement while it is open: 409.
    officer
        .post_json(
            "/api/v1/referrals",
            json!({"child_id": child, "entitlement": "orphan_allowance", "summary": "再次转介"}),
        )
        .await
        .assert_status(StatusCode::CONFLICT);

    let mut civil = department(&app, "civil_affairs").await;
    let queue = civil.get("/api/v1/referrals").await.json();
    assert_eq!(queue["total"], 1);
    assert_eq!(queue["items"][0]["id"], id.as_str());
    let inbox = civil.get("/api/v1/inbox").await.json();
    assert_eq!(inbox_count(&inbox, "referral_to_accept"), (1, 0));

    // Masked by default; a reveal is audited as its own action.
    let shown = civil.get(&format!("/api/v1/referrals/{id}")).await;
    shown.assert_status(StatusCode::OK);
    let body = shown.json();
    assert!(!body.to_string().contains("柏小雨"));
    assert_eq!(
        body["allowed_moves"],
        json!(["accept", "return", "forward"])
    );
    let revealed = civil
        .get(&format!("/api/v1/referrals/{id}?reveal=name"))
        .await
        .json();
    assert!(revealed.to_string().contains("柏小雨"));
    assert_eq!(app.audit_entries("referral.reveal").await.len(), 1);

    // Granting before accepting is a state conflict.
    let early = civil
        .post_json(
            &format!("/api/v1/referrals/{id}/grant"),
            json!({"benefit": "孤儿基本生活费", "start_on": "2026-12-01", "decision_reference": "云民〔2026〕8号"}),
        )
        .await;
    early.assert_status(StatusCode::CONFLICT);
    assert_eq!(early.json()["error"]["details"]["status"], "sent");

    civil
        .post_json(&format!("/api/v1/referrals/{id}/accept"), json!({}))
        .await
        .assert_status(StatusCode::OK);
    // The department asks; the question waits in the township's inbox.
    civil
        .post_json(
            &format!("/api/v1/referrals/{id}/comment"),
            json!({"text": "请补充监护人户籍证明。"}),
        )
        .await
        .assert_status(StatusCode::CREATED);
    let inbox = officer.get("/api/v1/inbox").await.json();
    assert_eq!(inbox_count(&inbox, "referral_question").0, 1);
    officer
        .post_json(
            &format!("/api/v1/referrals/{id}/comment"),
            json!({"text": "已上传，请查收。"}),
        )
        .await
        .assert_status(StatusCode::CREATED);
    let inbox = officer.get("/api/v1/inbox").await.json();
    assert_eq!(inbox_count(&inbox, "referral_question").0, 0);

    civil
        .post_json(
            &format!("/api/v1/referrals/{id}/grant"),
            json!({"benefit": "孤儿基本生活费", "amount_yuan": 1250, "start_on": "2026-12-01", "decision_reference": "云民〔2026〕8号"}),
        )
        .await
        .assert_status(StatusCode::OK);
    let all = lines(&mut officer, &child).await;
    let orphan_line = line(&all, "orphan_allowance");
    assert_eq!(orphan_line["gap"], false);
    assert_eq!(orphan_line["received"]["amount"], 1250);
    assert_eq!(orphan_line["received"]["reference"], "云民〔2026〕8号");

    // The township closes; the thread and the timeline stay.
    officer
        .post_json(&format!("/api/v1/referrals/{id}/close"), json!({}))
        .await
        .assert_status(StatusCode::OK);
    let done = officer.get(&format!("/api/v1/referrals/{id}")).await.json();
    assert_eq!(done["referral"]["status"], "closed");
    assert_eq!(done["referral"]["outcome"], "granted");
    let actions: Vec<&str> = done["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["action"].as_str().expect("action"))
        .collect();
    assert_eq!(
        actions,
        vec![
            "sent", "accepted", "comment", "comment", "granted", "closed"
        ]
    );
    for action in [
        "referral.create",
        "referral.view",
        "referral.accept",
        "referral.comment",
        "referral.grant",
        "referral.close",
    ] {
        assert!(!app.audit_entries(action).await.is_empty(), "{action}");
    }

    // The county's figures.
    let mut admin = app.admin().await;
    let figures = admin.get("/api/v1/referrals/figures").await.json();
    let civil_figures = &figures["items"][0];
    assert_eq!(civil_figures["department"], "civil_affairs");
    assert_eq!(civil_figures["received"], 1);
    assert_eq!(civil_figures["answered_on_time"], 1);
    assert_eq!(civil_figures["granted"], 1);
    assert_eq!(civil_figures["median_days"], 0.0);
    let page = admin.get("/referrals/figures").await;
    page.assert_status(StatusCode::OK);
    assert!(page.text().contains("县民政局"));
}

#[tokio::test]
async fn refused_returned_and_forwarded_referrals_each_answer_with_their_reason() {
    let app = TestApp::spawn().await;
    let (mut officer, child) = orphan(&app, 2).await;
    let mut civil = department(&app, "civil_affairs").await;
    let mut health = department(&app, "health").await;

    let a = refer(&mut officer, &child, "orphan_allowance").await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    civil
        .post_json(&format!("/api/v1/referrals/{a}/accept"), json!({}))
        .await
        .assert_status(StatusCode::OK);
    let no_reason = civil
        .post_json(
            &format!("/api/v1/referrals/{a}/refuse"),
            json!({"reason": " "}),
        )
        .await;
    no_reason.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.error_fields().contains(&"reason".to_owned()));
    civil
        .post_json(
            &format!("/api/v1/referrals/{a}/refuse"),
            json!({"reason": "已在外县享受孤儿保障"}),
        )
        .await
        .assert_status(StatusCode::OK);
    assert_eq!(
        line(&lines(&mut officer, &child).await, "orphan_allowance")["gap"],
        true
    );
    let inbox = officer.get("/api/v1/inbox").await.json();
    assert_eq!(inbox_count(&inbox, "referral_answered").0, 1);

    // Sent back, then a matter forwarded to another department.
    let b = refer(&mut officer, &child, "orphan_allowance").await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    civil
        .post_json(
            &format!("/api/v1/referrals/{b}/return"),
            json!({"reason": "材料不全，请乡镇核实后重新转介"}),
        )
        .await
        .assert_status(StatusCode::OK);
    let c = officer
        .post_json(
            "/api/v1/referrals",
            json!({"child_id": child, "department": "civil_affairs", "matter": "儿童视力检查", "summary": "孩子看黑板吃力，需要检查视力。", "due_in_days": 5}),
        )
        .await;
    c.assert_status(StatusCode::CREATED);
    let c = c.json()["id"].as_str().expect("id").to_owned();
    civil
        .post_json(
            &format!("/api/v1/referrals/{c}/forward"),
            json!({"department": "civil_affairs"}),
        )
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let forwarded = civil
        .post_json(
            &format!("/api/v1/referrals/{c}/forward"),
            json!({"department": "health", "reason": "属卫生健康部门"}),
        )
        .await;
    forwarded.assert_status(StatusCode::OK);
    let new_id = forwarded.json()["forwarded"]["id"]
        .as_str()
        .expect("new")
        .to_owned();
    let queue = health.get("/api/v1/referrals").await.json();
    assert_eq!(queue["total"], 1);
    assert_eq!(queue["items"][0]["id"], new_id.as_str());
    assert_eq!(queue["items"][0]["forwarded_from"], c.as_str());
    // The old one is no longer the civil affairs' to answer.
    civil
        .post_json(&format!("/api/v1/referrals/{c}/accept"), json!({}))
        .await
        .assert_status(StatusCode::CONFLICT);
    assert!(!app.audit_entries("referral.forward").await.is_empty());
    assert!(!app.audit_entries("referral.return").await.is_empty());
    assert!(!app.audit_entries("referral.refuse").await.is_empty());
}

#[tokio::test]
async fn department_staff_reach_their_referrals_and_nothing_else() {
    let app = TestApp::spawn().await;
    let (mut officer, child) = orphan(&app, 3).await;
    let id = refer(&mut officer, &child, "orphan_allowance").await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let mut education = department(&app, "education").await;
    let me = education.get("/api/v1/me").await.json();
    assert_eq!(me["role"], "department_staff");
    assert_eq!(me["department"], "education");

    education
        .get(&format!("/api/v1/referrals/{id}"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    education
        .post_json(&format!("/api/v1/referrals/{id}/accept"), json!({}))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    assert_eq!(education.get("/api/v1/referrals").await.json()["total"], 0);
    education
        .get(&format!("/api/v1/children/{child}"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    education
        .get(&format!("/api/v1/children/{child}/entitlements"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    for path in [
        "/api/v1/children",
        "/api/v1/needs",
        "/api/v1/matches",
        "/api/v1/entitlements/gaps",
        "/api/v1/referrals/figures",
    ] {
        let status = education.get(path).await.status;
        assert!(
            status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
            "{path}: {status}"
        );
    }
    // Nor may a department send referrals; a township officer elsewhere
    // does not reach this one.
    education
        .post_json(
            "/api/v1/referrals",
            json!({"child_id": child, "entitlement": "orphan_allowance", "summary": "x"}),
        )
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let mut other = app
        .login_staff(Role::TownshipOfficer, Some(TOWNSHIP_B), None)
        .await;
    other
        .get(&format!("/api/v1/referrals/{id}"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    // The department of the referral may not close it; the township may not answer it.
    let mut civil = department(&app, "civil_affairs").await;
    officer
        .post_json(&format!("/api/v1/referrals/{id}/accept"), json!({}))
        .await
        .assert_status(StatusCode::FORBIDDEN);
    civil
        .post_json(&format!("/api/v1/referrals/{id}/close"), json!({}))
        .await
        .assert_status(StatusCode::FORBIDDEN);
    // A department's navigation leads to its queue.
    let home = civil.get("/referrals").await;
    home.assert_status(StatusCode::OK);
    assert!(home.text().contains("孤儿基本生活保障"));
    let detail = civil.get(&format!("/referrals/{id}")).await;
    detail.assert_status(StatusCode::OK);
    assert!(detail.text().contains("受理"));
    assert!(!detail.text().contains("柏小雨"));
}

#[tokio::test]
async fn the_summary_and_comments_are_text_checked() {
    let app = TestApp::spawn().await;
    let (mut officer, child) = orphan(&app, 4).await;
    for summary in [
        "柏小雨需要孤儿保障",
        "请联系监护人13912345678",
        "住在滨江路18号",
    ] {
        let refused = officer
            .post_json(
                "/api/v1/referrals",
                json!({"child_id": child, "entitlement": "orphan_allowance", "summary": summary}),
            )
            .await;
        refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let findings = &refused.json()["error"]["details"]["findings"];
        assert_eq!(findings[0]["field"], "summary", "{summary}");
        assert!(!refused.text().contains("13912345678"));
    }
    let id = refer(&mut officer, &child, "orphan_allowance").await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    officer
        .post_json(
            &format!("/api/v1/referrals/{id}/comment"),
            json!({"text": "孩子叫柏小雨"}),
        )
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
}

fn day_of(value: &Value) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(value.as_str().expect("date"), "%Y-%m-%d").expect("date")
}

/// The county offices' day now (Beijing time).
fn office_today() -> chrono::NaiveDate {
    carebridge::domain::referral::office_day(chrono::Utc::now())
}

#[tokio::test]
async fn overdue_referrals_reach_both_inboxes_and_past_twice_the_deadline_the_county() {
    let app = TestApp::spawn().await;
    let (mut officer, child) = orphan(&app, 5).await;
    let id = refer(&mut officer, &child, "orphan_allowance").await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let mut civil = department(&app, "civil_affairs").await;
    let mut admin = app.admin().await;
    let shown = civil.get(&format!("/api/v1/referrals/{id}")).await.json();
    let due = day_of(&shown["referral"]["due_on"]);
    let escalate = day_of(&shown["referral"]["escalate_on"]);
    assert!(
        due > office_today() + chrono::Duration::days(10),
        "10 working days"
    );
    assert!(escalate > due);
    assert_eq!(shown["referral"]["overdue"], false);

    // On the due day: not yet overdue.
    app.advance_clock(chrono::Duration::days((due - office_today()).num_days()));
    let inbox = civil.get("/api/v1/inbox").await.json();
    assert_eq!(inbox_count(&inbox, "referral_to_accept"), (1, 0));

    // The day after: overdue for the department and the township.
    app.advance_clock(chrono::Duration::days(1));
    let inbox = civil.get("/api/v1/inbox").await.json();
    assert_eq!(inbox_count(&inbox, "referral_to_accept"), (1, 1));
    let inbox = officer.get("/api/v1/inbox").await.json();
    assert_eq!(inbox_count(&inbox, "referral_overdue").0, 1);
    let inbox = admin.get("/api/v1/inbox").await.json();
    assert_eq!(inbox_count(&inbox, "referral_escalated").0, 0);
    let overdue = civil.get("/api/v1/referrals?overdue=1").await.json();
    assert_eq!(overdue["total"], 1);
    assert_eq!(overdue["items"][0]["overdue"], true);

    // Past twice the deadline: the county's.
    app.advance_clock(chrono::Duration::days(
        (escalate - office_today()).num_days() + 1,
    ));
    let inbox = admin.get("/api/v1/inbox").await.json();
    assert_eq!(inbox_count(&inbox, "referral_escalated").0, 1);
    let shown = admin.get(&format!("/api/v1/referrals/{id}")).await.json();
    assert_eq!(shown["referral"]["escalated"], true);

    // Answered late: counted, not on time.
    civil
        .post_json(&format!("/api/v1/referrals/{id}/accept"), json!({}))
        .await
        .assert_status(StatusCode::OK);
    civil
        .post_json(
            &format!("/api/v1/referrals/{id}/refuse"),
            json!({"reason": "不符合条件"}),
        )
        .await
        .assert_status(StatusCode::OK);
    let figures = admin.get("/api/v1/referrals/figures").await.json();
    assert_eq!(figures["items"][0]["answered"], 1);
    assert_eq!(figures["items"][0]["answered_on_time"], 0);
    assert_eq!(figures["items"][0]["refused"], 1);
    let inbox = admin.get("/api/v1/inbox").await.json();
    assert_eq!(inbox_count(&inbox, "referral_escalated").0, 0);
}

async fn accepted(app: &TestApp, seq: u32) -> (String, String, TestClient) {
    let (mut officer, child) = orphan(app, seq).await;
    let id = refer(&mut officer, &child, "orphan_allowance").await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let mut civil = department(app, "civil_affairs").await;
    civil
        .post_json(&format!("/api/v1/referrals/{id}/accept"), json!({}))
        .await
        .assert_status(StatusCode::OK);
    (id, child, officer)
}

fn grant_body() -> Value {
    json!({"benefit": "孤儿基本生活费", "start_on": "2026-12-01", "decision_reference": "云民〔2026〕9号"})
}

#[tokio::test]
async fn racing_answers_one_wins_and_the_other_gets_409() {
    let app = TestApp::spawn().await;
    // Grant against forward.
    let (id, child, mut officer) = accepted(&app, 6).await;
    let mut one = department(&app, "civil_affairs").await;
    let mut two = department(&app, "civil_affairs").await;
    let grant_path = format!("/api/v1/referrals/{id}/grant");
    let forward_path = format!("/api/v1/referrals/{id}/forward");
    let (a, b) = tokio::join!(
        one.post_json(&grant_path, grant_body()),
        two.post_json(&forward_path, json!({"department": "health"})),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    let records = lines(&mut officer, &child).await;
    let received = line(&records, "orphan_allowance")["received"].is_object();
    assert_eq!(
        received,
        a.status == StatusCode::OK,
        "a grant records, a forward does not"
    );

    // Grant against grant: one record.
    let (id, child, mut officer) = accepted(&app, 7).await;
    let path = format!("/api/v1/referrals/{id}/grant");
    let (a, b) = tokio::join!(
        one.post_json(&path, grant_body()),
        two.post_json(&path, grant_body())
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    let all = officer
        .get(&format!("/api/v1/children/{child}/entitlements"))
        .await
        .json();
    let records = all["records"]
        .as_array()
        .expect("records")
        .iter()
        .filter(|r| r["benefit"] == "orphan_allowance")
        .count();
    assert_eq!(records, 1);
}

#[tokio::test]
async fn one_door_intake_routes_each_part_to_its_department() {
    let app = TestApp::spawn().await;
    let (mut officer, child) = orphan(&app, 8).await;
    let made = officer
        .post_json(
            "/api/v1/intakes",
            json!({
                "child_id": child,
                "applicant": "祖母",
                "request": "祖母申请孤儿基本生活费和医保缴费资助，并希望孩子接受心理辅导。",
                "entitlements": ["orphan_allowance", "insurance_subsidy"],
                "matters": [{"department": "womens_federation", "matter": "心理辅导"}]
            }),
        )
        .await;
    made.assert_status(StatusCode::CREATED);
    let body = made.json();
    let departments: Vec<&str> = body["referrals"]
        .as_array()
        .expect("referrals")
        .iter()
        .map(|r| r["department"].as_str().expect("department"))
        .collect();
    assert_eq!(
        departments,
        vec!["civil_affairs", "medical_insurance", "womens_federation"]
    );
    let id = body["id"].as_str().expect("id");
    let again = officer.get(&format!("/api/v1/intakes/{id}")).await;
    again.assert_status(StatusCode::OK);
    assert_eq!(
        again.json()["referrals"]
            .as_array()
            .expect("referrals")
            .len(),
        3
    );
    let mut medical = department(&app, "medical_insurance").await;
    assert_eq!(medical.get("/api/v1/referrals").await.json()["total"], 1);
    // Nothing asked for: 422; the same entitlement again while open: 409.
    let empty = officer
        .post_json(
            "/api/v1/intakes",
            json!({"child_id": child, "applicant": "祖母", "request": "咨询"}),
        )
        .await;
    empty.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.error_fields().contains(&"entitlements".to_owned()));
    officer
        .post_json(
            "/api/v1/intakes",
            json!({"child_id": child, "applicant": "祖母", "request": "再次申请", "entitlements": ["orphan_allowance"]}),
        )
        .await
        .assert_status(StatusCode::CONFLICT);
    assert!(!app.audit_entries("intake.create").await.is_empty());
    // The pages.
    let page = officer.get(&format!("/intakes/{id}")).await;
    page.assert_status(StatusCode::OK);
    assert!(page.text().contains("县医疗保障局"));
    officer
        .get(&format!("/intakes/new?child={child}"))
        .await
        .assert_status(StatusCode::OK);
    officer
        .get(&format!(
            "/referrals/new?child={child}&entitlement=orphan_allowance"
        ))
        .await
        .assert_status(StatusCode::OK);
}
