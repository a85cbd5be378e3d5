//! The session store: a logout stays a logout whatever was in flight, and
//! the database holds only hashes of session ids.

use axum::http::StatusCode;
use carebridge::web::session_store::DbSessionStore;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;
use sha2::{Digest, Sha256};
use tower_sessions::SessionStore;
use tower_sessions::session::Id;

use crate::helpers::{TestApp, TestClient};

fn session_id(client: &TestClient) -> Id {
    client
        .cookie
        .as_deref()
        .expect("logged in")
        .parse()
        .expect("a session id")
}

async fn stored_ids(app: &TestApp) -> Vec<String> {
    app.db
        .query_all_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT id FROM sessions",
        ))
        .await
        .expect("query")
        .iter()
        .map(|row| row.try_get_by_index::<String>(0).expect("text"))
        .collect()
}

#[tokio::test]
async fn a_request_that_loaded_the_session_before_logout_cannot_revive_it() {
    let app = TestApp::spawn().await;
    let mut client = app.admin().await;
    let old = client.clone();
    let id = session_id(&client);
    let store = DbSessionStore::new(app.db.clone());

    // A request in flight has read the session...
    let mut record = store
        .load(&id)
        .await
        .expect("load")
        .expect("the session exists");
    // ...the user logs out meanwhile...
    client
        .delete("/api/v1/session")
        .await
        .assert_status(StatusCode::NO_CONTENT);
    // ...and the request ends by writing its (changed) copy back.
    record.data.insert("flash".to_owned(), json!("已保存"));
    store.save(&record).await.expect("save");

    assert!(store.load(&id).await.expect("load").is_none());
    let mut replay = old;
    replay
        .get("/api/v1/me")
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn page_requests_racing_a_logout_leave_the_cookie_dead() {
    let app = TestApp::spawn().await;
    let mut client = app.admin().await;
    let old = client.clone();
    // Every page request writes its session back (it takes the flash
    // message out), so each of these may end after the logout below.
    let in_flight: Vec<_> = (0..24)
        .map(|i| {
            let mut page = old.clone();
            let path = if i % 2 == 0 { "/" } else { "/providers" };
            tokio::spawn(async move { page.get(path).await.status })
        })
        .collect();
    tokio::task::yield_now().await;
    client
        .delete("/api/v1/session")
        .await
        .assert_status(StatusCode::NO_CONTENT);
    for request in in_flight {
        let status = request.await.expect("request task");
        assert!(
            matches!(
                status,
                StatusCode::OK | StatusCode::SEE_OTHER | StatusCode::SERVICE_UNAVAILABLE
            ),
            "unexpected {status}"
        );
    }
    let mut replay = old;
    replay
        .get("/api/v1/me")
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    // Requests that loaded after the logout may have started anonymous
    // sessions of their own; none may carry the account.
    let logged_in = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT COUNT(*) FROM sessions WHERE user_id IS NOT NULL",
        ))
        .await
        .expect("query")
        .expect("row")
        .try_get_by_index::<i64>(0)
        .expect("count");
    assert_eq!(logged_in, 0);
}

#[tokio::test]
async fn the_database_holds_only_the_hash_of_a_session_id() {
    let app = TestApp::spawn().await;
    let client = app.admin().await;
    let cookie = client.cookie.clone().expect("logged in");
    let ids = stored_ids(&app).await;
    assert!(
        ids.iter().all(|id| !id.contains(&cookie)),
        "a row holds the cookie's id"
    );
    let hash = hex::encode(Sha256::digest(cookie.as_bytes()));
    assert!(ids.contains(&hash), "{ids:?} lacks {hash}");

    // Every way in goes through the hash: the session works, and logout
    // deletes its row.
    let mut client = client;
    client.get("/api/v1/me").await.assert_status(StatusCode::OK);
    client
        .delete("/api/v1/session")
        .await
        .assert_status(StatusCode::NO_CONTENT);
    assert!(!stored_ids(&app).await.contains(&hash));
}

/// (data, expires_at) of the one session row.
async fn the_row(app: &TestApp) -> (String, i64) {
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT data, expires_at FROM sessions",
        ))
        .await
        .expect("query")
        .expect("one session");
    (
        row.try_get_by_index::<String>(0).expect("data"),
        row.try_get_by_index::<i64>(1).expect("expires_at"),
    )
}

/// Reading pages and the API writes nothing to the session (no flash to
/// take, no expiry to slide within the minute); a minute of use later, the
/// next request slides the idle expiry, pages and API calls alike.
#[tokio::test]
async fn reads_leave_the_session_row_alone_and_use_slides_its_expiry_once_a_minute() {
    let app = TestApp::spawn().await;
    let mut admin = app.admin().await;
    let before = the_row(&app).await;
    for path in ["/", "/api/v1/me", "/inbox", "/api/v1/inbox", "/search"] {
        admin.get(path).await.assert_status(StatusCode::OK);
    }
    assert_eq!(the_row(&app).await, before, "a read rewrote the session");

    // As if the last extension was two minutes ago and the row expires sooner.
    let (data, expires_at) = before;
    let mut fields: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&data).expect("session data");
    let earlier = chrono::Utc::now().timestamp() - 120;
    fields.insert("seen_at".into(), json!(earlier));
    fields.insert("login_at".into(), json!(earlier));
    app.db
        .execute_raw(Statement::from_sql_and_values(
            app.db.get_database_backend(),
            if app.is_postgres() {
                "UPDATE sessions SET data = $1, expires_at = $2"
            } else {
                "UPDATE sessions SET data = ?, expires_at = ?"
            },
            [
                serde_json::Value::Object(fields).to_string().into(),
                (expires_at - 120).into(),
            ],
        ))
        .await
        .expect("age the session");
    admin.get("/api/v1/me").await.assert_status(StatusCode::OK);
    let (_, slid) = the_row(&app).await;
    assert!(slid >= expires_at, "an API request slides the idle expiry");
    let again = the_row(&app).await;
    admin.get("/").await.assert_status(StatusCode::OK);
    assert_eq!(the_row(&app).await, again, "not twice within the minute");
}

/// When the minute has passed, the requests of one session in flight
/// together all loaded the old extension time; one of them extends the
/// expiry and the others write nothing (a herd of writes of one row would
/// hold the pool's connections while they wait for the write lock).
#[tokio::test]
async fn a_herd_of_requests_slides_the_expiry_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (data, expires_at) = the_row(&app).await;
    let mut fields: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&data).expect("session data");
    let earlier = chrono::Utc::now().timestamp() - 120;
    fields.insert("seen_at".into(), json!(earlier));
    fields.insert("login_at".into(), json!(earlier));
    app.db
        .execute_raw(Statement::from_sql_and_values(
            app.db.get_database_backend(),
            if app.is_postgres() {
                "UPDATE sessions SET data = $1, expires_at = $2"
            } else {
                "UPDATE sessions SET data = ?, expires_at = ?"
            },
            [
                serde_json::Value::Object(fields).to_string().into(),
                (expires_at - 120).into(),
            ],
        ))
        .await
        .expect("age the session");
    let (answers, sent) = carebridge::db::statements::counting(async {
        let requests = (0..20).map(|_| {
            let mut client = admin.clone();
            async move { client.get("/api/v1/me").await.status }
        });
        futures_util::future::join_all(requests).await
    })
    .await;
    assert!(answers.iter().all(|s| *s == StatusCode::OK), "{answers:?}");
    let writes = sent
        .iter()
        .filter(|s| {
            let sql = s.sql.to_lowercase();
            sql.contains("sessions") && (sql.starts_with("update") || sql.starts_with("insert"))
        })
        .count();
    assert_eq!(writes, 1, "one request extends the expiry");
    let (_, slid) = the_row(&app).await;
    assert!(slid >= expires_at, "the expiry slid");
}

/// Reading the portal anonymously creates no session: no cookie, no row.
/// Only a page with a form to send (login, registration) starts one, for
/// its CSRF token.
#[tokio::test]
async fn anonymous_reading_creates_no_session() {
    let app = TestApp::spawn().await;
    let mut provider = app.verified_provider().await;
    let offer = provider
        .create_offer(crate::helpers::offer_body(
            "tutoring",
            "四点半课堂",
            "放学后辅导作业。",
            &["county"],
        ))
        .await;
    let before = stored_ids(&app).await.len();
    let mut visitor = app.client();
    for (path, expected) in [
        ("/", StatusCode::OK),
        ("/search", StatusCode::OK),
        ("/search?q=辅导", StatusCode::OK),
        (&format!("/offers/{offer}"), StatusCode::OK),
        ("/api/v1/search?q=辅导", StatusCode::OK),
        ("/api/v1/regions", StatusCode::OK),
        ("/no-such-page", StatusCode::NOT_FOUND),
    ] {
        let response = visitor.get(path).await;
        assert_eq!(response.status, expected, "{path}");
        assert!(
            !response
                .headers
                .contains_key(axum::http::header::SET_COOKIE),
            "{path} set a cookie"
        );
    }
    assert_eq!(
        stored_ids(&app).await.len(),
        before,
        "a read created a session"
    );
    let login = visitor.get("/login").await;
    login.assert_status(StatusCode::OK);
    assert!(login.text().contains("name=\"csrf_token\""));
    assert_eq!(
        stored_ids(&app).await.len(),
        before + 1,
        "the login form needs one"
    );
}
