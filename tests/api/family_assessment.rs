//! Family assessment (家庭评估) by the township, approval by the county, and
//! the yearly re-assessment: over the API and through the family's page.

use axum::http::{StatusCode, header};
use carebridge::domain::Role;
use carebridge::domain::family::approval_ends;
use chrono::{Days, Local, NaiveDate};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{
    TOWNSHIP_A, TOWNSHIP_B, TestApp, TestClient, TestResponse, family_body, offer_body,
};

fn today() -> NaiveDate {
    Local::now().date_naive()
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A day as the pages show it.
fn shown(d: NaiveDate) -> String {
    carebridge::domain::dates::day_text(d)
}

fn location(response: &TestResponse) -> String {
    response
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

/// The family's contact phone in `family_body`: it must stay out of the audit log.
const FAMILY_PHONE: &str = "023-55123456";

/// Files an application in `township` offering foster care and
/// sponsorship; returns its id and a client logged in as the family.
async fn foster_family(app: &TestApp, township: &str) -> (String, TestClient) {
    let username = app.unique("foster");
    let mut body = family_body(&username, township);
    body["care_types"] = json!(["foster_care", "sponsorship"]);
    let response = app.client().post_json("/api/v1/families", body).await;
    response.assert_status(StatusCode::CREATED);
    let id = response.json()["id"].as_str().expect("id").to_owned();
    (id, app.logged_in(&username).await)
}

fn assessment(recommend: bool) -> Value {
    json!({
        "visited_on": ymd(today()),
        "housing": "自有住房三室一厅，儿童有单独卧室",
        "income": "夫妻二人均有稳定工作",
        "health": "家庭成员身体健康",
        "training": "参加过县民政局寄养家庭培训",
        "findings": "家庭和睦，照料经验丰富，联系电话 023-55123456 已核实。",
        "recommend": recommend,
    })
}

async fn assess(officer: &mut TestClient, id: &str, body: Value) -> TestResponse {
    officer
        .post_json(&format!("/api/v1/families/{id}/assessments"), body)
        .await
}

async fn decide(admin: &mut TestClient, id: &str, body: Value) -> TestResponse {
    admin
        .post_json(&format!("/api/v1/families/{id}/decision"), body)
        .await
}

/// Sets the end of the family's approval directly, as time passing would.
async fn set_approved_until(app: &TestApp, id: &str, until: NaiveDate) {
    app.db
        .execute_unprepared(&format!(
            "UPDATE families SET approved_until = '{}' WHERE id = '{id}'",
            ymd(until)
        ))
        .await
        .expect("set approved_until");
}

/// Takes a family through the visit and the county's approval.
async fn approve(app: &TestApp, officer: &mut TestClient, id: &str) {
    assess(officer, id, assessment(true))
        .await
        .assert_status(StatusCode::CREATED);
    decide(&mut app.admin().await, id, json!({"decision": "approve"}))
        .await
        .assert_status(StatusCode::OK);
}

fn foster_offer() -> Value {
    offer_body(
        "foster_care",
        "家庭寄养一名学龄儿童",
        "我家有独立儿童房，可照料一名6至14岁儿童的日常生活和学习。",
        &[TOWNSHIP_A],
    )
}

#[tokio::test]
async fn a_family_is_recommended_then_approved_for_a_year_less_a_day() {
    let app = TestApp::spawn().await;
    let (id, mut family) = foster_family(&app, TOWNSHIP_A).await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;

    let visit = assess(&mut officer, &id, assessment(true)).await;
    visit.assert_status(StatusCode::CREATED);
    let body = visit.json();
    assert_eq!(body["family_id"], id.as_str());
    assert_eq!(body["recommend"], true);
    assert_eq!(body["visited_on"], ymd(today()));
    assert_eq!(body["family"]["status"], "recommended");
    assert_eq!(body["family"]["approval_current"], false);

    let mut admin = app.admin().await;
    let decided = decide(&mut admin, &id, json!({"decision": "approve"})).await;
    decided.assert_status(StatusCode::OK);
    let until = approval_ends(today());
    assert_eq!(decided.json()["status"], "approved");
    assert_eq!(decided.json()["approved_until"], ymd(until));
    assert_eq!(decided.json()["approval_current"], true);
    assert_eq!(decided.json()["reassessment_due"], false);
    assert!(decided.json()["decided_at"].is_string());
    // A year less a day: the day before the anniversary.
    let span = (until - today()).num_days();
    assert!((364..=365).contains(&span), "{span} days");
    assert_eq!(
        until
            .checked_add_days(Days::new(1))
            .map(|d| d.format("%m").to_string()),
        Some(today().format("%m").to_string()),
        "the day after the end falls in the month of approval"
    );

    let own = family.get(&format!("/api/v1/families/{id}")).await;
    own.assert_status(StatusCode::OK);
    assert_eq!(own.json()["approved_until"], ymd(until));
    assert_eq!(own.json()["approval_current"], true);
    let home = family.get("/").await;
    home.assert_ok_without(&["需重新评估"]);
    let home = home.text();
    assert!(
        home.contains(&format!("审批有效期至 {}", shown(until))),
        "{home}"
    );

    let listed = officer
        .clone()
        .get("/api/v1/families?status=approved")
        .await;
    listed.assert_status(StatusCode::OK);
    assert_eq!(listed.json()["total"], 1);
    assert_eq!(listed.json()["items"][0]["approval_current"], true);
}

#[tokio::test]
async fn a_family_not_recommended_is_rejected_with_the_findings_as_reason() {
    let app = TestApp::spawn().await;
    let (id, mut family) = foster_family(&app, TOWNSHIP_A).await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let mut body = assessment(false);
    body["findings"] = json!("住房面积不足，暂不具备寄养条件。");
    let visit = assess(&mut officer, &id, body).await;
    visit.assert_status(StatusCode::CREATED);
    assert_eq!(visit.json()["family"]["status"], "rejected");
    assert_eq!(
        visit.json()["family"]["reason"],
        "住房面积不足，暂不具备寄养条件。"
    );
    let home = family.get("/").await.text();
    assert!(home.contains("住房面积不足，暂不具备寄养条件。"));
    // Turned down: neither visited again nor decided on by the county.
    assess(&mut officer, &id, assessment(true))
        .await
        .assert_status(StatusCode::CONFLICT);
    decide(&mut app.admin().await, &id, json!({"decision": "approve"}))
        .await
        .assert_status(StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_minimal_contract_body_is_enough() {
    let app = TestApp::spawn().await;
    let (id, _) = app.apply_family(TOWNSHIP_A).await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let visit = assess(
        &mut officer,
        &id,
        json!({"visited_on": ymd(today()), "findings": "家庭条件良好。", "recommend": true}),
    )
    .await;
    visit.assert_status(StatusCode::CREATED);
    assert_eq!(visit.json()["housing"], "");
    assert_eq!(visit.json()["family"]["status"], "recommended");
}

#[tokio::test]
async fn invalid_visits_name_each_field() {
    let app = TestApp::spawn().await;
    let (id, _) = app.apply_family(TOWNSHIP_A).await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let tomorrow = today().succ_opt().expect("tomorrow");
    let mut body = assessment(true);
    body["visited_on"] = json!(ymd(tomorrow));
    body["findings"] = json!("   ");
    body["income"] = json!("收".repeat(1001));
    let response = assess(&mut officer, &id, body).await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        response.error_fields(),
        ["visited_on", "income", "findings"]
    );

    // Before the application was filed, findings too long.
    let yesterday = today().pred_opt().expect("yesterday");
    let mut body = assessment(true);
    body["visited_on"] = json!(ymd(yesterday));
    body["findings"] = json!("好".repeat(2001));
    let response = assess(&mut officer, &id, body).await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.error_fields(), ["visited_on", "findings"]);
    assert!(response.text().contains("申请提交日期"));

    // Not a date; a missing `recommend` is a malformed body, never a 500.
    let mut body = assessment(true);
    body["visited_on"] = json!("next tuesday");
    assess(&mut officer, &id, body)
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let response = assess(
        &mut officer,
        &id,
        json!({"visited_on": ymd(today()), "findings": "好"}),
    )
    .await;
    assert!(response.status.is_client_error(), "{}", response.status);
    // Nothing was stored.
    let stored = officer
        .clone()
        .get(&format!("/api/v1/families/{id}/assessments"))
        .await;
    stored.assert_status(StatusCode::OK);
    assert_eq!(stored.json()["total"], 0);
}

#[tokio::test]
async fn the_county_needs_a_reason_to_reject() {
    let app = TestApp::spawn().await;
    let (id, mut family) = foster_family(&app, TOWNSHIP_A).await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    assess(&mut officer, &id, assessment(true))
        .await
        .assert_status(StatusCode::CREATED);
    let mut admin = app.admin().await;
    for body in [
        json!({"decision": "reject"}),
        json!({"decision": "reject", "reason": "  "}),
    ] {
        let response = decide(&mut admin, &id, body).await;
        response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(response.error_fields(), ["reason"]);
    }
    let unknown = decide(&mut admin, &id, json!({"decision": "maybe"})).await;
    unknown.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.error_fields(), ["decision"]);

    let rejected = decide(
        &mut admin,
        &id,
        json!({"decision": "reject", "reason": "家中已有两名幼儿，照料压力较大。"}),
    )
    .await;
    rejected.assert_status(StatusCode::OK);
    assert_eq!(rejected.json()["status"], "rejected");
    assert!(rejected.json()["approved_until"].is_null());
    assert!(
        family
            .get("/")
            .await
            .text()
            .contains("家中已有两名幼儿，照料压力较大。")
    );
}

#[tokio::test]
async fn a_decision_on_a_family_not_recommended_is_a_conflict_naming_its_state() {
    let app = TestApp::spawn().await;
    let (id, _) = app.apply_family(TOWNSHIP_A).await;
    let mut admin = app.admin().await;
    let response = decide(&mut admin, &id, json!({"decision": "approve"})).await;
    response.assert_status(StatusCode::CONFLICT);
    let message = response.json()["error"]["message"]
        .as_str()
        .expect("message")
        .to_owned();
    assert!(message.contains("待走访评估"), "{message}");
    assert_eq!(response.json()["error"]["code"], "conflict");
    assert_eq!(response.json()["error"]["details"]["status"], "submitted");

    // A recommended family waits for the county: no second visit meanwhile.
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    approve(&app, &mut officer, &id).await;
    let again = decide(&mut admin, &id, json!({"decision": "approve"})).await;
    again.assert_status(StatusCode::CONFLICT);
    assert!(again.text().contains("已批准"));
    assess(&mut officer, &id, assessment(true))
        .await
        .assert_status(StatusCode::CREATED);
    let twice = assess(&mut officer, &id, assessment(true)).await;
    twice.assert_status(StatusCode::CONFLICT);
    assert!(twice.text().contains("待县级审批"));
    assert_eq!(twice.json()["error"]["details"]["status"], "recommended");
}

#[tokio::test]
async fn an_officer_of_another_township_finds_no_such_family() {
    let app = TestApp::spawn().await;
    let (id, _) = app.apply_family(TOWNSHIP_A).await;
    let mut other = app
        .login_staff(Role::TownshipOfficer, Some(TOWNSHIP_B), None)
        .await;
    assess(&mut other, &id, assessment(true))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let mut other = other;
    other
        .get(&format!("/api/v1/families/{id}/assessments"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    other
        .get(&format!("/families/{id}"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    // And an absent family answers the same.
    assess(&mut other, "no-such-family", assessment(true))
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn only_township_officers_assess_and_only_the_county_decides() {
    let app = TestApp::spawn().await;
    let (id, mut family) = foster_family(&app, TOWNSHIP_A).await;
    let mut supervisor = app.login_as(Role::VillageSupervisor).await;
    let mut provider = app.verified_provider().await;
    let mut admin = app.admin().await;
    for client in [&mut supervisor, &mut provider, &mut family, &mut admin] {
        assess(client, &id, assessment(true))
            .await
            .assert_status(StatusCode::FORBIDDEN);
    }
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    assess(&mut officer, &id, assessment(true))
        .await
        .assert_status(StatusCode::CREATED);
    for client in [&mut supervisor, &mut provider, &mut family, &mut officer] {
        decide(client, &id, json!({"decision": "approve"}))
            .await
            .assert_status(StatusCode::FORBIDDEN);
    }
    let mut family = family;
    family
        .get(&format!("/api/v1/families/{id}/assessments"))
        .await
        .assert_status(StatusCode::FORBIDDEN);
    // Still waiting: none of the refused requests moved it.
    let mut officer = officer;
    let now = officer.get(&format!("/api/v1/families/{id}")).await;
    assert_eq!(now.json()["status"], "recommended");
    // Without the CSRF header the officer is refused too.
    let mut no_csrf = officer.clone();
    no_csrf.csrf = None;
    assess(&mut no_csrf, &id, assessment(true))
        .await
        .assert_status(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_approved_family_posts_foster_care_and_an_expired_one_is_refused_and_told_why() {
    let app = TestApp::spawn().await;
    let (id, mut family) = foster_family(&app, TOWNSHIP_A).await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    // Before approval: no offers.
    family
        .post_json("/api/v1/offers", foster_offer())
        .await
        .assert_status(StatusCode::FORBIDDEN);
    approve(&app, &mut officer, &id).await;
    family.create_offer(foster_offer()).await;

    let ended = today().pred_opt().expect("yesterday");
    set_approved_until(&app, &id, ended).await;
    family
        .post_json("/api/v1/offers", foster_offer())
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let own = family.get(&format!("/api/v1/families/{id}")).await;
    assert_eq!(own.json()["status"], "approved");
    assert_eq!(own.json()["approval_current"], false);
    assert_eq!(own.json()["reassessment_due"], true);
    let home = family.get("/").await;
    home.assert_ok_without(&["发布新服务"]);
    let home = home.text();
    assert!(home.contains("审批已过期，需重新评估"), "{home}");
    assert!(home.contains(&shown(ended)));
    let form = family.get("/offers/new").await;
    form.assert_status(StatusCode::SEE_OTHER);
    assert!(
        family.get("/").await.text().contains("暂不能发布服务"),
        "the home page says why"
    );

    // Staff see it too, and find it among the families due.
    let mut officer = officer;
    let page = officer.get(&format!("/families/{id}")).await.text();
    assert!(page.contains("审批已过期，需重新评估"));
    let due = officer.get("/api/v1/families?due=1").await;
    due.assert_status(StatusCode::OK);
    assert_eq!(due.json()["total"], 1);
    assert_eq!(due.json()["items"][0]["id"], id.as_str());
    let list = officer.get("/families?due=1").await.text();
    assert!(list.contains("审批已过期，需重新评估"));
}

#[tokio::test]
async fn re_assessment_is_due_within_sixty_days_of_the_end() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let (soon, mut family) = foster_family(&app, TOWNSHIP_A).await;
    let (later, _) = foster_family(&app, TOWNSHIP_A).await;
    let (elsewhere, _) = foster_family(&app, TOWNSHIP_B).await;
    approve(&app, &mut officer, &soon).await;
    approve(&app, &mut officer, &later).await;
    let mut officer_b = app
        .login_staff(Role::TownshipOfficer, Some(TOWNSHIP_B), None)
        .await;
    approve(&app, &mut officer_b, &elsewhere).await;
    let near = today().checked_add_days(Days::new(30)).expect("date");
    set_approved_until(&app, &soon, near).await;
    set_approved_until(&app, &elsewhere, near).await;
    set_approved_until(
        &app,
        &later,
        today().checked_add_days(Days::new(61)).expect("date"),
    )
    .await;

    // Still current: the family may post, and is told to book a visit.
    family.create_offer(foster_offer()).await;
    let home = family.get("/").await.text();
    assert!(home.contains(&format!("审批有效期至 {}", shown(near))));
    assert!(home.contains("需重新评估"));

    let mut officer = officer;
    let due = officer.get("/api/v1/families?due=1").await;
    due.assert_status(StatusCode::OK);
    let items = due.json()["items"].as_array().expect("items").clone();
    let ids: Vec<&str> = items.iter().filter_map(|f| f["id"].as_str()).collect();
    assert_eq!(ids, [soon.as_str()]);
    assert_eq!(due.json()["items"][0]["reassessment_due"], true);
    // The county sees every township's.
    let mut admin = app.admin().await;
    assert_eq!(admin.get("/api/v1/families?due=1").await.json()["total"], 2);
    officer
        .get("/api/v1/families?due=maybe")
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn re_assessing_an_approved_family_sends_it_back_to_the_county() {
    let app = TestApp::spawn().await;
    let (id, mut family) = foster_family(&app, TOWNSHIP_A).await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    approve(&app, &mut officer, &id).await;
    let near = today().checked_add_days(Days::new(20)).expect("date");
    set_approved_until(&app, &id, near).await;

    let again = assess(&mut officer, &id, assessment(true)).await;
    again.assert_status(StatusCode::CREATED);
    assert_eq!(again.json()["family"]["status"], "recommended");
    assert_eq!(again.json()["family"]["approval_current"], false);
    assert_eq!(again.json()["family"]["approved_until"], ymd(near));
    // Until the county decides again, the family posts nothing.
    family
        .post_json("/api/v1/offers", foster_offer())
        .await
        .assert_status(StatusCode::FORBIDDEN);

    let renewed = decide(&mut app.admin().await, &id, json!({"decision": "approve"})).await;
    renewed.assert_status(StatusCode::OK);
    assert_eq!(
        renewed.json()["approved_until"],
        ymd(approval_ends(today()))
    );
    family.create_offer(foster_offer()).await;

    let visits = officer
        .clone()
        .get(&format!("/api/v1/families/{id}/assessments"))
        .await;
    visits.assert_status(StatusCode::OK);
    assert_eq!(visits.json()["total"], 2);

    // A re-assessment that does not recommend ends the approval at once.
    assess(&mut officer, &id, assessment(false))
        .await
        .assert_status(StatusCode::CREATED);
    family
        .post_json("/api/v1/offers", foster_offer())
        .await
        .assert_status(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn visits_and_decisions_are_audited_without_phone_numbers_or_findings() {
    let app = TestApp::spawn().await;
    let (id, _) = foster_family(&app, TOWNSHIP_A).await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    approve(&app, &mut officer, &id).await;
    let visits = app.audit_entries("family.assessment").await;
    assert_eq!(visits.len(), 1);
    let entry = &visits[0];
    assert_eq!(entry["target"], format!("family:{id}"));
    assert_eq!(entry["outcome"], "success");
    let detail = entry["detail"].as_str().expect("detail");
    assert!(detail.contains("submitted -> recommended"), "{detail}");
    let decisions = app.audit_entries("family.decide").await;
    assert_eq!(decisions.len(), 1);
    let decided = decisions[0]["detail"].as_str().expect("detail");
    assert!(decided.contains("recommended -> approved"), "{decided}");
    for entry in visits.iter().chain(decisions.iter()) {
        let text = entry.to_string();
        assert!(!text.contains(FAMILY_PHONE), "{text}");
        assert!(!text.contains("55123456"), "{text}");
        assert!(!text.contains("家庭和睦"), "{text}");
    }
}

#[tokio::test]
async fn the_family_page_takes_a_visit_and_a_decision_through_its_forms() {
    let app = TestApp::spawn().await;
    let (id, _) = foster_family(&app, TOWNSHIP_A).await;
    let page_path = format!("/families/{id}");
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let page = officer.get(&page_path).await;
    page.assert_status(StatusCode::OK);
    let html = page.text();
    assert!(html.contains(&format!("action=\"/families/{id}/assessments\"")));
    assert!(html.contains("尚未登记走访评估"));
    assert!(!html.contains(&format!("action=\"/families/{id}/decision\"")));

    // A failed form comes back with what was typed and the error beside it.
    let token = officer.page_csrf(&page_path).await;
    let action = format!("/families/{id}/assessments");
    let failed = officer
        .post_form(
            &action,
            &[
                ("csrf_token", &token),
                ("visited_on", "2020-01-01"),
                ("housing", "两室一厅，采光好"),
                ("findings", "家庭和睦，有照料经验。"),
                ("recommend", "true"),
            ],
        )
        .await;
    failed.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = failed.text();
    assert!(html.contains("走访日期不能早于申请提交日期"));
    assert!(html.contains("两室一厅，采光好"));
    assert!(html.contains("value=\"true\" checked"));
    // Without a choice on recommending.
    let unchosen = officer
        .post_form(
            &action,
            &[
                ("csrf_token", &token),
                ("visited_on", &ymd(today())),
                ("findings", "家庭和睦，有照料经验。"),
            ],
        )
        .await;
    unchosen.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unchosen.text().contains("请选择是否推荐该家庭"));

    let saved = officer
        .post_form(
            &action,
            &[
                ("csrf_token", &token),
                ("visited_on", &ymd(today())),
                ("housing", "两室一厅，采光好"),
                ("income", ""),
                ("health", ""),
                ("training", ""),
                ("findings", "家庭和睦，有照料经验。"),
                ("recommend", "true"),
            ],
        )
        .await;
    saved.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(location(&saved), page_path);
    let after = officer.get(&page_path).await;
    after.assert_ok_without(&[&format!("action=\"/families/{id}/assessments\"")]);
    let after = after.text();
    assert!(after.contains("走访评估已保存"), "flash missing");
    assert!(after.contains("待县级审批"));
    assert!(after.contains("家庭和睦，有照料经验。"));

    // The county decides on the same page.
    let mut admin = app.admin().await;
    let html = admin.get(&page_path).await.text();
    assert!(html.contains(&format!("action=\"/families/{id}/decision\"")));
    assert!(html.contains("家庭和睦，有照料经验。"));
    let token = admin.page_csrf(&page_path).await;
    let decision = format!("/families/{id}/decision");
    let refused = admin
        .post_form(&decision, &[("csrf_token", &token), ("decision", "reject")])
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().contains("请填写不予批准的理由"));
    let approved = admin
        .post_form(
            &decision,
            &[
                ("csrf_token", &token),
                ("decision", "approve"),
                ("reason", ""),
            ],
        )
        .await;
    approved.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(location(&approved), page_path);
    let after = admin.get(&page_path).await;
    after.assert_ok_without(&[&format!("action=\"/families/{id}/decision\"")]);
    let after = after.text();
    let until = shown(approval_ends(today()));
    assert!(
        after.contains(&format!("已批准，审批有效期至 {until}")),
        "flash"
    );
    assert!(after.contains(&format!("审批有效期至 {until}")));

    // The same form sent again (a second tab) is told the state moved on.
    let stale = admin
        .post_form(
            &decision,
            &[("csrf_token", &token), ("decision", "approve")],
        )
        .await;
    stale.assert_status(StatusCode::SEE_OTHER);
    let told = admin.get(&page_path).await.text();
    assert!(
        told.contains("该家庭申请当前状态为“已批准”"),
        "stale decision explained"
    );

    // A form without the CSRF token is refused.
    let mut officer = officer;
    officer
        .post_form(&action, &[("visited_on", &ymd(today()))])
        .await
        .assert_status(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_families_list_page_filters_those_due_for_re_assessment() {
    let app = TestApp::spawn().await;
    let (due, _) = foster_family(&app, TOWNSHIP_A).await;
    let (fresh, _) = foster_family(&app, TOWNSHIP_A).await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    approve(&app, &mut officer, &due).await;
    approve(&app, &mut officer, &fresh).await;
    set_approved_until(&app, &due, today().pred_opt().expect("yesterday")).await;
    let mut officer = officer;
    let page = officer.get("/families?due=1").await;
    page.assert_ok_without(&[&format!("/families/{fresh}")]);
    let html = page.text();
    assert!(html.contains(&format!("/families/{due}")));
    assert!(html.contains("需重新评估"));
    let all = officer.get("/families").await.text();
    assert!(all.contains(&format!("/families/{fresh}")));
    assert!(all.contains("href=\"/families?due=1\""));
}
