//! Scope: staff reach their own township; everything else is 404.

use axum::http::StatusCode;
use carebridge::domain::Role;

use crate::helpers::{TOWNSHIP_A, TOWNSHIP_B, TestApp};

#[tokio::test]
async fn a_township_officer_gets_404_for_a_record_of_another_township() {
    let app = TestApp::spawn().await;
    let (in_b, _) = app.apply_family(TOWNSHIP_B).await;
    let (in_a, _) = app.apply_family(TOWNSHIP_A).await;
    let mut officer_a = app
        .login_staff(Role::TownshipOfficer, Some(TOWNSHIP_A), None)
        .await;
    let foreign = officer_a.get(&format!("/api/v1/families/{in_b}")).await;
    foreign.assert_status(StatusCode::NOT_FOUND);
    let absent = officer_a
        .get("/api/v1/families/00000000-0000-0000-0000-000000000000")
        .await;
    absent.assert_status(StatusCode::NOT_FOUND);
    assert_eq!(
        foreign.body_without_request_id(),
        absent.body_without_request_id(),
        "a foreign record looks exactly like an absent one"
    );
    officer_a
        .get(&format!("/api/v1/families/{in_a}"))
        .await
        .assert_status(StatusCode::OK);
    let page = officer_a.get(&format!("/families/{in_b}")).await;
    page.assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn lists_hold_only_the_officers_township() {
    let app = TestApp::spawn().await;
    app.apply_family(TOWNSHIP_A).await;
    app.apply_family(TOWNSHIP_B).await;
    app.apply_family(TOWNSHIP_B).await;
    let mut officer_a = app
        .login_staff(Role::TownshipOfficer, Some(TOWNSHIP_A), None)
        .await;
    let list = officer_a.get("/api/v1/families").await.json();
    assert_eq!(list["total"], 1);
    assert!(
        list["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|f| f["township"] == TOWNSHIP_A)
    );
    let mut county = app.admin().await;
    assert_eq!(county.get("/api/v1/families").await.json()["total"], 3);
}

#[tokio::test]
async fn village_supervisors_and_providers_do_not_reach_family_files() {
    let app = TestApp::spawn().await;
    let (in_a, _) = app.apply_family(TOWNSHIP_A).await;
    let mut supervisor = app.login_as(Role::VillageSupervisor).await;
    supervisor
        .get(&format!("/api/v1/families/{in_a}"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let (_, provider_name) = app.register_provider().await;
    let mut provider = app.client();
    provider
        .login(&provider_name, crate::helpers::PASSWORD)
        .await
        .assert_status(StatusCode::OK);
    provider
        .get(&format!("/api/v1/families/{in_a}"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_provider_sees_only_its_own_organisation() {
    let app = TestApp::spawn().await;
    let (first, _) = app.register_provider().await;
    let (_, second_user) = app.register_provider().await;
    let mut second = app.client();
    second
        .login(&second_user, crate::helpers::PASSWORD)
        .await
        .assert_status(StatusCode::OK);
    second
        .get(&format!("/api/v1/providers/{first}"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    second
        .get("/api/v1/providers")
        .await
        .assert_status(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn township_officers_see_providers_serving_their_township_only() {
    let app = TestApp::spawn().await;
    app.register_provider().await; // serves A and B
    let mut officer = app
        .login_staff(Role::TownshipOfficer, Some("500235103"), None)
        .await;
    assert_eq!(officer.get("/api/v1/providers").await.json()["total"], 0);
    let mut officer_a = app
        .login_staff(Role::TownshipOfficer, Some(TOWNSHIP_A), None)
        .await;
    assert_eq!(officer_a.get("/api/v1/providers").await.json()["total"], 1);
}
