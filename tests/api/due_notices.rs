//! The inbox kinds that fall due by a date (issue 18): a referral past its
//! deadline (`referral_overdue`) and twice it (`referral_escalated`), a
//! need unmatched past the inbox's days (`need_unmatched`), a family's
//! approval entering its last 60 days (`family_to_reassess`,
//! `approval_expiring`). The due-notice sweep is called after moving the
//! clock: nothing before the moment, exactly one message at it, none from
//! a second sweep, one from two sweeps at once, and again after the item
//! left and re-entered its due state. No message names the child.

use axum::http::StatusCode;
use carebridge::domain::Role;
use carebridge::services::notify::due::{Swept, sweep};
use chrono::{Duration, NaiveDate};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::entitlements::orphan_body;
use crate::helpers::{TOWNSHIP_A, TestApp, TestClient, id_number_for};
use crate::match_helpers::{
    CHILD_NAME, GUARDIAN_PHONE, act, child_with_need, propose, tutoring_offer,
};
use crate::notify::{notices_to, subscribe, worker};
use crate::notify_servers::SmtpServer;

type Outbox = carebridge::db::entities::notification_outbox::Entity;
type OutboxColumn = carebridge::db::entities::notification_outbox::Column;
type Message = carebridge::db::entities::notification_outbox::Model;

async fn user_id(client: &mut TestClient) -> String {
    client.get("/api/v1/me").await.json()["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

async fn queued(app: &TestApp, user: &str, kind: &str) -> Vec<Message> {
    Outbox::find()
        .filter(OutboxColumn::UserId.eq(user))
        .filter(OutboxColumn::Kind.eq(kind))
        .all(&app.db)
        .await
        .expect("outbox")
}

async fn sweep_now(app: &TestApp) -> Swept {
    sweep(app.prepared.store(), app.settings.overdue_days)
        .await
        .expect("sweep")
}

/// Two nodes sweeping at once: what they noted together.
async fn two_sweeps(app: &TestApp) -> Swept {
    let both = futures_util::future::join_all([sweep_now(app), sweep_now(app)]).await;
    both.iter().fold(Swept::default(), |a, s| Swept {
        referrals_overdue: a.referrals_overdue + s.referrals_overdue,
        referrals_escalated: a.referrals_escalated + s.referrals_escalated,
        needs_unmatched: a.needs_unmatched + s.needs_unmatched,
        approvals_ending: a.approvals_ending + s.approvals_ending,
    })
}

fn day(value: &serde_json::Value) -> NaiveDate {
    value.as_str().expect("date").parse().expect("YYYY-MM-DD")
}

/// Moves the clock so that the portal's office day (Beijing) is `target`.
fn move_to_office_day(app: &TestApp, target: NaiveDate) {
    let today = carebridge::domain::referral::office_day(app.prepared.clock.now());
    app.advance_clock(Duration::days((target - today).num_days()));
}

#[tokio::test]
async fn a_referral_past_its_deadline_tells_the_township_once_and_past_twice_it_the_county_once() {
    let app = TestApp::spawn().await;
    let smtp = SmtpServer::start().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    subscribe(&app, &smtp, &mut officer, "officer@example.org", json!({})).await;
    let officer_id = user_id(&mut officer).await;
    let mut admin = app.admin().await;
    subscribe(&app, &smtp, &mut admin, "county@example.org", json!({})).await;
    let admin_id = user_id(&mut admin).await;
    let id_number = id_number_for("20150307", 42, false);
    let child = officer
        .create_child(orphan_body("柏小雨", &id_number))
        .await;
    let sent = officer
        .post_json(
            "/api/v1/referrals",
            json!({"child_id": child, "entitlement": "orphan_allowance", "summary": "孤儿，尚未纳入孤儿保障。", "due_in_days": 2}),
        )
        .await;
    sent.assert_status(StatusCode::CREATED);
    let referral = sent.json()["id"].as_str().expect("id").to_owned();
    let due_on = day(&sent.json()["due_on"]);
    let full = officer.get(&format!("/api/v1/referrals/{referral}")).await;
    let escalate_on = day(&full.json()["referral"]["escalate_on"]);

    // On its last day it is not yet overdue: nothing is told.
    move_to_office_day(&app, due_on);
    assert_eq!(sweep_now(&app).await, Swept::default());
    assert!(
        queued(&app, &officer_id, "referral_overdue")
            .await
            .is_empty()
    );

    // The day after, two nodes sweep at once: one mark, one message.
    app.advance_clock(Duration::days(1));
    assert_eq!(two_sweeps(&app).await.referrals_overdue, 1);
    assert_eq!(sweep_now(&app).await, Swept::default(), "told once");
    let overdue = queued(&app, &officer_id, "referral_overdue").await;
    assert_eq!(overdue.len(), 1, "{overdue:?}");
    assert_eq!(overdue[0].path, format!("/referrals/{referral}"));
    assert!(
        queued(&app, &admin_id, "referral_escalated")
            .await
            .is_empty()
    );
    // The inbox shows what was told.
    let inbox = officer.get("/api/v1/inbox").await.json();
    assert_eq!(inbox["counts"]["referral_overdue"], 1, "{inbox}");

    move_to_office_day(&app, escalate_on);
    assert_eq!(sweep_now(&app).await, Swept::default());
    app.advance_clock(Duration::days(1));
    assert_eq!(two_sweeps(&app).await.referrals_escalated, 1);
    assert_eq!(sweep_now(&app).await, Swept::default());
    let escalated = queued(&app, &admin_id, "referral_escalated").await;
    assert_eq!(escalated.len(), 1);
    assert_eq!(escalated[0].path, format!("/referrals/{referral}"));
    assert_eq!(queued(&app, &officer_id, "referral_overdue").await.len(), 1);

    let round = worker(&app, &smtp, None).run_once().await.expect("round");
    assert_eq!(round.failed, 0);
    let township = notices_to(&smtp, "officer@example.org");
    assert!(
        township
            .iter()
            .any(|m| m.text().contains("部门逾期未答复的转介")),
        "{:#?}",
        township.iter().map(|m| m.text()).collect::<Vec<_>>()
    );
    let county = notices_to(&smtp, "county@example.org");
    assert_eq!(county.len(), 1);
    assert!(county[0].text().contains("超过两倍时限未答复的转介"));
    for mail in smtp.received() {
        for secret in ["柏小雨", id_number.as_str(), "孤儿保障"] {
            assert!(!mail.raw.contains(secret) && !mail.text().contains(secret));
        }
    }
}

#[tokio::test]
async fn a_need_unmatched_past_the_days_tells_the_township_once_and_again_after_a_proposal_ended() {
    let app = TestApp::spawn().await;
    let smtp = SmtpServer::start().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    subscribe(&app, &smtp, &mut officer, "officer@example.org", json!({})).await;
    let officer_id = user_id(&mut officer).await;
    let (need, code, id_number) = child_with_need(&mut officer, "tutoring", 1).await;
    let mut provider = app.verified_provider().await;
    let offer = tutoring_offer(&mut provider, 3).await;

    // Six days: not yet waiting longer than the inbox's seven.
    app.advance_clock(Duration::days(6));
    assert_eq!(sweep_now(&app).await, Swept::default());
    app.advance_clock(Duration::days(1) + Duration::minutes(1));
    assert_eq!(two_sweeps(&app).await.needs_unmatched, 1);
    assert_eq!(sweep_now(&app).await, Swept::default(), "told once");
    let told = queued(&app, &officer_id, "need_unmatched").await;
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].path, format!("/needs/{need}/suggestions"));
    assert!(told[0].body.contains(&code), "named by its code");

    // A proposal takes it out of the inbox; while it is open nothing is
    // due. Withdrawn, the need waits unmatched again: told again, once.
    let proposal = propose(&mut provider, &code, &offer).await;
    assert_eq!(sweep_now(&app).await, Swept::default());
    act(
        &mut provider,
        &proposal,
        "withdraw",
        json!({"reason": "时间冲突"}),
    )
    .await
    .assert_status(StatusCode::OK);
    assert_eq!(two_sweeps(&app).await.needs_unmatched, 1);
    assert_eq!(sweep_now(&app).await, Swept::default());
    assert_eq!(queued(&app, &officer_id, "need_unmatched").await.len(), 2);

    let round = worker(&app, &smtp, None).run_once().await.expect("round");
    assert_eq!(round.failed, 0);
    let mails = notices_to(&smtp, "officer@example.org");
    assert!(
        mails
            .iter()
            .any(|m| m.text().contains("长期无人对接的需求"))
    );
    for mail in smtp.received() {
        for secret in [CHILD_NAME, GUARDIAN_PHONE, id_number.as_str()] {
            assert!(!mail.raw.contains(secret) && !mail.text().contains(secret));
        }
    }
}

#[tokio::test]
async fn an_approval_entering_its_last_days_tells_the_township_and_the_family_once_each() {
    let app = TestApp::spawn().await;
    let smtp = SmtpServer::start().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    subscribe(&app, &smtp, &mut officer, "officer@example.org", json!({})).await;
    let officer_id = user_id(&mut officer).await;
    let (family, username) = app.apply_family(TOWNSHIP_A).await;
    let mut household = app.logged_in(&username).await;
    subscribe(&app, &smtp, &mut household, "home@example.org", json!({})).await;
    let household_id = user_id(&mut household).await;
    officer
        .post_json(
            &format!("/api/v1/families/{family}/assessments"),
            json!({"visited_on": chrono::Local::now().format("%Y-%m-%d").to_string(), "findings": "家庭和睦，照料经验丰富。", "recommend": true}),
        )
        .await
        .assert_status(StatusCode::CREATED);
    let decided = app
        .admin()
        .await
        .post_json(
            &format!("/api/v1/families/{family}/decision"),
            json!({"decision": "approve"}),
        )
        .await;
    decided.assert_status(StatusCode::OK);
    let until: NaiveDate = carebridge::db::families::find(&app.db, &family)
        .await
        .expect("read")
        .expect("family")
        .approved_until
        .expect("approved until");
    let opens = carebridge::domain::inbox::reassess_from(until);

    // The day before the window opens: nothing.
    let today = app.prepared.clock.now().date_naive();
    app.advance_clock(Duration::days((opens - today).num_days() - 1));
    assert_eq!(sweep_now(&app).await, Swept::default());
    app.advance_clock(Duration::days(1));
    assert_eq!(two_sweeps(&app).await.approvals_ending, 1);
    assert_eq!(sweep_now(&app).await, Swept::default(), "told once");
    let township = queued(&app, &officer_id, "family_to_reassess").await;
    let own = queued(&app, &household_id, "approval_expiring").await;
    assert_eq!((township.len(), own.len()), (1, 1));
    assert_eq!(township[0].path, format!("/families/{family}"));
    // Each reads only its own kind.
    assert!(
        queued(&app, &household_id, "family_to_reassess")
            .await
            .is_empty()
    );
    assert!(
        queued(&app, &officer_id, "approval_expiring")
            .await
            .is_empty()
    );

    // A new approval sets a new end: that end is told in its time again.
    // (The county's renewal of an approval writes through this transition.)
    let renewed = carebridge::db::families::transition(
        &app.db,
        &family,
        carebridge::db::families::Transition {
            from: "approved",
            to: "approved",
            reason: None,
            decided_at: None,
            approved_until: Some(until + Duration::days(365)),
        },
    )
    .await
    .expect("renew");
    assert!(renewed);
    assert_eq!(sweep_now(&app).await, Swept::default(), "not due yet");
    app.advance_clock(Duration::days(365));
    assert_eq!(sweep_now(&app).await.approvals_ending, 1);
    assert_eq!(
        queued(&app, &household_id, "approval_expiring").await.len(),
        2
    );

    let round = worker(&app, &smtp, None).run_once().await.expect("round");
    assert_eq!(round.failed, 0);
    assert!(
        notices_to(&smtp, "home@example.org")
            .iter()
            .any(|m| m.text().contains("家庭资格即将到期"))
    );
}

/// Settings change who hears: a kind set to no channel is not sent.
#[tokio::test]
async fn a_due_kind_its_reader_turned_off_queues_nothing() {
    let app = TestApp::spawn().await;
    let smtp = SmtpServer::start().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    subscribe(
        &app,
        &smtp,
        &mut officer,
        "officer@example.org",
        json!({"channels": {"need_unmatched": []}}),
    )
    .await;
    let officer_id = user_id(&mut officer).await;
    child_with_need(&mut officer, "tutoring", 1).await;
    app.advance_clock(Duration::days(8));
    // Noted (the moment is recorded), but nobody chose to hear of it.
    assert_eq!(sweep_now(&app).await.needs_unmatched, 1);
    assert!(queued(&app, &officer_id, "need_unmatched").await.is_empty());
}
