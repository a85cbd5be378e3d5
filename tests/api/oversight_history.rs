//! Oversight figures over time, with known answers per township and
//! county: files on file and visit coverage as of a period's end (a file
//! closed later still counts, one closed before does not; a visit 90 days
//! before the end counts, one 91 days before does not), the public
//! statistics' quarter by the same rule, and the twelve-month trend of
//! every monthly figure (its value for a month is the month's figure).

use axum::http::StatusCode;
use carebridge::domain::Role;
use chrono::{Datelike, Duration, NaiveDate, Utc};
use serde_json::{Value, json};

use crate::helpers::{TOWNSHIP_A, TOWNSHIP_B, TestApp, TestClient};
use crate::match_helpers::{Scene, act, approve};
use crate::oversight::{figure, file_child};
use crate::reports::{file, id_of, report_body, responded, step};

/// The office day (Beijing) of a moment.
fn office_day(at: chrono::DateTime<Utc>) -> NaiveDate {
    (at + Duration::hours(8)).date_naive()
}

fn month_code(day: NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

/// The last day of the month of `day`.
fn month_end(day: NaiveDate) -> NaiveDate {
    let (y, m) = if day.month() == 12 {
        (day.year() + 1, 1)
    } else {
        (day.year(), day.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).expect("first of month") - Duration::days(1)
}

async fn visit(officer: &mut TestClient, child: &str, on: NaiveDate) {
    officer
        .post_json(
            &format!("/api/v1/children/{child}/visits"),
            json!({"visited_on": on.to_string(), "summary": "入户走访，了解学习情况。"}),
        )
        .await
        .assert_status(StatusCode::CREATED);
}

async fn close(officer: &mut TestClient, child: &str) {
    officer
        .post_json(
            &format!("/api/v1/children/{child}/close"),
            json!({"reason": "已满18周岁，结档"}),
        )
        .await
        .assert_status(StatusCode::OK);
}

async fn dashboard(admin: &mut TestClient, period: &str, township: Option<&str>) -> Value {
    let path = match township {
        Some(t) => format!("/api/v1/dashboard?period={period}&township={t}"),
        None => format!("/api/v1/dashboard?period={period}"),
    };
    let response = admin.get(&path).await;
    response.assert_status(StatusCode::OK);
    response.json()
}

fn value(body: &Value, code: &str) -> Option<f64> {
    figure(body, code)["value"].as_f64()
}

/// The trend series `code` of a dashboard, month code → value.
fn series(body: &Value, code: &str) -> Vec<(String, Option<f64>)> {
    let months: Vec<String> = body["trend"]["months"]
        .as_array()
        .expect("months")
        .iter()
        .map(|m| m.as_str().expect("month").to_owned())
        .collect();
    let values = body["trend"]["series"]
        .as_array()
        .expect("series")
        .iter()
        .find(|s| s["code"] == code)
        .unwrap_or_else(|| panic!("no series {code}"))["values"]
        .as_array()
        .expect("values")
        .iter()
        .map(Value::as_f64)
        .collect::<Vec<_>>();
    months.into_iter().zip(values).collect()
}

fn at(body: &Value, code: &str, month: &str) -> Option<f64> {
    series(body, code)
        .into_iter()
        .find(|(m, _)| m == month)
        .unwrap_or_else(|| panic!("no month {month} in {code}"))
        .1
}

fn close_to(got: Option<f64>, want: f64) -> bool {
    got.is_some_and(|g| (g - want).abs() < 0.05)
}

#[tokio::test]
async fn files_and_visit_coverage_are_counted_as_of_the_end_of_the_period() {
    let app = TestApp::spawn().await;
    let mut officer_a = app.login_as(Role::TownshipOfficer).await;
    let mut officer_b = app
        .login_staff(Role::TownshipOfficer, Some(TOWNSHIP_B), None)
        .await;
    let today = office_day(Utc::now());
    let this_month = month_code(today);
    let last_day = month_end(today);
    let a1 = file_child(&mut officer_a, TOWNSHIP_A, &["poverty"]).await;
    let a2 = file_child(&mut officer_a, TOWNSHIP_A, &["poverty"]).await;
    let a3 = file_child(&mut officer_a, TOWNSHIP_A, &["disability"]).await;
    let b1 = file_child(&mut officer_b, TOWNSHIP_B, &["poverty"]).await;
    // 90 days before the month's last day counts; 91 days does not.
    visit(&mut officer_a, &a1, last_day - Duration::days(90)).await;
    visit(&mut officer_a, &a2, last_day - Duration::days(91)).await;
    // The visit service takes days up to the server's own date.
    visit(&mut officer_b, &b1, chrono::Local::now().date_naive()).await;

    // A hundred days on, A's third file is closed, and a new one opened.
    app.advance_clock(Duration::days(100));
    close(&mut officer_a, &a3).await;
    file_child(&mut officer_a, TOWNSHIP_A, &["orphan"]).await;
    let later = office_day(Utc::now() + Duration::days(100));
    let later_month = month_code(later);

    let mut admin = app.admin().await;
    // This month, seen later: as it was at its end.
    let county = dashboard(&mut admin, &this_month, None).await;
    assert_eq!(value(&county, "files_open"), Some(4.0));
    assert_eq!(value(&county, "visit_coverage"), Some(50.0));
    let a = dashboard(&mut admin, &this_month, Some(TOWNSHIP_A)).await;
    assert_eq!(value(&a, "files_open"), Some(3.0));
    assert!(close_to(value(&a, "visit_coverage"), 100.0 / 3.0), "{a}");
    let disability = a["children_by_class"]
        .as_array()
        .expect("classes")
        .iter()
        .find(|c| c["code"] == "disability")
        .and_then(|c| c["count"].as_u64());
    assert_eq!(disability, Some(1), "the file closed later still counts");
    let b = dashboard(&mut admin, &this_month, Some(TOWNSHIP_B)).await;
    assert_eq!(value(&b, "files_open"), Some(1.0));
    assert_eq!(value(&b, "visit_coverage"), Some(100.0));

    // The month before: nothing was on file yet.
    let before = month_code(
        NaiveDate::from_ymd_opt(today.year(), today.month(), 1).expect("day") - Duration::days(1),
    );
    let empty = dashboard(&mut admin, &before, None).await;
    assert_eq!(value(&empty, "files_open"), Some(0.0));
    assert_eq!(value(&empty, "visit_coverage"), None);

    // The running month: as of now (A3 closed, the orphan's file opened),
    // and every visit is more than 90 days old.
    let now_county = dashboard(&mut admin, &later_month, None).await;
    assert_eq!(value(&now_county, "files_open"), Some(4.0));
    assert_eq!(value(&now_county, "visit_coverage"), Some(0.0));
    let now_a = dashboard(&mut admin, &later_month, Some(TOWNSHIP_A)).await;
    assert_eq!(value(&now_a, "files_open"), Some(3.0));
    let orphans = now_a["children_by_class"]
        .as_array()
        .expect("classes")
        .iter()
        // An orphan counts in the class of absent care.
        .find(|c| c["code"] == "care_absent")
        .and_then(|c| c["count"].as_u64());
    assert_eq!(orphans, Some(1));

    // The trend of the running month: each month as of its end.
    assert_eq!(at(&now_county, "files_open", &before), Some(0.0));
    assert_eq!(at(&now_county, "visit_coverage", &before), None);
    assert_eq!(at(&now_county, "files_open", &this_month), Some(4.0));
    assert_eq!(at(&now_county, "visit_coverage", &this_month), Some(50.0));
    assert_eq!(at(&now_county, "files_open", &later_month), Some(4.0));
    assert_eq!(at(&now_county, "visit_coverage", &later_month), Some(0.0));
    assert_eq!(at(&now_a, "files_open", &this_month), Some(3.0));
    assert!(close_to(
        at(&now_a, "visit_coverage", &this_month),
        100.0 / 3.0
    ));
    let now_b = dashboard(&mut admin, &later_month, Some(TOWNSHIP_B)).await;
    assert_eq!(at(&now_b, "files_open", &this_month), Some(1.0));
    assert_eq!(at(&now_b, "visit_coverage", &this_month), Some(100.0));

    // Forty more days: the month the file was closed in is over, and it
    // no longer counts at that month's end.
    app.advance_clock(Duration::days(40));
    let closed_month = dashboard(&mut admin, &later_month, Some(TOWNSHIP_A)).await;
    assert_eq!(value(&closed_month, "files_open"), Some(3.0));
    let disability = closed_month["children_by_class"]
        .as_array()
        .expect("classes")
        .iter()
        .find(|c| c["code"] == "disability")
        .and_then(|c| c["count"].as_u64());
    assert_eq!(
        disability,
        Some(0),
        "closed within the month: not on file at its end"
    );
}

#[tokio::test]
async fn public_statistics_count_the_files_on_file_at_the_end_of_the_quarter() {
    let app = TestApp::spawn().await;
    let mut officer_a = app.login_as(Role::TownshipOfficer).await;
    let mut officer_b = app
        .login_staff(Role::TownshipOfficer, Some(TOWNSHIP_B), None)
        .await;
    let mut poor = Vec::new();
    for _ in 0..9 {
        poor.push(file_child(&mut officer_a, TOWNSHIP_A, &["poverty"]).await);
    }
    for _ in 0..2 {
        file_child(&mut officer_a, TOWNSHIP_A, &["disability"]).await;
    }
    for _ in 0..6 {
        file_child(&mut officer_b, TOWNSHIP_B, &["poverty"]).await;
    }
    // Closed within the quarter: not on file at its end.
    close(&mut officer_a, &poor[0]).await;
    // A hundred days on, at least one quarter has ended since: a file
    // closed now was on file at its end, one opened now was not.
    app.advance_clock(Duration::days(100));
    close(&mut officer_a, &poor[1]).await;
    file_child(&mut officer_a, TOWNSHIP_A, &["poverty"]).await;
    let body = app.client().get("/api/v1/stats").await.json();
    let poverty = body["classes"]
        .as_array()
        .expect("classes")
        .iter()
        .position(|c| c["code"] == "poverty")
        .expect("poverty column");
    let row = |t: &str| {
        body["children"]
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| r["township"] == t)
            .unwrap_or_else(|| panic!("no row {t}"))
            .clone()
    };
    // 9 filed, one closed before the end: 8 (the one closed after counts).
    assert_eq!(row(TOWNSHIP_A)["cells"][poverty]["value"], 8, "{body}");
    assert_eq!(row(TOWNSHIP_B)["cells"][poverty]["value"], 6, "{body}");
}

#[tokio::test]
async fn the_trend_holds_each_months_figures_per_township_and_county() {
    let app = TestApp::spawn().await;
    let start = office_day(Utc::now());
    let month = month_code(start);
    // Township A: a need published now, approved three days later, served
    // (2.5 hours) and completed with a rating of 4.
    let mut scene = Scene::new(&app, 2).await;
    let proposal = scene.proposal().await;
    // Township B: an urgent report, answered two hours after it came in.
    let (reference, _) = file(
        &app,
        report_body(TOWNSHIP_B, true, "孩子独自在家，无人照看。"),
    )
    .await;
    let mut officer_b = app
        .login_staff(Role::TownshipOfficer, Some(TOWNSHIP_B), None)
        .await;
    let report = id_of(&mut officer_b, &reference).await;
    app.advance_clock(Duration::hours(2));
    step(&mut officer_b, &report, "assign", json!({}))
        .await
        .assert_status(StatusCode::OK);
    step(&mut officer_b, &report, "respond", responded())
        .await
        .assert_status(StatusCode::OK);
    app.advance_clock(Duration::days(3) - Duration::hours(2));
    approve(&mut scene.officer, &proposal).await;
    // Served on the day of the approval (by the services' clock).
    let served = (chrono::Local::now() + Duration::days(3)).date_naive();
    act(
        &mut scene.provider,
        &proposal,
        "services",
        json!({"served_on": served.to_string(), "hours": 2.5, "summary": "辅导数学"}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    act(
        &mut scene.officer,
        &proposal,
        "complete",
        json!({"feedback": "进步明显", "rating": 4}),
    )
    .await
    .assert_status(StatusCode::OK);
    let done = office_day(Utc::now() + Duration::days(3));
    let done_month = month_code(done);

    let mut admin = app.admin().await;
    let county = dashboard(&mut admin, &done_month, None).await;
    assert_eq!(at(&county, "needs_published", &month), Some(1.0));
    assert_eq!(at(&county, "needs_fulfilled", &month), Some(1.0));
    assert_eq!(at(&county, "needs_matched", &month), Some(0.0));
    assert_eq!(at(&county, "needs_closed", &month), Some(0.0));
    assert!(
        close_to(at(&county, "days_to_match", &month), 3.0),
        "{county}"
    );
    assert_eq!(at(&county, "services", &month_code(served)), Some(1.0));
    assert_eq!(at(&county, "hours", &month_code(served)), Some(2.5));
    assert_eq!(at(&county, "completed", &done_month), Some(1.0));
    assert_eq!(at(&county, "mean_rating", &done_month), Some(4.0));
    assert_eq!(at(&county, "reports", &month), Some(1.0));
    assert!(
        close_to(at(&county, "response_hours", &month), 2.0),
        "{county}"
    );
    // Nothing in the months before: zero counts, no median, no rating.
    let first = series(&county, "needs_published")[0].0.clone();
    assert_ne!(first, month);
    assert_eq!(at(&county, "needs_published", &first), Some(0.0));
    assert_eq!(at(&county, "days_to_match", &first), None);
    assert_eq!(at(&county, "mean_rating", &first), None);
    assert_eq!(at(&county, "referrals_in_time", &first), None);

    let a = dashboard(&mut admin, &done_month, Some(TOWNSHIP_A)).await;
    assert_eq!(at(&a, "needs_published", &month), Some(1.0));
    assert!(close_to(at(&a, "days_to_match", &month), 3.0));
    assert_eq!(at(&a, "completed", &done_month), Some(1.0));
    assert_eq!(at(&a, "reports", &month), Some(0.0));
    assert_eq!(at(&a, "response_hours", &month), None);
    let b = dashboard(&mut admin, &done_month, Some(TOWNSHIP_B)).await;
    assert_eq!(at(&b, "needs_published", &month), Some(0.0));
    assert_eq!(at(&b, "days_to_match", &month), None);
    assert_eq!(at(&b, "reports", &month), Some(1.0));
    assert!(close_to(at(&b, "response_hours", &month), 2.0));

    // A month's point of the trend is the month's own figure.
    for scope in [None, Some(TOWNSHIP_A), Some(TOWNSHIP_B)] {
        let body = dashboard(&mut admin, &month, scope).await;
        for code in [
            "files_open",
            "visit_coverage",
            "needs_published",
            "days_to_match",
            "services",
            "hours",
            "completed",
            "mean_rating",
            "reports",
            "response_hours",
            "referrals_in_time",
        ] {
            let last = series(&body, code).last().expect("a month").clone();
            assert_eq!(last.0, month);
            assert_eq!(last.1, value(&body, code), "{code} of {scope:?}");
        }
    }
    // The page draws every series with its table.
    let page = admin.get(&format!("/oversight?period={done_month}")).await;
    page.assert_status(StatusCode::OK);
    let html = page.text();
    for title in [
        "在档儿童（各月末）",
        "走访覆盖率",
        "发布到首次批准对接（中位数）",
        "完成对接平均评分",
    ] {
        assert!(html.contains(title), "no chart {title}");
    }
    assert!(
        html.matches("chart-data").count() >= 11,
        "charts without tables"
    );
}

/// The dashboard of `period` for `township` once the kept figures behind
/// `seen` were read again (the job refreshes them in the background).
async fn refreshed(admin: &mut TestClient, period: &str, township: &str, seen: &Value) -> Value {
    for _ in 0..100 {
        let body = dashboard(admin, period, Some(township)).await;
        if body["computed_at"] != seen["computed_at"] {
            return body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the figures of {period} were not read again within 5 s");
}

/// The count of `code` in a dashboard's children by class.
fn class_count(body: &Value, code: &str) -> Option<u64> {
    body["children_by_class"]
        .as_array()
        .expect("classes")
        .iter()
        .find(|c| c["code"] == code)
        .and_then(|c| c["count"].as_u64())
}

/// A completed month counts each file in the class it had at the month's
/// end and the band of its age on the month's last day, from the snapshot
/// the sweep takes once after the month ends (of two nodes taking it at
/// once, one writes it); a file whose class changes later does not move
/// the month's figures. A completed month without a snapshot counts by
/// the current classes and says so.
#[tokio::test]
async fn a_completed_month_counts_each_file_in_the_class_it_had_at_its_end() {
    use carebridge::services::oversight::snapshot::take_due;
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let today = office_day(Utc::now());
    let this_month = month_code(today);
    let changed = file_child(&mut officer, TOWNSHIP_A, &["disability"]).await;
    file_child(&mut officer, TOWNSHIP_A, &["disability"]).await;
    let mut admin = app.admin().await;
    let running = dashboard(&mut admin, &this_month, Some(TOWNSHIP_A)).await;
    assert_eq!(running["children_counted_by"], "period_running");
    assert_eq!(class_count(&running, "disability"), Some(2));

    // Into the next month: the snapshot of this one is taken once.
    let days = (month_end(today) - today).num_days() + 2;
    app.advance_clock(Duration::days(days));
    let store = app.prepared.store();
    let (first, second) = tokio::join!(take_due(store), take_due(store));
    let taken: Vec<String> = [first, second]
        .into_iter()
        .filter_map(|r| r.expect("snapshot"))
        .map(|m| m.code())
        .collect();
    assert_eq!(taken, vec![this_month.clone()], "one of the two writes it");
    assert_eq!(take_due(store).await.expect("snapshot"), None);

    // Then one of the files becomes an orphan's (absent care).
    officer
        .patch_json(
            &format!("/api/v1/children/{changed}"),
            json!({"difficulties": ["orphan"]}),
        )
        .await
        .assert_status(StatusCode::OK);

    // The figures kept while the month ran are served once more while
    // the job reads them again.
    let past = refreshed(&mut admin, &this_month, TOWNSHIP_A, &running).await;
    assert_eq!(past["children_counted_by"], "month_end_snapshot");
    assert!(past["snapshot_taken_at"].is_string(), "{past}");
    assert_eq!(class_count(&past, "disability"), Some(2));
    assert_eq!(class_count(&past, "care_absent"), Some(0));
    assert_eq!(value(&past, "files_open"), Some(2.0));
    // Both children (born 15 June 2014) in the band of their age on the
    // month's last day.
    let birth = NaiveDate::from_ymd_opt(2014, 6, 15).expect("day");
    let band = carebridge::domain::child::AgeBand::of(birth, month_end(today)).expect("band");
    let in_band = past["children_by_band"]
        .as_array()
        .expect("bands")
        .iter()
        .find(|b| b["code"] == band.as_str())
        .and_then(|b| b["count"].as_u64());
    assert_eq!(in_band, Some(2));
    let county = dashboard(&mut admin, &this_month, None).await;
    assert_eq!(class_count(&county, "disability"), Some(2));
    let page = admin
        .get(&format!(
            "/oversight?period={this_month}&township={TOWNSHIP_A}"
        ))
        .await;
    page.assert_status(StatusCode::OK);
    assert!(
        page.text().contains("期末留存的统计快照"),
        "the page says so"
    );

    // The running month counts by the classes now.
    let now_month = month_code(today + Duration::days(days));
    let running = dashboard(&mut admin, &now_month, Some(TOWNSHIP_A)).await;
    assert_eq!(class_count(&running, "disability"), Some(1));
    assert_eq!(class_count(&running, "care_absent"), Some(1));

    // The month before has no snapshot: current classes, and the page
    // says that they may differ from then.
    let before = month_code(
        NaiveDate::from_ymd_opt(today.year(), today.month(), 1).expect("day") - Duration::days(1),
    );
    let earlier = dashboard(&mut admin, &before, Some(TOWNSHIP_A)).await;
    assert_eq!(earlier["children_counted_by"], "current_classes");
    assert!(earlier.get("snapshot_taken_at").is_none());
    let page = admin
        .get(&format!("/oversight?period={before}&township={TOWNSHIP_A}"))
        .await;
    assert!(page.text().contains("未留存统计快照"), "the page says so");
}
