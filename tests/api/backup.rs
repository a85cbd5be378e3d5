//! `carebridge backup` while writes go on, and `carebridge restore` into
//! an empty database: the restored portal gives the same answers.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use axum::http::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::Value;

use crate::helpers::{TOWNSHIP_A, TestApp, TestClient, empty_database, offer_body};
use crate::match_helpers::{Scene, propose, tutoring_need};

fn carebridge(database_url: &str, data_dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_carebridge"));
    command
        .env("DATABASE_URL", database_url)
        .env("CAREBRIDGE_DATA_DIR", data_dir)
        .env("CAREBRIDGE_LOG", "error")
        .env_remove("CAREBRIDGE_VAULT_KEY")
        .env_remove("CAREBRIDGE_NEW_VAULT_KEY");
    command
}

async fn run(mut command: Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || command.output().expect("run carebridge"))
        .await
        .expect("join")
}

/// Offers written while the backup runs: their titles never match the
/// searches compared below.
const DURING: &str = "备份期间的手工兴趣班";

async fn get(client: &mut TestClient, path: &str) -> Value {
    let response = client.get(path).await;
    response.assert_status(StatusCode::OK);
    response.json()
}

/// Search items, without the offers written during the backup and
/// without their scores (which weigh words by the whole index, and the
/// original's index also holds what was written after the backup).
async fn search_items(client: &mut TestClient, text: &str) -> Vec<Value> {
    let q = form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>();
    get(client, &format!("/api/v1/search?q={q}")).await["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| !i["title"].as_str().unwrap_or("").starts_with(DURING))
        .map(|i| {
            let mut item = i.clone();
            item.as_object_mut().map(|o| o.remove("score"));
            item
        })
        .collect()
}

// Threads: the writer keeps writing while the backup command runs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_writes_go_on_restores_the_same_answers() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 4).await;
    let approved = scene.approved().await;
    let (_, second) = tutoring_need(&mut scene.officer).await;
    let waiting = propose(&mut scene.provider, &second, &scene.offer).await;
    app.index_now().await;

    // A second provider writes offers for as long as the backup runs.
    let mut writer = app.verified_provider().await;
    let stop = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicU32::new(0));
    let writing = {
        let (stop, written) = (stop.clone(), written.clone());
        tokio::spawn(async move {
            let mut ids = Vec::new();
            while !stop.load(Ordering::SeqCst) {
                let n = written.load(Ordering::SeqCst);
                let body = offer_body(
                    "tutoring",
                    &format!("{DURING}{n}"),
                    "每周一次手工制作。",
                    &[TOWNSHIP_A],
                );
                ids.push(writer.create_offer(body).await);
                written.fetch_add(1, Ordering::SeqCst);
            }
            ids
        })
    };
    while written.load(Ordering::SeqCst) < 2 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let backups = tempfile::tempdir().expect("temp dir");
    let file = backups.path().join("carebridge.backup");
    let output = run({
        let mut command = carebridge(&app.settings.database_url, &app.settings.data_dir);
        command.arg("backup").arg(&file);
        command
    })
    .await;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("vault key is NOT in the backup"),
        "{stdout}"
    );
    let at_backup = written.load(Ordering::SeqCst);
    while written.load(Ordering::SeqCst) < at_backup + 2 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    stop.store(true, Ordering::SeqCst);
    let during = writing.await.expect("writer");

    // A second backup to the same name is refused, never overwritten.
    let again = run({
        let mut command = carebridge(&app.settings.database_url, &app.settings.data_dir);
        command.arg("backup").arg(&file);
        command
    })
    .await;
    assert!(!again.status.success());

    // Restore into a new, empty data directory and database, with the key.
    let restored_dir = tempfile::tempdir().expect("temp dir");
    let key = carebridge::vault::key_file::FILE_NAME;
    std::fs::copy(
        app.settings.data_dir.join(key),
        restored_dir.path().join(key),
    )
    .expect("copy the vault key");
    let (url, pg_drop) = empty_database(restored_dir.path()).await;
    let output = run({
        let mut command = carebridge(&url, restored_dir.path());
        command.arg("restore").arg(&file);
        command
    })
    .await;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("audit chain intact"), "{stdout}");
    assert!(stdout.contains("search index rebuilt"), "{stdout}");

    // Restoring over what is now a database with tables is refused.
    let output = run({
        let mut command = carebridge(&url, restored_dir.path());
        command.arg("restore").arg(&file);
        command
    })
    .await;
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("empty database"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let mut settings = app.settings.clone();
    settings.data_dir = restored_dir.path().to_path_buf();
    settings.database_url = url;
    let restored = TestApp::open_existing(settings, restored_dir, pg_drop).await;

    // The same sessions, so the same people ask both portals.
    let mut officer_there = scene.officer.on(&restored);
    let mut provider_there = scene.provider.on(&restored);
    for path in [
        format!("/api/v1/needs/{}", scene.need_id),
        format!("/api/v1/matches/{approved}"),
        format!("/api/v1/matches/{waiting}"),
        "/api/v1/children".to_owned(),
    ] {
        assert_eq!(
            get(&mut scene.officer, &path).await,
            get(&mut officer_there, &path).await,
            "{path}"
        );
    }
    let path = format!("/api/v1/offers/{}", scene.offer);
    assert_eq!(
        get(&mut scene.provider, &path).await,
        get(&mut provider_there, &path).await
    );
    let mut found = 0;
    for text in ["辅导", "数学", "四点半课堂", "作业"] {
        let here = search_items(&mut app.client(), text).await;
        found += here.len();
        assert_eq!(
            here,
            search_items(&mut restored.client(), text).await,
            "{text}"
        );
        let here = search_items(&mut scene.officer, text).await;
        assert_eq!(here, search_items(&mut officer_there, text).await, "{text}");
    }
    assert!(found > 0, "the searches compared found nothing");

    // The restored offers written during the backup are some of those
    // acknowledged (at least those written before it began), none invented.
    let rows = restored
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            restored.db.get_database_backend(),
            format!("SELECT id FROM offers WHERE title LIKE '{DURING}%'"),
        ))
        .await
        .expect("offers");
    let found: Vec<String> = rows
        .iter()
        .map(|r| r.try_get::<String>("", "id").expect("id"))
        .collect();
    assert!(found.len() >= 2, "{found:?}");
    assert!(found.len() <= during.len(), "{found:?}");
    for id in &found {
        assert!(during.contains(id), "{id} was never written");
    }
}
