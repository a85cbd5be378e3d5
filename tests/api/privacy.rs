//! No public surface leaks a child's identity, staff reach files only in
//! their scope, and every read of a vault field is audited.

use axum::http::StatusCode;
use carebridge::domain::Role;
use serde_json::json;

use crate::helpers::{
    TOWNSHIP_A, TOWNSHIP_B, TestApp, TestClient, TestResponse, VILLAGE_A, child_body,
    id_number_for, need_body,
};

const NAME: &str = "司马思远";
const GUARDIAN: &str = "司马建国";
const PHONE: &str = "13811112222";
const BIRTH: &str = "20150312";

/// Asserts that `response` has the `expected` status and none of the
/// child's identity: a refusal must not repeat it either.
#[track_caller]
fn assert_no_identity(response: &TestResponse, expected: StatusCode, id_number: &str, what: &str) {
    assert_eq!(response.status, expected, "{what}: {}", response.text());
    let text = response.text();
    for secret in [
        NAME,
        "思远",
        GUARDIAN,
        PHONE,
        id_number,
        &crate::helpers::birth_of(id_number).0,
        &crate::helpers::birth_of(id_number).1,
        "红旗",
        "滨江路",
    ] {
        assert!(!text.contains(secret), "{what} shows {secret}: {text}");
    }
}

async fn published_distinctive_need(app: &TestApp) -> (TestClient, String, String, String) {
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let id_number = id_number_for(BIRTH, 99, true);
    let mut body = child_body(NAME, &id_number, TOWNSHIP_A, VILLAGE_A);
    body["guardian_name"] = json!(GUARDIAN);
    body["guardian_phone"] = json!(PHONE);
    let child = officer.create_child(body).await;
    let (_, code) = officer.publish_need(&child).await;
    (officer, child, code, id_number)
}

#[tokio::test]
async fn no_public_answer_contains_the_childs_identity() {
    let app = TestApp::spawn().await;
    let (_, child, code, id_number) = published_distinctive_need(&app).await;
    app.index_now().await;
    let mut provider = app.verified_provider().await;
    let mut family = app.approved_family(TOWNSHIP_A).await;
    for client in [&mut provider, &mut family] {
        // Needs are shown; a file is not found and the file list refused.
        for (path, expected) in [
            (format!("/api/v1/needs/{code}"), StatusCode::OK),
            ("/api/v1/needs".to_owned(), StatusCode::OK),
            ("/api/v1/needs?category=tutoring".to_owned(), StatusCode::OK),
            (
                format!("/api/v1/needs?township={TOWNSHIP_A}"),
                StatusCode::OK,
            ),
            (format!("/api/v1/children/{child}"), StatusCode::NOT_FOUND),
            (
                format!("/api/v1/children/{child}/visits"),
                StatusCode::NOT_FOUND,
            ),
            ("/api/v1/children".to_owned(), StatusCode::FORBIDDEN),
            ("/".to_owned(), StatusCode::OK),
            ("/needs".to_owned(), StatusCode::OK),
            (format!("/needs/{code}"), StatusCode::OK),
            (
                format!("/needs?township={TOWNSHIP_A}&category=tutoring"),
                StatusCode::OK,
            ),
            (format!("/children/{child}"), StatusCode::NOT_FOUND),
            ("/children".to_owned(), StatusCode::FORBIDDEN),
        ] {
            let response = client.get(&path).await;
            assert_no_identity(&response, expected, &id_number, &path);
        }
        let search = client
            .post_json("/api/v1/children/search", json!({"q": NAME}))
            .await;
        assert_no_identity(&search, StatusCode::FORBIDDEN, &id_number, "search");
    }
    let listed = provider.get("/api/v1/needs").await;
    assert_eq!(
        listed.json()["items"][0]["code"],
        code.as_str(),
        "the need is listed"
    );
}

#[tokio::test]
async fn staff_reach_files_only_in_their_scope() {
    let app = TestApp::spawn().await;
    let (officer, child, _, _) = published_distinctive_need(&app).await;
    let file = format!("/api/v1/children/{child}");
    let visits = format!("{file}/visits");
    let mut allowed = vec![
        officer.clone(),
        app.login_as(Role::CountyAdmin).await,
        app.login_as(Role::VillageSupervisor).await,
    ];
    for client in &mut allowed {
        client.get(&file).await.assert_status(StatusCode::OK);
        client.get(&visits).await.assert_status(StatusCode::OK);
    }
    let officer_b = app
        .login_staff(Role::TownshipOfficer, Some(TOWNSHIP_B), None)
        .await;
    let neighbour = app
        .login_staff(Role::VillageSupervisor, None, Some("500235001202"))
        .await;
    let provider = app.verified_provider().await;
    let family = app.approved_family(TOWNSHIP_A).await;
    let mut outsiders = vec![officer_b, neighbour, provider, family];
    let absent = {
        let mut c = officer.clone();
        c.get("/api/v1/children/00000000-0000-0000-0000-000000000000")
            .await
            .body_without_request_id()
    };
    for client in &mut outsiders {
        let response = client.get(&file).await;
        response.assert_status(StatusCode::NOT_FOUND);
        assert_eq!(
            response.body_without_request_id(),
            absent,
            "same answer as for no file at all"
        );
        client
            .get(&visits)
            .await
            .assert_status(StatusCode::NOT_FOUND);
        let change = client
            .patch_json(&file, json!({"school": "别处小学"}))
            .await;
        assert!(
            change.status == StatusCode::NOT_FOUND || change.status == StatusCode::FORBIDDEN,
            "{}",
            change.status
        );
        let visit = client
            .post_json(
                &visits,
                json!({"visited_on": "2026-11-01", "summary": "走访"}),
            )
            .await;
        assert!(visit.status == StatusCode::NOT_FOUND || visit.status == StatusCode::FORBIDDEN);
        let need = client.post_json("/api/v1/needs", need_body(&child)).await;
        assert!(
            need.status == StatusCode::UNPROCESSABLE_ENTITY || need.status == StatusCode::FORBIDDEN,
            "{}",
            need.status
        );
    }
    // Lists: staff see their own scope; others are refused.
    let mut officer_b = outsiders.remove(0);
    assert_eq!(officer_b.get("/api/v1/children").await.json()["total"], 0);
    let mut neighbour = outsiders.remove(0);
    assert_eq!(neighbour.get("/api/v1/children").await.json()["total"], 0);
    for client in &mut outsiders {
        client
            .get("/api/v1/children")
            .await
            .assert_status(StatusCode::FORBIDDEN);
    }
    app.client()
        .get(&file)
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn every_read_of_a_vault_field_is_audited() {
    let app = TestApp::spawn().await;
    let (mut officer, child, _, _) = published_distinctive_need(&app).await;
    officer.get(&format!("/api/v1/children/{child}")).await;
    officer
        .get(&format!(
            "/api/v1/children/{child}?reveal=name,guardian_phone"
        ))
        .await;
    officer.get("/api/v1/children").await;
    officer
        .post_json("/api/v1/children/search", json!({"q": "思远"}))
        .await;

    let viewed = app.audit_entries("child.view").await;
    assert_eq!(viewed.len(), 1);
    assert_eq!(viewed[0]["target"], format!("child:{child}"));
    assert!(
        viewed[0]["detail"]
            .as_str()
            .expect("detail")
            .contains("masked: name,id_number")
    );
    assert!(
        viewed[0]["actor"]
            .as_str()
            .expect("actor")
            .starts_with("township")
    );
    let revealed = app.audit_entries("child.reveal").await;
    assert_eq!(revealed.len(), 1);
    let detail = revealed[0]["detail"].as_str().expect("detail");
    assert!(
        detail.starts_with("revealed: name,guardian_phone;"),
        "{detail}"
    );
    assert_eq!(revealed[0]["target"], format!("child:{child}"));
    let listed = app.audit_entries("child.list").await;
    assert_eq!(listed.len(), 1);
    assert!(
        listed[0]["detail"]
            .as_str()
            .expect("detail")
            .contains("masked: name")
    );
    let searched = app.audit_entries("child.search").await;
    assert_eq!(searched.len(), 1);
    let detail = searched[0]["detail"].as_str().expect("detail");
    assert!(detail.contains("names compared: 1"), "{detail}");
    assert!(!detail.contains("思远"), "the query is not kept: {detail}");
}
