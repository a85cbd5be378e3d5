//! The report pages: the public form and its receipt without a login, the
//! lookup, the officer's queue and report page with its step forms.

use axum::http::StatusCode;
use carebridge::domain::Role;

use crate::helpers::{TOWNSHIP_A, TestApp};
use crate::reports::{file, id_of, report_body};

#[tokio::test]
async fn anyone_files_a_report_from_the_form_and_sees_the_reference_once() {
    let app = TestApp::spawn().await;
    let mut browser = app.client();
    let form = browser.get("/report").await;
    form.assert_status(StatusCode::OK);
    let html = form.text();
    assert!(html.contains("110") && html.contains("12355") && html.contains("12338"));
    let token = browser.page_csrf("/report").await;

    // Without the token: refused, nothing stored.
    browser
        .post_form(
            "/report",
            &[("township", TOWNSHIP_A), ("description", "孩子无人照看")],
        )
        .await
        .assert_status(StatusCode::FORBIDDEN);
    // A problem is shown beside its field with everything typed kept.
    let long = "伤".repeat(2001);
    let refused = browser
        .post_form(
            "/report",
            &[
                ("csrf_token", &token),
                ("township", TOWNSHIP_A),
                ("description", &long),
                ("reporter_contact", "13800001111"),
            ],
        )
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text();
    assert!(html.contains("不能超过2000个字"));
    assert!(html.contains("13800001111"), "what was typed is kept");

    let filed = browser
        .post_form(
            "/report",
            &[
                ("csrf_token", &token),
                ("township", TOWNSHIP_A),
                ("description", "孩子身上有伤，一个人在家"),
                ("urgent", "true"),
                ("reporter_kind", "school"),
            ],
        )
        .await;
    filed.assert_status(StatusCode::SEE_OTHER);
    let location = filed.headers.get("location").and_then(|v| v.to_str().ok());
    assert_eq!(location, Some("/report/filed"));
    let receipt = browser.get("/report/filed").await;
    receipt.assert_status(StatusCode::OK);
    let html = receipt.text();
    let start = html.find("BG-").expect("reference shown");
    let reference = html[start..start + 14].to_owned();
    assert!(html.contains("查询码"));
    // Shown once.
    let again = browser.get("/report/filed").await;
    again.assert_status(StatusCode::SEE_OTHER);

    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let id = id_of(&mut officer, &reference).await;
    let queue = officer.get("/reports").await;
    queue.assert_status(StatusCode::OK);
    assert!(queue.text().contains(&reference));
    assert!(queue.text().contains("紧急"));
    let page = officer.get(&format!("/reports/{id}")).await;
    page.assert_status(StatusCode::OK);
    let html = page.text();
    assert!(html.contains("孩子身上有伤，一个人在家"));
    assert!(html.contains("我来受理"));
    assert!(html.contains("审计日志"));
}

#[tokio::test]
async fn the_lookup_page_shows_the_stage_and_one_answer_for_any_mismatch() {
    let app = TestApp::spawn().await;
    let (reference, code) = file(&app, report_body(TOWNSHIP_A, false, "孩子辍学")).await;
    let mut browser = app.client();
    let token = browser.page_csrf("/report/status").await;
    let found = browser
        .post_form(
            "/report/status",
            &[
                ("csrf_token", &token),
                ("reference", &reference),
                ("lookup_code", &code),
            ],
        )
        .await;
    found.assert_status(StatusCode::OK);
    assert!(found.text().contains("已收到"));
    assert!(!found.text().contains("孩子辍学"), "never the content");
    let wrong = browser
        .post_form(
            "/report/status",
            &[
                ("csrf_token", &token),
                ("reference", &reference),
                ("lookup_code", "ZZZZZZZZZZZZ"),
            ],
        )
        .await;
    wrong.assert_status(StatusCode::NOT_FOUND);
    let unknown = browser
        .post_form(
            "/report/status",
            &[
                ("csrf_token", &token),
                ("reference", "BG-2026-999999"),
                ("lookup_code", &code),
            ],
        )
        .await;
    unknown.assert_status(StatusCode::NOT_FOUND);
    assert!(wrong.text().contains("报告编号或查询码不正确"));
    assert!(unknown.text().contains("报告编号或查询码不正确"));
}

#[tokio::test]
async fn the_officer_takes_and_answers_a_report_through_its_page() {
    let app = TestApp::spawn().await;
    let (reference, _) = file(&app, report_body(TOWNSHIP_A, true, "孩子被锁在家里")).await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let id = id_of(&mut officer, &reference).await;
    let token = officer.page_csrf(&format!("/reports/{id}")).await;
    let taken = officer
        .post_form(&format!("/reports/{id}/assign"), &[("csrf_token", &token)])
        .await;
    taken.assert_status(StatusCode::SEE_OTHER);
    let page = officer.get(&format!("/reports/{id}")).await.text();
    assert!(page.contains("已受理"));
    assert!(page.contains("记录首次响应"));
    // A refused form keeps what was typed and names the field.
    let refused = officer
        .post_form(
            &format!("/reports/{id}/respond"),
            &[
                ("csrf_token", &token),
                ("findings", "已到现场"),
                ("responded_at", "明天"),
            ],
        )
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text();
    assert!(html.contains("已到现场"));
    assert!(html.contains("时间格式不对"));
    let done = officer
        .post_form(
            &format!("/reports/{id}/respond"),
            &[
                ("csrf_token", &token),
                ("responders", "民政干部"),
                ("findings", "已到现场，孩子安全"),
            ],
        )
        .await;
    done.assert_status(StatusCode::SEE_OTHER);
    // A step the state no longer allows comes back as a message.
    let stale = officer
        .post_form(&format!("/reports/{id}/assign"), &[("csrf_token", &token)])
        .await;
    stale.assert_status(StatusCode::SEE_OTHER);
    let page = officer.get(&format!("/reports/{id}")).await.text();
    assert!(page.contains("不能受理"), "the refusal is shown");
    assert!(page.contains("记录评估"));
    let detail = officer.get(&format!("/api/v1/reports/{id}")).await.json();
    assert_eq!(detail["status"], "assessing");

    // The county sees every township's counts.
    let mut admin = app.admin().await;
    let county = admin.get("/reports").await;
    county.assert_status(StatusCode::OK);
    assert!(county.text().contains("各乡镇"));
}
