//! Logging in and out, sessions, throttling and account rules.

use axum::http::{StatusCode, header};
use carebridge::domain::Role;
use serde_json::json;

use crate::helpers::{ADMIN, PASSWORD, TestApp};

#[tokio::test]
async fn login_returns_the_user_and_a_csrf_token() {
    let app = TestApp::spawn().await;
    app.seed_admin().await;
    let mut client = app.client();
    let response = client.login(ADMIN, PASSWORD).await;
    response.assert_status(StatusCode::OK);
    let body = response.json();
    assert_eq!(body["user"]["username"], ADMIN);
    assert_eq!(body["user"]["role"], "county_admin");
    assert!(body["csrf_token"].as_str().is_some_and(|t| t.len() >= 32));
    let cookie = response
        .headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    client.get("/api/v1/me").await.assert_status(StatusCode::OK);
}

#[tokio::test]
async fn unknown_user_and_wrong_password_answer_the_same() {
    let app = TestApp::spawn().await;
    app.seed_admin().await;
    let wrong = app.client().login(ADMIN, "not the password at all").await;
    let unknown = app
        .client()
        .login("nobody_here", "not the password at all")
        .await;
    wrong.assert_status(StatusCode::UNAUTHORIZED);
    unknown.assert_status(StatusCode::UNAUTHORIZED);
    assert_eq!(
        wrong.body_without_request_id(),
        unknown.body_without_request_id()
    );
}

#[tokio::test]
async fn the_session_id_changes_at_login() {
    let app = TestApp::spawn().await;
    app.seed_admin().await;
    let mut client = app.client();
    let token = client.page_csrf("/login").await;
    let before = client
        .cookie
        .clone()
        .expect("the login page starts a session");
    let response = client
        .post_form(
            "/login",
            &[
                ("csrf_token", &token),
                ("username", ADMIN),
                ("password", PASSWORD),
            ],
        )
        .await;
    response.assert_status(StatusCode::SEE_OTHER);
    let after = client.cookie.clone().expect("logged in");
    assert_ne!(before, after);
    // The planted id is worthless now.
    let mut planted = app.client();
    planted.cookie = Some(before);
    planted
        .get("/api/v1/me")
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    client.get("/api/v1/me").await.assert_status(StatusCode::OK);
}

#[tokio::test]
async fn after_logout_the_old_cookie_no_longer_works() {
    let app = TestApp::spawn().await;
    let mut client = app.admin().await;
    let old = client.clone();
    client
        .delete("/api/v1/session")
        .await
        .assert_status(StatusCode::NO_CONTENT);
    let mut replay = old;
    replay
        .get("/api/v1/me")
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    replay
        .get("/api/v1/users")
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sessions_are_stored_in_the_database_and_survive_a_new_router() {
    let app = TestApp::spawn().await;
    let client = app.admin().await;
    let restarted = carebridge::app::router(
        app.prepared.clone(),
        app.search.clone(),
        app.settings.clone(),
    );
    let mut same_cookie = client.clone();
    same_cookie.router = restarted;
    same_cookie
        .get("/api/v1/me")
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn repeated_failures_for_one_account_are_throttled_with_retry_after() {
    let app = TestApp::spawn().await;
    app.seed_admin().await;
    for _ in 0..5 {
        app.client()
            .login(ADMIN, "wrong password 123")
            .await
            .assert_status(StatusCode::UNAUTHORIZED);
    }
    let throttled = app.client().login(ADMIN, PASSWORD).await;
    throttled.assert_status(StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = throttled
        .headers
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!(retry > 0 && retry <= 15 * 60);
    assert_eq!(throttled.json()["error"]["code"], "throttled");
}

#[tokio::test]
async fn repeated_failures_from_one_address_slow_new_accounts_there_for_a_short_wait() {
    let app = TestApp::spawn().await;
    app.seed_admin().await;
    for i in 0..20 {
        app.client()
            .login(&format!("guess{i}"), "wrong password 123")
            .await
            .assert_status(StatusCode::UNAUTHORIZED);
    }
    // The admin never logged in from this address: slowed, for a moment.
    let slowed = app.client().login(ADMIN, PASSWORD).await;
    slowed.assert_status(StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = slowed
        .headers
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!(retry <= 60, "a slowdown, not a lockout: {retry} s");
    let mut elsewhere = app.client();
    elsewhere.addr = "198.51.100.7".parse().expect("address");
    elsewhere
        .login(ADMIN, PASSWORD)
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions_at_once() {
    let app = TestApp::spawn().await;
    let mut admin = app.admin().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let me = officer.get("/api/v1/me").await;
    me.assert_status(StatusCode::OK);
    let id = me.json()["id"].as_str().expect("id").to_owned();
    let username = me.json()["username"].as_str().expect("username").to_owned();
    admin
        .post_json(&format!("/api/v1/users/{id}/disable"), json!({}))
        .await
        .assert_status(StatusCode::OK);
    officer
        .get("/api/v1/me")
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    app.client()
        .login(&username, PASSWORD)
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn staff_accounts_refuse_short_and_common_passwords() {
    let app = TestApp::spawn().await;
    let mut admin = app.admin().await;
    for password in ["short", "password123", "12345678", "qwertyuiop"] {
        let response = admin
            .post_json(
                "/api/v1/users",
                json!({"username": "newofficer", "password": password, "role": "township_officer", "township": "500235001"}),
            )
            .await;
        response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(response.error_fields(), vec!["password"], "{password}");
    }
    let long = "山高水长 我们一起守护每一个孩子的成长 2026";
    admin
        .post_json(
            "/api/v1/users",
            json!({"username": "newofficer", "password": long, "role": "township_officer", "township": "500235001"}),
        )
        .await
        .assert_status(StatusCode::CREATED);
    app.client()
        .login("newofficer", long)
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id_hashes() {
    let app = TestApp::spawn().await;
    app.seed_admin().await;
    let user = carebridge::db::users::find_by_username(&app.db, ADMIN)
        .await
        .expect("query")
        .expect("admin");
    assert!(
        user.password_hash
            .starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{}",
        user.password_hash
    );
    assert!(!user.password_hash.contains(PASSWORD));
}

#[tokio::test]
async fn only_county_staff_create_staff_accounts() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    officer
        .post_json(
            "/api/v1/users",
            json!({"username": "sneaky", "password": PASSWORD, "role": "county_admin"}),
        )
        .await
        .assert_status(StatusCode::FORBIDDEN);
    app.client()
        .post_json(
            "/api/v1/users",
            json!({"username": "sneaky", "password": PASSWORD, "role": "county_admin"}),
        )
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn each_role_sees_its_home_page() {
    let app = TestApp::spawn().await;
    let mut admin = app.admin().await;
    let home = admin.get("/").await;
    home.assert_status(StatusCode::OK);
    assert!(home.text().contains("待审核机构"));
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let home = officer.get("/").await;
    home.assert_ok_without(&["待审核机构"]);
    assert!(home.text().contains("青龙街道"));
    let mut anonymous = app.client();
    assert!(anonymous.get("/").await.text().contains("机构注册"));
    let mut anon_page = app.client();
    let response = anon_page.get("/providers").await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(
        response
            .headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok()),
        Some("/login?next=%2Fproviders")
    );
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_lifetime_however_active() {
    let app = TestApp::spawn_with(|s| s.session_absolute = std::time::Duration::from_secs(1)).await;
    let mut client = app.admin().await;
    client.get("/api/v1/me").await.assert_status(StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    client
        .get("/api/v1/me")
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_error_page_keeps_a_working_logout_form() {
    let app = TestApp::spawn().await;
    let mut admin = app.admin().await;
    let page = admin
        .get("/families/00000000-0000-0000-0000-000000000000")
        .await;
    page.assert_status(StatusCode::NOT_FOUND);
    let token = admin.csrf.clone().expect("token");
    assert!(page.text().contains(&format!("value=\"{token}\"")));
    admin
        .post_form("/logout", &[("csrf_token", &token)])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    admin
        .get("/api/v1/me")
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
}

fn location_of(response: &crate::helpers::TestResponse) -> String {
    response
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

#[tokio::test]
async fn login_returns_to_the_page_that_was_asked_for() {
    let app = TestApp::spawn().await;
    app.seed_admin().await;
    let mut client = app.client();
    let asked = client.get("/children?status=draft").await;
    asked.assert_status(StatusCode::SEE_OTHER);
    let login_url = location_of(&asked);
    assert_eq!(login_url, "/login?next=%2Fchildren%3Fstatus%3Ddraft");

    let form = client.get(&login_url).await;
    form.assert_status(StatusCode::OK);
    assert!(
        form.text()
            .contains(r#"name="next" value="/children?status=draft""#),
        "the login form carries where to go"
    );
    let token = client.page_csrf(&login_url).await;
    let response = client
        .post_form(
            "/login",
            &[
                ("csrf_token", &token),
                ("username", ADMIN),
                ("password", PASSWORD),
                ("next", "/children?status=draft"),
            ],
        )
        .await;
    response.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(location_of(&response), "/children?status=draft");
}

#[tokio::test]
async fn login_never_returns_to_another_host() {
    let app = TestApp::spawn().await;
    app.seed_admin().await;
    for next in [
        "//evil.example/",
        "http://evil.example/",
        "https:evil.example",
        "/\\evil.example",
        "\\evil.example",
        "/\tevil",
        "children",
        "",
    ] {
        let mut client = app.client();
        let token = client.page_csrf("/login").await;
        let response = client
            .post_form(
                "/login",
                &[
                    ("csrf_token", &token),
                    ("username", ADMIN),
                    ("password", PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        response.assert_status(StatusCode::SEE_OTHER);
        assert_eq!(location_of(&response), "/", "next = {next:?}");
    }
}
