//! The audit log: what is written, that the database refuses changes, and
//! that `audit verify` finds an entry altered behind the application's back.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use carebridge::services::audit::{Verification, verify};
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::helpers::{ADMIN, PASSWORD, TestApp};

#[tokio::test]
async fn every_decision_and_login_is_audited() {
    let app = TestApp::spawn().await;
    let (id, _) = app.register_provider().await;
    let mut admin = app.admin().await;
    admin
        .post_json(
            &format!("/api/v1/providers/{id}/decision"),
            json!({"decision": "verify"}),
        )
        .await
        .assert_status(StatusCode::OK);
    app.client().login(ADMIN, "definitely wrong pw").await;
    let log = admin.get("/api/v1/audit?limit=100").await;
    log.assert_status(StatusCode::OK);
    let entries = log.json()["items"].as_array().cloned().expect("items");
    let find = |action: &str, outcome: &str| {
        entries
            .iter()
            .find(|e| e["action"] == action && e["outcome"] == outcome)
            .cloned()
    };
    let register = find("provider.register", "success").expect("registration audited");
    assert_eq!(register["target"], format!("provider:{id}"));
    let decision = find("provider.decide", "success").expect("decision audited");
    assert_eq!(decision["actor"], ADMIN);
    assert_eq!(decision["role"], "county_admin");
    assert_eq!(decision["detail"], "pending -> verified");
    assert!(
        decision["request_id"]
            .as_str()
            .is_some_and(|r| !r.is_empty())
    );
    assert!(decision["at"].as_str().is_some_and(|t| t.ends_with('Z')));
    assert!(find("session.login", "success").is_some());
    assert!(find("session.login", "failure").is_some());
    assert_eq!(
        verify(&app.db).await.expect("verify"),
        Verification::Intact {
            entries: entries.len() as u64
        }
    );
}

#[tokio::test]
async fn the_database_refuses_update_and_delete_on_the_audit_log() {
    let app = TestApp::spawn().await;
    app.register_provider().await;
    let update = app
        .db
        .execute_unprepared("UPDATE audit_log SET outcome = 'failure'")
        .await;
    assert!(update.is_err(), "UPDATE must be refused");
    let delete = app.db.execute_unprepared("DELETE FROM audit_log").await;
    assert!(delete.is_err(), "DELETE must be refused");
    assert!(matches!(
        verify(&app.db).await.expect("verify"),
        Verification::Intact { .. }
    ));
}

#[tokio::test]
async fn verify_names_the_entry_altered_behind_the_applications_back() {
    let app = TestApp::spawn().await;
    app.register_provider().await;
    app.register_provider().await;
    app.register_provider().await;
    app.drop_audit_update_trigger().await;
    app.db
        .execute_unprepared("UPDATE audit_log SET actor_name = 'someone_else' WHERE seq = 3")
        .await
        .expect("tamper");
    match verify(&app.db).await.expect("verify") {
        Verification::Broken { seq, .. } => assert_eq!(seq, 3),
        other => panic!("tampering not detected: {other:?}"),
    }
}

#[tokio::test]
async fn only_county_staff_read_the_audit_log() {
    let app = TestApp::spawn().await;
    let mut officer = app
        .login_as(carebridge::domain::Role::TownshipOfficer)
        .await;
    officer
        .get("/api/v1/audit")
        .await
        .assert_status(StatusCode::FORBIDDEN);
    app.client()
        .get("/api/v1/audit")
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
}

/// A client's `X-Request-Id` is its own business: the audit log and the
/// answer carry an id the server made, one per request.
#[tokio::test]
async fn audit_entries_and_answers_carry_the_servers_request_id_never_the_clients() {
    let app = TestApp::spawn().await;
    app.seed_admin().await;
    let mut ids = Vec::new();
    for (password, chosen) in [
        (PASSWORD, "attacker-chosen".to_owned()),
        ("definitely wrong pw", "attacker-chosen".to_owned()),
        (PASSWORD, "x".repeat(300)),
    ] {
        let body = json!({"username": ADMIN, "password": password});
        let request = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/session")
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-request-id", chosen.as_str())
            .body(Body::from(body.to_string()))
            .expect("request");
        let response = app.client().send(request).await;
        assert!(response.status.is_success() || response.status == StatusCode::UNAUTHORIZED);
        let answered: Vec<&str> = response
            .headers
            .get_all("x-request-id")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        assert_eq!(answered.len(), 1, "{answered:?}");
        let id = answered[0].to_owned();
        assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id} is not a UUID");
        ids.push(id);
    }
    let entries = app.audit_entries("session.login").await;
    for id in &ids {
        let entry = entries
            .iter()
            .find(|e| e["request_id"] == id.as_str())
            .unwrap_or_else(|| panic!("no login entry with request id {id}: {entries:?}"));
        assert!(entry["outcome"].is_string());
    }
    for entry in &entries {
        let recorded = entry["request_id"].as_str().expect("request id");
        assert!(uuid::Uuid::parse_str(recorded).is_ok(), "{recorded}");
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3, "one id per request");
}

#[tokio::test]
async fn the_audit_page_names_actions_and_objects_in_chinese_in_beijing_time_with_filters() {
    let app = TestApp::spawn().await;
    let mut officer = app
        .login_as(carebridge::domain::Role::TownshipOfficer)
        .await;
    let created = officer
        .post_json(
            "/api/v1/children",
            crate::helpers::child_body(
                "柏文轩",
                &crate::helpers::id_number_for("20140506", 3, true),
                crate::helpers::TOWNSHIP_A,
                crate::helpers::VILLAGE_A,
            ),
        )
        .await;
    created.assert_status(StatusCode::CREATED);
    let child = created.json()["id"].as_str().expect("id").to_owned();
    let file_no = created.json()["file_no"]
        .as_str()
        .expect("file_no")
        .to_owned();
    let entry = app.audit_entries("child.create").await.remove(0);
    let officer_name = entry["actor"].as_str().expect("actor").to_owned();
    let beijing = chrono::DateTime::parse_from_rfc3339(entry["at"].as_str().expect("at"))
        .expect("rfc 3339")
        .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("offset"));
    let beijing = format!(
        "{}年{}月{}日 {}",
        chrono::Datelike::year(&beijing),
        chrono::Datelike::month(&beijing),
        chrono::Datelike::day(&beijing),
        beijing.format("%H:%M")
    );

    let mut admin = app.admin().await;
    let page = admin.get("/audit").await;
    page.assert_status(StatusCode::OK);
    let html = page.text();
    assert!(html.contains("新建儿童档案"), "the action in Chinese");
    assert!(html.contains("登录"));
    assert!(!html.contains(">child.create<") && !html.contains(">session.login"));
    assert!(
        html.contains(&format!(r#"<a href="/children/{child}">{file_no}</a>"#)),
        "the object named by its file number, linked"
    );
    assert!(
        !html.contains(&format!("child:{child}<")),
        "no raw object id"
    );
    assert!(html.contains(&beijing), "the time in Beijing time");
    assert!(!html.contains("(UTC)"));

    let only = admin.get("/audit?action=child.create").await.text();
    assert!(only.contains(&file_no));
    assert!(
        !only.contains(r#"<td data-label="操作">登录"#),
        "other actions filtered out"
    );

    let by_user = admin
        .get(&format!("/audit?user={officer_name}"))
        .await
        .text();
    assert!(by_user.contains("新建儿童档案"));
    assert!(
        !by_user.contains(&format!(">{ADMIN}<")),
        "the admin's own entries left out"
    );

    let by_object = admin
        .get(&format!("/audit?target=child:{child}"))
        .await
        .text();
    assert!(by_object.contains("新建儿童档案"));
    assert!(!by_object.contains(r#"<td data-label="操作">登录"#));
}

/// Reading a file is recorded on its own (no other write): views at the
/// same moment each take their own place in the chain. Appended through the
/// pool, two views took the same sequence number: one failed with a server
/// error and the chain's head and entries drifted apart.
#[tokio::test]
async fn views_of_a_file_at_the_same_moment_each_take_their_own_place_in_the_chain() {
    let app = TestApp::spawn().await;
    let mut officer = app
        .login_as(carebridge::domain::Role::TownshipOfficer)
        .await;
    let child = officer
        .create_child(crate::helpers::child_body(
            "柏晓彤",
            &crate::helpers::id_number_for("20150312", 1, false),
            crate::helpers::TOWNSHIP_A,
            crate::helpers::VILLAGE_A,
        ))
        .await;
    let path = format!("/children/{child}");
    let views = (0..16).map(|_| {
        let mut client = officer.clone();
        let path = path.clone();
        async move { client.get(&path).await.status }
    });
    let answers = futures_util::future::join_all(views).await;
    assert!(answers.iter().all(|s| *s == StatusCode::OK), "{answers:?}");
    assert_eq!(app.audit_entries("child.view").await.len(), 16);
    assert!(matches!(
        verify(&app.db).await.expect("verify"),
        Verification::Intact { .. }
    ));
}

/// Entries recorded without another write arrive together when many read
/// at once; they are appended in one transaction (one commit, one flush to
/// disk) rather than one after another, and the chain stays whole.
#[tokio::test]
async fn entries_arriving_together_are_appended_in_one_transaction() {
    use carebridge::services::RequestCtx;
    use carebridge::services::audit::{Event, Group, append_alone};

    let app = TestApp::spawn().await;
    let group = Group::new(app.db.clone());
    let store = carebridge::services::Store {
        audit: Some(&group),
        ..app.prepared.store()
    };
    // Another write holds the lock while the entries arrive.
    let blocker = carebridge::db::begin_write(&app.db).await.expect("begin");
    carebridge::db::audit::lock_head(&blocker)
        .await
        .expect("lock the head");
    let ctx = RequestCtx::system();
    let reads = (0..16).map(|i| {
        let ctx = &ctx;
        async move {
            append_alone(
                store,
                ctx,
                Event::success("child.view", format!("child:grouped-{i}")),
            )
            .await
        }
    });
    let release = async {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        blocker.commit().await.expect("commit");
    };
    let (appended, ()) = tokio::join!(futures_util::future::join_all(reads), release);
    assert!(appended.iter().all(Result::is_ok), "{appended:?}");
    assert_eq!(app.audit_entries("child.view").await.len(), 16);
    // The first entry waited alone for the lock; all the others were
    // waiting behind it and went in together.
    assert!(
        (1..=2).contains(&group.commits()),
        "{} commits",
        group.commits()
    );
    assert!(matches!(
        verify(&app.db).await.expect("verify"),
        Verification::Intact { .. }
    ));
}
