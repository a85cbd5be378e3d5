//! Throttling logins and registrations: attempts are reserved before the
//! password is checked (parallel guesses cannot slip past the limit),
//! failures slow down only the account at the address they come from (no
//! one can lock an owner out), and the county sees the accounts under
//! attack.

use std::net::IpAddr;

use axum::http::{StatusCode, header};
use carebridge::domain::Role;

use crate::helpers::{ADMIN, PASSWORD, TestApp, TestClient, family_body, provider_body};

fn at(app: &TestApp, addr: &str) -> TestClient {
    let mut client = app.client();
    client.addr = addr.parse::<IpAddr>().expect("address");
    client
}

/// Sends `n` logins at once; answers how many were 401 (the password was
/// checked) and how many 429 (refused before checking).
async fn parallel_logins(
    app: &TestApp,
    addr: &str,
    n: usize,
    username: impl Fn(usize) -> String,
) -> (usize, usize) {
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let mut client = at(app, addr);
            let name = username(i);
            tokio::spawn(async move { client.login(&name, "wrong password 123").await })
        })
        .collect();
    let (mut checked, mut refused) = (0, 0);
    for task in tasks {
        let response = task.await.expect("task");
        match response.status {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                assert!(response.headers.contains_key(header::RETRY_AFTER));
                assert_eq!(response.json()["error"]["code"], "throttled");
                refused += 1;
            }
            other => panic!("unexpected {other}: {}", response.text()),
        }
    }
    (checked, refused)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_wrong_guesses_on_one_account_check_at_most_the_free_attempts() {
    let app = TestApp::spawn().await;
    app.seed_admin().await;
    let (checked, refused) = parallel_logins(&app, "203.0.113.9", 40, |_| ADMIN.to_owned()).await;
    assert!(checked <= 5, "{checked} passwords checked, limit 5");
    assert_eq!(checked + refused, 40);
    // Each checked guess is a logged failure and an audited one; no more.
    let mut admin = at(&app, "198.51.100.20");
    admin
        .login(ADMIN, PASSWORD)
        .await
        .assert_status(StatusCode::OK);
    let logins = admin.get("/api/v1/audit/logins").await;
    logins.assert_status(StatusCode::OK);
    let failures = logins.json()["items"][0]["failures"]
        .as_u64()
        .expect("failures");
    assert_eq!(failures, checked as u64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_guesses_across_accounts_from_one_address_check_at_most_its_limit() {
    let app = TestApp::spawn().await;
    let (checked, refused) =
        parallel_logins(&app, "203.0.113.10", 60, |i| format!("sprayed{i}")).await;
    assert!(checked <= 20, "{checked} passwords checked, limit 20");
    assert_eq!(checked + refused, 60);
}

#[tokio::test]
async fn failures_from_one_address_never_stop_the_owner_logging_in_elsewhere() {
    let app = TestApp::spawn().await;
    app.seed_admin().await;
    for _ in 0..12 {
        let response = at(&app, "203.0.113.11")
            .login(ADMIN, "wrong password 123")
            .await;
        assert!(
            matches!(
                response.status,
                StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS
            ),
            "{}",
            response.status
        );
    }
    at(&app, "203.0.113.11")
        .login(ADMIN, PASSWORD)
        .await
        .assert_status(StatusCode::TOO_MANY_REQUESTS);
    at(&app, "198.51.100.30")
        .login(ADMIN, PASSWORD)
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn an_account_known_at_an_address_is_not_slowed_by_others_failing_there() {
    let app = TestApp::spawn().await;
    // The officer logs in from the township office's one address (the
    // helpers' default address) ...
    let officer = app.login_as(Role::TownshipOfficer).await;
    let mut me = officer.clone();
    let username = me.get("/api/v1/me").await.json()["username"]
        .as_str()
        .expect("username")
        .to_owned();
    // ... where someone then guesses at many accounts.
    for i in 0..25 {
        let response = app
            .client()
            .login(&format!("guess{i}"), "wrong password 123")
            .await;
        assert!(matches!(
            response.status,
            StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS
        ));
    }
    app.client()
        .login(&username, PASSWORD)
        .await
        .assert_status(StatusCode::OK);
    // An account never seen at this address waits, briefly.
    carebridge::services::users::create_admin_from_cli(&app.db, "new_admin", PASSWORD.to_owned())
        .await
        .expect("create admin");
    let slowed = app.client().login("new_admin", PASSWORD).await;
    slowed.assert_status(StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = slowed.headers[header::RETRY_AFTER]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&retry), "{retry}");
}

#[tokio::test]
async fn the_login_page_says_how_long_to_wait() {
    let app = TestApp::spawn().await;
    app.seed_admin().await;
    for _ in 0..5 {
        app.client()
            .login(ADMIN, "wrong password 123")
            .await
            .assert_status(StatusCode::UNAUTHORIZED);
    }
    let mut browser = app.client();
    let token = browser.page_csrf("/login").await;
    let page = browser
        .post_form(
            "/login",
            &[
                ("csrf_token", &token),
                ("username", ADMIN),
                ("password", PASSWORD),
            ],
        )
        .await;
    page.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert!(page.headers.contains_key(header::RETRY_AFTER));
    let html = page.text();
    assert!(html.contains("登录尝试过于频繁"), "{html}");
    assert!(html.contains("秒后再试"), "{html}");
    assert!(html.contains(ADMIN), "the typed name is kept");
}

#[tokio::test]
async fn the_county_sees_which_accounts_are_under_attack() {
    let app = TestApp::spawn().await;
    app.seed_admin().await;
    for addr in ["203.0.113.21", "203.0.113.22", "203.0.113.23"] {
        at(&app, addr)
            .login(ADMIN, "wrong password 123")
            .await
            .assert_status(StatusCode::UNAUTHORIZED);
    }
    at(&app, "203.0.113.24")
        .login("nobody-here", "wrong password 123")
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    let mut county = at(&app, "198.51.100.40");
    county
        .login(ADMIN, PASSWORD)
        .await
        .assert_status(StatusCode::OK);
    let response = county.get("/api/v1/audit/logins").await;
    response.assert_status(StatusCode::OK);
    let items = response.json()["items"].as_array().expect("items").clone();
    assert_eq!(items[0]["username"], ADMIN);
    assert_eq!(items[0]["failures"], 3);
    assert_eq!(items[0]["addresses"], 3);
    assert_eq!(items[0]["account_exists"], true);
    assert_eq!(items[1]["username"], "nobody-here");
    assert_eq!(items[1]["account_exists"], false);
    let page = county.get("/audit").await;
    page.assert_status(StatusCode::OK);
    assert!(page.text().contains("近24小时登录失败的账号"));
    assert!(page.text().contains("nobody-here"));
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    officer
        .get("/api/v1/audit/logins")
        .await
        .assert_status(StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn registrations_from_one_address_are_slowed_after_the_free_ones() {
    let app = TestApp::spawn_with(|s| s.register_per_address = 3).await;
    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let mut client = at(&app, "203.0.113.30");
            let body = provider_body(&format!("burst{i}"));
            tokio::spawn(async move { client.post_json("/api/v1/providers", body).await })
        })
        .collect();
    let mut created = 0;
    for task in tasks {
        let response = task.await.expect("task");
        match response.status {
            StatusCode::CREATED => created += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                assert!(response.headers.contains_key(header::RETRY_AFTER));
                let message = response.json()["error"]["message"].clone();
                assert!(
                    message.as_str().is_some_and(|m| m.contains("注册")),
                    "{message}"
                );
            }
            other => panic!("unexpected {other}: {}", response.text()),
        }
    }
    assert_eq!(created, 3, "exactly the free registrations went through");
    // Families count in the same bucket; another address is not slowed.
    at(&app, "203.0.113.30")
        .post_json(
            "/api/v1/families",
            family_body("household-late", crate::helpers::TOWNSHIP_A),
        )
        .await
        .assert_status(StatusCode::TOO_MANY_REQUESTS);
    at(&app, "198.51.100.50")
        .post_json(
            "/api/v1/families",
            family_body("household-ok", crate::helpers::TOWNSHIP_A),
        )
        .await
        .assert_status(StatusCode::CREATED);
}

#[tokio::test]
async fn a_throttled_registration_form_is_shown_again_with_what_was_typed() {
    let app = TestApp::spawn_with(|s| s.register_per_address = 1).await;
    at(&app, "203.0.113.31")
        .post_json(
            "/api/v1/families",
            family_body("household-one", crate::helpers::TOWNSHIP_A),
        )
        .await
        .assert_status(StatusCode::CREATED);
    let mut browser = at(&app, "203.0.113.31");
    let token = browser.page_csrf("/register/family").await;
    let page = browser
        .post_form(
            "/register/family",
            &[
                ("csrf_token", &token),
                ("household_name", "黄家"),
                ("township", crate::helpers::TOWNSHIP_A),
                ("members", "4"),
                ("housing", "自建房三间"),
                ("contact_phone", "13912345678"),
                ("care_types", "sponsorship"),
                ("username", "huangjia2026"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    page.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert!(page.headers.contains_key(header::RETRY_AFTER));
    let html = page.text();
    assert!(html.contains("注册提交过于频繁"), "{html}");
    assert!(
        html.contains("黄家") && html.contains("huangjia2026"),
        "typed values kept"
    );
}
