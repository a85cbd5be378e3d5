//! A notification across a mail-server outage and a restart of the
//! portal: `carebridge serve` with `--smtp-url` pointing at a server that
//! is down queues the mail with the event and fails to send it; the node
//! is stopped (SIGTERM); the server comes back; the restarted node sends
//! the mail, once — and a further restart sends nothing again.

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use carebridge::db::entities::{notification_outbox, notification_pref};
use carebridge::domain::Role;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::helpers::{TOWNSHIP_A, TestApp, family_body};
use crate::node::{Http, Node, NodeDir};
use crate::notify_servers::SmtpServer;

const ADDRESS: &str = "officer-ops@example.org";

/// The officer's messages of `kind`.
async fn messages(app: &TestApp, user: &str, kind: &str) -> Vec<notification_outbox::Model> {
    notification_outbox::Entity::find()
        .filter(notification_outbox::Column::UserId.eq(user))
        .filter(notification_outbox::Column::Kind.eq(kind))
        .all(&app.db)
        .await
        .expect("outbox")
}

/// Waits (at most `secs`) until `done` holds, polling.
async fn wait_for<F: AsyncFn() -> bool>(secs: u64, what: &str, node: &Node, done: F) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !done().await {
        assert!(
            Instant::now() < deadline,
            "{what} did not happen:\n{}",
            node.log()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn mails_to(smtp: &SmtpServer) -> Vec<crate::notify_servers::Received> {
    smtp.received()
        .into_iter()
        .filter(|m| m.rcpt.iter().any(|r| r.contains(ADDRESS)))
        .collect()
}

// Threads: the node is polled while the SMTP server task serves.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mail_queued_while_the_server_is_down_arrives_once_after_a_restart() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let officer_id = officer.get("/api/v1/me").await.json()["id"]
        .as_str()
        .expect("id")
        .to_owned();
    // A confirmed address, written as the confirmation link leaves it.
    let now = chrono::Utc::now();
    carebridge::db::notify::save_prefs(
        &app.db,
        notification_pref::Model {
            user_id: officer_id.clone(),
            email: Some(ADDRESS.to_owned()),
            email_confirmed_at: Some(now),
            email_token_hash: None,
            email_token_expires: None,
            sms_phone: None,
            channels: "{}".to_owned(),
            digest: "none".to_owned(),
            updated_at: now,
        },
    )
    .await
    .expect("preferences");
    drop(officer);

    // The mail server is down from the start (its port stays reserved in
    // the test's name only: nothing listens).
    let mut smtp = SmtpServer::start().await;
    smtp.stop().await;
    let smtp_url = smtp.url();
    let flags = ["--smtp-url", smtp_url.as_str()];
    let dir = NodeDir::beside(&app);
    let mut node = Node::start_with(&dir, &flags).await;

    // A family applies over HTTP: the township's inbox, and the officer's mail.
    let username = app.unique("family");
    let (status, _) = Http::anonymous(&node)
        .post("/api/v1/families", &family_body(&username, TOWNSHIP_A))
        .await
        .expect("apply");
    assert_eq!(status, StatusCode::CREATED);
    // The node's worker tries and fails (connection refused).
    wait_for(30, "a failed attempt", &node, async || {
        messages(&app, &officer_id, "family_to_assess")
            .await
            .first()
            .is_some_and(|m| m.attempts >= 1 && m.last_error.is_some())
    })
    .await;
    let queued = messages(&app, &officer_id, "family_to_assess").await;
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].status, "pending");
    let id = queued[0].id.clone();

    let status = node.terminate().await;
    assert!(status.success(), "exit {status}:\n{}", node.log());
    assert!(mails_to(&smtp).is_empty());

    smtp.resume().await;
    let mut node = Node::start_with(&dir, &flags).await;
    // Sent once its backoff (30 s after the failure) has passed.
    wait_for(120, "the mail's delivery", &node, async || {
        !mails_to(&smtp).is_empty()
    })
    .await;
    wait_for(30, "the mail marked sent", &node, async || {
        messages(&app, &officer_id, "family_to_assess")
            .await
            .first()
            .is_some_and(|m| m.status == "sent")
    })
    .await;
    let status = node.terminate().await;
    assert!(status.success(), "exit {status}:\n{}", node.log());

    // Another start: the sent message is never sent again.
    let node = Node::start_with(&dir, &flags).await;
    tokio::time::sleep(crate::node::WORKER_ROUNDS).await;
    drop(node);

    let mails = mails_to(&smtp);
    assert_eq!(mails.len(), 1, "delivered exactly once: {mails:#?}");
    let message_id = mails[0].header("Message-ID").expect("Message-ID");
    assert!(message_id.contains(&id), "{message_id}");
    assert!(mails[0].text().contains("待走访评估的爱心家庭"));
    let row = messages(&app, &officer_id, "family_to_assess").await;
    assert_eq!(row.len(), 1);
    assert_eq!(row[0].status, "sent");
    assert!(row[0].attempts >= 2, "{:?}", row[0]);
}
