//! What a service record gives (issue 18): a money or goods donation's
//! record carries its amount (required, positive, bounded; refused on
//! other services), shown on the child's timeline and the match page
//! instead of the need's quantity. And the service write and the closing
//! of a file read the services' clock, not the system's.

use axum::http::StatusCode;
use carebridge::domain::Role;
use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{TOWNSHIP_A, TestApp, TestClient, offer_body};
use crate::match_helpers::{Scene, act, approve, child_with_need, propose};

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

async fn child_of_need(app: &TestApp, need_id: &str) -> String {
    app.db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            format!("SELECT child_id FROM needs WHERE id = '{need_id}'"),
        ))
        .await
        .expect("query")
        .expect("need row")
        .try_get_by_index::<String>(0)
        .expect("child_id")
}

async fn serve(provider: &mut TestClient, id: &str, extra: Value) -> crate::helpers::TestResponse {
    let mut body = json!({"served_on": today().to_string(), "hours": 1.0, "summary": "送达捐赠"});
    for (k, v) in extra.as_object().expect("object") {
        body[k] = v.clone();
    }
    act(provider, id, "services", body).await
}

async fn timeline(officer: &mut TestClient, child: &str) -> Vec<Value> {
    let r = officer
        .get(&format!("/api/v1/children/{child}/timeline?limit=100"))
        .await;
    r.assert_status(StatusCode::OK);
    r.json()["items"].as_array().expect("items").clone()
}

#[tokio::test]
async fn a_donation_records_what_it_gave_and_the_timeline_and_match_page_show_it() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let mut provider = app.verified_provider().await;
    let (need, code, _) = child_with_need(&mut officer, "donation_money", 3000).await;
    let mut body = offer_body(
        "donation_money",
        "助学金捐赠",
        "每学期资助学杂费。",
        &[TOWNSHIP_A],
    );
    body["capacity"] = json!(5);
    let offer = provider.create_offer(body).await;
    let id = propose(&mut provider, &code, &offer).await;
    approve(&mut officer, &id).await;

    // Required for a donation, positive and bounded.
    for (extra, why) in [
        (json!({}), "missing"),
        (json!({"amount": 0}), "zero"),
        (json!({"amount": -5}), "negative"),
        (json!({"amount": 20_000_000}), "too large"),
    ] {
        let r = serve(&mut provider, &id, extra).await;
        r.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.json_field_error("amount").is_some(),
            "{why}: {}",
            r.text()
        );
    }
    let logged = serve(&mut provider, &id, json!({"amount": 1200})).await;
    logged.assert_status(StatusCode::CREATED);
    assert_eq!(logged.json()["amount"], 1200);

    let child = child_of_need(&app, &need).await;
    let items = timeline(&mut officer, &child).await;
    let service: Vec<&Value> = items.iter().filter(|i| i["kind"] == "service").collect();
    assert_eq!(service.len(), 1);
    assert_eq!(
        service[0]["amount"], 1200,
        "what was given, not the need's 3000"
    );
    assert!(
        items
            .iter()
            .any(|i| i["kind"] == "match" && i["amount"] == 3000),
        "the approval still shows what the need asked: {items:#?}"
    );
    let page = provider.get(&format!("/matches/{id}")).await;
    page.assert_status(StatusCode::OK);
    assert!(
        page.text().contains("1200 元"),
        "the match page shows the amount"
    );
    assert_eq!(
        crate::match_helpers::get_match(&mut officer, &id).await["services"][0]["amount"],
        1200
    );
}

#[tokio::test]
async fn a_service_that_is_no_donation_takes_no_amount() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 3).await;
    let id = scene.approved().await;
    let r = serve(&mut scene.provider, &id, json!({"amount": 100})).await;
    r.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json_field_error("amount").is_some(), "{}", r.text());
    let ok = serve(&mut scene.provider, &id, json!({})).await;
    ok.assert_status(StatusCode::CREATED);
    assert!(ok.json()["amount"].is_null());
    // The form of a tutoring match asks for none.
    let page = scene.provider.get(&format!("/matches/{id}")).await;
    assert!(!page.text().contains("name=\"amount\""));
}

#[tokio::test]
async fn the_goods_form_asks_for_the_quantity_and_shows_a_mistake_beside_it() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let mut provider = app.verified_provider().await;
    let (_, code, _) = child_with_need(&mut officer, "donation_goods", 10).await;
    let mut body = offer_body(
        "donation_goods",
        "冬衣捐赠",
        "捐赠冬季棉衣。",
        &[TOWNSHIP_A],
    );
    body["capacity"] = json!(5);
    let offer = provider.create_offer(body).await;
    let id = propose(&mut provider, &code, &offer).await;
    approve(&mut officer, &id).await;
    let page = provider.get(&format!("/matches/{id}")).await;
    assert!(page.text().contains("本次捐赠物资数量（件）"));
    let csrf = provider.page_csrf(&format!("/matches/{id}")).await;
    let failed = provider
        .post_form(
            &format!("/matches/{id}/services"),
            &[
                ("csrf_token", &csrf),
                ("served_on", &today().format("%Y/%m/%d").to_string()),
                ("summary", "送达棉衣"),
                ("amount", ""),
            ],
        )
        .await;
    assert!(
        failed.field_error("services-amount").is_some(),
        "the error is shown beside the field: {}",
        failed.text()
    );
    provider
        .post_form(
            &format!("/matches/{id}/services"),
            &[
                ("csrf_token", &csrf),
                ("served_on", &today().format("%Y/%m/%d").to_string()),
                ("summary", "送达棉衣"),
                ("amount", "6"),
            ],
        )
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let page = provider.get(&format!("/matches/{id}")).await;
    assert!(page.text().contains("6 件"), "{}", page.text());
}

#[tokio::test]
async fn logging_a_service_and_closing_a_file_read_the_services_clock() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 3).await;
    let id = scene.approved().await;
    app.advance_clock(Duration::days(3));
    // Two days past the system's today, one before the services' today.
    let ahead = today() + Duration::days(2);
    let logged = act(
        &mut scene.provider,
        &id,
        "services",
        json!({"served_on": ahead.to_string(), "summary": "辅导作业"}),
    )
    .await;
    logged.assert_status(StatusCode::CREATED);
    let at = |v: &Value| {
        v.as_str()
            .expect("time")
            .parse::<DateTime<Utc>>()
            .expect("RFC 3339")
    };
    let later = Utc::now() + Duration::days(2);
    assert!(at(&logged.json()["created_at"]) > later);

    // Closing the file cancels the running match at the services' time.
    let child = child_of_need(&app, &scene.need_id).await;
    scene
        .officer
        .post_json(
            &format!("/api/v1/children/{child}/close"),
            json!({"reason": "已随父母迁出本县"}),
        )
        .await
        .assert_status(StatusCode::OK);
    let events = crate::match_helpers::get_match(&mut scene.officer, &id).await["events"]
        .as_array()
        .expect("events")
        .clone();
    let last = events.last().expect("an event");
    assert_eq!(last["to_status"], "cancelled", "{events:#?}");
    assert!(at(&last["at"]) > later, "{last}");
}
