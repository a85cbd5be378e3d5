//! Notifications (issue 18): messages queued with the events that put
//! something in an inbox, sent by the worker over a real SMTP socket (the
//! real `lettre` client) and an HTTP SMS gateway, with retries across a
//! restart, channel preferences, the daily digest, confirmation links, two
//! workers on one database, and no child's identity in any message.

use std::collections::HashSet;

use axum::http::{Method, StatusCode};
use carebridge::domain::Role;
use carebridge::services::notify::worker::Worker;
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::helpers::{TOWNSHIP_A, TestApp, TestClient};
use crate::match_helpers::{CHILD_NAME, GUARDIAN_PHONE, Scene, child_with_need, propose};
use crate::notify_servers::{SmsGateway, SmtpServer};

type Outbox = carebridge::db::entities::notification_outbox::Entity;

/// A worker of `app` sending through `smtp` and (optionally) `sms`.
pub fn worker(app: &TestApp, smtp: &SmtpServer, sms: Option<&SmsGateway>) -> Worker {
    let mut settings = app.settings.clone();
    settings.notify.smtp_url = Some(carebridge::config::Secret::new(smtp.url()));
    settings.notify.sms_url = sms.map(|s| carebridge::config::Secret::new(s.url()));
    settings.notify.public_url = "https://carebridge.example.org".to_owned();
    carebridge::app::notify_worker(&app.prepared, &settings).expect("worker")
}

async fn put_prefs(client: &mut TestClient, body: Value) -> Value {
    let response = client
        .send_json(Method::PUT, "/api/v1/me/notifications", body)
        .await;
    response.assert_status(StatusCode::OK);
    response.json()
}

/// The token of the last confirmation mail to `address`.
fn token_sent_to(smtp: &SmtpServer, address: &str) -> String {
    let mail = smtp
        .received()
        .into_iter()
        .rev()
        .find(|m| m.rcpt.iter().any(|r| r.contains(address)) && m.text().contains("token="))
        .expect("a confirmation mail");
    let text = mail.text();
    let start = text.find("token=").expect("token") + 6;
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// Gives `client` the e-mail `address` (and `extra` settings), confirmed
/// through the link of the mail the worker sends.
pub async fn subscribe(
    app: &TestApp,
    smtp: &SmtpServer,
    client: &mut TestClient,
    address: &str,
    extra: Value,
) {
    let mut body = json!({"email": {"address": address}, "digest": "none"});
    for (k, v) in extra.as_object().expect("object") {
        body[k] = v.clone();
    }
    let saved = put_prefs(client, body).await;
    assert_eq!(saved["email"]["confirmed"], false, "{saved}");
    worker(app, smtp, None).run_once().await.expect("round");
    let token = token_sent_to(smtp, address);
    let confirmed = client
        .post_json("/api/v1/me/notifications/confirm", json!({"token": token}))
        .await;
    confirmed.assert_status(StatusCode::OK);
    assert_eq!(confirmed.json()["email"]["confirmed"], true);
}

/// Mails received for `address` that are not confirmation mails.
pub fn notices_to(smtp: &SmtpServer, address: &str) -> Vec<crate::notify_servers::Received> {
    smtp.received()
        .into_iter()
        .filter(|m| m.rcpt.iter().any(|r| r.contains(address)) && !m.text().contains("token="))
        .collect()
}

#[tokio::test]
async fn a_mail_is_retried_while_the_server_is_down_and_sent_once_after_a_restart() {
    let mut app = TestApp::spawn().await;
    let mut smtp = SmtpServer::start().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    subscribe(&app, &smtp, &mut officer, "officer@example.org", json!({})).await;

    smtp.stop().await;
    app.apply_family(TOWNSHIP_A).await;
    let round = worker(&app, &smtp, None).run_once().await.expect("round");
    assert_eq!((round.sent, round.failed), (0, 1));
    let rows = Outbox::find().all(&app.db).await.expect("outbox");
    let waiting: Vec<_> = rows
        .iter()
        .filter(|m| m.kind == "family_to_assess")
        .collect();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].status, "pending");
    assert_eq!(waiting[0].attempts, 1);
    assert!(waiting[0].last_error.is_some());
    let id = waiting[0].id.clone();

    // The portal restarts (its clients' routers let go of the index);
    // the server comes back.
    drop(officer);
    app.restart().await;
    smtp.resume().await;
    // Not yet due: the backoff holds it.
    let early = worker(&app, &smtp, None).run_once().await.expect("round");
    assert_eq!(early.sent, 0);
    app.advance_clock(chrono::Duration::seconds(31));
    let round = worker(&app, &smtp, None).run_once().await.expect("round");
    assert_eq!(round.sent, 1);
    // Sent is final: later rounds (another start) send nothing again.
    app.restart().await;
    app.advance_clock(chrono::Duration::hours(2));
    let again = worker(&app, &smtp, None).run_once().await.expect("round");
    assert_eq!(again.sent, 0);

    let mails = notices_to(&smtp, "officer@example.org");
    assert_eq!(mails.len(), 1, "delivered exactly once");
    let message_id = mails[0].header("Message-ID").expect("Message-ID");
    assert!(message_id.contains(&id), "{message_id}");
    let text = mails[0].text();
    assert!(text.contains("待走访评估的爱心家庭"), "{text}");
    assert!(
        text.contains("https://carebridge.example.org/families/"),
        "{text}"
    );
}

#[tokio::test]
async fn two_workers_on_one_database_never_send_a_message_twice() {
    let app = TestApp::spawn().await;
    let smtp = SmtpServer::start().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    subscribe(&app, &smtp, &mut officer, "twice@example.org", json!({})).await;
    for _ in 0..6 {
        app.apply_family(TOWNSHIP_A).await;
    }
    // A second node: its own connections to the same database.
    let other_db = carebridge::db::connect(&app.settings.database_url)
        .await
        .expect("second connection");
    let first = worker(&app, &smtp, None);
    let mut second = worker(&app, &smtp, None);
    second.db = other_db;
    second.node = "second-node".to_owned();
    let rounds = futures_util::future::join_all([first.run_once(), second.run_once()]).await;
    let sent: u64 = rounds.into_iter().map(|r| r.expect("round").sent).sum();
    assert_eq!(sent, 6);
    let mails = notices_to(&smtp, "twice@example.org");
    let ids: HashSet<String> = mails
        .iter()
        .map(|m| m.header("Message-ID").expect("id"))
        .collect();
    assert_eq!(mails.len(), 6);
    assert_eq!(ids.len(), 6, "no Message-ID twice");
}

#[tokio::test]
async fn a_wrong_or_expired_token_is_refused_and_an_unconfirmed_address_gets_nothing() {
    let app = TestApp::spawn().await;
    let smtp = SmtpServer::start().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    put_prefs(
        &mut officer,
        json!({"email": {"address": "late@example.org"}, "digest": "none"}),
    )
    .await;
    worker(&app, &smtp, None).run_once().await.expect("round");
    let token = token_sent_to(&smtp, "late@example.org");

    let wrong = officer
        .post_json(
            "/api/v1/me/notifications/confirm",
            json!({"token": "not-the-token"}),
        )
        .await;
    wrong.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.json()["error"]["code"], "invalid");

    // Unconfirmed: an event queues nothing for this address.
    app.apply_family(TOWNSHIP_A).await;
    worker(&app, &smtp, None).run_once().await.expect("round");
    assert!(notices_to(&smtp, "late@example.org").is_empty());
    let queued = Outbox::find().all(&app.db).await.expect("outbox");
    assert!(
        queued.iter().all(|m| m.kind == "email_confirm"),
        "{queued:?}"
    );

    // Another user cannot use the token either.
    let mut colleague = app.login_as(Role::TownshipOfficer).await;
    colleague
        .post_json("/api/v1/me/notifications/confirm", json!({"token": token}))
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);

    // Past its validity the right token is refused too.
    app.advance_clock(chrono::Duration::hours(49));
    officer
        .post_json("/api/v1/me/notifications/confirm", json!({"token": token}))
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let prefs = officer.get("/api/v1/me/notifications").await.json();
    assert_eq!(prefs["email"]["confirmed"], false);
}

#[tokio::test]
async fn each_officer_gets_the_channels_they_chose_and_the_digest_once_a_day() {
    let app = TestApp::spawn().await;
    let smtp = SmtpServer::start().await;
    let sms = SmsGateway::start().await;
    let mut by_mail = app.login_as(Role::TownshipOfficer).await;
    subscribe(&app, &smtp, &mut by_mail, "mail@example.org", json!({})).await;
    let mut by_sms = app.login_as(Role::TownshipOfficer).await;
    subscribe(
        &app,
        &smtp,
        &mut by_sms,
        "sms@example.org",
        json!({"sms": {"phone": "13800001111"}, "channels": {"family_to_assess": ["sms"]}}),
    )
    .await;
    let mut silent = app.login_as(Role::TownshipOfficer).await;
    subscribe(
        &app,
        &smtp,
        &mut silent,
        "silent@example.org",
        json!({"channels": {"family_to_assess": []}}),
    )
    .await;
    let mut daily = app.login_as(Role::TownshipOfficer).await;
    subscribe(
        &app,
        &smtp,
        &mut daily,
        "daily@example.org",
        json!({"digest": "daily"}),
    )
    .await;
    let read = daily.get("/api/v1/me/notifications").await.json();
    assert_eq!(read["digest"], "daily");
    assert_eq!(read["channels"]["family_to_assess"], json!(["email"]));

    app.apply_family(TOWNSHIP_A).await;
    app.apply_family(TOWNSHIP_A).await;
    let w = worker(&app, &smtp, Some(&sms));
    w.run_once().await.expect("round");

    assert_eq!(notices_to(&smtp, "mail@example.org").len(), 2);
    assert!(notices_to(&smtp, "sms@example.org").is_empty());
    let texts = sms.received();
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(texts.iter().all(|t| t["phone"] == "13800001111"));
    assert!(
        texts[0]["text"]
            .as_str()
            .expect("text")
            .contains("待走访评估的爱心家庭")
    );
    assert!(notices_to(&smtp, "silent@example.org").is_empty());
    assert!(
        notices_to(&smtp, "daily@example.org").is_empty(),
        "held for the digest"
    );

    // A day later: one digest with both items.
    app.advance_clock(chrono::Duration::hours(25));
    let round = w.run_once().await.expect("round");
    assert_eq!(round.digests, 1);
    let digest = notices_to(&smtp, "daily@example.org");
    assert_eq!(digest.len(), 1);
    let text = digest[0].text();
    assert!(text.contains("2项新的待办"), "{text}");
    assert_eq!(text.matches("待走访评估的爱心家庭").count(), 2, "{text}");
    app.advance_clock(chrono::Duration::hours(25));
    w.run_once().await.expect("round");
    assert_eq!(notices_to(&smtp, "daily@example.org").len(), 1);
    assert!(notices_to(&smtp, "silent@example.org").is_empty());
}

#[tokio::test]
async fn preferences_are_checked_and_the_account_page_saves_them_without_javascript() {
    let app = TestApp::spawn().await;
    let mut provider = app.verified_provider().await;
    let refused = provider
        .send_json(
            Method::PUT,
            "/api/v1/me/notifications",
            json!({"email": {"address": "not an address"}, "sms": {"phone": "12"},
                   "channels": {"match_proposed": ["email"], "match_suggested": ["fax"]},
                   "digest": "weekly"}),
        )
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let fields = refused.error_fields();
    for field in ["email", "sms", "channels", "digest"] {
        assert!(fields.iter().any(|f| f == field), "{field}: {fields:?}");
    }
    // The form: a kind unticked is none; the address needs confirming.
    let page = provider.get("/account").await;
    page.assert_status(StatusCode::OK);
    assert!(page.text().contains("待办提醒"));
    let csrf = provider.page_csrf("/account").await;
    let saved = provider
        .post_form(
            "/account/notifications",
            &[
                ("csrf_token", &csrf),
                ("email", "org@example.org"),
                ("sms", "13800002222"),
                ("ch_match_suggested", "sms"),
                ("digest", "daily"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    let read = provider.get("/api/v1/me/notifications").await.json();
    assert_eq!(
        read["email"],
        json!({"address": "org@example.org", "confirmed": false})
    );
    assert_eq!(read["sms"]["phone"], "13800002222");
    assert_eq!(read["channels"]["match_suggested"], json!(["sms"]));
    assert_eq!(read["channels"]["match_to_serve"], json!([]));
    assert_eq!(read["digest"], "daily");
    assert!(provider.get("/account").await.text().contains("待确认"));
}

/// Every message queued and sent while the canary child's need goes
/// through the workflows that notify: none holds the child's name, ID
/// number or guardian's phone.
#[tokio::test]
async fn no_message_queued_or_sent_names_the_canary_child() {
    let app = TestApp::spawn().await;
    let smtp = SmtpServer::start().await;
    let sms = SmsGateway::start().await;
    let mut scene = Scene::new(&app, 10).await;
    let mut admin = app.admin().await;
    // Every kind of each role by both channels.
    let both = |address: &str, phone: &str, role: Role| {
        let channels: serde_json::Map<String, Value> = carebridge::domain::inbox::kinds_for(role)
            .iter()
            .map(|k| (k.as_str().to_owned(), json!(["email", "sms"])))
            .collect();
        json!({"sms": {"phone": phone}, "channels": channels, "email": {"address": address}})
    };
    subscribe(
        &app,
        &smtp,
        &mut scene.officer,
        "o@example.org",
        both("o@example.org", "13800003333", Role::TownshipOfficer),
    )
    .await;
    subscribe(
        &app,
        &smtp,
        &mut scene.provider,
        "p@example.org",
        both("p@example.org", "13800004444", Role::Provider),
    )
    .await;
    subscribe(
        &app,
        &smtp,
        &mut admin,
        "c@example.org",
        both("c@example.org", "13800005555", Role::CountyAdmin),
    )
    .await;

    // A proposal (to the township), its approval (to the owner), an
    // officer's suggestion (to the owner), a service logged (to the
    // township), a registration (county), a family (township), and a
    // report that names the child (township).
    let approved = scene.approved().await;
    let (_, code2, id2) = child_with_need(&mut scene.officer, "tutoring", 1).await;
    propose(&mut scene.officer, &code2, &scene.offer).await;
    let logged = scene
        .provider
        .post_json(
            &format!("/api/v1/matches/{approved}/services"),
            json!({"served_on": chrono::Local::now().format("%Y/%m/%d").to_string(), "hours": 2.0, "summary": "辅导数学"}),
        )
        .await;
    assert!(logged.status.is_success(), "{}", logged.text());
    app.register_provider().await;
    app.apply_family(TOWNSHIP_A).await;
    let report = crate::reports::report_body(
        TOWNSHIP_A,
        true,
        &format!(
            "{CHILD_NAME}被关在家里，监护人电话{GUARDIAN_PHONE}，身份证{}",
            scene.id_number
        ),
    );
    app.client()
        .post_json("/api/v1/reports", report)
        .await
        .assert_status(StatusCode::CREATED);
    // A need of the canary child left unmatched past the inbox's days:
    // the due-notice sweep tells the township of it.
    child_with_need(&mut scene.officer, "tutoring", 1).await;
    app.advance_clock(chrono::Duration::days(8));
    let due =
        carebridge::services::notify::due::sweep(app.prepared.store(), app.settings.overdue_days)
            .await
            .expect("due sweep");
    assert_eq!(due.needs_unmatched, 1);

    let round = worker(&app, &smtp, Some(&sms))
        .run_once()
        .await
        .expect("round");
    assert_eq!(round.failed, 0);

    let rows = Outbox::find().all(&app.db).await.expect("outbox");
    let kinds: HashSet<&str> = rows.iter().map(|m| m.kind.as_str()).collect();
    for kind in [
        "match_proposed",
        "match_to_serve",
        "match_suggested",
        "match_to_complete",
        "provider_to_verify",
        "family_to_assess",
        "report_to_respond",
        "need_unmatched",
    ] {
        assert!(kinds.contains(kind), "{kind} queued: {kinds:?}");
    }
    let secrets = [
        CHILD_NAME,
        GUARDIAN_PHONE,
        scene.id_number.as_str(),
        id2.as_str(),
    ];
    let mut scanned = 0;
    let mut scan = |what: &str, text: &str| {
        scanned += 1;
        for secret in secrets {
            assert!(!text.contains(secret), "{what} holds {secret}: {text}");
        }
    };
    for row in &rows {
        scan(
            "queued",
            &format!("{} {} {} {}", row.subject, row.body, row.path, row.address),
        );
    }
    for mail in smtp.received() {
        scan("mail", &mail.raw);
        scan("mail text", &mail.text());
    }
    for body in sms.received() {
        scan("sms", &body.to_string());
    }
    assert!(scanned > 20, "{scanned} messages scanned");
    assert!(sms.received().len() >= 7);
    // The need codes and offer title are what a message names.
    assert!(rows.iter().any(|m| m.body.contains(&scene.code)));
}
