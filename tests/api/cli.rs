//! The command line: admin create, audit verify and start-up errors.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::helpers::TestApp;

fn carebridge(app: &TestApp) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_carebridge"));
    command
        .env("DATABASE_URL", &app.settings.database_url)
        .env("CAREBRIDGE_DATA_DIR", &app.settings.data_dir)
        .env("CAREBRIDGE_LOG", "error")
        .env_remove("CAREBRIDGE_VAULT_KEY")
        .env_remove("CAREBRIDGE_NEW_VAULT_KEY");
    command
}

// Threads: the app under test keeps serving (and finishes what it
// holds) while this test waits on the command it runs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_create_reads_the_password_from_stdin() {
    let app = TestApp::spawn().await;
    let mut child = carebridge(&app)
        .args(["admin", "create", "--username", "cli_admin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run carebridge");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"a long passphrase for the county\n")
        .expect("write");
    let output = child.wait_with_output().expect("wait");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    app.client()
        .login("cli_admin", "a long passphrase for the county")
        .await
        .assert_status(axum::http::StatusCode::OK);
}

// Threads: the app under test keeps serving (and finishes what it
// holds) while this test waits on the command it runs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_verify_exits_1_naming_the_altered_entry() {
    use sea_orm::ConnectionTrait;
    let app = TestApp::spawn().await;
    app.register_provider().await;
    app.register_provider().await;
    let ok = carebridge(&app)
        .args(["audit", "verify"])
        .output()
        .expect("run");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("intact"));
    app.drop_audit_update_trigger().await;
    app.db
        .execute_unprepared("UPDATE audit_log SET detail = 'kind=enterprise' WHERE seq = 2")
        .await
        .expect("tamper");
    let broken = carebridge(&app)
        .args(["audit", "verify"])
        .output()
        .expect("run");
    assert_eq!(broken.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&broken.stderr).contains("entry #2"),
        "{}",
        String::from_utf8_lossy(&broken.stderr)
    );
}

#[test]
fn an_unreachable_database_is_one_clear_line_without_the_password() {
    let output = Command::new(env!("CARGO_BIN_EXE_carebridge"))
        .args(["migrate"])
        .env(
            "DATABASE_URL",
            "postgres://carebridge:topsecret@127.0.0.1:1/carebridge",
        )
        .env("CAREBRIDGE_LOG", "error")
        .output()
        .expect("run");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("postgres://carebridge:***@127.0.0.1:1/carebridge"),
        "{stderr}"
    );
    assert!(!stderr.contains("topsecret"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}
