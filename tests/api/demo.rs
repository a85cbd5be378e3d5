//! The demo data: loaded once, through the services, with files and needs
//! that show both sides of the k-anonymity rule.

use axum::http::StatusCode;
use serde_json::Value;

use crate::helpers::TestApp;

#[tokio::test]
async fn demo_data_loads_once_with_needs_shown_by_township_and_by_county() {
    let app = TestApp::spawn().await;
    let loaded = carebridge::services::demo::load_if_empty(&app.db, &app.prepared.vault, 5)
        .await
        .expect("demo data");
    assert!(loaded);
    let again = carebridge::services::demo::load_if_empty(&app.db, &app.prepared.vault, 5)
        .await
        .expect("second load");
    assert!(!again, "loaded once");
    app.index_now().await;

    let mut provider = app.logged_in_with("sunshine", "bridge-demo-8265").await;
    let needs = provider.get("/api/v1/needs?limit=100").await;
    needs.assert_status(StatusCode::OK);
    let items = needs.json()["items"].as_array().expect("items").clone();
    let statuses: Vec<&str> = items
        .iter()
        .map(|n| n["status"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        items.len(),
        9,
        "12 published, less the two covered by approved matches and the one fulfilled: {statuses:?}"
    );
    let shown = items
        .iter()
        .filter(|n| n["township"] != Value::Null)
        .count();
    assert!(
        shown > 0 && shown < items.len(),
        "{shown} of {} show a township",
        items.len()
    );
    let searched = provider.get("/api/v1/search?type=need&q=").await;
    assert_eq!(searched.json()["total"], 9);
    let offers = app
        .client()
        .get("/api/v1/search?q=%E5%AD%A4%E7%8B%AC%E7%97%87")
        .await;
    assert_eq!(offers.json()["items"][0]["title"], "孤独症儿童康复训练");
    assert_eq!(
        app.client().get("/api/v1/search?q=").await.json()["total"],
        10,
        "the provider's eight offers and the approved family's two"
    );

    let mut county = app.logged_in_with("county", "bridge-demo-4821").await;
    let families = county.get("/api/v1/families?limit=100").await.json();
    let status_of = |name: &str| {
        families["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|f| f["household_name"] == name)
            .map(|f| f["status"].clone())
            .expect("demo family")
    };
    assert_eq!(status_of("王家"), "submitted");
    assert_eq!(status_of("赵家"), "recommended");
    assert_eq!(status_of("李家"), "approved");

    let listed = county.get("/api/v1/matches?limit=100").await.json();
    let mut states: Vec<&str> = listed["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|m| m["status"].as_str().unwrap_or_default())
        .collect();
    states.sort_unstable();
    assert_eq!(
        states,
        [
            "approved",
            "cancelled",
            "completed",
            "in_service",
            "proposed",
            "rejected",
            "suggested",
            "suggested",
            "township_approved",
            "withdrawn"
        ],
        "a demo match in every state"
    );

    let mut officer = app.logged_in_with("qinglong", "bridge-demo-5932").await;
    let files = officer.get("/api/v1/children?limit=100").await.json();
    assert_eq!(
        files["total"], 20,
        "18 files of 青龙街道 and the two drafts of 红旗村"
    );
    assert_eq!(files["items"][0]["visit_overdue"], true);
    let mut supervisor = app.logged_in_with("hongqi", "bridge-demo-7154").await;
    let drafts = supervisor.get("/api/v1/children?status=draft").await.json();
    assert_eq!(drafts["total"], 2);

    // Every role's inbox has something on first start.
    for (username, password) in [
        ("county", "bridge-demo-4821"),
        ("qinglong", "bridge-demo-5932"),
        ("nanxi", "bridge-demo-6043"),
        ("shuangjiang", "bridge-demo-2598"),
        ("hongqi", "bridge-demo-7154"),
        ("sunshine", "bridge-demo-8265"),
        ("lifamily", "bridge-demo-4830"),
    ] {
        let mut user = app.logged_in_with(username, password).await;
        let inbox = user.get("/api/v1/inbox").await.json();
        assert!(
            inbox["total"].as_u64().unwrap_or_default() > 0,
            "{username}: {}",
            inbox
        );
    }
}

#[tokio::test]
async fn the_demo_has_three_reports_in_two_townships_one_of_them_overdue() {
    let app = TestApp::spawn().await;
    carebridge::services::demo::load_if_empty(&app.db, &app.prepared.vault, 5)
        .await
        .expect("demo data");
    let mut county = app.logged_in_with("county", "bridge-demo-4821").await;
    let reports = county.get("/api/v1/reports").await.json();
    let items = reports["items"].as_array().expect("items");
    // The queue lists the open reports; the demo's closed one is history.
    assert_eq!(items.len(), 3);
    let mut statuses: Vec<&str> = items
        .iter()
        .map(|r| r["status"].as_str().expect("status"))
        .collect();
    statuses.sort_unstable();
    assert_eq!(statuses, vec!["assessing", "intervention", "received"]);
    let townships: std::collections::BTreeSet<&str> = items
        .iter()
        .map(|r| r["township"].as_str().expect("township"))
        .collect();
    assert_eq!(townships.len(), 2);
    let overdue: Vec<&Value> = items.iter().filter(|r| r["overdue"] == true).collect();
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0]["escalated"], true);
    assert_eq!(
        county.get("/api/v1/inbox").await.json()["counts"]["report_escalated"],
        1
    );
}

#[tokio::test]
async fn demo_departments_have_referrals_in_every_state_and_townships_have_gaps() {
    let app = TestApp::spawn().await;
    carebridge::services::demo::load_if_empty(&app.db, &app.prepared.vault, 5)
        .await
        .expect("demo data");
    let mut county = app.logged_in_with("county", "bridge-demo-4821").await;
    let all = county.get("/api/v1/referrals?limit=100").await.json();
    let mut statuses: Vec<String> = all["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|r| r["status"].as_str().unwrap_or_default().to_owned())
        .collect();
    statuses.sort();
    statuses.dedup();
    for status in [
        "sent",
        "accepted",
        "granted",
        "refused",
        "returned",
        "forwarded",
        "closed",
    ] {
        assert!(
            statuses.iter().any(|s| s == status),
            "{status}: {statuses:?}"
        );
    }
    assert!(
        all["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|r| r["overdue"] == true),
        "one overdue"
    );
    let mut townships: Vec<String> = county
        .get("/api/v1/entitlements/gaps?limit=100")
        .await
        .json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|g| g["township"].as_str().unwrap_or_default().to_owned())
        .collect();
    townships.sort();
    townships.dedup();
    assert!(townships.len() >= 2, "{townships:?}");
    for (user, password) in [
        ("jiaowei", "bridge-demo-5941"),
        ("minzheng", "bridge-demo-6052"),
        ("canlian", "bridge-demo-7163"),
    ] {
        let mut dept = app.logged_in_with(user, password).await;
        let queue = dept.get("/api/v1/referrals").await.json();
        assert!(queue["total"].as_u64().unwrap_or(0) > 0, "{user}");
        dept.get("/referrals").await.assert_status(StatusCode::OK);
    }
}

/// The months of the dashboard's trend in which series `code` is above zero.
fn months_above_zero(dashboard: &Value, code: &str) -> Vec<String> {
    let months = dashboard["trend"]["months"].as_array().expect("months");
    let values = dashboard["trend"]["series"]
        .as_array()
        .expect("series")
        .iter()
        .find(|s| s["code"] == code)
        .unwrap_or_else(|| panic!("no series {code}"))["values"]
        .as_array()
        .expect("values");
    months
        .iter()
        .zip(values)
        .filter(|(_, v)| v.as_f64().unwrap_or(0.0) > 0.0)
        .map(|(m, _)| m.as_str().unwrap_or_default().to_owned())
        .collect()
}

/// The demo has a year of history: the county's twelve-month trend shows
/// files, visits, needs and services in past months, not only this one,
/// and the audit chain of all that dated history still verifies.
#[tokio::test]
async fn the_demo_trend_has_a_year_of_history() {
    let app = TestApp::spawn().await;
    carebridge::services::demo::load_if_empty(&app.db, &app.prepared.vault, 5)
        .await
        .expect("demo data");
    let mut county = app.logged_in_with("county", "bridge-demo-4821").await;
    let response = county.get("/api/v1/dashboard").await;
    response.assert_status(StatusCode::OK);
    let dashboard = response.json();
    let this_month = dashboard["trend"]["months"]
        .as_array()
        .and_then(|m| m.last())
        .and_then(Value::as_str)
        .expect("this month")
        .to_owned();
    for (code, at_least) in [
        ("files_open", 10),
        ("visit_coverage", 6),
        ("needs_published", 6),
        ("services", 3),
        ("hours", 3),
        ("completed", 1),
        ("reports", 1),
    ] {
        let months = months_above_zero(&dashboard, code);
        let past = months.iter().filter(|m| **m != this_month).count();
        assert!(
            past >= at_least,
            "{code}: above zero in {months:?}, wanted at least {at_least} past months"
        );
    }
    let rating = months_above_zero(&dashboard, "mean_rating");
    assert!(
        rating.iter().any(|m| *m != this_month),
        "a completed match with a rating in a past month: {rating:?}"
    );
    let response = months_above_zero(&dashboard, "response_hours");
    assert!(
        response.iter().any(|m| *m != this_month),
        "a report answered in a past month: {response:?}"
    );
    let matched = months_above_zero(&dashboard, "needs_matched");
    assert!(matched.len() >= 2, "needs matched: {matched:?}");
    // Each completed month of the year counts its children by class and
    // band from its month-end snapshot, and they add up to its files.
    let months = dashboard["trend"]["months"].as_array().expect("months");
    for month in &months[..months.len() - 1] {
        let month = month.as_str().expect("month");
        let response = county
            .get(&format!("/api/v1/dashboard?period={month}"))
            .await;
        response.assert_status(StatusCode::OK);
        let past = response.json();
        assert_eq!(past["children_counted_by"], "month_end_snapshot", "{month}");
        let by_class: u64 = past["children_by_class"]
            .as_array()
            .expect("classes")
            .iter()
            .filter_map(|c| c["count"].as_u64())
            .sum();
        let files = past["figures"]
            .as_array()
            .expect("figures")
            .iter()
            .find(|f| f["code"] == "files_open")
            .and_then(|f| f["value"].as_f64());
        assert_eq!(Some(by_class as f64), files, "{month}");
    }
    let verified = carebridge::services::audit::verify(&app.db)
        .await
        .expect("verify the audit chain");
    assert!(
        matches!(
            verified,
            carebridge::services::audit::Verification::Intact { .. }
        ),
        "{verified:?}"
    );
}
