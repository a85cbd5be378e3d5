//! Volunteers and volunteer hours (issue 18): an organisation's own list,
//! service records naming only its own volunteers, and the hours export's
//! content and scope.

use axum::http::StatusCode;
use carebridge::domain::Role;
use serde_json::json;

use crate::helpers::{TestApp, TestClient};
use crate::match_helpers::{CHILD_NAME, act, approve, child_with_need, propose, tutoring_offer};

fn today() -> String {
    chrono::Local::now().date_naive().to_string()
}

async fn add_volunteer(provider: &mut TestClient, name: &str, reference: &str) -> String {
    let r = provider
        .post_json(
            "/api/v1/volunteers",
            json!({"name": name, "reference": reference}),
        )
        .await;
    r.assert_status(StatusCode::CREATED);
    r.json()["id"].as_str().expect("id").to_owned()
}

/// An approved match of `provider`'s tutoring offer.
async fn approved_match(app: &TestApp, provider: &mut TestClient) -> String {
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let offer = tutoring_offer(provider, 2).await;
    let (_, code, _) = child_with_need(&mut officer, "tutoring", 1).await;
    let id = propose(provider, &code, &offer).await;
    approve(&mut officer, &id).await;
    id
}

fn csv_of(body: &str) -> Vec<Vec<String>> {
    let stripped = body.strip_prefix('\u{feff}').expect("UTF-8 BOM first");
    stripped
        .lines()
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect()
}

#[tokio::test]
async fn a_service_names_only_the_organisations_own_active_volunteers() {
    let app = TestApp::spawn().await;
    let mut provider = app.verified_provider().await;
    let mut rival = app.verified_provider().await;
    let mine = add_volunteer(&mut provider, "张志愿", "V-001").await;
    let theirs = add_volunteer(&mut rival, "李志愿", "V-001").await;
    // One reference names one volunteer within an organisation.
    let dup = provider
        .post_json(
            "/api/v1/volunteers",
            json!({"name": "王志愿", "reference": "V-001"}),
        )
        .await;
    assert_eq!(dup.error_fields(), vec!["reference"]);
    let id = approved_match(&app, &mut provider).await;

    let refused = act(
        &mut provider,
        &id,
        "services",
        json!({"served_on": today(), "hours": 2, "summary": "辅导", "volunteers": [theirs]}),
    )
    .await;
    refused.assert_without(StatusCode::UNPROCESSABLE_ENTITY, &["李志愿"]);
    assert_eq!(refused.error_fields(), vec!["volunteers"]);
    let made_up = act(&mut provider, &id, "services", json!({"served_on": today(), "hours": 2, "summary": "辅导", "volunteers": ["not-a-volunteer"]})).await;
    assert_eq!(made_up.error_fields(), vec!["volunteers"]);

    act(
        &mut provider,
        &id,
        "services",
        json!({"served_on": today(), "hours": 2, "summary": "辅导", "volunteers": [mine]}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    // The match page names who served.
    let page = provider.get(&format!("/matches/{id}")).await;
    assert!(page.text().contains("张志愿"));

    // A retired volunteer is no longer offered, nor accepted.
    let csrf = provider.page_csrf("/volunteers").await;
    provider
        .post_form(
            &format!("/volunteers/{mine}/retire"),
            &[("csrf_token", &csrf)],
        )
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let again = act(
        &mut provider,
        &id,
        "services",
        json!({"served_on": today(), "hours": 1, "summary": "辅导", "volunteers": [mine]}),
    )
    .await;
    assert_eq!(again.error_fields(), vec!["volunteers"]);
    // Another organisation cannot retire it, and learns nothing.
    let still = add_volunteer(&mut provider, "周志愿", "V-002").await;
    let csrf = rival.page_csrf("/volunteers").await;
    rival
        .post_form(
            &format!("/volunteers/{still}/retire"),
            &[("csrf_token", &csrf)],
        )
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let list = provider.get("/api/v1/volunteers").await.json();
    let active: Vec<(&str, bool)> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|v| {
            (
                v["name"].as_str().expect("name"),
                v["active"].as_bool().expect("active"),
            )
        })
        .collect();
    assert_eq!(active, vec![("周志愿", true), ("张志愿", false)]);
    assert!(!list.to_string().contains("李志愿"));
}

#[tokio::test]
async fn the_hours_export_gives_a_provider_its_own_rows_and_the_county_totals() {
    let app = TestApp::spawn().await;
    let mut provider = app.verified_provider().await;
    let mut rival = app.verified_provider().await;
    let a = add_volunteer(&mut provider, "张志愿", "V-101").await;
    let b = add_volunteer(&mut provider, "赵志愿", "V-102").await;
    let r = add_volunteer(&mut rival, "李志愿", "R-9").await;
    let id = approved_match(&app, &mut provider).await;
    let rid = approved_match(&app, &mut rival).await;
    act(
        &mut provider,
        &id,
        "services",
        json!({"served_on": today(), "hours": 2.5, "summary": "辅导", "volunteers": [a, b]}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    act(
        &mut rival,
        &rid,
        "services",
        json!({"served_on": today(), "hours": 1, "summary": "辅导", "volunteers": [r]}),
    )
    .await
    .assert_status(StatusCode::CREATED);

    let response = provider.get("/api/v1/exports/volunteer-hours.csv").await;
    response.assert_status(StatusCode::OK);
    let rows = csv_of(&response.text());
    assert_eq!(
        rows[0],
        [
            "志愿者姓名",
            "志愿者编号",
            "服务项目",
            "服务日期",
            "服务时长（小时）",
            "组织名称",
            "统一社会信用代码"
        ]
    );
    assert_eq!(rows.len(), 3, "{rows:?}");
    for row in &rows[1..] {
        assert_eq!(row[2], "四点半课堂课业辅导");
        assert_eq!(row[3], today());
        assert_eq!(row[4], "2.5");
        assert!(row[5].starts_with("云阳县爱心慈善会"));
        assert_eq!(row[6].len(), 18);
    }
    let names: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert!(names.contains(&"张志愿") && names.contains(&"赵志愿"));
    let text = response.text();
    assert!(!text.contains("李志愿") && !text.contains("R-9") && !text.contains(CHILD_NAME));

    // The days asked for bound the rows.
    let yesterday = (chrono::Local::now().date_naive() - chrono::Duration::days(1)).to_string();
    let none = provider
        .get(&format!(
            "/api/v1/exports/volunteer-hours.csv?to={yesterday}"
        ))
        .await;
    assert_eq!(csv_of(&none.text()).len(), 1);
    provider
        .get("/api/v1/exports/volunteer-hours.csv?from=2026-13-01")
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);

    let mut admin = app.admin().await;
    let county = admin.get("/api/v1/exports/volunteer-hours.csv").await;
    county.assert_status(StatusCode::OK);
    let rows = csv_of(&county.text());
    assert_eq!(
        rows[0],
        [
            "组织名称",
            "统一社会信用代码",
            "志愿者人数",
            "服务记录数",
            "志愿服务时长（小时）"
        ]
    );
    assert_eq!(rows.len(), 3, "one row per organisation: {rows:?}");
    let mut totals: Vec<(String, String, String)> = rows[1..]
        .iter()
        .map(|r| (r[2].clone(), r[3].clone(), r[4].clone()))
        .collect();
    totals.sort();
    assert_eq!(
        totals,
        vec![
            ("1".into(), "1".into(), "1".into()),
            ("2".into(), "1".into(), "5".into())
        ]
    );
    assert!(!county.text().contains("张志愿"), "totals only");

    let mut officer = app.login_as(Role::TownshipOfficer).await;
    officer
        .get("/api/v1/exports/volunteer-hours.csv")
        .await
        .assert_status(StatusCode::FORBIDDEN);
    app.client()
        .get("/api/v1/exports/volunteer-hours.csv")
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    // Each export that left is audited (the refused ones are not exports).
    assert_eq!(app.audit_entries("volunteer_hours.export").await.len(), 3);
    let page = provider.get("/volunteers").await;
    page.assert_status(StatusCode::OK);
    assert!(page.text().contains("/api/v1/exports/volunteer-hours.csv"));
}
