//! What other local users can read: nothing. The data directory is 0700,
//! the database, its WAL and shared-memory files, the key and the search
//! index 0600, whether the portal created them or found them looser.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use axum::http::StatusCode;

use crate::helpers::{TestApp, offer_body};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// `root` and everything below it.
fn walk(root: &Path) -> Vec<PathBuf> {
    let mut found = vec![root.to_path_buf()];
    let mut next = 0;
    while next < found.len() {
        let path = found[next].clone();
        next += 1;
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).expect("read dir") {
                found.push(entry.expect("entry").path());
            }
        }
    }
    found
}

#[track_caller]
fn assert_owner_only(root: &Path) -> Vec<PathBuf> {
    let all = walk(root);
    for path in &all {
        let expected = if path.is_dir() { 0o700 } else { 0o600 };
        let found = mode(path);
        assert!(
            found == expected,
            "{} is {found:o}, not {expected:o}",
            path.display()
        );
    }
    all
}

fn named(all: &[PathBuf], name: &str) -> bool {
    all.iter().any(|p| p.file_name().is_some_and(|n| n == name))
}

#[tokio::test]
async fn the_data_directory_and_everything_in_it_are_owner_only() {
    let app = TestApp::spawn().await;
    let mut provider = app.verified_provider().await;
    provider
        .create_offer(offer_body(
            "tutoring",
            "四点半课堂",
            "放学后辅导作业。",
            &[crate::helpers::TOWNSHIP_A],
        ))
        .await;
    assert!(app.index_now().await > 0);

    let all = assert_owner_only(&app.settings.data_dir);
    assert!(named(&all, "vault.key"));
    assert!(
        named(&all, "meta.json"),
        "the index is in the data directory"
    );
    if !app.is_postgres() {
        for name in ["test.db", "test.db-wal", "test.db-shm"] {
            assert!(named(&all, name), "{name} missing from {all:?}");
        }
    }
}

#[tokio::test]
async fn a_data_directory_open_to_others_is_closed_at_start() {
    let app = TestApp::spawn_with(|settings| {
        // As an older version, or a careless `mkdir`, left it.
        set_mode(&settings.data_dir, 0o755);
        let index = settings.data_dir.join("index");
        std::fs::create_dir(&index).expect("index dir");
        set_mode(&index, 0o755);
        if settings.database_url.starts_with("sqlite:") {
            let db = settings.data_dir.join("test.db");
            std::fs::File::create(&db).expect("empty database");
            set_mode(&db, 0o644);
        }
    })
    .await;
    let data_dir = &app.settings.data_dir;
    assert_eq!(format!("{:o}", mode(data_dir)), "700");
    assert_eq!(format!("{:o}", mode(&data_dir.join("index"))), "700");
    if !app.is_postgres() {
        assert_eq!(format!("{:o}", mode(&data_dir.join("test.db"))), "600");
    }
    app.admin()
        .await
        .get("/api/v1/me")
        .await
        .assert_status(StatusCode::OK);
}

// Threads: the app under test keeps serving (and finishes what it
// holds) while this test waits on the command it runs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_creates_owner_only_files_whatever_umask_it_inherits() {
    let app = TestApp::spawn().await;
    // Through a shell that loosens the umask first, as a login shell with
    // the usual 022 would start the portal.
    let output = Command::new("sh")
        .arg("-c")
        .arg("umask 022 && exec \"$0\" reindex")
        .arg(env!("CARGO_BIN_EXE_carebridge"))
        .env("DATABASE_URL", &app.settings.database_url)
        .env("CAREBRIDGE_DATA_DIR", &app.settings.data_dir)
        .env("CAREBRIDGE_LOG", "error")
        .env_remove("CAREBRIDGE_VAULT_KEY")
        .output()
        .expect("run carebridge");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let all = assert_owner_only(&app.settings.data_dir);
    let rebuilt = all
        .iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "meta.json"))
        .count();
    assert!(rebuilt >= 2, "the rebuilt index is there too: {all:?}");
}
