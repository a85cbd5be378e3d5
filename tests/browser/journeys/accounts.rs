//! Accounts a journey needs but does not create through its pages.

use axum::http::StatusCode;
use carebridge::domain::Role;
use serde_json::json;

use crate::Site;
use crate::helpers::credit_code_for;
use crate::helpers::{PASSWORD, TOWNSHIP_A, VILLAGE_A};

/// Creates a staff account `username` of `role` (township A, village A)
/// through the county administrator's API.
pub async fn staff(site: &Site, username: &str, role: Role) {
    let mut admin = site.app.admin().await;
    let body = match role {
        Role::TownshipOfficer => {
            json!({"username": username, "password": PASSWORD, "role": role.as_str(), "township": TOWNSHIP_A})
        }
        _ => {
            json!({"username": username, "password": PASSWORD, "role": role.as_str(), "village": VILLAGE_A})
        }
    };
    admin
        .post_json("/api/v1/users", body)
        .await
        .assert_status(StatusCode::CREATED);
}

/// Registers a provider `username` through the API and has the county
/// verify it; returns its logged-in API client.
pub async fn verified_provider(site: &Site, username: &str) -> crate::helpers::TestClient {
    let mut body = crate::helpers::provider_body(username);
    body["credit_code"] = json!(credit_code_for(username));
    let response = site.app.client().post_json("/api/v1/providers", body).await;
    response.assert_status(StatusCode::CREATED);
    let id = response.json()["id"].as_str().expect("id").to_owned();
    site.app
        .admin()
        .await
        .post_json(
            &format!("/api/v1/providers/{id}/decision"),
            json!({"decision": "verify"}),
        )
        .await
        .assert_status(StatusCode::OK);
    site.app.logged_in(username).await
}
