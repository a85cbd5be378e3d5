//! The inbox (待办): each role's waiting items, within its scope, counted in
//! the navigation, overdue ones highlighted. The match workflow is built
//! elsewhere, so matches, service records and assessments are written here
//! straight into the database.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use carebridge::db::entities::{family_assessment, match_record, need, service_record};
use carebridge::domain::Role;
use carebridge::domain::category::Category;
use carebridge::domain::matching::ProposedSide;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use serde_json::Value;

use crate::allocation::count_change;
use crate::helpers::{
    TOWNSHIP_A, TOWNSHIP_B, TestApp, TestClient, VILLAGE_A, child_body, id_number_for, offer_body,
};

pub const VILLAGE_B: &str = "500235101201";
const CHILD_NAME: &str = "柏晓彤";

/// A file and a published tutoring need in `township`; returns (need id, code).
pub async fn published_need(
    officer: &mut TestClient,
    township: &str,
    village: &str,
    seq: u32,
) -> (String, String) {
    let child = officer
        .create_child(child_body(
            CHILD_NAME,
            &id_number_for("20150312", seq, false),
            township,
            village,
        ))
        .await;
    officer.publish_need(&child).await
}

/// A tutoring offer for both test townships; returns its id.
pub async fn tutoring_offer(provider: &mut TestClient) -> String {
    provider
        .create_offer(offer_body(
            "tutoring",
            "四点半课堂作业辅导",
            "每周二、四下午在社区活动室辅导作业。",
            &[TOWNSHIP_A, TOWNSHIP_B],
        ))
        .await
}

/// A match row in `status` whose status changed `age` ago.
pub async fn insert_match(
    app: &TestApp,
    need_id: &str,
    offer_id: &str,
    township: &str,
    status: &str,
    age: Duration,
) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    let changed = Utc::now() - age;
    match_record::ActiveModel {
        id: Set(id.clone()),
        need_id: Set(need_id.to_owned()),
        offer_id: Set(offer_id.to_owned()),
        township_code: Set(township.to_owned()),
        category: Set(Category::Tutoring),
        status: Set(status.parse().expect("a match status")),
        proposed_side: Set(ProposedSide::Provider),
        proposed_by: Set("test".to_owned()),
        note: Set(None),
        handover_note: Set(None),
        feedback: Set(None),
        rating: Set(None),
        created_at: Set(changed - Duration::days(1)),
        status_changed_at: Set(changed),
        updated_at: Set(changed),
        review_since: Set(None),
        last_served_on: Set(None),
        escalated_at: Set(None),
        officer_outcome: Set(None),
        officer_outcome_note: Set(None),
        owner_outcome_note: Set(None),
        notes_asked_at: Set((status == "completed").then_some(changed)),
    }
    .insert(&app.db)
    .await
    .expect("insert match");
    count_change(app).await;
    id
}

async fn log_service(app: &TestApp, match_id: &str) {
    service_record::ActiveModel {
        id: Set(uuid::Uuid::new_v4().to_string()),
        match_id: Set(match_id.to_owned()),
        served_on: Set(chrono::Local::now().date_naive()),
        hours: Set(Some(1.5)),
        amount: Set(None),
        summary: Set("辅导数学作业".to_owned()),
        created_by: Set("test".to_owned()),
        created_at: Set(Utc::now()),
    }
    .insert(&app.db)
    .await
    .expect("insert service record");
    count_change(app).await;
}

async fn set_family(app: &TestApp, id: &str, status: &str, until: Option<NaiveDate>) {
    let until = until.map_or("NULL".to_owned(), |d| format!("'{d}'"));
    app.db
        .execute_unprepared(&format!(
            "UPDATE families SET status = '{status}', approved_until = {until} WHERE id = '{id}'"
        ))
        .await
        .expect("update family");
    count_change(app).await;
}

pub async fn set_published_at(app: &TestApp, need_id: &str, at: DateTime<Utc>) {
    need::Entity::update_many()
        .col_expr(need::Column::PublishedAt, Expr::value(at))
        .filter(need::Column::Id.eq(need_id))
        .exec(&app.db)
        .await
        .expect("update need");
    count_change(app).await;
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

async fn inbox(client: &mut TestClient) -> Value {
    let response = client.get("/api/v1/inbox").await;
    response.assert_status(StatusCode::OK);
    response.json()
}

fn urls(body: &Value) -> BTreeSet<String> {
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["url"].as_str().expect("url").to_owned())
        .collect()
}

fn set(items: &[String]) -> BTreeSet<String> {
    items.iter().cloned().collect()
}

/// The navigation's inbox link as text, e.g. "待办 3 超期1".
pub fn nav_inbox(html: &str) -> Option<String> {
    let start = html.find("href=\"/inbox\"")?;
    let rest = &html[start..];
    let link = &rest[rest.find('>')? + 1..rest.find("</a>")?];
    let mut text = String::new();
    let mut in_tag = false;
    for c in link.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The table row of a page that links to `url`.
fn row_of<'a>(html: &'a str, url: &str) -> &'a str {
    let at = html
        .find(&format!("href=\"{url}\""))
        .unwrap_or_else(|| panic!("{url} not on the page"));
    let start = html[..at].rfind("<tr").expect("row start");
    let end = at + html[at..].find("</tr>").expect("row end");
    &html[start..end]
}

#[tokio::test]
async fn a_township_officer_sees_what_waits_in_their_township_and_nothing_of_another() {
    let app = TestApp::spawn().await;
    let mut officer_a = app.login_as(Role::TownshipOfficer).await;
    let mut officer_b = app
        .login_staff(Role::TownshipOfficer, Some(TOWNSHIP_B), None)
        .await;
    let (need_a, _) = published_need(&mut officer_a, TOWNSHIP_A, VILLAGE_A, 1).await;
    let (need_b, _) = published_need(&mut officer_b, TOWNSHIP_B, VILLAGE_B, 2).await;
    let mut provider = app.verified_provider().await;
    let offer = tutoring_offer(&mut provider).await;
    let day = Duration::days(1);
    let proposed_a = insert_match(&app, &need_a, &offer, TOWNSHIP_A, "proposed", day).await;
    let proposed_b = insert_match(&app, &need_b, &offer, TOWNSHIP_B, "proposed", day).await;
    let serving = insert_match(&app, &need_a, &offer, TOWNSHIP_A, "in_service", day).await;
    log_service(&app, &serving).await;
    // In service without a record yet: nothing to confirm.
    insert_match(&app, &need_a, &offer, TOWNSHIP_A, "in_service", day).await;
    // Waiting for the county, not for the township.
    insert_match(&app, &need_a, &offer, TOWNSHIP_A, "township_approved", day).await;
    let (applied_a, _) = app.apply_family(TOWNSHIP_A).await;
    let (assessing_a, _) = app.apply_family(TOWNSHIP_A).await;
    set_family(&app, &assessing_a, "assessing", None).await;
    let (applied_b, _) = app.apply_family(TOWNSHIP_B).await;
    let (expiring, _) = app.apply_family(TOWNSHIP_A).await;
    set_family(
        &app,
        &expiring,
        "approved",
        Some(today() + Duration::days(30)),
    )
    .await;
    let (lasting, _) = app.apply_family(TOWNSHIP_A).await;
    set_family(
        &app,
        &lasting,
        "approved",
        Some(today() + Duration::days(200)),
    )
    .await;

    let body = inbox(&mut officer_a).await;
    assert_eq!(
        urls(&body),
        set(&[
            format!("/matches/{proposed_a}"),
            format!("/matches/{serving}"),
            format!("/families/{applied_a}"),
            format!("/families/{assessing_a}"),
            format!("/families/{expiring}"),
        ])
    );
    assert_eq!(body["total"], 5);
    // Re-assessment opened 60 days before the end, 30 days ago: overdue.
    assert_eq!(body["overdue"], 1);
    assert_eq!(body["overdue_counts"]["family_to_reassess"], 1);
    assert_eq!(body["counts"]["match_proposed"], 1);
    assert_eq!(body["counts"]["match_to_complete"], 1);
    assert_eq!(body["counts"]["family_to_assess"], 2);
    assert_eq!(body["counts"]["family_to_reassess"], 1);
    assert_eq!(body["counts"]["need_unmatched"], 0);
    let text = body.to_string();
    assert!(!text.contains(CHILD_NAME), "{text}");
    assert!(!text.contains(&proposed_b) && !text.contains(&applied_b));
    let expiring_item = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["kind"] == "family_to_reassess")
        .expect("re-assessment item");
    assert!(
        expiring_item["label"]
            .as_str()
            .expect("label")
            .contains(&(today() + Duration::days(30)).to_string())
    );

    let body = inbox(&mut officer_b).await;
    assert_eq!(
        urls(&body),
        set(&[
            format!("/matches/{proposed_b}"),
            format!("/families/{applied_b}"),
        ])
    );
}

#[tokio::test]
async fn county_staff_see_second_approvals_recommended_families_and_pending_providers() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let (need_a, _) = published_need(&mut officer, TOWNSHIP_A, VILLAGE_A, 3).await;
    let offer = tutoring_offer(&mut app.verified_provider().await).await;
    let day = Duration::days(1);
    let second = insert_match(&app, &need_a, &offer, TOWNSHIP_A, "township_approved", day).await;
    insert_match(&app, &need_a, &offer, TOWNSHIP_A, "proposed", day).await;
    let (recommended, _) = app.apply_family(TOWNSHIP_B).await;
    set_family(&app, &recommended, "recommended", None).await;
    let assessed = Utc::now() - Duration::days(2);
    family_assessment::ActiveModel {
        id: Set(uuid::Uuid::new_v4().to_string()),
        family_id: Set(recommended.clone()),
        visited_on: Set(assessed.date_naive()),
        housing: Set("两室一厅".to_owned()),
        income: Set("稳定".to_owned()),
        health: Set("良好".to_owned()),
        training: Set("已参加培训".to_owned()),
        findings: Set("适合助养".to_owned()),
        recommend: Set(true),
        assessed_by: Set("test".to_owned()),
        created_at: Set(assessed),
    }
    .insert(&app.db)
    .await
    .expect("insert assessment");
    count_change(&app).await;
    app.apply_family(TOWNSHIP_A).await;
    let (pending, _) = app.register_provider().await;

    let mut admin = app.admin().await;
    let body = inbox(&mut admin).await;
    assert_eq!(
        urls(&body),
        set(&[
            format!("/matches/{second}"),
            format!("/families/{recommended}"),
            format!("/providers/{pending}"),
        ])
    );
    assert_eq!(body["counts"]["match_county_approval"], 1);
    assert_eq!(body["counts"]["family_to_decide"], 1);
    assert_eq!(body["counts"]["provider_to_verify"], 1);
    // A recommended family waits since its assessment, not its application.
    let family = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["kind"] == "family_to_decide")
        .expect("family item");
    let since =
        DateTime::parse_from_rfc3339(family["since"].as_str().expect("since")).expect("RFC 3339");
    assert!((since.with_timezone(&Utc) - assessed).num_seconds().abs() <= 1);
}

#[tokio::test]
async fn a_provider_sees_suggestions_and_approved_matches_on_its_own_offers_only() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let (need_a, _) = published_need(&mut officer, TOWNSHIP_A, VILLAGE_A, 4).await;
    let mut mine = app.verified_provider().await;
    let mut other = app.verified_provider().await;
    let my_offer = tutoring_offer(&mut mine).await;
    let other_offer = tutoring_offer(&mut other).await;
    let day = Duration::days(1);
    let suggested = insert_match(&app, &need_a, &my_offer, TOWNSHIP_A, "suggested", day).await;
    let to_serve = insert_match(&app, &need_a, &my_offer, TOWNSHIP_A, "approved", day).await;
    let served = insert_match(&app, &need_a, &my_offer, TOWNSHIP_A, "approved", day).await;
    log_service(&app, &served).await;
    insert_match(&app, &need_a, &my_offer, TOWNSHIP_A, "proposed", day).await;
    let theirs = insert_match(&app, &need_a, &other_offer, TOWNSHIP_A, "suggested", day).await;

    let body = inbox(&mut mine).await;
    assert_eq!(
        urls(&body),
        set(&[
            format!("/matches/{suggested}"),
            format!("/matches/{to_serve}"),
        ])
    );
    assert_eq!(body["counts"]["match_suggested"], 1);
    assert_eq!(body["counts"]["match_to_serve"], 1);
    let text = body.to_string();
    assert!(!text.contains(CHILD_NAME), "{text}");
    assert!(text.contains("四点半课堂作业辅导"));

    let body = inbox(&mut other).await;
    assert_eq!(urls(&body), set(&[format!("/matches/{theirs}")]));
}

#[tokio::test]
async fn a_family_is_told_when_its_approval_runs_out_and_sees_suggestions_on_its_offers() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let (need_a, _) = published_need(&mut officer, TOWNSHIP_A, VILLAGE_A, 5).await;
    let (family_id, username) = app.apply_family(TOWNSHIP_A).await;
    let year = carebridge::domain::family::approval_ends(today());
    set_family(&app, &family_id, "approved", Some(year)).await;
    let mut family = app.logged_in(&username).await;
    let offer = family
        .create_offer(offer_body(
            "sponsorship",
            "爱心助养一名小学生",
            "每月资助学习和生活费用，定期电话问候。",
            &[TOWNSHIP_A],
        ))
        .await;
    let body = inbox(&mut family).await;
    assert_eq!(body["total"], 0);

    let day = Duration::days(1);
    let suggested = insert_match(&app, &need_a, &offer, TOWNSHIP_A, "suggested", day).await;
    set_family(
        &app,
        &family_id,
        "approved",
        Some(today() + Duration::days(20)),
    )
    .await;

    let body = inbox(&mut family).await;
    assert_eq!(
        urls(&body),
        set(&[
            format!("/matches/{suggested}"),
            format!("/families/{family_id}"),
        ])
    );
    assert_eq!(body["counts"]["approval_expiring"], 1);
}

#[tokio::test]
async fn items_waiting_longer_than_the_overdue_days_are_highlighted_and_younger_ones_are_not() {
    let app = TestApp::spawn_with(|s| s.overdue_days = 3).await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let (need_a, _) = published_need(&mut officer, TOWNSHIP_A, VILLAGE_A, 6).await;
    let offer = tutoring_offer(&mut app.verified_provider().await).await;
    let old = insert_match(
        &app,
        &need_a,
        &offer,
        TOWNSHIP_A,
        "proposed",
        Duration::days(5),
    )
    .await;
    let young = insert_match(
        &app,
        &need_a,
        &offer,
        TOWNSHIP_A,
        "proposed",
        Duration::days(1),
    )
    .await;

    let body = inbox(&mut officer).await;
    assert_eq!(body["overdue_days"], 3);
    assert_eq!(body["overdue"], 1);
    assert_eq!(body["overdue_counts"]["match_proposed"], 1);
    let items = body["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["url"], format!("/matches/{old}"));
    assert_eq!(items[0]["overdue"], true);
    assert_eq!(items[0]["waiting_days"], 5);
    assert_eq!(items[1]["url"], format!("/matches/{young}"));
    assert_eq!(items[1]["overdue"], false);

    let page = officer.get("/inbox").await;
    page.assert_status(StatusCode::OK);
    let html = page.text();
    assert!(row_of(&html, &format!("/matches/{old}")).contains("已超过3天"));
    assert!(!row_of(&html, &format!("/matches/{young}")).contains("已超过"));
    assert!(html.contains("其中 <strong>1</strong> 项已等待超过 3 天"));

    let home = officer.get("/").await;
    assert_eq!(nav_inbox(&home.text()).as_deref(), Some("待办 2 超期1"));
    assert!(
        home.text().contains(r#"class="inbox has-overdue""#),
        "the badge takes its overdue colour"
    );
}

#[tokio::test]
async fn the_inbox_badge_takes_its_overdue_colour_only_when_something_is_overdue() {
    let app = TestApp::spawn_with(|s| s.overdue_days = 3).await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let (need_a, _) = published_need(&mut officer, TOWNSHIP_A, VILLAGE_A, 7).await;
    let offer = tutoring_offer(&mut app.verified_provider().await).await;
    insert_match(
        &app,
        &need_a,
        &offer,
        TOWNSHIP_A,
        "proposed",
        Duration::days(1),
    )
    .await;
    let home = officer.get("/").await.text();
    assert_eq!(nav_inbox(&home).as_deref(), Some("待办 1"));
    assert!(!home.contains("has-overdue"), "nothing is overdue yet");
}

#[tokio::test]
async fn every_page_of_a_logged_in_user_counts_the_inbox_and_anonymous_pages_do_not() {
    let app = TestApp::spawn().await;
    let mut anonymous = app.client();
    let page = anonymous.get("/search").await;
    page.assert_status(StatusCode::OK);
    assert_eq!(nav_inbox(&page.text()), None);
    let mut provider = app.verified_provider().await;
    let page = provider.get("/offers/mine").await;
    page.assert_status(StatusCode::OK);
    assert_eq!(nav_inbox(&page.text()).as_deref(), Some("待办"));
    let (_, _) = app.register_provider().await;
    let mut admin = app.admin().await;
    for path in ["/", "/providers", "/inbox", "/search"] {
        let page = admin.get(path).await;
        page.assert_status(StatusCode::OK);
        assert_eq!(nav_inbox(&page.text()).as_deref(), Some("待办 1"), "{path}");
    }
    admin
        .get("/api/v1/inbox?limit=1&offset=1")
        .await
        .assert_status(StatusCode::OK);
    let mut nobody = app.client();
    nobody
        .get("/api/v1/inbox")
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_need_nobody_answered_for_longer_than_the_overdue_days_waits_for_its_officer() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let (lonely, code) = published_need(&mut officer, TOWNSHIP_A, VILLAGE_A, 7).await;
    let (answered, _) = published_need(&mut officer, TOWNSHIP_A, VILLAGE_A, 8).await;
    let (fresh, _) = published_need(&mut officer, TOWNSHIP_A, VILLAGE_A, 9).await;
    let long_ago = Utc::now() - Duration::days(10);
    set_published_at(&app, &lonely, long_ago).await;
    set_published_at(&app, &answered, long_ago).await;
    let offer = tutoring_offer(&mut app.verified_provider().await).await;
    let proposal = insert_match(
        &app,
        &answered,
        &offer,
        TOWNSHIP_A,
        "proposed",
        Duration::hours(1),
    )
    .await;
    // A rejected proposal does not answer a need.
    insert_match(
        &app,
        &lonely,
        &offer,
        TOWNSHIP_A,
        "rejected",
        Duration::days(2),
    )
    .await;

    let body = inbox(&mut officer).await;
    assert_eq!(
        urls(&body),
        set(&[
            format!("/needs/{lonely}/suggestions"),
            format!("/matches/{proposal}"),
        ])
    );
    assert!(!body.to_string().contains(&fresh));
    assert_eq!(body["counts"]["need_unmatched"], 1);
    assert_eq!(body["overdue_counts"]["need_unmatched"], 1);
    let item = &body["items"][0];
    assert_eq!(item["kind"], "need_unmatched");
    assert_eq!(item["overdue"], true);
    assert!(item["label"].as_str().expect("label").contains(&code));
}

#[tokio::test]
async fn a_village_supervisor_sees_the_drafts_of_their_village_waiting_for_the_township() {
    let app = TestApp::spawn().await;
    let mut supervisor = app.login_as(Role::VillageSupervisor).await;
    let child = supervisor
        .create_child(child_body(
            CHILD_NAME,
            &id_number_for("20150312", 10, false),
            TOWNSHIP_A,
            VILLAGE_A,
        ))
        .await;
    let mut other_village = app
        .login_staff(Role::VillageSupervisor, None, Some("500235001202"))
        .await;
    other_village
        .create_child(child_body(
            "柏晓雨",
            &id_number_for("20150312", 11, false),
            TOWNSHIP_A,
            "500235001202",
        ))
        .await;

    let drafted = supervisor
        .post_json("/api/v1/needs", crate::helpers::need_body(&child))
        .await;
    drafted.assert_status(StatusCode::CREATED);
    let need = drafted.json()["id"].as_str().expect("id").to_owned();

    let body = inbox(&mut supervisor).await;
    assert_eq!(
        urls(&body),
        set(&[format!("/children/{child}"), format!("/needs/{need}")])
    );
    assert_eq!(body["counts"]["draft_file"], 1);
    assert_eq!(body["counts"]["draft_need"], 1);
    let text = body.to_string();
    assert!(!text.contains(CHILD_NAME), "{text}");
    assert!(!text.contains("柏晓雨"), "{text}");
}

#[tokio::test]
async fn a_re_assessment_is_overdue_once_its_window_opened_longer_ago_than_the_overdue_days() {
    let app = TestApp::spawn_with(|s| s.overdue_days = 3).await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let mut families = Vec::new();
    // Ended yesterday; window opened 10 days ago; window opened 2 days ago.
    for days in [-1, 50, 58] {
        let (id, _) = app.apply_family(TOWNSHIP_A).await;
        set_family(&app, &id, "approved", Some(today() + Duration::days(days))).await;
        families.push(id);
    }

    let body = inbox(&mut officer).await;
    assert_eq!(body["counts"]["family_to_reassess"], 3);
    assert_eq!(body["overdue_counts"]["family_to_reassess"], 2);
    let items = body["items"].as_array().expect("items");
    let seen: Vec<(String, bool)> = items
        .iter()
        .map(|i| {
            (
                i["url"].as_str().expect("url").to_owned(),
                i["overdue"].as_bool().expect("overdue"),
            )
        })
        .collect();
    let expected: Vec<(String, bool)> = families
        .iter()
        .zip([true, true, false])
        .map(|(id, overdue)| (format!("/families/{id}"), overdue))
        .collect();
    assert_eq!(seen, expected);
}

/// What the village supervisors drafted waits for the township officer who
/// must complete and publish it, not only for the supervisor; older than
/// the overdue days, it is highlighted; the officer's own drafts and other
/// townships' are not the officer's to wait for.
#[tokio::test]
async fn a_township_officer_sees_the_villages_drafts_waiting_for_the_township() {
    use sea_orm::ConnectionTrait;
    let app = TestApp::spawn_with(|s| s.overdue_days = 3).await;
    let mut supervisor = app.login_as(Role::VillageSupervisor).await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let child = supervisor
        .create_child(child_body(
            CHILD_NAME,
            &id_number_for("20150312", 12, false),
            TOWNSHIP_A,
            VILLAGE_A,
        ))
        .await;
    let drafted = supervisor
        .post_json("/api/v1/needs", crate::helpers::need_body(&child))
        .await;
    drafted.assert_status(StatusCode::CREATED);
    let need = drafted.json()["id"].as_str().expect("id").to_owned();
    // The officer's own file and draft need do not wait for the officer.
    let own = officer
        .create_child(child_body(
            "柏晓雨",
            &id_number_for("20150312", 13, false),
            TOWNSHIP_A,
            VILLAGE_A,
        ))
        .await;
    officer
        .post_json("/api/v1/needs", crate::helpers::need_body(&own))
        .await
        .assert_status(StatusCode::CREATED);

    let body = inbox(&mut officer).await;
    assert_eq!(body["counts"]["file_to_complete"], 1);
    assert_eq!(body["counts"]["need_to_publish"], 1);
    assert_eq!(body["overdue_counts"]["file_to_complete"], 0);
    assert!(urls(&body).contains(&format!("/children/{child}")));
    assert!(urls(&body).contains(&format!("/needs/{need}")));
    let text = body.to_string();
    assert!(!text.contains(CHILD_NAME), "{text}");

    // Drafted five days ago: overdue.
    let old = (Utc::now() - Duration::days(5)).to_rfc3339();
    app.db
        .execute_unprepared(&format!(
            "UPDATE children SET created_at = '{old}' WHERE id = '{child}'"
        ))
        .await
        .expect("age the draft");
    count_change(&app).await;
    let body = inbox(&mut officer).await;
    assert_eq!(body["overdue_counts"]["file_to_complete"], 1);

    // Completed and published, they wait no more.
    officer
        .post_json(
            &format!("/api/v1/children/{child}/complete"),
            serde_json::json!({}),
        )
        .await
        .assert_status(StatusCode::OK);
    officer
        .post_json(
            &format!("/api/v1/needs/{need}/publish"),
            serde_json::json!({}),
        )
        .await
        .assert_status(StatusCode::OK);
    let body = inbox(&mut officer).await;
    assert_eq!(body["counts"]["file_to_complete"], 0);
    assert_eq!(body["counts"]["need_to_publish"], 0);

    // Another township's officer waits for none of it.
    let mut elsewhere = app
        .login_staff(
            Role::TownshipOfficer,
            Some(crate::helpers::TOWNSHIP_B),
            None,
        )
        .await;
    let body = inbox(&mut elsewhere).await;
    assert_eq!(body["counts"]["file_to_complete"], 0);
}

/// When the counts kept for a reader no longer hold (a change, or the
/// minute turning), the reader's requests in flight together count once:
/// the others wait for that count instead of each sending the costly
/// statement (fifty at once held the pool for seconds under load).
#[tokio::test]
async fn requests_that_miss_the_kept_counts_together_count_once() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    published_need(&mut officer, TOWNSHIP_A, VILLAGE_A, 1).await;
    let is_count = |sql: &str| sql.contains("\"c0\"");
    let (answers, sent) = carebridge::db::statements::counting(async {
        let requests = (0..20).map(|_| {
            let mut client = officer.clone();
            async move { client.get("/api/v1/inbox").await.status }
        });
        futures_util::future::join_all(requests).await
    })
    .await;
    assert!(answers.iter().all(|s| *s == StatusCode::OK), "{answers:?}");
    let counted = sent.iter().filter(|s| is_count(&s.sql)).count();
    assert_eq!(counted, 1, "the readers' requests counted {counted} times");
    // Kept: the next request counts nothing.
    let (_, again) = carebridge::db::statements::counting(officer.get("/api/v1/inbox")).await;
    assert_eq!(again.iter().filter(|s| is_count(&s.sql)).count(), 0);
}

/// The first page of items is kept with the counts: read once by the
/// requests that missed together, then not again while the counts hold;
/// an application (a write on a family) shows at once.
#[tokio::test]
async fn the_page_of_items_is_kept_with_the_counts_until_something_changes() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let (first, _) = app.apply_family(TOWNSHIP_A).await;
    let is_count = |sql: &str| sql.contains("\"c0\"");
    let reads_families = |sent: &[sea_orm::Statement]| {
        sent.iter()
            .filter(|s| s.sql.contains("\"families\"") && !is_count(&s.sql))
            .count()
    };
    let (answers, sent) = carebridge::db::statements::counting(async {
        let requests = (0..20).map(|_| {
            let mut client = officer.clone();
            async move {
                let response = client.get("/api/v1/inbox").await;
                response.assert_status(StatusCode::OK);
                response.json()
            }
        });
        futures_util::future::join_all(requests).await
    })
    .await;
    assert_eq!(reads_families(&sent), 1, "{sent:#?}");
    assert!(answers.iter().all(|a| *a == answers[0]));
    assert_eq!(
        urls(&answers[0]),
        BTreeSet::from([format!("/families/{first}")])
    );

    let (page, sent) = carebridge::db::statements::counting(officer.get("/inbox")).await;
    page.assert_status(StatusCode::OK);
    assert_eq!(reads_families(&sent), 0, "kept page read again: {sent:#?}");
    assert!(page.text().contains(&format!("/families/{first}")));

    let (second, _) = app.apply_family(TOWNSHIP_A).await;
    let body = inbox(&mut officer).await;
    assert_eq!(
        urls(&body),
        BTreeSet::from([format!("/families/{first}"), format!("/families/{second}")])
    );
    assert_eq!(body["counts"]["family_to_assess"], 2);
}
