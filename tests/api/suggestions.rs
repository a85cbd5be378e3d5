//! Suggestions (推荐): offers ranked for a need (staff in scope), needs
//! ranked for an offer (its owner, public projections only), and the pages.

use axum::http::StatusCode;
use carebridge::domain::Role;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{
    TOWNSHIP_A, TOWNSHIP_B, TestApp, TestClient, child_body, id_number_for, need_body, offer_body,
};

const CHILD_NAME: &str = "柏小明";

/// A township officer of A with one child (born 2017: band 6–11) and a
/// published tutoring need, and a verified provider.
struct World {
    app: TestApp,
    officer: TestClient,
    provider: TestClient,
    child_id: String,
    need_id: String,
    need_code: String,
    id_number: String,
}

async fn world_with(app: TestApp) -> World {
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let id_number = id_number_for("20170315", 7, true);
    let child_id = officer
        .create_child(child_body(
            CHILD_NAME,
            &id_number,
            TOWNSHIP_A,
            crate::helpers::VILLAGE_A,
        ))
        .await;
    let (need_id, need_code) = officer.publish_need(&child_id).await;
    let provider = app.verified_provider().await;
    World {
        app,
        officer,
        provider,
        child_id,
        need_id,
        need_code,
        id_number,
    }
}

async fn world() -> World {
    world_with(TestApp::spawn().await).await
}

/// The 200 answer of `GET path`.
async fn ok_json(client: &mut TestClient, path: &str) -> Value {
    let response = client.get(path).await;
    response.assert_status(StatusCode::OK);
    response.json()
}

async fn suggestions_for_need(client: &mut TestClient, need_id: &str) -> Value {
    ok_json(client, &format!("/api/v1/needs/{need_id}/suggestions")).await
}

fn offer_ids(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["offer"]["id"].as_str().expect("offer id").to_owned())
        .collect()
}

fn item_for<'a>(body: &'a Value, offer_id: &str) -> &'a Value {
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["offer"]["id"] == offer_id)
        .unwrap_or_else(|| panic!("{offer_id} is not suggested: {body}"))
}

/// A write around the services: it counts a change, as every audited
/// write to needs, offers, matches and owners does in its transaction, so
/// that answers kept from before it are not given again.
async fn sql(app: &TestApp, statement: &str) {
    app.db
        .execute_unprepared(statement)
        .await
        .expect("statement");
    crate::allocation::count_change(app).await;
}

/// A match between the need and the offer in `status`, as the match
/// workflow (built separately) would leave it.
async fn insert_match(app: &TestApp, w: &World, offer_id: &str, status: &str, rating: Option<i16>) {
    let id = uuid::Uuid::new_v4().to_string();
    let rated = rating.map_or("NULL".to_owned(), |r| r.to_string());
    let now = chrono::Utc::now().to_rfc3339();
    sql(
        app,
        &format!(
            "INSERT INTO matches (id, need_id, offer_id, township_code, category, status, proposed_side, \
             proposed_by, rating, created_at, status_changed_at, updated_at) VALUES \
             ('{id}', '{}', '{offer_id}', '{TOWNSHIP_A}', 'tutoring', '{status}', 'provider', 'someone', \
             {rated}, '{now}', '{now}', '{now}')",
            w.need_id
        ),
    )
    .await;
    if status == "completed" {
        // Written around the services: keep the owner's counter row as
        // the completion does, with the same function.
        let offer = carebridge::db::offers::find(&app.db, offer_id)
            .await
            .expect("read offer")
            .expect("offer");
        let owner = carebridge::db::suggestions::Owner::of(&offer).expect("owner");
        let delta = carebridge::db::suggestions::RecordDelta {
            completed: 1,
            rating,
            ..Default::default()
        };
        carebridge::db::suggestions::bump_record(&app.db, &owner, delta)
            .await
            .expect("bump record");
    }
}

#[tokio::test]
async fn offers_in_the_township_with_matching_text_rank_above_county_wide_unrelated_ones() {
    let mut w = world().await;
    let near = w
        .provider
        .create_offer(offer_body(
            "tutoring",
            "数学课业辅导",
            "放学后辅导四年级数学作业。",
            &[TOWNSHIP_A],
        ))
        .await;
    let county = w
        .provider
        .create_offer(offer_body(
            "tutoring",
            "周末手工绘画",
            "组织手工和绘画兴趣小组。",
            &["county"],
        ))
        .await;
    w.app.index_now().await;
    let body = suggestions_for_need(&mut w.officer, &w.need_id).await;
    assert_eq!(offer_ids(&body), [near.clone(), county.clone()]);
    assert_eq!(body["total"], 2);
    assert_eq!(body["need"]["code"], w.need_code.as_str());
    let first = item_for(&body, &near);
    assert_eq!(first["offer"]["townships"], json!([TOWNSHIP_A]));
    assert_eq!(first["offer"]["county_wide"], false);
    assert_eq!(item_for(&body, &county)["offer"]["county_wide"], true);
    assert_eq!(first["already_matched"], false);

    // Scores are out of 100, best first, and each names its parts.
    let scores: Vec<u64> = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["score"].as_u64().expect("score"))
        .collect();
    assert!(scores.iter().all(|s| *s <= 100), "{scores:?}");
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    for item in body["items"].as_array().expect("items") {
        let reasons = item["reasons"].as_array().expect("reasons");
        let parts: Vec<&str> = reasons
            .iter()
            .map(|r| r["component"].as_str().expect("component"))
            .collect();
        assert_eq!(parts, ["area", "age", "capacity", "text", "record"]);
        let sum: u64 = reasons
            .iter()
            .map(|r| r["points"].as_u64().expect("points"))
            .sum();
        assert_eq!(sum, item["score"].as_u64().expect("score"));
        assert!(
            reasons
                .iter()
                .all(|r| r["text"].as_str().is_some_and(|t| !t.is_empty()))
        );
    }
    assert_eq!(first["reasons"][0]["text"], "服务本乡镇（街道）");
    assert_eq!(first["reasons"][3]["text"], "内容相关度100%");
}

/// Pages are cuts of one ranking and show whole offers: each item of a page
/// of one equals the same place of the whole list, townships and texts too.
#[tokio::test]
async fn pages_of_need_suggestions_are_cuts_of_the_whole_list_with_whole_offers() {
    let mut w = world().await;
    for (title, towns) in [
        ("数学课业辅导", vec![TOWNSHIP_A, TOWNSHIP_B]),
        ("英语课业辅导", vec![TOWNSHIP_A]),
        ("周末手工绘画", vec!["county"]),
        ("作业辅导小组", vec![TOWNSHIP_A]),
    ] {
        w.provider
            .create_offer(offer_body("tutoring", title, "放学后辅导作业。", &towns))
            .await;
    }
    w.app.index_now().await;
    let whole = suggestions_for_need(&mut w.officer, &w.need_id).await;
    let items = whole["items"].as_array().expect("items");
    assert_eq!(items.len(), 4, "{whole}");
    for (offset, item) in items.iter().enumerate() {
        let page = ok_json(
            &mut w.officer,
            &format!(
                "/api/v1/needs/{}/suggestions?limit=1&offset={offset}",
                w.need_id
            ),
        )
        .await;
        assert_eq!(page["total"], whole["total"]);
        assert_eq!(page["items"], json!([item]), "offset {offset}");
    }
    let two_towns = items
        .iter()
        .find(|i| i["offer"]["title"] == "数学课业辅导")
        .expect("listed");
    assert_eq!(
        two_towns["offer"]["townships"],
        json!([TOWNSHIP_A, TOWNSHIP_B])
    );
}

#[tokio::test]
async fn other_categories_townships_full_paused_ended_and_other_ages_are_never_suggested() {
    let mut w = world().await;
    let p = &mut w.provider;
    let good = p
        .create_offer(offer_body(
            "tutoring",
            "数学辅导",
            "辅导数学作业。",
            &[TOWNSHIP_A],
        ))
        .await;
    let other_category = p
        .create_offer(offer_body(
            "counselling",
            "数学辅导",
            "辅导数学作业。",
            &[TOWNSHIP_A],
        ))
        .await;
    let other_township = p
        .create_offer(offer_body(
            "tutoring",
            "数学辅导",
            "辅导数学作业。",
            &[TOWNSHIP_B],
        ))
        .await;
    let full = p
        .create_offer(offer_body(
            "tutoring",
            "数学辅导",
            "辅导数学作业。",
            &[TOWNSHIP_A],
        ))
        .await;
    let paused = p
        .create_offer(offer_body(
            "tutoring",
            "数学辅导",
            "辅导数学作业。",
            &[TOWNSHIP_A],
        ))
        .await;
    let mut older = offer_body("tutoring", "数学辅导", "辅导数学作业。", &[TOWNSHIP_A]);
    older["age_min"] = json!(15);
    older["age_max"] = json!(17);
    let other_ages = p.create_offer(older).await;
    let ended = p
        .create_offer(offer_body(
            "tutoring",
            "数学辅导",
            "辅导数学作业。",
            &[TOWNSHIP_A],
        ))
        .await;
    sql(
        &w.app,
        &format!("UPDATE offers SET remaining = 0 WHERE id = '{full}'"),
    )
    .await;
    sql(
        &w.app,
        &format!("UPDATE offers SET ends_on = '2020-01-31' WHERE id = '{ended}'"),
    )
    .await;
    p.post_json(&format!("/api/v1/offers/{paused}/pause"), json!({}))
        .await
        .assert_status(StatusCode::OK);
    w.app.index_now().await;
    let body = suggestions_for_need(&mut w.officer, &w.need_id).await;
    assert_eq!(offer_ids(&body), [good]);
    for never in [
        other_category,
        other_township,
        full,
        paused,
        other_ages,
        ended.clone(),
    ] {
        assert!(!body.to_string().contains(&never), "{never} was suggested");
    }
    let proposed = w
        .officer
        .post_json(
            "/api/v1/matches",
            json!({"need_code": w.need_code, "offer_id": ended}),
        )
        .await;
    proposed.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        proposed.text().contains("已于2020-01-31结束"),
        "{}",
        proposed.text()
    );
}

#[tokio::test]
async fn offers_of_suspended_providers_and_lapsed_families_are_not_suggested() {
    let mut w = world().await;
    let mut family = w.app.approved_family(TOWNSHIP_A).await;
    let mut need = need_body(&w.child_id);
    need["category"] = json!("sponsorship");
    need["title"] = json!("爱心助养");
    need["description"] = json!("希望有爱心家庭资助学习和生活费用。");
    let sponsored = {
        need["child_id"] = json!(w.child_id);
        let created = w.officer.post_json("/api/v1/needs", need).await;
        created.assert_status(StatusCode::CREATED);
        let id = created.json()["id"].as_str().expect("id").to_owned();
        w.officer
            .post_json(&format!("/api/v1/needs/{id}/publish"), json!({}))
            .await
            .assert_status(StatusCode::OK);
        id
    };
    let family_offer = family
        .create_offer(offer_body(
            "sponsorship",
            "爱心助养",
            "资助学习和生活费用。",
            &[TOWNSHIP_A],
        ))
        .await;
    let provider_offer = w
        .provider
        .create_offer(offer_body(
            "tutoring",
            "数学辅导",
            "辅导数学作业。",
            &[TOWNSHIP_A],
        ))
        .await;
    w.app.index_now().await;
    assert_eq!(
        offer_ids(&suggestions_for_need(&mut w.officer, &sponsored).await),
        [family_offer.as_str()]
    );
    assert_eq!(
        offer_ids(&suggestions_for_need(&mut w.officer, &w.need_id).await),
        [provider_offer.as_str()]
    );

    let yesterday = chrono::Utc::now().date_naive() - chrono::Duration::days(1);
    sql(
        &w.app,
        &format!("UPDATE families SET approved_until = '{yesterday}'"),
    )
    .await;
    sql(&w.app, "UPDATE providers SET status = 'suspended'").await;
    assert!(offer_ids(&suggestions_for_need(&mut w.officer, &sponsored).await).is_empty());
    assert!(offer_ids(&suggestions_for_need(&mut w.officer, &w.need_id).await).is_empty());
}

#[tokio::test]
async fn a_provider_record_of_completed_rated_matches_raises_the_score() {
    let mut w = world().await;
    let id = w
        .provider
        .create_offer(offer_body(
            "tutoring",
            "数学辅导",
            "辅导数学作业。",
            &[TOWNSHIP_A],
        ))
        .await;
    // Another offer of the same provider carries the record.
    let other = w
        .provider
        .create_offer(offer_body(
            "tutoring",
            "英语辅导",
            "辅导英语。",
            &[TOWNSHIP_B],
        ))
        .await;
    w.app.index_now().await;
    let before = suggestions_for_need(&mut w.officer, &w.need_id).await;
    let before_item = item_for(&before, &id);
    assert_eq!(before_item["reasons"][4]["text"], "暂无服务记录");
    assert_eq!(before_item["reasons"][4]["points"], 0);

    insert_match(&w.app, &w, &other, "completed", Some(5)).await;
    insert_match(&w.app, &w, &other, "completed", Some(4)).await;
    // Matches that are not completed are no record.
    insert_match(&w.app, &w, &other, "rejected", None).await;
    let after = suggestions_for_need(&mut w.officer, &w.need_id).await;
    let after_item = item_for(&after, &id);
    assert!(
        after_item["score"].as_u64() > before_item["score"].as_u64(),
        "{before_item} → {after_item}"
    );
    assert_eq!(after_item["reasons"][4]["component"], "record");
    assert_eq!(
        after_item["reasons"][4]["text"],
        "已完成服务2次，平均评分4.5"
    );
    assert!(after_item["reasons"][4]["points"].as_u64() > Some(0));
}

#[tokio::test]
async fn an_offer_with_an_open_match_for_the_need_is_marked_not_hidden() {
    let mut w = world().await;
    let id = w
        .provider
        .create_offer(offer_body(
            "tutoring",
            "数学辅导",
            "辅导数学作业。",
            &[TOWNSHIP_A],
        ))
        .await;
    w.app.index_now().await;
    insert_match(&w.app, &w, &id, "proposed", None).await;
    let body = suggestions_for_need(&mut w.officer, &w.need_id).await;
    let item = item_for(&body, &id);
    assert_eq!(item["already_matched"], true);
    assert!(item["match_id"].as_str().is_some());
    let mut officer = w.officer.clone();
    let page = officer
        .get(&format!("/needs/{}/suggestions", w.need_id))
        .await;
    page.assert_status(StatusCode::OK);
    assert!(page.text().contains("已有进行中的对接"));
    assert!(!page.text().contains("推荐给该机构"));
}

#[tokio::test]
async fn need_suggestions_are_for_staff_in_scope_only() {
    let w = world().await;
    let path = format!("/api/v1/needs/{}/suggestions", w.need_id);
    let mut other_officer = w
        .app
        .login_staff(Role::TownshipOfficer, Some(TOWNSHIP_B), None)
        .await;
    other_officer
        .get(&path)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    other_officer
        .get(&format!("/needs/{}/suggestions", w.need_id))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let mut provider = w.provider.clone();
    provider
        .get(&path)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let mut admin = w.app.admin().await;
    admin.get(&path).await.assert_status(StatusCode::OK);
    let mut supervisor = w.app.login_as(Role::VillageSupervisor).await;
    supervisor.get(&path).await.assert_status(StatusCode::OK);
    w.app
        .client()
        .get(&path)
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    let mut officer = w.officer.clone();
    officer
        .get("/api/v1/needs/no-such-need/suggestions")
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

async fn suggestions_for_offer(client: &mut TestClient, offer_id: &str) -> Value {
    ok_json(client, &format!("/api/v1/offers/{offer_id}/suggestions")).await
}

fn need_codes(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["need"]["code"].as_str().expect("code").to_owned())
        .collect()
}

#[tokio::test]
async fn offer_suggestions_show_published_projections_without_any_vault_field() {
    // k = 1: the need shows its township, so a township offer may see it.
    let mut w = world_with(TestApp::spawn_with(|s| s.k_anonymity = 1).await).await;
    // A draft need and a matched one of the same child never show.
    let child = &w.child_id;
    let draft = w.officer.post_json("/api/v1/needs", need_body(child)).await;
    draft.assert_status(StatusCode::CREATED);
    let draft_code = draft.json()["code"].as_str().expect("code").to_owned();
    let (matched_id, matched_code) = w.officer.publish_need(child).await;
    let offer_id = w
        .provider
        .create_offer(offer_body(
            "tutoring",
            "数学课业辅导",
            "辅导四年级数学作业。",
            &[TOWNSHIP_A],
        ))
        .await;
    w.app.index_now().await;
    sql(
        &w.app,
        &format!("UPDATE needs SET status = 'matched' WHERE id = '{matched_id}'"),
    )
    .await;

    let body = suggestions_for_offer(&mut w.provider, &offer_id).await;
    assert_eq!(need_codes(&body), [w.need_code.as_str()]);
    let item = &body["items"][0];
    assert_eq!(item["need"]["township"], TOWNSHIP_A);
    assert_eq!(item["need"]["age_band"], "6-11");
    assert!(item["score"].as_u64().is_some_and(|s| s <= 100));
    assert_eq!(item["reasons"][0]["component"], "area");
    let text = body.to_string();
    assert!(!text.contains(&draft_code) && !text.contains(&matched_code));
    let (compact_birth, dashed_birth) = crate::helpers::birth_of(&w.id_number);
    for secret in [
        CHILD_NAME,
        w.id_number.as_str(),
        "柏建华",
        "13912345678",
        "滨江路18号",
        "红旗村",
        compact_birth.as_str(),
        dashed_birth.as_str(),
        w.need_id.as_str(),
    ] {
        assert!(!text.contains(secret), "{secret} reached a provider");
    }
    let mut provider = w.provider.clone();
    let page = provider
        .get(&format!("/offers/{offer_id}/suggestions"))
        .await;
    page.assert_status(StatusCode::OK);
    for secret in [CHILD_NAME, w.id_number.as_str(), "柏建华", "红旗村"] {
        assert!(
            !page.text().contains(secret),
            "{secret} reached a provider page"
        );
    }
}

#[tokio::test]
async fn generalized_needs_are_suggested_to_county_wide_offers_only() {
    // k = 5 and one child: the need generalizes to the county.
    let mut w = world().await;
    let township = w
        .provider
        .create_offer(offer_body(
            "tutoring",
            "数学辅导",
            "辅导数学作业。",
            &[TOWNSHIP_A],
        ))
        .await;
    let county = w
        .provider
        .create_offer(offer_body(
            "tutoring",
            "数学辅导",
            "辅导数学作业。",
            &["county"],
        ))
        .await;
    w.app.index_now().await;
    assert!(need_codes(&suggestions_for_offer(&mut w.provider, &township).await).is_empty());
    let body = suggestions_for_offer(&mut w.provider, &county).await;
    assert_eq!(need_codes(&body), [w.need_code.as_str()]);
    assert_eq!(body["items"][0]["need"]["township"], Value::Null);
    assert_eq!(body["items"][0]["reasons"][0]["text"], "服务全县");
}

#[tokio::test]
async fn offer_suggestions_are_for_the_owner_only() {
    let mut w = world().await;
    let offer_id = w
        .provider
        .create_offer(offer_body(
            "tutoring",
            "数学辅导",
            "辅导数学作业。",
            &["county"],
        ))
        .await;
    w.app.index_now().await;
    let path = format!("/api/v1/offers/{offer_id}/suggestions");
    let mut other = w.app.verified_provider().await;
    other.get(&path).await.assert_status(StatusCode::NOT_FOUND);
    other
        .get(&format!("/offers/{offer_id}/suggestions"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let mut officer = w.officer.clone();
    officer
        .get(&path)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let mut family = w.app.approved_family(TOWNSHIP_A).await;
    family.get(&path).await.assert_status(StatusCode::NOT_FOUND);
    w.app
        .client()
        .get(&path)
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    // A paused offer is still its owner's, but suggests nothing.
    w.provider
        .post_json(&format!("/api/v1/offers/{offer_id}/pause"), json!({}))
        .await
        .assert_status(StatusCode::OK);
    let body = suggestions_for_offer(&mut w.provider, &offer_id).await;
    assert_eq!(body["total"], 0);
    assert_eq!(body["offer"]["status"], "paused");
}

#[tokio::test]
async fn the_need_page_ranks_offers_with_a_suggest_form_each() {
    let mut w = world().await;
    let near = w
        .provider
        .create_offer(offer_body(
            "tutoring",
            "数学课业辅导",
            "辅导数学作业。",
            &[TOWNSHIP_A],
        ))
        .await;
    let county = w
        .provider
        .create_offer(offer_body(
            "tutoring",
            "周末手工绘画",
            "组织手工兴趣小组。",
            &["county"],
        ))
        .await;
    w.app.index_now().await;
    let mut officer = w.officer.clone();
    let detail = officer.get(&format!("/needs/{}", w.need_id)).await;
    assert!(
        detail
            .text()
            .contains(&format!("href=\"/needs/{}/suggestions\"", w.need_id))
    );
    let page = officer
        .get(&format!("/needs/{}/suggestions", w.need_id))
        .await;
    page.assert_status(StatusCode::OK);
    let html = page.text();
    let first = html.find("数学课业辅导").expect("the near offer is listed");
    let second = html
        .find("周末手工绘画")
        .expect("the county offer is listed");
    assert!(first < second, "ranked best first");
    assert!(html.contains("匹配度"));
    assert!(html.contains("服务本乡镇（街道）"));
    assert_eq!(html.matches("action=\"/matches\"").count(), 2);
    assert_eq!(html.matches("推荐给该机构").count(), 2);
    assert!(html.contains(&format!("name=\"need_code\" value=\"{}\"", w.need_code)));
    assert!(html.contains(&format!("name=\"offer_id\" value=\"{near}\"")));
    assert!(html.contains(&format!("name=\"offer_id\" value=\"{county}\"")));
    assert!(html.contains("name=\"csrf_token\""));
    assert!(html.contains("name=\"note\""));

    // County staff see the ranking but suggest through the township.
    let mut admin = w.app.admin().await;
    let page = admin
        .get(&format!("/needs/{}/suggestions", w.need_id))
        .await;
    page.assert_status(StatusCode::OK);
    assert!(page.text().contains("数学课业辅导"));
    assert!(!page.text().contains("推荐给该机构"));
}

#[tokio::test]
async fn the_offer_page_ranks_needs_with_a_propose_form_each() {
    let mut w = world().await;
    let offer_id = w
        .provider
        .create_offer(offer_body(
            "tutoring",
            "数学课业辅导",
            "辅导数学作业。",
            &["county"],
        ))
        .await;
    w.app.index_now().await;
    let mut provider = w.provider.clone();
    let detail = provider.get(&format!("/offers/{offer_id}")).await;
    assert!(
        detail
            .text()
            .contains(&format!("href=\"/offers/{offer_id}/suggestions\""))
    );
    let page = provider
        .get(&format!("/offers/{offer_id}/suggestions"))
        .await;
    page.assert_status(StatusCode::OK);
    let html = page.text();
    assert!(html.contains("四年级数学课业辅导"), "the need is listed");
    assert!(html.contains("云阳县（县域）"), "its area is the county");
    assert!(html.contains("匹配度"));
    assert!(html.contains("提出对接"));
    assert!(html.contains("action=\"/matches\""));
    assert!(html.contains(&format!("name=\"need_code\" value=\"{}\"", w.need_code)));
    assert!(html.contains(&format!("name=\"offer_id\" value=\"{offer_id}\"")));
    assert!(html.contains("name=\"csrf_token\""));
}

#[tokio::test]
async fn a_need_whose_township_fell_under_k_leaves_township_offers_before_the_index_knows() {
    // k = 2: with a second poor child of the same band the need shows township A.
    let mut w = world_with(TestApp::spawn_with(|s| s.k_anonymity = 2).await).await;
    let second = w
        .officer
        .create_child(child_body(
            "柏小红",
            &id_number_for("20170315", 8, false),
            TOWNSHIP_A,
            crate::helpers::VILLAGE_A,
        ))
        .await;
    let township = w
        .provider
        .create_offer(offer_body(
            "tutoring",
            "数学辅导",
            "辅导数学作业。",
            &[TOWNSHIP_A],
        ))
        .await;
    let county = w
        .provider
        .create_offer(offer_body(
            "tutoring",
            "数学辅导",
            "辅导数学作业。",
            &["county"],
        ))
        .await;
    w.app.index_now().await;
    let body = suggestions_for_offer(&mut w.provider, &township).await;
    assert_eq!(need_codes(&body), [w.need_code.as_str()]);
    assert_eq!(body["items"][0]["need"]["township"], TOWNSHIP_A);

    // The second file closes: the count falls under k. The index still
    // files the need under A until the indexer runs, but the projection
    // of the moment decides.
    w.officer
        .post_json(
            &format!("/api/v1/children/{second}/close"),
            json!({"reason": "迁出本县"}),
        )
        .await
        .assert_status(StatusCode::OK);
    assert!(need_codes(&suggestions_for_offer(&mut w.provider, &township).await).is_empty());
    let body = suggestions_for_offer(&mut w.provider, &county).await;
    assert_eq!(need_codes(&body), [w.need_code.as_str()]);
    assert_eq!(body["items"][0]["need"]["township"], Value::Null);
}

/// The statements `client` sends for `path` (the answer must be 200), and
/// its body.
async fn counted_json(client: &mut TestClient, path: &str) -> (Value, Vec<sea_orm::Statement>) {
    let (response, sent) = carebridge::db::statements::counting(client.get(path)).await;
    response.assert_status(StatusCode::OK);
    (response.json(), sent)
}

/// Whether any of `sent` reads `table`.
fn reads(sent: &[sea_orm::Statement], table: &str) -> bool {
    let quoted = format!("\"{table}\"");
    sent.iter().any(|s| s.sql.contains(&quoted))
}

/// Two tutoring offers of the provider in township A (math, then
/// Chinese), indexed.
async fn two_tutoring_offers(w: &mut World) -> (String, String) {
    let math = w
        .provider
        .create_offer(offer_body(
            "tutoring",
            "数学辅导",
            "辅导数学作业。",
            &[TOWNSHIP_A],
        ))
        .await;
    let chinese = w
        .provider
        .create_offer(offer_body(
            "tutoring",
            "语文辅导",
            "辅导语文作业。",
            &[TOWNSHIP_A],
        ))
        .await;
    w.app.index_now().await;
    (math, chinese)
}

#[tokio::test]
async fn a_kept_need_answer_holds_until_a_change_and_never_reaches_past_the_callers_scope() {
    let mut w = world().await;
    let (first, second) = two_tutoring_offers(&mut w).await;
    let path = format!("/api/v1/needs/{}/suggestions", w.need_id);
    let (computed, sent) = counted_json(&mut w.officer, &path).await;
    assert!(reads(&sent, "offers"), "the first answer is computed");
    let mut listed = offer_ids(&computed);
    listed.sort();
    let mut both = vec![first.clone(), second.clone()];
    both.sort();
    assert_eq!(listed, both);

    // Asked again with nothing changed: the same answer, no offer read.
    let (kept, sent) = counted_json(&mut w.officer, &path).await;
    assert_eq!(kept, computed);
    assert!(!reads(&sent, "offers"), "kept answer recomputed: {sent:#?}");
    assert!(
        reads(&sent, "children"),
        "the caller's scope is checked each time"
    );

    // Staff of another township never get it, kept or not.
    let mut other = w
        .app
        .login_staff(
            Role::TownshipOfficer,
            Some(crate::helpers::TOWNSHIP_B),
            None,
        )
        .await;
    other.get(&path).await.assert_status(StatusCode::NOT_FOUND);
    w.provider
        .get(&path)
        .await
        .assert_status(StatusCode::NOT_FOUND);

    // The provider pauses one offer (a write on the offer, not the need):
    // the next answer is computed again and leaves it out, before the
    // index even knows.
    w.provider
        .post_json(&format!("/api/v1/offers/{first}/pause"), json!({}))
        .await
        .assert_status(StatusCode::OK);
    let (after_pause, sent) = counted_json(&mut w.officer, &path).await;
    assert!(reads(&sent, "offers"));
    assert_eq!(offer_ids(&after_pause), vec![second.clone()]);

    // A proposal on the other (a write on a match) shows at once.
    let proposed = crate::match_helpers::propose(&mut w.officer, &w.need_code, &second).await;
    let after_proposal = suggestions_for_need(&mut w.officer, &w.need_id).await;
    let item = item_for(&after_proposal, &second);
    assert_eq!(item["already_matched"], true);
    assert_eq!(item["match_id"], proposed.as_str());
}

#[tokio::test]
async fn a_kept_offer_answer_holds_until_a_change_and_is_for_its_owner_only() {
    let mut w = world().await;
    let offer_id = w
        .provider
        .create_offer(offer_body(
            "tutoring",
            "数学辅导",
            "辅导数学作业。",
            &["county"],
        ))
        .await;
    w.app.index_now().await;
    let path = format!("/api/v1/offers/{offer_id}/suggestions");
    let (computed, sent) = counted_json(&mut w.provider, &path).await;
    assert!(reads(&sent, "needs"), "the first answer is computed");
    assert_eq!(need_codes(&computed), vec![w.need_code.clone()]);
    let (kept, sent) = counted_json(&mut w.provider, &path).await;
    assert_eq!(kept, computed);
    assert!(!reads(&sent, "needs"), "kept answer recomputed: {sent:#?}");

    let mut other = w.app.verified_provider().await;
    other.get(&path).await.assert_status(StatusCode::NOT_FOUND);

    // The officer closes the need (a write on the need, not the offer):
    // it is suggested no more.
    w.officer
        .post_json(
            &format!("/api/v1/needs/{}/close", w.need_id),
            json!({"reason": "已由亲属照顾"}),
        )
        .await
        .assert_status(StatusCode::OK);
    let after = suggestions_for_offer(&mut w.provider, &offer_id).await;
    assert!(need_codes(&after).is_empty(), "{after}");

    // The provider suspended: refused, though an answer was kept.
    sql(&w.app, "UPDATE providers SET status = 'suspended'").await;
    w.provider
        .get(&path)
        .await
        .assert_status(StatusCode::FORBIDDEN);
}

/// Computations that began before a change and end after it must not be
/// given again: requests for a need's suggestions race a provider pausing
/// one offer and another offer's edit; once both writes are in, every
/// answer leaves the paused offer out and shows the edit.
#[tokio::test]
async fn answers_computed_while_offers_change_are_never_given_after_the_change() {
    let mut w = world().await;
    let (paused, edited) = two_tutoring_offers(&mut w).await;
    let edited_body = |capacity: i64| {
        let mut body = offer_body("tutoring", "语文辅导", "辅导语文作业。", &[TOWNSHIP_A]);
        body["capacity"] = json!(capacity);
        body
    };
    let path = format!("/api/v1/needs/{}/suggestions", w.need_id);
    for _ in 0..3 {
        let readers = (0..12).map(|_| {
            let mut officer = w.officer.clone();
            let path = path.clone();
            async move { officer.get(&path).await.status }
        });
        let mut pauser = w.provider.clone();
        let mut editor = w.provider.clone();
        let pause = async {
            pauser
                .post_json(&format!("/api/v1/offers/{paused}/pause"), json!({}))
                .await
                .status
        };
        let edit = async {
            editor
                .send_json(
                    axum::http::Method::PUT,
                    &format!("/api/v1/offers/{edited}"),
                    edited_body(9),
                )
                .await
                .status
        };
        let (statuses, paused_status, edited_status) =
            tokio::join!(futures_util::future::join_all(readers), pause, edit);
        assert!(
            statuses.iter().all(|s| *s == StatusCode::OK),
            "{statuses:?}"
        );
        assert_eq!(paused_status, StatusCode::OK);
        assert_eq!(edited_status, StatusCode::OK);
        for _ in 0..2 {
            let body = suggestions_for_need(&mut w.officer, &w.need_id).await;
            assert_eq!(offer_ids(&body), vec![edited.clone()], "{body}");
            assert_eq!(item_for(&body, &edited)["offer"]["capacity"], 9, "{body}");
        }
        // Open again for the next round.
        w.provider
            .post_json(&format!("/api/v1/offers/{paused}/resume"), json!({}))
            .await
            .assert_status(StatusCode::OK);
        w.provider
            .send_json(
                axum::http::Method::PUT,
                &format!("/api/v1/offers/{edited}"),
                edited_body(5),
            )
            .await
            .assert_status(StatusCode::OK);
    }
}
