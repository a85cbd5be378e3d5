//! Oversight: dashboards with known answers per township and county, scope
//! of each role, the bulletin, the public statistics under disclosure
//! control, and the ledger export (BOM, columns, masking, audit, .xlsx).

use axum::http::StatusCode;
use carebridge::db::statements::counting;
use carebridge::domain::Role;
use carebridge::domain::disclosure::check::recoverable;
use carebridge::domain::disclosure::{Figure, Published};
use serde_json::{Value, json};

use crate::helpers::{TOWNSHIP_A, TOWNSHIP_B, TestApp, TestClient, child_body, id_number_for};
use crate::match_helpers::{CHILD_NAME, Scene, act};

/// The year as a period: tests count what they did today in it.
fn this_year() -> String {
    chrono::Local::now().date_naive().format("%Y").to_string()
}

pub fn figure(body: &Value, code: &str) -> Value {
    body["figures"]
        .as_array()
        .expect("figures")
        .iter()
        .find(|f| f["code"] == code)
        .unwrap_or_else(|| panic!("no figure {code} in {body}"))
        .clone()
}

fn class_count(body: &Value, class: &str) -> u64 {
    body["children_by_class"]
        .as_array()
        .expect("classes")
        .iter()
        .find(|c| c["code"] == class)
        .and_then(|c| c["count"].as_u64())
        .unwrap_or_else(|| panic!("no class {class}"))
}

static SEQ: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(200);

/// Files a child in `township` (its first village) of `difficulties`.
pub async fn file_child(officer: &mut TestClient, township: &str, difficulties: &[&str]) -> String {
    let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % 500;
    let village = format!("{township}201");
    let mut body = child_body(
        "柏小青",
        &id_number_for("20140615", seq, seq.is_multiple_of(2)),
        township,
        &village,
    );
    body["difficulties"] = json!(difficulties);
    if difficulties.contains(&"disability") {
        body["disability"] = json!({"type": "intellectual", "grade": 2});
    }
    if difficulties.contains(&"serious_illness") {
        body["illness"] = json!("白血病");
    }
    officer.create_child(body).await
}

/// A completed match in township A: one service of 2.5 hours, rated 4.
async fn completed_match(app: &TestApp) -> Scene {
    let mut scene = Scene::new(app, 2).await;
    let id = scene.approved().await;
    let today = chrono::Local::now().date_naive().to_string();
    act(
        &mut scene.provider,
        &id,
        "services",
        json!({"served_on": today, "hours": 2.5, "summary": "辅导数学"}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    act(
        &mut scene.officer,
        &id,
        "complete",
        json!({"feedback": "进步明显", "rating": 4}),
    )
    .await
    .assert_status(StatusCode::OK);
    scene
}

#[tokio::test]
async fn the_dashboard_counts_files_needs_matches_and_services_per_township_and_county() {
    let app = TestApp::spawn().await;
    let mut scene = completed_match(&app).await;
    // Township A: the scene's child (poverty, need matched) and two more.
    let second = file_child(&mut scene.officer, TOWNSHIP_A, &["poverty"]).await;
    file_child(&mut scene.officer, TOWNSHIP_A, &["disability"]).await;
    scene.officer.publish_need(&second).await;
    let today = chrono::Local::now().date_naive().to_string();
    scene
        .officer
        .post_json(
            &format!("/api/v1/children/{second}/visits"),
            json!({"visited_on": today, "summary": "入户走访，了解学习情况。"}),
        )
        .await
        .assert_status(StatusCode::CREATED);
    // Township B: one child.
    let mut officer_b = app
        .login_staff(Role::TownshipOfficer, Some(TOWNSHIP_B), None)
        .await;
    file_child(&mut officer_b, TOWNSHIP_B, &["poverty"]).await;

    let mut admin = app.admin().await;
    let year = this_year();
    let county = admin.get(&format!("/api/v1/dashboard?period={year}")).await;
    county.assert_status(StatusCode::OK);
    let county = county.json();
    assert_eq!(county["scope_name"], "全县");
    assert_eq!(figure(&county, "files_open")["value"], 4.0);
    assert_eq!(class_count(&county, "poverty"), 3);
    assert_eq!(class_count(&county, "disability"), 1);
    assert_eq!(figure(&county, "needs_published")["value"], 2.0);
    assert_eq!(figure(&county, "needs_met")["value"], 1.0);
    assert_eq!(figure(&county, "services")["value"], 1.0);
    assert_eq!(figure(&county, "hours")["value"], 2.5);
    assert_eq!(figure(&county, "completed")["value"], 1.0);
    assert_eq!(figure(&county, "mean_rating")["value"], 4.0);
    assert_eq!(figure(&county, "visit_coverage")["value"], 25.0);
    assert_eq!(county["trend"]["months"].as_array().map(Vec::len), Some(12));
    let verified = county["providers_by_status"]
        .as_array()
        .expect("providers")
        .iter()
        .find(|p| p["code"] == "verified")
        .and_then(|p| p["count"].as_u64());
    assert_eq!(verified, Some(1));
    let services = county["trend"]["series"]
        .as_array()
        .expect("series")
        .iter()
        .find(|s| s["code"] == "hours")
        .expect("hours")["values"]
        .as_array()
        .expect("values")
        .iter()
        .filter_map(Value::as_f64)
        .sum::<f64>();
    assert_eq!(services, 2.5);

    let a = admin
        .get(&format!(
            "/api/v1/dashboard?period={year}&township={TOWNSHIP_A}"
        ))
        .await
        .json();
    assert_eq!(a["township"], TOWNSHIP_A);
    assert_eq!(figure(&a, "files_open")["value"], 3.0);
    assert_eq!(figure(&a, "needs_published")["value"], 2.0);
    let coverage = figure(&a, "visit_coverage")["value"]
        .as_f64()
        .expect("share");
    assert!((coverage - 100.0 / 3.0).abs() < 1e-6, "{coverage}");
    // Most townships of the county have no file: the median is 0.
    assert_eq!(figure(&a, "files_open")["county_median"], 0.0);
    let b = admin
        .get(&format!(
            "/api/v1/dashboard?period={year}&township={TOWNSHIP_B}"
        ))
        .await
        .json();
    assert_eq!(figure(&b, "files_open")["value"], 1.0);
    assert_eq!(figure(&b, "needs_published")["value"], 0.0);
    assert_eq!(figure(&b, "mean_rating")["value"], Value::Null);
}

#[tokio::test]
async fn a_township_officer_sees_their_own_township_only() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    file_child(&mut officer, TOWNSHIP_A, &["poverty"]).await;
    let own = officer.get("/api/v1/dashboard").await;
    own.assert_status(StatusCode::OK);
    let own = own.json();
    assert_eq!(own["township"], TOWNSHIP_A);
    assert!(figure(&own, "files_open").get("county_median").is_some());
    assert_eq!(own["ranking"].as_array().map(Vec::len), Some(1));
    officer
        .get(&format!("/api/v1/dashboard?township={TOWNSHIP_B}"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    officer
        .get(&format!("/oversight?township={TOWNSHIP_B}"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    officer
        .get("/api/v1/bulletin")
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let mut provider = app.verified_provider().await;
    provider
        .get("/api/v1/dashboard")
        .await
        .assert_status(StatusCode::FORBIDDEN);
    app.client()
        .get("/api/v1/dashboard")
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    let bad = officer.get("/api/v1/dashboard?period=2026-13").await;
    bad.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.json_field_error("period").is_some());
}

#[tokio::test]
async fn the_dashboard_page_draws_charts_with_their_tables_and_no_script() {
    let app = TestApp::spawn().await;
    completed_match(&app).await;
    let mut admin = app.admin().await;
    let page = admin
        .get(&format!("/oversight?period={}", this_year()))
        .await;
    page.assert_status(StatusCode::OK);
    let html = page.text();
    assert!(html.contains("<svg"), "no chart");
    assert!(html.contains("chart-data"), "no table beside the chart");
    assert!(html.contains("督查指标"));
    assert!(html.contains("乡镇排名"));
    assert!(!html.contains("<script"));
    let bulletin = admin.get("/oversight/bulletin").await;
    bulletin.assert_status(StatusCode::OK);
    assert!(bulletin.text().contains("通报"));
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let own = officer.get("/oversight").await;
    own.assert_status(StatusCode::OK);
    assert!(own.text().contains("全县各乡镇中位数"));
}

#[tokio::test]
async fn the_indicator_set_comes_from_the_settings() {
    let app = TestApp::spawn_with(|s| {
        s.indicators = carebridge::domain::indicator::Indicators::parse("visit_coverage=90/80")
            .expect("indicators");
    })
    .await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let id = file_child(&mut officer, TOWNSHIP_A, &["poverty"]).await;
    let today = chrono::Local::now().date_naive().to_string();
    officer
        .post_json(
            &format!("/api/v1/children/{id}/visits"),
            json!({"visited_on": today, "summary": "入户走访，了解学习情况。"}),
        )
        .await
        .assert_status(StatusCode::CREATED);
    let body = officer.get("/api/v1/dashboard").await.json();
    let indicators = body["indicators"].as_array().expect("indicators");
    assert_eq!(indicators.len(), 1);
    assert_eq!(indicators[0]["code"], "visit_coverage");
    assert_eq!(indicators[0]["light"], "green");
    assert_eq!(indicators[0]["value"], 100.0);
}

/// The published table of `GET /api/v1/stats` as the disclosure module's type.
fn published_of(body: &Value) -> Published {
    let fig = |v: &Value| match v["value"].as_u64() {
        Some(n) => Figure::Shown(n),
        None => Figure::Hidden,
    };
    let rows = body["children"].as_array().expect("rows");
    Published {
        cells: rows
            .iter()
            .map(|r| {
                r["cells"]
                    .as_array()
                    .expect("cells")
                    .iter()
                    .map(fig)
                    .collect()
            })
            .collect(),
        row_totals: rows.iter().map(|r| fig(&r["total"])).collect(),
        column_totals: body["children_totals"]
            .as_array()
            .expect("totals")
            .iter()
            .map(fig)
            .collect(),
        grand_total: fig(&body["children_total"]),
    }
}

/// Every figure of a stats answer: shown ones at least k, none recoverable.
fn assert_safe(body: &Value) {
    let k = body["k"].as_u64().expect("k");
    let mut all: Vec<&Value> = Vec::new();
    for row in body["children"].as_array().expect("rows") {
        all.extend(row["cells"].as_array().expect("cells"));
        all.push(&row["total"]);
    }
    all.extend(body["children_totals"].as_array().expect("totals"));
    all.push(&body["children_total"]);
    all.push(&body["needs_met"]);
    for f in all {
        if let Some(v) = f["value"].as_u64() {
            assert!(v >= k, "{v} shown under k={k}: {f}");
            assert_eq!(f["display"], v.to_string());
        } else {
            assert!(
                f["display"] == format!("<{k}") || f["display"] == "*",
                "{f}"
            );
        }
    }
    let found = recoverable(&published_of(body));
    assert!(found.is_empty(), "recoverable figures {found:?} in {body}");
}

#[tokio::test]
async fn public_statistics_hide_small_counts_and_every_figure_that_would_reveal_them() {
    let app = TestApp::spawn().await;
    let mut officer_a = app.login_as(Role::TownshipOfficer).await;
    let mut officer_b = app
        .login_staff(Role::TownshipOfficer, Some(TOWNSHIP_B), None)
        .await;
    for _ in 0..7 {
        file_child(&mut officer_a, TOWNSHIP_A, &["poverty"]).await;
    }
    for _ in 0..2 {
        file_child(&mut officer_a, TOWNSHIP_A, &["disability"]).await;
    }
    for _ in 0..6 {
        file_child(&mut officer_b, TOWNSHIP_B, &["poverty"]).await;
    }
    // The figures are those of the last whole quarter: move past it.
    app.advance_clock(chrono::Duration::days(200));
    let response = app.client().get("/api/v1/stats").await;
    response.assert_status(StatusCode::OK);
    let body = response.json();
    assert_safe(&body);
    let row_a = body["children"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["township"] == TOWNSHIP_A)
        .expect("township A")
        .clone();
    let poverty = body["classes"]
        .as_array()
        .expect("classes")
        .iter()
        .position(|c| c["code"] == "poverty")
        .expect("poverty column");
    let disability = body["classes"]
        .as_array()
        .expect("classes")
        .iter()
        .position(|c| c["code"] == "disability")
        .expect("disability column");
    assert_eq!(row_a["cells"][disability]["display"], "<5");
    // The 2 could be had from the total less the other cells: the row
    // hides at least one more figure beside it (here the empty classes).
    let hidden_in_row = row_a["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .chain([&row_a["total"]])
        .filter(|f| f["value"].is_null())
        .count();
    assert!(hidden_in_row >= 2, "{row_a}");
    assert_eq!(row_a["cells"][poverty]["value"], 7, "{row_a}");
    // The public page says the same and shows no script.
    let page = app.client().get("/statistics").await;
    page.assert_status(StatusCode::OK);
    assert!(page.text().contains("&lt;5"));
    assert!(!page.text().contains("<script"));
}

#[tokio::test]
async fn the_demo_statistics_publish_nothing_recoverable() {
    let app = TestApp::spawn().await;
    carebridge::services::demo::load_if_empty(&app.db, &app.prepared.vault, 5)
        .await
        .expect("demo data");
    app.advance_clock(chrono::Duration::days(200));
    let body = app.client().get("/api/v1/stats").await.json();
    assert_safe(&body);
    let mut county = app.logged_in_with("county", "bridge-demo-4821").await;
    let dash = county
        .get(&format!("/api/v1/dashboard?period={}", this_year()))
        .await;
    dash.assert_status(StatusCode::OK);
    assert!(figure(&dash.json(), "files_open")["value"].as_f64() > Some(0.0));
}

/// The lines of a CSV body after its byte-order mark.
fn csv_lines(body: &[u8]) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&body[3..]);
    reader
        .records()
        .map(|r| r.expect("record").iter().map(str::to_owned).collect())
        .collect()
}

#[tokio::test]
async fn the_ledger_csv_has_a_bom_its_columns_and_no_identity_and_is_audited() {
    let app = TestApp::spawn().await;
    let scene = completed_match(&app).await;
    let mut officer = scene.officer;
    let mut officer_b = app
        .login_staff(Role::TownshipOfficer, Some(TOWNSHIP_B), None)
        .await;
    file_child(&mut officer_b, TOWNSHIP_B, &["poverty"]).await;
    let response = officer.get("/api/v1/exports/ledger.csv").await;
    response.assert_status(StatusCode::OK);
    assert!(response.body.starts_with(b"\xEF\xBB\xBF"), "no BOM");
    assert!(
        response.headers["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/csv")
    );
    let lines = csv_lines(&response.body);
    assert_eq!(
        lines[0],
        carebridge::services::oversight::ledger::header(false)
    );
    // Township A's one file; not B's.
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[1][1], "青龙街道");
    let text = response.text();
    assert!(!text.contains(CHILD_NAME));
    assert!(!text.contains(&scene.id_number));
    assert!(!text.contains("13987654321"));
    assert!(!text.contains("柏建华"));
    let entries = app.audit_entries("ledger.export").await;
    assert_eq!(entries.len(), 1);
    let detail = entries[0]["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("rows: 1"), "{detail}");
    assert!(detail.contains("identity: masked"), "{detail}");
    officer
        .get(&format!("/api/v1/exports/ledger.csv?township={TOWNSHIP_B}"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn identity_is_exported_only_by_the_county_with_a_purpose_and_audited() {
    let app = TestApp::spawn().await;
    let scene = completed_match(&app).await;
    let mut officer = scene.officer;
    let asked = json!({"format": "csv", "include_identity": true, "purpose": "核对低保发放名单"});
    officer
        .post_json("/api/v1/exports/ledger", asked.clone())
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let mut admin = app.admin().await;
    let no_purpose = admin
        .post_json(
            "/api/v1/exports/ledger",
            json!({"format": "csv", "include_identity": true}),
        )
        .await;
    no_purpose.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_purpose.json_field_error("purpose").is_some());
    assert!(app.audit_entries("ledger.export_identity").await.is_empty());
    let full = admin.post_json("/api/v1/exports/ledger", asked).await;
    full.assert_status(StatusCode::OK);
    let lines = csv_lines(&full.body);
    assert_eq!(
        lines[0],
        carebridge::services::oversight::ledger::header(true)
    );
    let text = full.text();
    assert!(text.contains(CHILD_NAME));
    assert!(text.contains(&scene.id_number));
    let entries = app.audit_entries("ledger.export_identity").await;
    assert_eq!(entries.len(), 1);
    let detail = entries[0]["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("purpose: 核对低保发放名单"), "{detail}");
    assert!(detail.contains("rows: 1"), "{detail}");
}

#[tokio::test]
async fn the_ledger_xlsx_reads_back_with_the_rows_of_the_csv() {
    use calamine::{Reader, Xlsx};
    let app = TestApp::spawn().await;
    let mut scene = completed_match(&app).await;
    file_child(&mut scene.officer, TOWNSHIP_A, &["disability"]).await;
    let mut admin = app.admin().await;
    let csv_body = admin.get("/api/v1/exports/ledger.csv").await;
    csv_body.assert_status(StatusCode::OK);
    let xlsx = admin.get("/api/v1/exports/ledger.xlsx").await;
    xlsx.assert_status(StatusCode::OK);
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.body.clone())).expect("xlsx");
    let range = book.worksheet_range("台账").expect("sheet");
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let mut expected = csv_lines(&csv_body.body);
    // Trailing empty cells are not stored in a sheet.
    for row in &mut expected {
        while row.last().is_some_and(String::is_empty) {
            row.pop();
        }
    }
    let mut got = rows;
    for row in &mut got {
        while row.last().is_some_and(String::is_empty) {
            row.pop();
        }
    }
    assert_eq!(got, expected);
    assert_eq!(got.len(), 3);
    assert_eq!(app.audit_entries("ledger.export").await.len(), 2);
}

/// Statements that read figures (grouped by township, class, status…).
fn grouped(sent: &[sea_orm::Statement]) -> Vec<&sea_orm::Statement> {
    sent.iter()
        .filter(|s| s.sql.to_uppercase().contains("GROUP BY"))
        .collect()
}

#[tokio::test]
async fn the_dashboard_answers_from_kept_figures_with_a_few_statements_however_many_files() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    file_child(&mut officer, TOWNSHIP_A, &["poverty"]).await;
    let mut admin = app.admin().await;
    let path = format!(
        "/api/v1/dashboard?period={}&township={TOWNSHIP_A}",
        this_year()
    );
    // The first request waits for the job (its statements run in the job).
    let first = admin.get(&path).await;
    first.assert_status(StatusCode::OK);
    let first = first.json();
    let (second, kept) = counting(admin.get(&path)).await;
    second.assert_status(StatusCode::OK);
    assert_eq!(second.json()["computed_at"], first["computed_at"]);
    assert!(grouped(&kept).is_empty(), "{kept:#?}");
    let mut officer_b = app
        .login_staff(Role::TownshipOfficer, Some(TOWNSHIP_B), None)
        .await;
    for _ in 0..6 {
        file_child(&mut officer_b, TOWNSHIP_B, &["poverty"]).await;
        file_child(&mut officer, TOWNSHIP_A, &["serious_illness"]).await;
    }
    let (third, after) = counting(admin.get(&path)).await;
    third.assert_status(StatusCode::OK);
    assert_eq!(kept.len(), after.len(), "{after:#?}");
    assert!(grouped(&after).is_empty(), "{after:#?}");
    // A dashboard only reads.
    let writes: Vec<_> = after
        .iter()
        .filter(|s| !s.sql.trim_start().to_uppercase().starts_with("SELECT"))
        .collect();
    assert!(writes.is_empty(), "{writes:#?}");
    // The session, the caller and the change count: a small fixed number.
    assert!(after.len() <= 6, "{} statements: {after:#?}", after.len());
    let public = app.client().get("/api/v1/stats").await;
    public.assert_status(StatusCode::OK);
    let (_, public) = counting(app.client().get("/api/v1/stats")).await;
    assert!(grouped(&public).is_empty(), "{public:#?}");
    assert!(public.len() <= 2, "{} statements", public.len());
}

#[tokio::test]
async fn concurrent_first_requests_share_one_computation() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    file_child(&mut officer, TOWNSHIP_A, &["poverty"]).await;
    let mut admins = Vec::new();
    for _ in 0..4 {
        admins.push(app.admin().await);
    }
    let path = format!("/api/v1/dashboard?period={}", this_year());
    let asks = admins.iter_mut().map(|admin| admin.get(&path));
    let answers = futures_util::future::join_all(asks).await;
    let mut computed = Vec::new();
    for answer in answers {
        answer.assert_status(StatusCode::OK);
        let body = answer.json();
        assert_eq!(figure(&body, "files_open")["value"], 1.0);
        computed.push(body["computed_at"].clone());
    }
    // One job: every request got its figures, read at the same moment.
    assert!(computed.windows(2).all(|w| w[0] == w[1]), "{computed:?}");
}

/// Asks until the figures were computed after `before` (the refresh runs
/// in the background), for at most ten seconds.
async fn refreshed(client: &mut TestClient, path: &str, before: &Value) -> Value {
    for _ in 0..200 {
        let body = client.get(path).await.json();
        if body["computed_at"] != *before {
            return body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no refresh of {path}");
}

#[tokio::test]
async fn kept_figures_are_refreshed_after_a_change_once_the_interval_passed() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    file_child(&mut officer, TOWNSHIP_A, &["poverty"]).await;
    let mut admin = app.admin().await;
    let path = format!("/api/v1/dashboard?period={}", this_year());
    let first = admin.get(&path).await.json();
    assert_eq!(figure(&first, "files_open")["value"], 1.0);
    let stats = app.client().get("/api/v1/stats").await.json();

    // Nothing changed: the kept figures are served however old.
    app.advance_clock(chrono::Duration::minutes(30));
    let same = admin.get(&path).await.json();
    assert_eq!(same["computed_at"], first["computed_at"]);

    // A change within the interval: still the kept figures, as they were.
    file_child(&mut officer, TOWNSHIP_A, &["disability"]).await;
    let kept = admin.get(&path).await.json();
    assert_eq!(kept["computed_at"], first["computed_at"]);
    assert_eq!(figure(&kept, "files_open")["value"], 1.0);

    // The interval passed since they were computed: the kept figures are
    // served at once, and one refresh brings the change in.
    app.advance_clock(chrono::Duration::minutes(11));
    let at_once = admin.get(&path).await;
    at_once.assert_status(StatusCode::OK);
    let refreshed_body = refreshed(&mut admin, &path, &first["computed_at"]).await;
    assert_eq!(figure(&refreshed_body, "files_open")["value"], 2.0);
    assert_eq!(class_count(&refreshed_body, "disability"), 1);
    let page = admin
        .get(&format!("/oversight?period={}", this_year()))
        .await;
    assert!(page.text().contains("数据截至"));

    let mut visitor = app.client();
    let stats_after = refreshed(&mut visitor, "/api/v1/stats", &stats["computed_at"]).await;
    assert!(stats_after["computed_at"].is_string());
}

#[tokio::test]
async fn the_ledger_form_offers_identity_to_the_county_only_and_asks_its_purpose() {
    let app = TestApp::spawn().await;
    let scene = completed_match(&app).await;
    let mut officer = scene.officer;
    let form = officer.get("/oversight/ledger").await;
    form.assert_status(StatusCode::OK);
    assert!(!form.text().contains("include_identity"));
    let token = officer.page_csrf("/oversight/ledger").await;
    let download = officer
        .post_form(
            "/oversight/ledger",
            &[("csrf_token", &token), ("format", "csv")],
        )
        .await;
    download.assert_status(StatusCode::OK);
    assert!(download.body.starts_with(b"\xEF\xBB\xBF"));
    assert!(!download.text().contains(CHILD_NAME));
    // An officer who forges the identity box still gets no identity.
    officer
        .post_form(
            "/oversight/ledger",
            &[
                ("csrf_token", &token),
                ("format", "csv"),
                ("include_identity", "1"),
                ("purpose", "核对名单用途"),
            ],
        )
        .await
        .assert_status(StatusCode::FORBIDDEN);

    let mut admin = app.admin().await;
    let form = admin.get("/oversight/ledger").await;
    assert!(form.text().contains("include_identity"));
    let token = admin.page_csrf("/oversight/ledger").await;
    let refused = admin
        .post_form(
            "/oversight/ledger",
            &[
                ("csrf_token", &token),
                ("format", "xlsx"),
                ("include_identity", "1"),
                ("purpose", ""),
            ],
        )
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().contains("导出身份信息须填写用途"));
    assert!(app.audit_entries("ledger.export_identity").await.is_empty());
    // Without the token the form is refused like every other.
    admin
        .post_form("/oversight/ledger", &[("format", "csv")])
        .await
        .assert_status(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn public_statistics_are_read_without_a_session_being_made() {
    let app = TestApp::spawn().await;
    let mut visitor = app.client();
    for path in ["/api/v1/stats", "/statistics"] {
        let response = visitor.get(path).await;
        response.assert_status(StatusCode::OK);
        assert!(
            response.headers.get("set-cookie").is_none(),
            "{path} set a cookie"
        );
    }
    let (_, sent) = counting(visitor.get("/api/v1/stats")).await;
    let writes: Vec<_> = sent
        .iter()
        .filter(|s| !s.sql.trim_start().to_uppercase().starts_with("SELECT"))
        .collect();
    assert!(writes.is_empty(), "{writes:#?}");
}
