//! The identity vault: nothing personal in plain text at rest, a wrong or
//! missing key refuses to start, key rotation keeps every file readable.

use std::process::Command;

use axum::http::StatusCode;
use carebridge::config::Secret;
use carebridge::domain::Role;
use carebridge::domain::child::VaultField;
use carebridge::services::children::view;
use carebridge::services::{Principal, RequestCtx};
use carebridge::vault::VaultKey;
use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::helpers::{TOWNSHIP_A, TestApp, VILLAGE_A, child_body, id_number_for};

const NAME: &str = "欧阳晓彤";
const GUARDIAN: &str = "欧阳建华";
const PHONE: &str = "13987654321";
const ADDRESS: &str = "滨江路88号";

fn distinctive_child(id_number: &str) -> serde_json::Value {
    let mut body = child_body(NAME, id_number, TOWNSHIP_A, VILLAGE_A);
    body["guardian_name"] = serde_json::json!(GUARDIAN);
    body["guardian_phone"] = serde_json::json!(PHONE);
    body["address"] = serde_json::json!(ADDRESS);
    body
}

/// Every byte the database keeps: the SQLite files, or every row of every
/// table of the PostgreSQL database as text.
pub async fn everything_stored(app: &TestApp) -> Vec<u8> {
    if app.db.get_database_backend() == DbBackend::Postgres {
        let tables = app
            .db
            .query_all_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
            ))
            .await
            .expect("tables");
        let mut all = Vec::new();
        for table in tables {
            let name: String = table.try_get("", "tablename").expect("name");
            let rows = app
                .db
                .query_all_raw(Statement::from_string(
                    DbBackend::Postgres,
                    format!("SELECT t::text AS row FROM \"{name}\" t"),
                ))
                .await
                .expect("rows");
            for row in rows {
                let text: String = row.try_get("", "row").expect("row text");
                all.extend_from_slice(text.as_bytes());
            }
        }
        assert!(!all.is_empty());
        all
    } else {
        let mut all = Vec::new();
        for file in ["test.db", "test.db-wal"] {
            if let Ok(bytes) = std::fs::read(app.settings.data_dir.join(file)) {
                all.extend(bytes);
            }
        }
        all
    }
}

pub fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn the_database_holds_no_plaintext_name_id_number_or_phone() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let id_number = id_number_for("20150312", 77, false);
    let child = officer.create_child(distinctive_child(&id_number)).await;
    officer.publish_need(&child).await;
    officer
        .post_json("/api/v1/children/search", serde_json::json!({"q": NAME}))
        .await
        .assert_status(StatusCode::OK);
    officer
        .clone()
        .get(&format!("/api/v1/children/{child}?reveal=all"))
        .await
        .assert_status(StatusCode::OK);
    let stored = everything_stored(&app).await;
    // The control: plain values that are not personal are found.
    assert!(contains(&stored, "四年级数学课业辅导"));
    for secret in [
        NAME,
        "晓彤",
        GUARDIAN,
        PHONE,
        ADDRESS,
        id_number.as_str(),
        &crate::helpers::birth_of(&id_number).0,
        &crate::helpers::birth_of(&id_number).1,
    ] {
        assert!(!contains(&stored, secret), "{secret} stored in plain text");
    }
}

// Threads: the app under test keeps serving (and finishes what it
// holds) while this test waits on the command it runs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_or_missing_key_refuses_to_start() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    officer
        .create_child(distinctive_child(&id_number_for("20150312", 78, false)))
        .await;

    let mut wrong = app.settings.clone();
    let other = VaultKey::generate().expect("key");
    wrong.vault_key = Some(Secret::new(other.encode().to_string()));
    let err = carebridge::app::prepare(&wrong)
        .await
        .err()
        .expect("refused");
    assert!(err.to_string().contains("does not match"), "{err}");

    let mut malformed = app.settings.clone();
    malformed.vault_key = Some(Secret::new("not-a-key".into()));
    let err = carebridge::app::prepare(&malformed)
        .await
        .err()
        .expect("refused");
    assert!(err.to_string().contains("32 bytes"), "{err}");

    // Through the binary: one clear line, a failing exit code.
    let output = Command::new(env!("CARGO_BIN_EXE_carebridge"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("DATABASE_URL", &app.settings.database_url)
        .env("CAREBRIDGE_DATA_DIR", &app.settings.data_dir)
        .env("CAREBRIDGE_VAULT_KEY", other.encode().as_str())
        .env("CAREBRIDGE_LOG", "error")
        .output()
        .expect("run");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("vault key does not match"), "{stderr}");
    assert!(
        !stderr.contains(other.encode().as_str()),
        "the key is never printed"
    );

    std::fs::remove_file(app.settings.data_dir.join("vault.key")).expect("remove key file");
    let err = carebridge::app::prepare(&app.settings)
        .await
        .err()
        .expect("refused");
    assert!(err.to_string().contains("no vault key"), "{err}");
    assert!(
        !app.settings.data_dir.join("vault.key").exists(),
        "no new key invented"
    );
}

fn county() -> Principal {
    Principal {
        id: "county".into(),
        username: "county".into(),
        role: Role::CountyAdmin,
        township: None,
        village: None,
        provider_id: None,
        family_id: None,
        department: None,
    }
}

/// Every file's revealed identity, opened with what `settings` prepares.
async fn identities(
    settings: &carebridge::config::Settings,
    ids: &[String],
) -> Vec<Vec<Option<String>>> {
    let prepared = carebridge::app::prepare(settings).await.expect("prepare");
    let store = prepared.store();
    let mut all = Vec::new();
    for id in ids {
        let file = view::get(store, &RequestCtx::system(), &county(), id, VaultField::ALL)
            .await
            .expect("file");
        all.push(file.fields.into_iter().map(|f| f.value).collect());
    }
    all
}

// Threads: the app under test keeps serving (and finishes what it
// holds) while this test waits on the command it runs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_rotation_keeps_every_file_readable() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let mut ids = Vec::new();
    for seq in 80..83 {
        ids.push(
            officer
                .create_child(distinctive_child(&id_number_for("20140101", seq, true)))
                .await,
        );
    }
    let before = identities(&app.settings, &ids).await;
    let old_key = std::fs::read_to_string(app.settings.data_dir.join("vault.key")).expect("key");

    let output = Command::new(env!("CARGO_BIN_EXE_carebridge"))
        .args(["vault", "rotate-key"])
        .env("DATABASE_URL", &app.settings.database_url)
        .env("CAREBRIDGE_DATA_DIR", &app.settings.data_dir)
        .env_remove("CAREBRIDGE_VAULT_KEY")
        .env("CAREBRIDGE_LOG", "error")
        .output()
        .expect("run");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("3 files re-sealed"));
    let new_key = std::fs::read_to_string(app.settings.data_dir.join("vault.key")).expect("key");
    assert_ne!(old_key, new_key);
    assert!(!app.settings.data_dir.join("vault.key.new").exists());

    assert_eq!(identities(&app.settings, &ids).await, before);
    // The duplicate check still works: blind indexes moved to the new key.
    let prepared = carebridge::app::prepare(&app.settings)
        .await
        .expect("prepare");
    let router = carebridge::app::router(prepared, app.search.clone(), app.settings.clone());
    let mut officer = officer.clone();
    officer.router = router;
    let again = officer
        .post_json(
            "/api/v1/children",
            distinctive_child(&id_number_for("20140101", 80, true)),
        )
        .await;
    again.assert_status(StatusCode::CONFLICT);

    let mut stale = app.settings.clone();
    stale.vault_key = Some(Secret::new(old_key));
    assert!(
        carebridge::app::prepare(&stale).await.is_err(),
        "the old key is refused"
    );
    assert_eq!(app.audit_entries("vault.rotate_key").await.len(), 1);
}

// Threads: the app under test keeps serving (and finishes what it
// holds) while this test waits on the command it runs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_from_the_environment_rotates_to_the_next_one_given() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let id = officer
        .create_child(distinctive_child(&id_number_for("20140101", 90, true)))
        .await;
    let current = std::fs::read_to_string(app.settings.data_dir.join("vault.key")).expect("key");
    let next = VaultKey::generate().expect("key").encode().to_string();
    let run = |new: Option<&str>| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_carebridge"));
        command
            .args(["vault", "rotate-key"])
            .env("DATABASE_URL", &app.settings.database_url)
            .env("CAREBRIDGE_DATA_DIR", &app.settings.data_dir)
            .env("CAREBRIDGE_VAULT_KEY", current.trim())
            .env("CAREBRIDGE_LOG", "error");
        match new {
            Some(key) => command.env("CAREBRIDGE_NEW_VAULT_KEY", key),
            None => command.env_remove("CAREBRIDGE_NEW_VAULT_KEY"),
        };
        command.output().expect("run")
    };
    let refused = run(None);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("CAREBRIDGE_NEW_VAULT_KEY"));
    let rotated = run(Some(&next));
    assert!(
        rotated.status.success(),
        "{}",
        String::from_utf8_lossy(&rotated.stderr)
    );
    let mut settings = app.settings.clone();
    settings.vault_key = Some(Secret::new(next));
    let opened = identities(&settings, &[id]).await;
    assert_eq!(opened[0][0].as_deref(), Some(NAME));
}

#[tokio::test]
async fn an_interrupted_rotation_finishes_at_the_next_start() {
    use carebridge::services::vault_admin;
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let id = officer
        .create_child(distinctive_child(&id_number_for("20140101", 91, true)))
        .await;
    // Rotate in the database, then "crash" before the key file is swapped.
    let source = app.prepared.key_source.clone();
    let key = vault_admin::new_key(&source, &app.settings.data_dir, None).expect("new key");
    let new = carebridge::vault::Vault::new(&key);
    vault_admin::rotate(&app.db, &app.prepared.vault, &new)
        .await
        .expect("rotate");
    assert!(app.settings.data_dir.join("vault.key.new").exists());
    let opened = identities(&app.settings, std::slice::from_ref(&id)).await;
    assert_eq!(opened[0][0].as_deref(), Some(NAME));
    assert!(!app.settings.data_dir.join("vault.key.new").exists());
}
