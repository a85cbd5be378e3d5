//! Helpers of the match tests: children with published needs, offers,
//! proposals and moves, named by intent.

use std::sync::atomic::{AtomicU32, Ordering};

use axum::http::StatusCode;
use carebridge::domain::Role;
use serde_json::{Value, json};

use crate::helpers::{
    PASSWORD, TOWNSHIP_A, TestApp, TestClient, TestResponse, VILLAGE_A, child_body, family_body,
    id_number_for, need_body, offer_body,
};

/// The child of most match tests: a name and ID number that must never
/// reach a provider or family.
pub const CHILD_NAME: &str = "欧阳晓梅";
pub const GUARDIAN_PHONE: &str = "13987654321";
/// The birth date (as written, see `helpers::birth_today`): 11 years old,
/// the 6–11 band.
pub const BIRTH: &str = "20150312";

/// ID sequence numbers, distinct across every child these helpers file.
static SEQ: AtomicU32 = AtomicU32::new(0);

/// Files a child in township A (village A) with a published need of
/// `category` and `quantity`; returns (need id, need code, ID number).
pub async fn child_with_need(
    officer: &mut TestClient,
    category: &str,
    quantity: i64,
) -> (String, String, String) {
    let seq = SEQ.fetch_add(1, Ordering::Relaxed) % 500;
    let id_number = id_number_for(BIRTH, seq, seq.is_multiple_of(2));
    let mut child = child_body(CHILD_NAME, &id_number, TOWNSHIP_A, VILLAGE_A);
    child["guardian_phone"] = json!(GUARDIAN_PHONE);
    let child_id = officer.create_child(child).await;
    let mut need = need_body(&child_id);
    need["category"] = json!(category);
    need["quantity"] = json!(quantity);
    let response = officer.post_json("/api/v1/needs", need).await;
    response.assert_status(StatusCode::CREATED);
    let id = response.json()["id"].as_str().expect("id").to_owned();
    let code = response.json()["code"].as_str().expect("code").to_owned();
    officer
        .post_json(&format!("/api/v1/needs/{id}/publish"), json!({}))
        .await
        .assert_status(StatusCode::OK);
    (id, code, id_number)
}

/// A tutoring need of one child in township A; returns (need id, code).
pub async fn tutoring_need(officer: &mut TestClient) -> (String, String) {
    let (id, code, _) = child_with_need(officer, "tutoring", 1).await;
    (id, code)
}

/// A tutoring offer for ages 6–14 in township A with `capacity` places.
pub async fn tutoring_offer(owner: &mut TestClient, capacity: i64) -> String {
    let mut body = offer_body(
        "tutoring",
        "四点半课堂课业辅导",
        "放学后辅导作业。",
        &[TOWNSHIP_A],
    );
    body["capacity"] = json!(capacity);
    owner.create_offer(body).await
}

/// A family in township A approved for `care_types`, logged in.
pub async fn family_caring_for(app: &TestApp, care_types: &[&str]) -> TestClient {
    use sea_orm::ConnectionTrait;
    let username = app.unique("household");
    let mut body = family_body(&username, TOWNSHIP_A);
    body["care_types"] = json!(care_types);
    let response = app.client().post_json("/api/v1/families", body).await;
    response.assert_status(StatusCode::CREATED);
    let id = response.json()["id"].as_str().expect("id").to_owned();
    app.db
        .execute_unprepared(&format!(
            "UPDATE families SET status = 'approved', approved_until = '{}' WHERE id = '{id}'",
            carebridge::domain::family::approval_ends(chrono::Local::now().date_naive())
        ))
        .await
        .expect("approve family");
    app.logged_in_with(&username, PASSWORD).await
}

/// `POST /api/v1/matches`.
pub async fn propose_raw(client: &mut TestClient, code: &str, offer: &str) -> TestResponse {
    client
        .post_json(
            "/api/v1/matches",
            json!({"need_code": code, "offer_id": offer, "note": "每周二、四下午可以开始"}),
        )
        .await
}

/// Proposes (or, for an officer, suggests) a match; returns its id.
pub async fn propose(client: &mut TestClient, code: &str, offer: &str) -> String {
    let response = propose_raw(client, code, offer).await;
    response.assert_status(StatusCode::CREATED);
    response.json()["id"].as_str().expect("id").to_owned()
}

/// `POST /api/v1/matches/{id}/{action}` with `body`.
pub async fn act(client: &mut TestClient, id: &str, action: &str, body: Value) -> TestResponse {
    client
        .post_json(&format!("/api/v1/matches/{id}/{action}"), body)
        .await
}

/// Approves, expecting 200; returns the match.
pub async fn approve(client: &mut TestClient, id: &str) -> Value {
    let response = act(client, id, "approve", json!({})).await;
    response.assert_status(StatusCode::OK);
    response.json()
}

/// The match as `client` sees it (200 expected).
pub async fn get_match(client: &mut TestClient, id: &str) -> Value {
    let response = client.get(&format!("/api/v1/matches/{id}")).await;
    response.assert_status(StatusCode::OK);
    response.json()
}

/// A need's status, as its township officer sees it.
pub async fn need_status(officer: &mut TestClient, need_id: &str) -> String {
    let response = officer.get(&format!("/api/v1/needs/{need_id}")).await;
    response.assert_status(StatusCode::OK);
    response.json()["status"]
        .as_str()
        .expect("status")
        .to_owned()
}

/// The places an offer has left (public).
pub async fn remaining(app: &TestApp, offer: &str) -> i64 {
    let response = app.client().get(&format!("/api/v1/offers/{offer}")).await;
    response.assert_status(StatusCode::OK);
    response.json()["remaining"].as_i64().expect("remaining")
}

/// An officer of township A, a verified provider with a tutoring offer of
/// `capacity` places, and one published tutoring need.
pub struct Scene {
    pub officer: TestClient,
    pub provider: TestClient,
    pub offer: String,
    pub need_id: String,
    pub code: String,
    pub id_number: String,
}

impl Scene {
    pub async fn new(app: &TestApp, capacity: i64) -> Scene {
        let mut officer = app.login_as(Role::TownshipOfficer).await;
        let mut provider = app.verified_provider().await;
        let offer = tutoring_offer(&mut provider, capacity).await;
        let (need_id, code, id_number) = child_with_need(&mut officer, "tutoring", 1).await;
        Scene {
            officer,
            provider,
            offer,
            need_id,
            code,
            id_number,
        }
    }

    /// The provider's proposal on the scene's need.
    pub async fn proposal(&mut self) -> String {
        propose(&mut self.provider, &self.code, &self.offer).await
    }

    /// A proposal the officer approved.
    pub async fn approved(&mut self) -> String {
        let id = self.proposal().await;
        approve(&mut self.officer, &id).await;
        id
    }
}

/// Asserts the 409 of an illegal move naming the state.
#[track_caller]
pub fn assert_state_conflict(response: &TestResponse, status: &str) {
    response.assert_status(StatusCode::CONFLICT);
    let body = response.json();
    assert_eq!(body["error"]["code"], "conflict", "{body}");
    assert_eq!(body["error"]["details"]["status"], status, "{body}");
}
