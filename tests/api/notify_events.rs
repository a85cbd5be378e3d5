//! Notifications of the events added after the first round (issue 18):
//! files and needs a village drafted, a department's question on a
//! referral, a decided report waiting to be closed, and the moments the
//! report sweep records (overdue, escalated) — each queued once, in the
//! transaction of its event, and none naming the child. Also the cost of
//! the queue-length gauge.

use axum::http::StatusCode;
use carebridge::db::entities::report::Column as ReportColumn;
use carebridge::db::statements::counting;
use carebridge::domain::Role;
use chrono::Duration;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde_json::json;

use crate::entitlements::orphan_body;
use crate::helpers::{
    TOWNSHIP_A, TestApp, TestClient, VILLAGE_A, child_body, id_number_for, need_body,
};
use crate::match_helpers::{CHILD_NAME, GUARDIAN_PHONE};
use crate::notify::{notices_to, subscribe, worker};
use crate::notify_servers::SmtpServer;
use crate::referrals::department;
use crate::reports::{assessed, file, id_of, report_body, responded, step};

type Outbox = carebridge::db::entities::notification_outbox::Entity;
type OutboxColumn = carebridge::db::entities::notification_outbox::Column;

async fn user_id(client: &mut TestClient) -> String {
    client.get("/api/v1/me").await.json()["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

/// The messages queued for `user` of `kind`.
async fn queued(
    app: &TestApp,
    user: &str,
    kind: &str,
) -> Vec<carebridge::db::entities::notification_outbox::Model> {
    Outbox::find()
        .filter(OutboxColumn::UserId.eq(user))
        .filter(OutboxColumn::Kind.eq(kind))
        .all(&app.db)
        .await
        .expect("outbox")
}

async fn sweep(app: &TestApp) -> carebridge::services::reports::Swept {
    carebridge::services::reports::sweep(app.prepared.store())
        .await
        .expect("sweep")
}

#[tokio::test]
async fn village_drafts_department_questions_and_decided_reports_reach_the_township_by_mail() {
    let app = TestApp::spawn().await;
    let smtp = SmtpServer::start().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    subscribe(&app, &smtp, &mut officer, "officer@example.org", json!({})).await;
    let officer_id = user_id(&mut officer).await;
    let mut supervisor = app.login_as(Role::VillageSupervisor).await;
    // The supervisor gave an address too: the township's kinds are not theirs.
    subscribe(
        &app,
        &smtp,
        &mut supervisor,
        "village@example.org",
        json!({}),
    )
    .await;

    // The village drafts the canary child's file and a need for it.
    let id_number = id_number_for("20150312", 41, false);
    let mut body = child_body(CHILD_NAME, &id_number, TOWNSHIP_A, VILLAGE_A);
    body["guardian_phone"] = json!(GUARDIAN_PHONE);
    let draft = supervisor.create_child(body).await;
    let need = supervisor
        .post_json("/api/v1/needs", need_body(&draft))
        .await;
    need.assert_status(StatusCode::CREATED);
    let need_code = need.json()["code"].as_str().expect("code").to_owned();

    // The officer's own file and draft need wait for no one else.
    let orphan = officer
        .create_child(orphan_body("柏小雨", &id_number_for("20150307", 42, false)))
        .await;
    officer
        .post_json("/api/v1/needs", need_body(&orphan))
        .await
        .assert_status(StatusCode::CREATED);

    // A department asks about a referral.
    let sent = officer
        .post_json(
            "/api/v1/referrals",
            json!({"child_id": orphan, "entitlement": "orphan_allowance", "summary": "孤儿，尚未纳入孤儿保障。"}),
        )
        .await;
    sent.assert_status(StatusCode::CREATED);
    let referral = sent.json()["id"].as_str().expect("id").to_owned();
    let mut civil = department(&app, "civil_affairs").await;
    let question = "请补充监护人户籍证明材料。";
    civil
        .post_json(
            &format!("/api/v1/referrals/{referral}/comment"),
            json!({"text": question}),
        )
        .await
        .assert_status(StatusCode::CREATED);
    // The township's own reply asks nothing.
    officer
        .post_json(
            &format!("/api/v1/referrals/{referral}/comment"),
            json!({"text": "已上传，请查收。"}),
        )
        .await
        .assert_status(StatusCode::CREATED);

    // A report is decided: its follow-up and closing wait.
    let told = format!("{CHILD_NAME}独自在家，电话{GUARDIAN_PHONE}");
    let (reference, _) = file(&app, report_body(TOWNSHIP_A, true, &told)).await;
    let report = id_of(&mut officer, &reference).await;
    assessed(&mut officer, &report).await;
    step(
        &mut officer,
        &report,
        "decide",
        json!({"decision": "intervention"}),
    )
    .await
    .assert_status(StatusCode::OK);

    for (kind, n) in [
        ("file_to_complete", 1),
        ("need_to_publish", 1),
        ("referral_question", 1),
        ("report_to_close", 1),
    ] {
        assert_eq!(
            queued(&app, &officer_id, kind).await.len(),
            n,
            "{kind} queued once for the officer"
        );
    }
    let supervisor_id = user_id(&mut supervisor).await;
    let theirs = Outbox::find()
        .filter(OutboxColumn::UserId.eq(supervisor_id.as_str()))
        .filter(OutboxColumn::Kind.ne("email_confirm"))
        .all(&app.db)
        .await
        .expect("outbox");
    assert!(theirs.is_empty(), "the village is told nothing: {theirs:?}");

    let round = worker(&app, &smtp, None).run_once().await.expect("round");
    assert_eq!(round.failed, 0);
    let mails = notices_to(&smtp, "officer@example.org");
    let texts: Vec<String> = mails.iter().map(|m| m.text()).collect();
    for label in [
        "村（社区）起草、待完善的儿童档案",
        "村（社区）起草、待发布的需求",
        "部门询问、待回复的转介",
        "待回访结案的强制报告",
    ] {
        assert!(
            texts.iter().any(|t| t.contains(label)),
            "a mail tells of {label}: {texts:#?}"
        );
    }
    assert!(
        texts
            .iter()
            .any(|t| t.contains(&need_code) && t.contains("/needs/")),
        "the drafted need is named by its code: {texts:#?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.contains(&format!("/children/{draft}"))),
        "the draft file is linked: {texts:#?}"
    );

    let secrets = [
        CHILD_NAME,
        GUARDIAN_PHONE,
        id_number.as_str(),
        "柏小雨",
        "滨江路18号",
        question,
    ];
    let rows = Outbox::find().all(&app.db).await.expect("outbox");
    for row in &rows {
        let text = format!("{} {} {}", row.subject, row.body, row.path);
        for secret in secrets {
            assert!(!text.contains(secret), "queued {} holds {secret}", row.kind);
        }
    }
    for mail in smtp.received() {
        for secret in secrets {
            assert!(!mail.raw.contains(secret) && !mail.text().contains(secret));
        }
    }
}

#[tokio::test]
async fn the_report_sweep_tells_the_township_when_overdue_and_the_county_when_escalated_once() {
    let app = TestApp::spawn().await;
    let smtp = SmtpServer::start().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    subscribe(&app, &smtp, &mut officer, "officer@example.org", json!({})).await;
    let officer_id = user_id(&mut officer).await;
    let mut admin = app.admin().await;
    subscribe(&app, &smtp, &mut admin, "county@example.org", json!({})).await;
    let admin_id = user_id(&mut admin).await;
    let (urgent, _) = file(&app, report_body(TOWNSHIP_A, true, "孩子在河边无人看管")).await;
    // Answered in time: never overdue, never told again.
    let (answered, _) = file(&app, report_body(TOWNSHIP_A, true, "孩子经常挨饿")).await;
    let answered = id_of(&mut officer, &answered).await;
    step(&mut officer, &answered, "assign", json!({}))
        .await
        .assert_status(StatusCode::OK);
    step(&mut officer, &answered, "respond", responded())
        .await
        .assert_status(StatusCode::OK);
    assert_eq!(
        queued(&app, &officer_id, "report_to_respond").await.len(),
        2
    );

    app.advance_clock(Duration::minutes(61));
    // Two nodes sweep at once: one marks, one message.
    let swept = futures_util::future::join_all([sweep(&app), sweep(&app)]).await;
    assert_eq!(swept.iter().map(|s| s.overdue).sum::<u64>(), 1);
    let respond = queued(&app, &officer_id, "report_to_respond").await;
    let reminders: Vec<_> = respond
        .iter()
        .filter(|m| m.subject.contains("逾期提醒"))
        .collect();
    assert_eq!(reminders.len(), 1, "{respond:?}");
    let urgent_id = id_of(&mut officer, &urgent).await;
    assert_eq!(reminders[0].path, format!("/reports/{urgent_id}"));
    assert!(reminders[0].body.contains("已超过办理时限"));
    assert!(queued(&app, &admin_id, "report_escalated").await.is_empty());
    // A report answered meanwhile is not marked by a sweep that read it
    // before: the mark is conditional on its state.
    let now = app.prepared.clock.now();
    let marked =
        carebridge::db::reports::note(&app.db, &answered, ReportColumn::OverdueNotedAt, now)
            .await
            .expect("note");
    assert!(!marked, "an answered report is not marked overdue");

    app.advance_clock(Duration::minutes(60));
    let swept = futures_util::future::join_all([sweep(&app), sweep(&app)]).await;
    assert_eq!(swept.iter().map(|s| s.escalated).sum::<u64>(), 1);
    assert_eq!(sweep(&app).await, Default::default(), "recorded once");
    let escalated = queued(&app, &admin_id, "report_escalated").await;
    assert_eq!(escalated.len(), 1);
    assert_eq!(escalated[0].path, format!("/reports/{urgent_id}"));
    assert_eq!(
        queued(&app, &officer_id, "report_to_respond").await.len(),
        3
    );

    let round = worker(&app, &smtp, None).run_once().await.expect("round");
    assert_eq!(round.failed, 0);
    let county = notices_to(&smtp, "county@example.org");
    assert_eq!(county.len(), 1);
    assert!(county[0].text().contains("超时未响应、县级督办的强制报告"));
    for mail in smtp.received() {
        assert!(!mail.text().contains("河边"), "the report's text stays out");
    }
}

#[tokio::test]
async fn the_queue_length_gauge_counts_from_the_status_index_up_to_its_cap() {
    let app = TestApp::spawn().await;
    let smtp = SmtpServer::start().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    subscribe(&app, &smtp, &mut officer, "officer@example.org", json!({})).await;
    for _ in 0..4 {
        app.apply_family(TOWNSHIP_A).await;
    }
    // The confirmation mail was sent: four wait.
    let (n, sent) = counting(carebridge::db::notify::queue_length(&app.db)).await;
    assert_eq!(n.expect("count"), 4);
    assert_eq!(
        carebridge::db::notify::queue_length_capped(&app.db, 3)
            .await
            .expect("count"),
        3
    );
    worker(&app, &smtp, None).run_once().await.expect("round");
    assert_eq!(
        carebridge::db::notify::queue_length(&app.db)
            .await
            .expect("count"),
        0,
        "sent messages are not counted"
    );

    assert_eq!(sent.len(), 1, "one statement: {sent:#?}");
    let statement = sent[0].clone();
    let plan: Vec<String> = if app.is_postgres() {
        // A test table is small enough that PostgreSQL would scan it
        // anyway: forbid that, and the plan shows which index serves.
        let txn = app.db.begin().await.expect("begin");
        txn.execute_unprepared("SET LOCAL enable_seqscan = off")
            .await
            .expect("set");
        let rows = txn
            .query_all_raw(sea_orm::Statement {
                sql: format!("EXPLAIN {}", statement.sql),
                ..statement.clone()
            })
            .await
            .expect("plan");
        txn.rollback().await.expect("rollback");
        rows.iter()
            .map(|r| r.try_get_by_index::<String>(0).expect("line"))
            .collect()
    } else {
        app.db
            .query_all_raw(sea_orm::Statement {
                sql: format!("EXPLAIN QUERY PLAN {}", statement.sql),
                ..statement.clone()
            })
            .await
            .expect("plan")
            .iter()
            .map(|r| r.try_get_by_index::<String>(3).expect("detail"))
            .collect()
    };
    let text = plan.join("\n");
    assert!(
        text.contains("idx_notification_outbox_status_due"),
        "the count reads the status index: {text}"
    );
    if app.is_postgres() {
        assert!(!text.contains("Seq Scan"), "{text}");
    } else {
        assert!(
            plan.iter()
                .filter(|step| step.contains("notification_outbox"))
                .all(|step| step.starts_with("SEARCH") && step.contains("COVERING INDEX")),
            "only the index is read, by status: {text}"
        );
    }
    assert!(statement.sql.contains("LIMIT"), "{}", statement.sql);
}
