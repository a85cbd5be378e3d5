//! Provider registration and verification.

use axum::http::StatusCode;
use carebridge::domain::Role;
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, credit_code_for, provider_body};

#[tokio::test]
async fn a_valid_registration_is_pending() {
    let app = TestApp::spawn().await;
    let response = app
        .client()
        .post_json("/api/v1/providers", provider_body("sunrise"))
        .await;
    response.assert_status(StatusCode::CREATED);
    assert_eq!(response.json()["status"], "pending");
    let mut provider = app.client();
    provider
        .login("sunrise", PASSWORD)
        .await
        .assert_status(StatusCode::OK);
    let id = response.json()["id"].as_str().expect("id").to_owned();
    let own = provider.get(&format!("/api/v1/providers/{id}")).await;
    own.assert_status(StatusCode::OK);
    assert_eq!(own.json()["status"], "pending");
}

#[tokio::test]
async fn a_credit_code_with_a_wrong_check_character_is_refused() {
    let app = TestApp::spawn().await;
    let mut body = provider_body("badcode");
    let good = credit_code_for("badcode");
    let last = good.chars().last().expect("18 chars");
    let wrong = if last == '0' { '1' } else { '0' };
    body["credit_code"] = json!(format!("{}{wrong}", &good[..17]));
    let response = app.client().post_json("/api/v1/providers", body).await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.error_fields(), vec!["credit_code"]);
    assert!(response.text().contains("校验位"));
}

#[tokio::test]
async fn missing_and_empty_fields_are_refused_with_each_field_named() {
    let app = TestApp::spawn().await;
    let mut body = provider_body("empty");
    body["name"] = json!("  ");
    body["contact_phone"] = json!("12");
    body["townships"] = json!([]);
    let response = app.client().post_json("/api/v1/providers", body).await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let fields = response.error_fields();
    for field in ["name", "contact_phone", "townships"] {
        assert!(
            fields.contains(&field.to_owned()),
            "{field} missing from {fields:?}"
        );
    }
    let mut missing = provider_body("missing");
    missing
        .as_object_mut()
        .expect("object")
        .remove("contact_name");
    let response = app.client().post_json("/api/v1/providers", missing).await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.json()["error"]["code"], "invalid");
}

#[tokio::test]
async fn charities_must_give_a_credit_code_but_volunteer_teams_need_not() {
    let app = TestApp::spawn().await;
    let mut charity = provider_body("nocode");
    charity
        .as_object_mut()
        .expect("object")
        .remove("credit_code");
    let response = app.client().post_json("/api/v1/providers", charity).await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.error_fields(), vec!["credit_code"]);
    let mut team = provider_body("unionteam");
    team.as_object_mut().expect("object").remove("credit_code");
    team["kind"] = json!("trade_union");
    app.client()
        .post_json("/api/v1/providers", team)
        .await
        .assert_status(StatusCode::CREATED);
}

#[tokio::test]
async fn a_duplicate_username_or_credit_code_is_a_conflict() {
    let app = TestApp::spawn().await;
    let (_, username) = app.register_provider().await;
    let mut again = provider_body(&username);
    again["credit_code"] = json!(credit_code_for("another"));
    let response = app.client().post_json("/api/v1/providers", again).await;
    response.assert_status(StatusCode::CONFLICT);
    assert_eq!(response.error_fields(), vec!["username"]);
    let mut same_code = provider_body("fresh_name");
    same_code["credit_code"] = json!(credit_code_for(&username));
    let response = app.client().post_json("/api/v1/providers", same_code).await;
    response.assert_status(StatusCode::CONFLICT);
    assert_eq!(response.error_fields(), vec!["credit_code"]);
}

#[tokio::test]
async fn an_unknown_provider_kind_is_refused() {
    let app = TestApp::spawn().await;
    let mut body = provider_body("oddkind");
    body["kind"] = json!("secret_society");
    let response = app.client().post_json("/api/v1/providers", body).await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.error_fields(), vec!["kind"]);
}

#[tokio::test]
async fn county_staff_verify_a_pending_provider() {
    let app = TestApp::spawn().await;
    let (id, _) = app.register_provider().await;
    let mut admin = app.admin().await;
    let queue = admin.get("/api/v1/providers?status=pending").await;
    queue.assert_status(StatusCode::OK);
    assert_eq!(queue.json()["total"], 1);
    let response = admin
        .post_json(
            &format!("/api/v1/providers/{id}/decision"),
            json!({"decision": "verify"}),
        )
        .await;
    response.assert_status(StatusCode::OK);
    assert_eq!(response.json()["status"], "verified");
    // Deciding again is a conflict that names the current state.
    let again = admin
        .post_json(
            &format!("/api/v1/providers/{id}/decision"),
            json!({"decision": "reject", "reason": "x"}),
        )
        .await;
    again.assert_status(StatusCode::CONFLICT);
    assert!(again.text().contains("已认证"));
}

#[tokio::test]
async fn a_rejected_provider_reads_the_reason() {
    let app = TestApp::spawn().await;
    let (id, username) = app.register_provider().await;
    let mut admin = app.admin().await;
    let no_reason = admin
        .post_json(
            &format!("/api/v1/providers/{id}/decision"),
            json!({"decision": "reject"}),
        )
        .await;
    no_reason.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_reason.error_fields(), vec!["reason"]);
    admin
        .post_json(
            &format!("/api/v1/providers/{id}/decision"),
            json!({"decision": "reject", "reason": "登记证书已过期，请更新后重新注册"}),
        )
        .await
        .assert_status(StatusCode::OK);
    let mut provider = app.client();
    provider
        .login(&username, PASSWORD)
        .await
        .assert_status(StatusCode::OK);
    let own = provider.get(&format!("/api/v1/providers/{id}")).await;
    assert_eq!(own.json()["status"], "rejected");
    assert_eq!(own.json()["reason"], "登记证书已过期，请更新后重新注册");
    let home = provider.get("/").await;
    assert!(home.text().contains("登记证书已过期"));
}

#[tokio::test]
async fn nobody_but_county_staff_may_decide() {
    let app = TestApp::spawn().await;
    let (id, username) = app.register_provider().await;
    let path = format!("/api/v1/providers/{id}/decision");
    let body = json!({"decision": "verify"});
    app.client()
        .post_json(&path, body.clone())
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    for role in [Role::TownshipOfficer, Role::VillageSupervisor] {
        app.login_as(role)
            .await
            .post_json(&path, body.clone())
            .await
            .assert_status(StatusCode::FORBIDDEN);
    }
    let mut provider = app.client();
    provider
        .login(&username, PASSWORD)
        .await
        .assert_status(StatusCode::OK);
    provider
        .post_json(&path, body)
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let mut admin = app.admin().await;
    assert_eq!(
        admin.get(&format!("/api/v1/providers/{id}")).await.json()["status"],
        "pending"
    );
}

#[tokio::test]
async fn an_unknown_decision_is_refused() {
    let app = TestApp::spawn().await;
    let (id, _) = app.register_provider().await;
    let mut admin = app.admin().await;
    admin
        .post_json(
            &format!("/api/v1/providers/{id}/decision"),
            json!({"decision": "approve"}),
        )
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_registration_form_shows_errors_beside_the_fields_and_keeps_what_was_typed() {
    let app = TestApp::spawn().await;
    let mut browser = app.client();
    let token = browser.page_csrf("/register/provider").await;
    let response = browser
        .post_form(
            "/register/provider",
            &[
                ("csrf_token", &token),
                ("kind", "charity"),
                ("name", "云阳县春苗助学会"),
                ("credit_code", "91350100M000100Y44"),
                ("contact_name", "赵先生"),
                ("contact_phone", "13912345678"),
                ("townships", "500235001"),
                ("description", "助学"),
                ("username", "chunmiao"),
                ("password", PASSWORD),
                ("password_confirm", "something else entirely"),
            ],
        )
        .await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text();
    assert!(html.contains("云阳县春苗助学会"), "typed name kept");
    assert!(html.contains("两次输入的密码不一致"));
    let ok = browser
        .post_form(
            "/register/provider",
            &[
                ("csrf_token", &token),
                ("kind", "charity"),
                ("name", "云阳县春苗助学会"),
                ("credit_code", "91350100M000100Y44"),
                ("contact_name", "赵先生"),
                ("contact_phone", "13912345678"),
                ("townships", "500235001"),
                ("townships", "500235002"),
                ("description", "助学"),
                ("username", "chunmiao"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    ok.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = ok.text();
    assert!(html.contains("校验位不正确"), "credit code error shown");
    assert!(
        html.contains("value=\"91350100M000100Y44\""),
        "typed code kept"
    );
    assert_eq!(
        ok.field_error("credit_code").as_deref(),
        Some("校验位不正确，请核对"),
        "error beside its field"
    );
    let good = credit_code_for("chunmiao");
    let done = browser
        .post_form(
            "/register/provider",
            &[
                ("csrf_token", &token),
                ("kind", "charity"),
                ("name", "云阳县春苗助学会"),
                ("credit_code", &good),
                ("contact_name", "赵先生"),
                ("contact_phone", "13912345678"),
                ("townships", "500235001"),
                ("townships", "500235002"),
                ("description", "助学"),
                ("username", "chunmiao"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    done.assert_status(StatusCode::SEE_OTHER);
    let mut admin = app.admin().await;
    let queue = admin.get("/api/v1/providers?status=pending").await.json();
    assert_eq!(
        queue["items"][0]["townships"],
        json!(["500235001", "500235002"])
    );
}

#[tokio::test]
async fn the_county_verifies_from_the_queue_page() {
    let app = TestApp::spawn().await;
    let (id, _) = app.register_provider().await;
    let mut admin = app.admin().await;
    let queue = admin.get("/providers?status=pending").await;
    queue.assert_status(StatusCode::OK);
    assert!(queue.text().contains(&format!("/providers/{id}")));
    let token = admin.page_csrf(&format!("/providers/{id}")).await;
    let response = admin
        .post_form(
            &format!("/providers/{id}/decision"),
            &[("csrf_token", &token), ("decision", "verify")],
        )
        .await;
    response.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        admin.get(&format!("/api/v1/providers/{id}")).await.json()["status"],
        "verified"
    );
}

#[tokio::test]
async fn a_verified_provider_can_be_suspended_with_a_reason_and_not_before() {
    let app = TestApp::spawn().await;
    let (id, _) = app.register_provider().await;
    let mut admin = app.admin().await;
    let path = format!("/api/v1/providers/{id}/decision");
    let early = admin
        .post_json(&path, json!({"decision": "suspend", "reason": "投诉核查"}))
        .await;
    early.assert_status(StatusCode::CONFLICT);
    admin
        .post_json(&path, json!({"decision": "verify"}))
        .await
        .assert_status(StatusCode::OK);
    admin
        .post_json(&path, json!({"decision": "suspend"}))
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let suspended = admin
        .post_json(
            &path,
            json!({"decision": "suspend", "reason": "投诉核查中"}),
        )
        .await;
    suspended.assert_status(StatusCode::OK);
    assert_eq!(suspended.json()["status"], "suspended");
    assert_eq!(suspended.json()["reason"], "投诉核查中");
}

#[tokio::test]
async fn a_registration_shows_every_error_at_once_each_naming_and_linking_its_field() {
    let app = TestApp::spawn().await;
    let mut browser = app.client();
    let token = browser.page_csrf("/register/provider").await;
    let response = browser
        .post_form(
            "/register/provider",
            &[
                ("csrf_token", &token),
                ("kind", ""),
                ("name", ""),
                ("contact_name", ""),
                ("contact_phone", "123"),
                ("description", "助学"),
                ("username", "chunmiao"),
                ("password", PASSWORD),
                ("password_confirm", "something else entirely"),
            ],
        )
        .await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text();
    for line in [
        r##"<a href="#kind">机构类型：请选择机构类型</a>"##,
        r##"<a href="#name">机构名称：此项为必填项</a>"##,
        r##"<a href="#contact_name">联系人：此项为必填项</a>"##,
        r##"<a href="#password_confirm">再次输入密码：两次输入的密码不一致</a>"##,
    ] {
        assert!(html.contains(line), "summary line {line} missing");
    }
    for field in ["contact_phone", "townships"] {
        assert!(
            html.contains(&format!("<a href=\"#{field}\">")),
            "{field} is in the summary too"
        );
    }
    assert_eq!(
        response.field_error("kind").as_deref(),
        Some("请选择机构类型")
    );
    assert!(!html.contains("未知的机构类型"));
}
