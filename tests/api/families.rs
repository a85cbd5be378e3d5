//! Caring-family applications.

use axum::http::StatusCode;
use serde_json::json;

use crate::helpers::{PASSWORD, TOWNSHIP_A, TestApp, family_body};

#[tokio::test]
async fn a_family_applies_and_follows_its_status() {
    let app = TestApp::spawn().await;
    let response = app
        .client()
        .post_json("/api/v1/families", family_body("liufamily", TOWNSHIP_A))
        .await;
    response.assert_status(StatusCode::CREATED);
    assert_eq!(response.json()["status"], "submitted");
    let id = response.json()["id"].as_str().expect("id").to_owned();
    let mut family = app.client();
    family
        .login("liufamily", PASSWORD)
        .await
        .assert_status(StatusCode::OK);
    let own = family.get(&format!("/api/v1/families/{id}")).await;
    own.assert_status(StatusCode::OK);
    assert_eq!(own.json()["status"], "submitted");
    assert_eq!(own.json()["care_types"], json!(["sponsorship"]));
    let home = family.get("/").await;
    assert!(home.text().contains("待走访评估"));
    assert!(
        home.text().contains("上门走访评估"),
        "the family learns what comes next"
    );
}

#[tokio::test]
async fn invalid_applications_name_each_field() {
    let app = TestApp::spawn().await;
    let mut body = family_body("badfamily", TOWNSHIP_A);
    body["members"] = json!(0);
    body["care_types"] = json!(["adoption"]);
    body["township"] = json!("999999999");
    body["contact_phone"] = json!("call me");
    let response = app.client().post_json("/api/v1/families", body).await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let fields = response.error_fields();
    for field in ["members", "care_types", "township", "contact_phone"] {
        assert!(
            fields.contains(&field.to_owned()),
            "{field} missing from {fields:?}"
        );
    }
}

#[tokio::test]
async fn a_wrong_type_is_refused_without_a_server_error() {
    let app = TestApp::spawn().await;
    let mut body = family_body("typefamily", TOWNSHIP_A);
    body["members"] = json!("three");
    app.client()
        .post_json("/api/v1/families", body)
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_family_cannot_see_another_familys_application() {
    let app = TestApp::spawn().await;
    let (other, _) = app.apply_family(TOWNSHIP_A).await;
    let (_, username) = app.apply_family(TOWNSHIP_A).await;
    let mut family = app.client();
    family
        .login(&username, PASSWORD)
        .await
        .assert_status(StatusCode::OK);
    family
        .get(&format!("/api/v1/families/{other}"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    family
        .get("/api/v1/families")
        .await
        .assert_status(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_application_form_keeps_what_was_typed() {
    let app = TestApp::spawn().await;
    let mut browser = app.client();
    let token = browser.page_csrf("/register/family").await;
    let response = browser
        .post_form(
            "/register/family",
            &[
                ("csrf_token", &token),
                ("household_name", "周家"),
                ("township", TOWNSHIP_A),
                ("members", "25"),
                ("housing", "两室一厅"),
                ("contact_phone", "13700001111"),
                ("care_types", "foster_care"),
                ("username", "zhoufamily"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text();
    assert!(html.contains("value=\"周家\""));
    assert!(html.contains("家庭人口应为1至20人"));
    assert!(html.contains("value=\"foster_care\" checked"));
}

#[tokio::test]
async fn an_application_with_mismatched_passwords_still_shows_every_other_error() {
    let app = TestApp::spawn().await;
    let mut browser = app.client();
    let token = browser.page_csrf("/register/family").await;
    let response = browser
        .post_form(
            "/register/family",
            &[
                ("csrf_token", &token),
                ("household_name", ""),
                ("township", ""),
                ("members", ""),
                ("housing", "两室一厅"),
                ("contact_phone", "13700001111"),
                ("care_types", "foster_care"),
                ("username", "zhoufamily"),
                ("password", PASSWORD),
                ("password_confirm", "not the same"),
            ],
        )
        .await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text();
    for line in [
        r##"<a href="#household_name">家庭称呼：此项为必填项</a>"##,
        r##"<a href="#township">所在乡镇（街道）：请选择家庭所在的乡镇（街道）</a>"##,
        r##"<a href="#members">家庭常住人口：家庭人口应为1至20人</a>"##,
        r##"<a href="#password_confirm">再次输入密码：两次输入的密码不一致</a>"##,
    ] {
        assert!(html.contains(line), "summary line {line} missing");
    }
    assert!(html.contains("提交的内容有 4 处需要修改"));
}
