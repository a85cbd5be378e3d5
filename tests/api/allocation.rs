//! The county allocation plan (分配方案): most urgent first against first
//! come, first served, county-wide so that no place is booked twice, seen
//! by each officer for their own township, offered as match forms.

use axum::http::StatusCode;
use carebridge::domain::Role;
use chrono::{Duration, Utc};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{
    TOWNSHIP_A, TOWNSHIP_B, TestApp, TestClient, VILLAGE_A, child_body, id_number_for, offer_body,
};
use crate::inbox::{VILLAGE_B, insert_match, nav_inbox, set_published_at};

const NAMES: [&str; 4] = ["柏晓彤", "柏浩然", "柏思远", "柏雨桐"];

/// A file in `township` and a published need of `category` and `urgency`,
/// published `hours_ago`; returns (need id, code).
async fn need(
    app: &TestApp,
    officer: &mut TestClient,
    (township, village): (&str, &str),
    seq: u32,
    category: &str,
    urgency: &str,
    hours_ago: i64,
) -> (String, String) {
    let child = officer
        .create_child(child_body(
            NAMES[seq as usize % NAMES.len()],
            &id_number_for("20150312", seq, seq.is_multiple_of(2)),
            township,
            village,
        ))
        .await;
    let created = officer
        .post_json(
            "/api/v1/needs",
            json!({
                "child_id": child,
                "category": category,
                "title": "需要课后陪伴和帮助",
                "description": "希望每周有人陪伴学习，帮助完成作业。",
                "urgency": urgency,
            }),
        )
        .await;
    created.assert_status(StatusCode::CREATED);
    let id = created.json()["id"].as_str().expect("id").to_owned();
    let code = created.json()["code"].as_str().expect("code").to_owned();
    officer
        .post_json(&format!("/api/v1/needs/{id}/publish"), json!({}))
        .await
        .assert_status(StatusCode::OK);
    set_published_at(app, &id, Utc::now() - Duration::hours(hours_ago)).await;
    (id, code)
}

const A: (&str, &str) = (TOWNSHIP_A, VILLAGE_A);
const B: (&str, &str) = (TOWNSHIP_B, VILLAGE_B);

/// An offer of `category` with `capacity` places for `townships`.
async fn offer(
    client: &mut TestClient,
    category: &str,
    capacity: i64,
    townships: &[&str],
) -> String {
    let mut body = offer_body(
        category,
        "四点半课堂作业辅导",
        "每周二、四下午在社区活动室辅导作业。",
        townships,
    );
    body["capacity"] = json!(capacity);
    client.create_offer(body).await
}

/// The plan, once the background job has computed it: asks again while
/// the answer is 202 (running), as a client following `Retry-After` does.
async fn plan(client: &mut TestClient) -> Value {
    plan_at(client, "/api/v1/allocation").await
}

async fn plan_at(client: &mut TestClient, path: &str) -> Value {
    // A bound on the asking, not on the time: a job that never ends fails
    // the test instead of hanging it.
    for _ in 0..6000 {
        let response = client.get(path).await;
        if response.status == StatusCode::ACCEPTED {
            let body = response.json();
            assert_eq!(body["status"], "running", "{body}");
            assert!(response.headers.contains_key("retry-after"));
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            continue;
        }
        response.assert_status(StatusCode::OK);
        let body = response.json();
        assert_eq!(body["status"], "ready", "{body}");
        return body;
    }
    panic!("the allocation job never finished");
}

/// The plan page once the job is done (the page reloads itself until then).
async fn plan_page(client: &mut TestClient) -> String {
    for _ in 0..6000 {
        let page = client.get("/allocation").await;
        page.assert_status(StatusCode::OK);
        let html = page.text();
        if !html.contains("http-equiv=\"refresh\"") {
            return html;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    panic!("the allocation job never finished");
}

/// What a service write counts in its transaction, for the rows these
/// tests change with SQL directly (`insert_match`, dates, statuses).
pub async fn count_change(app: &TestApp) {
    app.db
        .execute_unprepared(
            "UPDATE change_counters SET value = value + 1 WHERE name = 'allocation'",
        )
        .await
        .expect("count a change");
}

fn pairs(body: &Value) -> Vec<(String, String)> {
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["need_code"].as_str().expect("need_code").to_owned(),
                i["offer_id"].as_str().expect("offer_id").to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_only_place_goes_to_the_urgent_need_although_first_come_would_give_it_to_the_normal_one()
 {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let (_, first) = need(&app, &mut officer, A, 1, "tutoring", "normal", 2).await;
    let (_, urgent) = need(&app, &mut officer, A, 2, "tutoring", "urgent", 1).await;
    let mut provider = app.verified_provider().await;
    let place = offer(&mut provider, "tutoring", 1, &[TOWNSHIP_A]).await;

    let mut admin = app.admin().await;
    let body = plan(&mut admin).await;
    assert_eq!(body["needs"], 2);
    assert_eq!(body["offers"], 1);
    assert_eq!(
        body["wanted"],
        json!({"critical": 0, "urgent": 1, "normal": 1})
    );
    assert_eq!(
        body["plan"],
        json!({"covered": 1, "by_urgency": {"critical": 0, "urgent": 1, "normal": 0}, "needs_covered": 1})
    );
    assert_eq!(
        body["greedy"],
        json!({"covered": 1, "by_urgency": {"critical": 0, "urgent": 0, "normal": 1}, "needs_covered": 1})
    );
    assert_eq!(body["total"], 1);
    assert_eq!(pairs(&body), vec![(urgent.clone(), place.clone())]);
    let item = &body["items"][0];
    assert_eq!(item["urgency"], "urgent");
    assert_eq!(item["township"], TOWNSHIP_A);
    // The plan keeps ids; the texts are read for the page shown.
    assert_eq!(item["need_title"], "需要课后陪伴和帮助");
    assert_eq!(item["offer_title"], "四点半课堂作业辅导");
    assert!(
        item["owner_name"]
            .as_str()
            .expect("owner")
            .contains("慈善会")
    );
    assert_ne!(urgent, first);
    let text = body.to_string();
    for name in NAMES {
        assert!(!text.contains(name), "{text}");
    }
    assert!(!text.contains(&id_number_for("20150312", 1, false)));
}

#[tokio::test]
async fn a_township_officer_sees_their_needs_in_the_county_wide_plan_and_no_place_is_booked_twice()
{
    let app = TestApp::spawn().await;
    let mut officer_a = app.login_as(Role::TownshipOfficer).await;
    let mut officer_b = app
        .login_staff(Role::TownshipOfficer, Some(TOWNSHIP_B), None)
        .await;
    let (_, normal_a) = need(&app, &mut officer_a, A, 1, "tutoring", "normal", 3).await;
    let (_, critical_b) = need(&app, &mut officer_b, B, 2, "tutoring", "critical", 1).await;
    let mut provider = app.verified_provider().await;
    let county_place = offer(&mut provider, "tutoring", 1, &["county"]).await;

    let mut admin = app.admin().await;
    let body = plan(&mut admin).await;
    assert_eq!(
        pairs(&body),
        vec![(critical_b.clone(), county_place.clone())]
    );
    assert_eq!(body["needs"], 2);

    let mut officer_a = officer_a;
    let body = plan(&mut officer_a).await;
    assert_eq!(body["needs"], 1);
    assert_eq!(body["offers"], 1);
    assert_eq!(body["total"], 0);
    assert_eq!(body["plan"]["covered"], 0);
    // First come would have spent the county's place in township A.
    assert_eq!(body["greedy"]["by_urgency"]["normal"], 1);
    assert!(!body.to_string().contains(&critical_b));

    let mut officer_b = officer_b;
    let body = plan(&mut officer_b).await;
    assert_eq!(pairs(&body), vec![(critical_b, county_place)]);
    assert_eq!(body["plan"]["by_urgency"]["critical"], 1);
    assert_eq!(body["greedy"]["by_urgency"]["critical"], 0);
    assert!(!body.to_string().contains(&normal_a));
}

#[tokio::test]
async fn providers_families_and_village_supervisors_may_not_see_the_plan() {
    let app = TestApp::spawn().await;
    let mut provider = app.verified_provider().await;
    provider
        .get("/api/v1/allocation")
        .await
        .assert_status(StatusCode::FORBIDDEN);
    provider
        .get("/allocation")
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let mut family = app.approved_family(TOWNSHIP_A).await;
    family
        .get("/api/v1/allocation")
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let mut supervisor = app.login_as(Role::VillageSupervisor).await;
    supervisor
        .get("/api/v1/allocation")
        .await
        .assert_status(StatusCode::FORBIDDEN);
    app.client()
        .get("/api/v1/allocation")
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    provider
        .get("/offers/mine")
        .await
        .assert_ok_without(&["href=\"/allocation\""]);
}

#[tokio::test]
async fn the_plan_page_offers_each_pair_as_a_match_form_for_the_officer_to_review() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let (_, code) = need(&app, &mut officer, A, 1, "tutoring", "critical", 1).await;
    let mut provider = app.verified_provider().await;
    let place = offer(&mut provider, "tutoring", 3, &[TOWNSHIP_A]).await;

    let html = plan_page(&mut officer).await;
    assert!(html.contains("先到先得") && html.contains("分配方案"));
    let form_at = html.find("action=\"/matches\"").expect("a match form");
    let form = &html[form_at..form_at + html[form_at..].find("</form>").expect("form end")];
    assert!(form.contains("name=\"csrf_token\""));
    assert!(form.contains(&format!("name=\"need_code\" value=\"{code}\"")));
    assert!(form.contains(&format!("name=\"offer_id\" value=\"{place}\"")));
    assert!(form.contains("name=\"note\" value=\"分配方案建议\""));
    assert!(form.contains("推荐该对接"));
    assert!(html.contains("青龙街道"));
    assert!(html.contains("href=\"/allocation\""));
    assert_eq!(nav_inbox(&html).as_deref(), Some("待办"));
}

#[tokio::test]
async fn an_offer_already_in_an_open_match_is_not_proposed_again_and_held_places_count() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let (open_need, open_code) = need(&app, &mut officer, A, 1, "tutoring", "normal", 3).await;
    let (held_need, held_code) = need(&app, &mut officer, A, 2, "tutoring", "urgent", 2).await;
    let mut provider = app.verified_provider().await;
    let first = offer(&mut provider, "tutoring", 1, &[TOWNSHIP_A]).await;
    let second = offer(&mut provider, "tutoring", 1, &[TOWNSHIP_A]).await;
    let hour = Duration::hours(1);
    insert_match(&app, &open_need, &first, TOWNSHIP_A, "proposed", hour).await;
    insert_match(&app, &held_need, &first, TOWNSHIP_A, "approved", hour).await;
    // A withdrawn match neither holds a place nor blocks the pair.
    insert_match(&app, &held_need, &second, TOWNSHIP_A, "withdrawn", hour).await;

    let mut admin = app.admin().await;
    let body = plan(&mut admin).await;
    assert_eq!(body["needs"], 1);
    assert_eq!(pairs(&body), vec![(open_code, second)]);
    assert!(!body.to_string().contains(&held_code));
}

#[tokio::test]
async fn offers_of_a_family_whose_approval_ran_out_are_left_out() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let (_, code) = need(&app, &mut officer, A, 1, "sponsorship", "normal", 1).await;
    let (family_id, username) = app.apply_family(TOWNSHIP_A).await;
    let set_until = |day: chrono::NaiveDate| {
        format!(
            "UPDATE families SET status = 'approved', approved_until = '{day}' WHERE id = '{family_id}'"
        )
    };
    let today = Utc::now().date_naive();
    app.db
        .execute_unprepared(&set_until(today + Duration::days(100)))
        .await
        .expect("approve");
    let mut family = app.logged_in(&username).await;
    let home = offer(&mut family, "sponsorship", 1, &[TOWNSHIP_A]).await;

    let mut admin = app.admin().await;
    assert_eq!(pairs(&plan(&mut admin).await), vec![(code, home)]);
    app.db
        .execute_unprepared(&set_until(today - Duration::days(1)))
        .await
        .expect("expire");
    count_change(&app).await;
    let body = plan(&mut admin).await;
    assert_eq!(body["offers"], 0);
    assert_eq!(body["total"], 0);
}

#[tokio::test]
async fn offers_past_their_end_or_of_a_suspended_provider_are_left_out() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let (_, code) = need(&app, &mut officer, A, 1, "tutoring", "normal", 1).await;
    let mut provider = app.verified_provider().await;
    let ended = offer(&mut provider, "tutoring", 1, &[TOWNSHIP_A]).await;
    let mut other = app.verified_provider().await;
    let suspended = offer(&mut other, "tutoring", 1, &[TOWNSHIP_A]).await;
    let mut admin = app.admin().await;
    assert_eq!(plan(&mut admin).await["offers"], 2);

    let yesterday = Utc::now().date_naive() - Duration::days(1);
    app.db
        .execute_unprepared(&format!(
            "UPDATE offers SET starts_on = '{}', ends_on = '{yesterday}' WHERE id = '{ended}'",
            yesterday - Duration::days(30)
        ))
        .await
        .expect("end the offer");
    app.db
        .execute_unprepared(&format!(
            "UPDATE providers SET status = 'suspended' WHERE id = (SELECT provider_id FROM offers WHERE id = '{suspended}')"
        ))
        .await
        .expect("suspend the provider");
    count_change(&app).await;
    let body = plan(&mut admin).await;
    assert_eq!(body["offers"], 0);
    assert_eq!(body["total"], 0);
    assert_eq!(body["needs"], 1);
    assert!(!body.to_string().contains(&code));
}

#[tokio::test]
async fn a_need_for_two_people_takes_one_place_from_each_of_two_offers() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let child = officer
        .create_child(child_body(
            NAMES[0],
            &id_number_for("20150312", 1, false),
            TOWNSHIP_A,
            VILLAGE_A,
        ))
        .await;
    let mut body = crate::helpers::need_body(&child);
    body["quantity"] = json!(2);
    let title = body["title"].clone();
    let created = officer.post_json("/api/v1/needs", body).await;
    created.assert_status(StatusCode::CREATED);
    let id = created.json()["id"].as_str().expect("id").to_owned();
    officer
        .post_json(&format!("/api/v1/needs/{id}/publish"), json!({}))
        .await
        .assert_status(StatusCode::OK);
    let mut provider = app.verified_provider().await;
    let big = offer(&mut provider, "tutoring", 5, &[TOWNSHIP_A]).await;
    let small = offer(&mut provider, "tutoring", 1, &[TOWNSHIP_A]).await;

    let mut admin = app.admin().await;
    let body = plan(&mut admin).await;
    assert_eq!(body["wanted"]["normal"], 2);
    assert_eq!(body["plan"]["covered"], 2);
    assert_eq!(body["plan"]["needs_covered"], 1);
    let mut offers: Vec<String> = pairs(&body).into_iter().map(|(_, o)| o).collect();
    offers.sort();
    // The one need named by both pairs shows its code and title in each.
    let code = created.json()["code"].clone();
    for item in body["items"].as_array().expect("items") {
        assert_eq!((&item["need_code"], &item["need_title"]), (&code, &title));
        assert!(
            !item["offer_title"]
                .as_str()
                .expect("offer title")
                .is_empty()
        );
    }
    let mut expected = vec![big, small];
    expected.sort();
    assert_eq!(offers, expected);

    // One place already held: one more is wanted.
    let first = expected[0].clone();
    insert_match(
        &app,
        &id,
        &first,
        TOWNSHIP_A,
        "approved",
        Duration::hours(1),
    )
    .await;
    count_change(&app).await;
    let body = plan(&mut admin).await;
    assert_eq!(body["wanted"]["normal"], 1);
    assert_eq!(pairs(&body).len(), 1);
    assert_ne!(pairs(&body)[0].1, first);
}

/// The audit head's sequence and the change counter: what a write moves.
async fn writes_seen(app: &TestApp) -> (i64, i64) {
    let row = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT (SELECT seq FROM audit_head WHERE id = 1) AS seq, \
             (SELECT value FROM change_counters WHERE name = 'allocation') AS changes",
        ))
        .await
        .expect("read the counters")
        .expect("a row");
    (
        row.try_get("", "seq").expect("seq"),
        row.try_get("", "changes").expect("changes"),
    )
}

#[tokio::test]
async fn the_plan_is_computed_off_the_request_and_served_until_the_data_changes() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let (need_id, code) = need(&app, &mut officer, A, 1, "tutoring", "urgent", 1).await;
    let mut provider = app.verified_provider().await;
    let first = offer(&mut provider, "tutoring", 1, &[TOWNSHIP_A]).await;
    let mut admin = app.admin().await;
    let before = writes_seen(&app).await;

    // The first request starts the job and answers at once.
    let response = admin.get("/api/v1/allocation").await;
    response.assert_status(StatusCode::ACCEPTED);
    let running = response.json();
    assert_eq!(running["status"], "running");
    assert!(running["phase"].is_string() && running["percent"].is_u64());
    assert!(running["started_at"].is_string());
    assert_eq!(running["retrying"], false);
    assert!(running.get("items").is_none());

    let body = plan(&mut admin).await;
    assert_eq!(pairs(&body), vec![(code.clone(), first.clone())]);
    assert!(body["duration_ms"].is_u64());
    let computed_at = body["computed_at"].clone();
    // Served from memory while nothing changes, to every reader in scope.
    let again = admin.get("/api/v1/allocation").await;
    again.assert_status(StatusCode::OK);
    assert_eq!(again.json()["computed_at"], computed_at);
    let officers = officer.get("/api/v1/allocation").await;
    officers.assert_status(StatusCode::OK);
    assert_eq!(officers.json()["computed_at"], computed_at);
    assert_eq!(pairs(&officers.json()), vec![(code.clone(), first.clone())]);
    // Asking wrote nothing.
    assert_eq!(writes_seen(&app).await, before);

    // A change through the portal makes the plan stale: it is computed again.
    let second = offer(&mut provider, "tutoring", 2, &[TOWNSHIP_A]).await;
    assert_ne!(writes_seen(&app).await.1, before.1);
    admin
        .get("/api/v1/allocation")
        .await
        .assert_status(StatusCode::ACCEPTED);
    let body = plan(&mut admin).await;
    assert_ne!(body["computed_at"], computed_at);
    assert_eq!(body["offers"], 2);
    assert_eq!(pairs(&body).len(), 1);
    assert_ne!(first, second);

    // Closing the need through the portal: nothing left to propose.
    officer
        .post_json(
            &format!("/api/v1/needs/{need_id}/close"),
            json!({"reason": "已由亲属照顾"}),
        )
        .await
        .assert_status(StatusCode::OK);
    let body = plan(&mut admin).await;
    assert_eq!(body["needs"], 0);
    assert_eq!(body["total"], 0);
}

#[tokio::test]
async fn requests_while_the_job_runs_join_it_and_never_start_a_second() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    for seq in 1..=4 {
        need(&app, &mut officer, A, seq, "tutoring", "normal", 1).await;
    }
    let mut provider = app.verified_provider().await;
    offer(&mut provider, "tutoring", 3, &["county"]).await;
    let admin = app.admin().await;

    let asks = (0..12).map(|i| {
        let mut client = if i % 2 == 0 {
            admin.clone()
        } else {
            officer.clone()
        };
        async move { client.get("/api/v1/allocation").await }
    });
    let answers = futures_util::future::join_all(asks).await;
    let mut started = std::collections::HashSet::new();
    let mut ready = std::collections::HashSet::new();
    for answer in &answers {
        let body = answer.json();
        match answer.status {
            StatusCode::ACCEPTED => {
                started.insert(body["started_at"].as_str().expect("started_at").to_owned());
            }
            StatusCode::OK => {
                ready.insert(
                    body["computed_at"]
                        .as_str()
                        .expect("computed_at")
                        .to_owned(),
                );
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    // Every request still waiting names the one job; those that came after
    // it finished got its result.
    assert_eq!(started.len(), 1, "{started:?}");
    assert!(ready.len() <= 1, "{ready:?}");
    let mut admin = admin;
    let body = plan(&mut admin).await;
    assert_eq!(body["plan"]["covered"], 3);
    if let Some(at) = ready.iter().next() {
        assert_eq!(body["computed_at"].as_str(), Some(at.as_str()));
    }
}

#[tokio::test]
async fn the_page_shows_progress_and_reloads_itself_until_the_plan_is_ready() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    need(&app, &mut officer, A, 1, "tutoring", "critical", 1).await;
    let mut admin = app.admin().await;
    let page = admin.get("/allocation").await;
    page.assert_status(StatusCode::OK);
    let html = page.text();
    assert!(html.contains("http-equiv=\"refresh\""), "{html}");
    assert!(html.contains("<progress") && html.contains("正在按最新数据计算"));
    let html = plan_page(&mut admin).await;
    assert!(html.contains("先到先得"));
    assert!(!html.contains("<progress"));
    // Roles that may not see the plan never start a job either.
    let mut provider = app.verified_provider().await;
    provider
        .get("/allocation")
        .await
        .assert_status(StatusCode::FORBIDDEN);
}
