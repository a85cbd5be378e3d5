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
