//! SQLite in WAL mode; concurrent writes do not fail with SQLITE_BUSY.

use axum::http::StatusCode;
use sea_orm::{ConnectionTrait, Statement};

use crate::helpers::{TestApp, provider_body};

#[tokio::test]
async fn sqlite_runs_in_wal_mode() {
    let app = TestApp::spawn().await;
    if app.is_postgres() {
        return;
    }
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "PRAGMA journal_mode",
        ))
        .await
        .expect("pragma")
        .expect("row");
    let mode: String = row.try_get_by_index(0).expect("mode");
    assert_eq!(mode.to_lowercase(), "wal");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_registrations_all_succeed() {
    let app = TestApp::spawn().await;
    let mut tasks = Vec::new();
    for i in 0..24 {
        let mut client = app.client();
        let body = provider_body(&format!("parallel{i}"));
        tasks.push(tokio::spawn(async move {
            client.post_json("/api/v1/providers", body).await
        }));
    }
    for task in tasks {
        let response = task.await.expect("task");
        response.assert_status(StatusCode::CREATED);
    }
    let mut admin = app.admin().await;
    assert_eq!(
        admin.get("/api/v1/providers?status=pending").await.json()["total"],
        24
    );
    assert!(matches!(
        carebridge::services::audit::verify(&app.db)
            .await
            .expect("verify"),
        carebridge::services::audit::Verification::Intact { .. }
    ));
}
