//! The match pages: proposing from the offer and need pages, the list and
//! the page of a match with the forms of the viewer's moves, refused forms
//! shown again with what was typed, and the navigation.

use axum::http::{StatusCode, header};
use carebridge::domain::Role;

use crate::helpers::{TestApp, TestClient, TestResponse};
use crate::match_helpers::{CHILD_NAME, Scene, get_match};

fn location(response: &TestResponse) -> String {
    response
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

/// Posts a form of the page at `page` (taking its CSRF token) to `path`.
async fn submit(
    client: &mut TestClient,
    page: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> TestResponse {
    let csrf = client.page_csrf(page).await;
    let mut all = vec![("csrf_token", csrf.as_str())];
    all.extend_from_slice(fields);
    client.post_form(path, &all).await
}

#[tokio::test]
async fn an_owner_proposes_from_the_offer_page_and_the_officer_approves_on_the_match_page() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 10).await;
    let mut provider = scene.provider.clone();
    let offer_page = provider.get(&format!("/offers/{}", scene.offer)).await;
    let html = offer_page.text();
    assert!(
        html.contains("action=\"/matches\""),
        "the offer page carries the proposal form"
    );
    assert!(html.contains("name=\"need_code\""));

    let offer_path = format!("/offers/{}", scene.offer);
    let created = submit(
        &mut provider,
        &offer_path,
        "/matches",
        &[
            ("offer_id", &scene.offer),
            ("need_code", &scene.code),
            ("note", "每周二、四下午"),
        ],
    )
    .await;
    created.assert_status(StatusCode::SEE_OTHER);
    let at = location(&created);
    assert!(at.starts_with("/matches/"), "{at}");
    let page = provider.get(&at).await;
    page.assert_status(StatusCode::OK);
    let html = page.text();
    assert!(html.contains("已提出对接"), "flash message");
    assert!(html.contains("待乡镇审批"));
    assert!(html.contains("/withdraw"), "the owner may withdraw");
    assert!(!html.contains("/approve\""), "but not approve");

    let mut officer = scene.officer.clone();
    let list = officer.get("/matches").await;
    assert!(
        list.text().contains(&at),
        "the officer's list links the match"
    );
    let approve_path = format!("{at}/approve");
    let done = submit(
        &mut officer,
        &at,
        &approve_path,
        &[
            ("note", "同意"),
            ("handover_note", "请到青龙街道民政办交接。"),
        ],
    )
    .await;
    done.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(location(&done), at);
    let html = officer.get(&at).await.text();
    assert!(html.contains("对接已批准"));
    assert!(html.contains("已批准"));
    assert!(html.contains("请到青龙街道民政办交接。"));
    let id = at.trim_start_matches("/matches/");
    assert_eq!(
        get_match(&mut scene.provider, id).await["status"],
        "approved"
    );
}

#[tokio::test]
async fn the_officer_suggests_an_offer_from_the_need_page() {
    let app = TestApp::spawn().await;
    let scene = Scene::new(&app, 10).await;
    let mut officer = scene.officer.clone();
    let need_page = format!("/needs/{}", scene.need_id);
    let html = officer.get(&need_page).await.text();
    assert!(
        html.contains("name=\"offer_id\""),
        "the need page carries the form"
    );
    let created = submit(
        &mut officer,
        &need_page,
        "/matches",
        &[("need_code", &scene.code), ("offer_id", &scene.offer)],
    )
    .await;
    created.assert_status(StatusCode::SEE_OTHER);
    let at = location(&created);
    let mut provider = scene.provider.clone();
    let html = provider.get(&at).await.text();
    assert!(html.contains("待服务方确认"));
    assert!(html.contains("接受推荐"));
    let accepted = submit(&mut provider, &at, &format!("{at}/accept"), &[]).await;
    accepted.assert_status(StatusCode::SEE_OTHER);
    assert!(provider.get(&at).await.text().contains("待乡镇审批"));
}

#[tokio::test]
async fn a_refused_form_comes_back_with_what_was_typed_and_the_error_beside_it() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 10).await;
    let mut provider = scene.provider.clone();
    let offer_path = format!("/offers/{}", scene.offer);
    let wrong = submit(
        &mut provider,
        &offer_path,
        "/matches",
        &[
            ("offer_id", &scene.offer),
            ("need_code", "XQ0000000000"),
            ("note", "备注原文"),
        ],
    )
    .await;
    wrong.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = wrong.text();
    assert!(html.contains("没有找到该需求"));
    assert!(html.contains("XQ0000000000"), "the code typed");
    assert!(html.contains("备注原文"), "the note typed");

    let id = scene.proposal().await;
    let at = format!("/matches/{id}");
    let mut officer = scene.officer.clone();
    let empty = submit(
        &mut officer,
        &at,
        &format!("{at}/reject"),
        &[("reason", " ")],
    )
    .await;
    empty.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = empty.text();
    assert!(html.contains("此项为必填项"));
    assert_eq!(
        empty.field_error("reject-reason").as_deref(),
        Some("此项为必填项"),
        "beside the reject form's field"
    );

    let named = submit(
        &mut officer,
        &at,
        &format!("{at}/reject"),
        &[("reason", &format!("{CHILD_NAME}已有人辅导"))],
    )
    .await;
    named.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = named.text();
    assert!(html.contains("可识别儿童身份"), "the finding is explained");
    assert!(html.contains("姓名"));
    assert_eq!(
        get_match(&mut scene.officer, &id).await["status"],
        "proposed"
    );
}

#[tokio::test]
async fn a_move_the_state_no_longer_allows_comes_back_as_a_message() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 10).await;
    let id = scene.approved().await;
    let at = format!("/matches/{id}");
    let mut provider = scene.provider.clone();
    let stale = submit(&mut provider, &at, &format!("{at}/withdraw"), &[]).await;
    stale.assert_status(StatusCode::SEE_OTHER);
    let html = provider.get(&at).await.text();
    assert!(html.contains("未能办理"), "{html}");
    assert!(html.contains("已批准"));
    let unknown = submit(&mut provider, &at, &format!("{at}/teleport"), &[]).await;
    unknown.assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_navigation_links_matches_for_those_who_have_them() {
    let app = TestApp::spawn().await;
    let mut provider = app.verified_provider().await;
    assert!(provider.get("/").await.text().contains("href=\"/matches\""));
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    assert!(officer.get("/").await.text().contains("href=\"/matches\""));
    let mut supervisor = app.login_as(Role::VillageSupervisor).await;
    supervisor
        .get("/")
        .await
        .assert_ok_without(&["href=\"/matches\""]);
    supervisor
        .get("/matches")
        .await
        .assert_status(StatusCode::FORBIDDEN);
}
