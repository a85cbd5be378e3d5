//! The offer and search pages: posting an offer through the form, errors
//! beside their fields, the public offer page and the owner's actions, and
//! the search page with highlights, facets, suggestions and need results
//! that never name the child.

use axum::http::{StatusCode, header};
use carebridge::domain::Role;
use serde_json::json;

use crate::helpers::{
    TOWNSHIP_A, TestApp, TestClient, TestResponse, VILLAGE_A, child_body, id_number_for,
};

const TITLE: &str = "孤独症儿童康复训练";

fn location(response: &TestResponse) -> String {
    response
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

/// `/search` with `params`, percent-encoded as a browser sends a GET form.
fn search_path(params: &[(&str, &str)]) -> String {
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish();
    format!("/search?{query}")
}

/// Posts the rehabilitation offer through the JSON API; returns its id.
async fn post_offer(provider: &mut TestClient) -> String {
    let response = provider
        .post_json(
            "/api/v1/offers",
            json!({
                "category": "rehabilitation",
                "title": TITLE,
                "description": "为孤独症儿童提供一对一康复训练，由持证康复师每周上门两次。",
                "capacity": 6,
                "townships": ["county"],
                "age_min": 3,
                "age_max": 12,
                "schedule": "每周二、周四下午",
            }),
        )
        .await;
    response.assert_status(StatusCode::CREATED);
    response.json()["id"].as_str().expect("id").to_owned()
}

/// The fields of a valid offer form, without the CSRF token.
fn offer_form() -> Vec<(&'static str, &'static str)> {
    vec![
        ("category", "tutoring"),
        ("title", "四点半课堂课业辅导"),
        (
            "description",
            "放学后在社区活动室辅导作业，志愿者均为在职教师。",
        ),
        ("capacity", "12"),
        ("townships", TOWNSHIP_A),
        ("age_min", "6"),
        ("age_max", "12"),
        ("starts_on", "2026-03-01"),
        ("ends_on", "2026-12-31"),
        ("schedule", "每周一至周五 16:30–18:00"),
    ]
}

async fn post_offer_form(
    client: &mut TestClient,
    path: &str,
    fields: &[(&str, &str)],
) -> TestResponse {
    let csrf = client.page_csrf("/offers/new").await;
    let mut all = vec![("csrf_token", csrf.as_str())];
    all.extend_from_slice(fields);
    client.post_form(path, &all).await
}

#[tokio::test]
async fn an_offer_posted_through_the_form_is_shown_with_its_remaining_places() {
    let app = TestApp::spawn().await;
    let mut provider = app.verified_provider().await;
    let form = provider.get("/offers/new").await;
    form.assert_status(StatusCode::OK);
    assert!(form.text().contains("全县"));
    assert!(form.text().contains("家庭寄养（仅限评估通过的爱心家庭）"));

    let posted = post_offer_form(&mut provider, "/offers", &offer_form()).await;
    posted.assert_status(StatusCode::SEE_OTHER);
    let target = location(&posted);
    assert!(target.starts_with("/offers/"), "{target}");

    let page = provider.get(&target).await;
    page.assert_status(StatusCode::OK);
    let html = page.text();
    assert!(html.contains("服务已发布"), "flash shown");
    assert!(html.contains("四点半课堂课业辅导"));
    assert!(html.contains("剩余 12 / 共 12 人"));
    assert!(html.contains("6–12岁"));
    assert!(html.contains("2026年3月1日 至 2026年12月31日"));
    assert!(html.contains("编辑"), "the owner gets the actions");

    // Anyone may read it, without the owner's actions.
    let public = app.client().get(&target).await;
    public.assert_status(StatusCode::OK);
    assert!(public.text().contains("四点半课堂课业辅导"));
    assert!(public.text().contains("云阳县爱心慈善会"), "owner name");
    assert!(!public.text().contains("暂停"));

    let mine = provider.get("/offers/mine").await;
    mine.assert_status(StatusCode::OK);
    assert!(mine.text().contains("四点半课堂课业辅导"));
    assert!(mine.text().contains("发布新服务"));
}

#[tokio::test]
async fn a_refused_offer_form_shows_each_error_beside_its_field() {
    let app = TestApp::spawn().await;
    let mut provider = app.verified_provider().await;
    let refused = post_offer_form(
        &mut provider,
        "/offers",
        &[
            ("category", "foster_care"),
            ("title", ""),
            ("description", "周末陪伴，一起读书。"),
            ("capacity", "几个"),
        ],
    )
    .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text();
    assert!(html.contains("您的账号不能发布此类服务"), "category");
    assert!(html.contains("请填写可服务的儿童人数"), "capacity");
    assert!(
        html.contains("请选择服务的乡镇（街道），或选择全县"),
        "townships"
    );
    assert_eq!(
        refused.field_error("title").as_deref(),
        Some("此项为必填项"),
        "title error beside its field"
    );
    assert!(html.contains("周末陪伴，一起读书。"), "typed text kept");
    assert!(html.contains("value=\"几个\""), "typed number kept");

    let mut ages = offer_form();
    ages.retain(|(k, _)| *k != "age_min");
    ages.push(("age_min", "三岁"));
    let refused = post_offer_form(&mut provider, "/offers", &ages).await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().contains("年龄应为0至17的整数"));

    let mut both = offer_form();
    both.push(("townships", "county"));
    let refused = post_offer_form(&mut provider, "/offers", &both).await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().contains("选择全县时不再选择具体乡镇"));

    let mine = provider.get("/offers/mine").await;
    assert!(mine.text().contains("您还没有发布服务"));
}

#[tokio::test]
async fn an_unverified_provider_and_staff_cannot_post_offers() {
    let app = TestApp::spawn().await;
    let (_, username) = app.register_provider().await;
    let mut pending = app.logged_in(&username).await;
    let form = pending.get("/offers/new").await;
    form.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(location(&form), "/");
    assert!(pending.get("/").await.text().contains("暂不能发布服务"));
    let csrf = pending.page_csrf("/").await;
    let mut fields = vec![("csrf_token", csrf.as_str())];
    fields.extend_from_slice(&offer_form());
    let refused = pending.post_form("/offers", &fields).await;
    refused.assert_status(StatusCode::FORBIDDEN);
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    officer
        .get("/offers/new")
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let anonymous = app.client().get("/offers/new").await;
    assert_eq!(location(&anonymous), "/login?next=%2Foffers%2Fnew");
}

#[tokio::test]
async fn a_family_sees_only_its_own_care_types_in_the_form() {
    let app = TestApp::spawn().await;
    let mut family = app.approved_family(TOWNSHIP_A).await;
    let form = family.get("/offers/new").await;
    form.assert_status(StatusCode::OK);
    let html = form.text();
    assert!(html.contains("value=\"sponsorship\""));
    assert!(!html.contains("value=\"tutoring\""));
    let mut fields = offer_form();
    fields.retain(|(k, _)| *k != "category");
    fields.push(("category", "sponsorship"));
    let posted = post_offer_form(&mut family, "/offers", &fields).await;
    posted.assert_status(StatusCode::SEE_OTHER);
    let page = family.get(&location(&posted)).await;
    assert!(page.text().contains("爱心助养"));
    let home = family.get("/").await;
    assert!(home.text().contains("/offers/mine"));
    assert!(home.text().contains("/search"));
}

#[tokio::test]
async fn the_owner_edits_pauses_resumes_and_closes_an_offer() {
    let app = TestApp::spawn().await;
    let mut provider = app.verified_provider().await;
    let id = post_offer(&mut provider).await;
    let page = format!("/offers/{id}");

    let edit = provider.get(&format!("{page}/edit")).await;
    edit.assert_status(StatusCode::OK);
    assert!(edit.text().contains(TITLE), "form filled with the offer");
    let mut fields: Vec<(&str, &str)> = vec![
        ("category", "rehabilitation"),
        ("title", "孤独症儿童康复训练（周末班）"),
        ("description", "为孤独症儿童提供康复训练。"),
        ("capacity", "4"),
        ("townships", "county"),
    ];
    let saved = post_offer_form(&mut provider, &format!("{page}/edit"), &fields).await;
    saved.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(location(&saved), page);
    let shown = provider.get(&page).await;
    assert!(shown.text().contains("孤独症儿童康复训练（周末班）"));
    assert!(shown.text().contains("剩余 4 / 共 4 人"));
    assert!(shown.text().contains("全县"));

    fields.retain(|(k, _)| *k != "capacity");
    let refused = post_offer_form(&mut provider, &format!("{page}/edit"), &fields).await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);

    // Someone else's offer: 404, as for one that does not exist.
    let mut other = app.verified_provider().await;
    let csrf = other.page_csrf("/offers/new").await;
    other
        .post_form(&format!("{page}/pause"), &[("csrf_token", &csrf)])
        .await
        .assert_status(StatusCode::NOT_FOUND);
    other
        .get(&format!("{page}/edit"))
        .await
        .assert_status(StatusCode::NOT_FOUND);

    let csrf = provider.page_csrf(&page).await;
    let paused = provider
        .post_form(&format!("{page}/pause"), &[("csrf_token", &csrf)])
        .await;
    paused.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(location(&paused), page);
    assert!(provider.get(&page).await.text().contains("服务已暂停"));
    let again = provider
        .post_form(&format!("{page}/pause"), &[("csrf_token", &csrf)])
        .await;
    again.assert_status(StatusCode::SEE_OTHER);
    let conflict = provider.get(&page).await.text();
    assert!(conflict.contains("不能执行此操作"), "conflict as a flash");
    provider
        .post_form(&format!("{page}/resume"), &[("csrf_token", &csrf)])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let closed = provider
        .post_form(
            &format!("{page}/close"),
            &[("csrf_token", &csrf), ("reason", "名额已满")],
        )
        .await;
    closed.assert_status(StatusCode::SEE_OTHER);
    let shown = provider.get(&page).await;
    // No actions on a closed offer.
    shown.assert_ok_without(&["确认结束"]);
    let shown = shown.text();
    assert!(shown.contains("服务已结束"));
    assert!(shown.contains("名额已满"));
    let edit = provider.get(&format!("{page}/edit")).await;
    edit.assert_status(StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_search_page_finds_an_offer_and_marks_the_match() {
    let app = TestApp::spawn().await;
    let mut provider = app.verified_provider().await;
    let id = post_offer(&mut provider).await;
    app.index_now().await;

    // Anonymous visitors search offers too.
    let mut visitor = app.client();
    let found = visitor.get(&search_path(&[("q", "孤独症")])).await;
    found.assert_status(StatusCode::OK);
    let html = found.text();
    assert!(html.contains(TITLE));
    assert!(html.contains(&format!("href=\"/offers/{id}\"")));
    assert!(html.contains("<mark>孤独症</mark>"), "match highlighted");
    assert!(
        html.contains("康复训练 (1)"),
        "category facet with its count"
    );
    assert!(html.contains("全县"), "county-wide offer");
    assert!(
        !html.contains("value=\"need\""),
        "needs not offered to visitors"
    );

    // A facet link narrows the search and keeps the words.
    let narrowed = visitor
        .get(&search_path(&[
            ("q", "孤独症"),
            ("category", "rehabilitation"),
        ]))
        .await;
    narrowed.assert_status(StatusCode::OK);
    assert!(narrowed.text().contains(TITLE));
    assert!(
        narrowed.text().contains("不限类别"),
        "a link removes the filter"
    );

    let landing = visitor.get("/").await;
    assert!(landing.text().contains("action=\"/search\""));
}

#[tokio::test]
async fn the_search_forms_empty_filters_mean_no_filter() {
    let app = TestApp::spawn().await;
    let mut provider = app.verified_provider().await;
    post_offer(&mut provider).await;
    app.index_now().await;

    let mut visitor = app.client();
    // What the page's own form sends when nothing is chosen.
    let page = visitor
        .get(&search_path(&[
            ("q", "孤独症"),
            ("category", ""),
            ("township", ""),
        ]))
        .await;
    page.assert_status(StatusCode::OK);
    let html = page.text();
    assert!(html.contains(TITLE));
    assert!(
        !html.contains("不限类别"),
        "no category filter shown as active"
    );
    assert!(
        !html.contains("不限乡镇"),
        "no township filter shown as active"
    );
    assert!(html.contains("康复训练 (1)"), "the facet still narrows");
}

#[tokio::test]
async fn a_search_without_hits_shows_suggestions_not_an_empty_page() {
    let app = TestApp::spawn().await;
    let mut provider = app.verified_provider().await;
    post_offer(&mut provider).await;
    app.index_now().await;
    let mut visitor = app.client();

    let narrow = visitor
        .get(&search_path(&[("q", "孤独症"), ("category", "tutoring")]))
        .await;
    narrow.assert_status(StatusCode::OK);
    let html = narrow.text();
    assert!(html.contains("没有找到符合条件的服务"));
    assert!(html.contains("去掉类别筛选"), "suggestion shown");
    let link = format!(
        "href=\"{}\"",
        search_path(&[("q", "孤独症")]).replace('&', "&amp;")
    );
    assert!(html.contains(&link), "suggestion links to the wider search");

    let nothing = visitor.get(&search_path(&[("q", "天文望远镜")])).await;
    nothing.assert_status(StatusCode::OK);
    let html = nothing.text();
    assert!(html.contains("可以试试"));
    assert!(html.contains("小提示"));
    assert!(
        html.contains("<li><a href=\"/search"),
        "at least one suggestion link"
    );
}

#[tokio::test]
async fn invalid_search_input_is_shown_again_with_its_error() {
    let app = TestApp::spawn().await;
    let mut visitor = app.client();
    let long = "康".repeat(101);
    let refused = visitor.get(&search_path(&[("q", &long)])).await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().contains("搜索词过长"));
    let refused = visitor
        .get(&search_path(&[("category", "astronomy")]))
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().contains("未知的服务类别"));
    let need = visitor.get(&search_path(&[("type", "need")])).await;
    assert_eq!(need.status, StatusCode::SEE_OTHER);
    assert!(location(&need).starts_with("/login?next=%2Fsearch"));
}

#[tokio::test]
async fn a_paused_offer_leaves_the_search_page() {
    let app = TestApp::spawn().await;
    let mut provider = app.verified_provider().await;
    let id = post_offer(&mut provider).await;
    app.index_now().await;
    let mut visitor = app.client();
    let path = search_path(&[("q", "康复")]);
    assert!(visitor.get(&path).await.text().contains(TITLE));

    let csrf = provider.page_csrf(&format!("/offers/{id}")).await;
    provider
        .post_form(&format!("/offers/{id}/pause"), &[("csrf_token", &csrf)])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    app.index_now().await;
    let gone = visitor.get(&path).await;
    gone.assert_status(StatusCode::OK);
    assert!(!gone.text().contains(TITLE));
    assert!(gone.text().contains("可以试试"));

    provider
        .post_form(&format!("/offers/{id}/resume"), &[("csrf_token", &csrf)])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    app.index_now().await;
    assert!(visitor.get(&path).await.text().contains(TITLE));
}

#[tokio::test]
async fn a_verified_provider_finds_a_published_need_without_the_childs_name() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let child = officer
        .create_child(child_body(
            "柏晓彤",
            &id_number_for("20150312", 31, false),
            TOWNSHIP_A,
            VILLAGE_A,
        ))
        .await;
    let (_, code) = officer.publish_need(&child).await;
    app.index_now().await;

    let mut provider = app.verified_provider().await;
    let form = provider.get("/search").await;
    assert!(form.text().contains("value=\"need\""), "needs offered");
    let found = provider
        .get(&search_path(&[("q", "数学"), ("type", "need")]))
        .await;
    found.assert_status(StatusCode::OK);
    let html = found.text();
    assert!(html.contains(&format!("href=\"/needs/{code}\"")));
    assert!(html.contains(&code));
    assert!(html.contains("四年级数学课业辅导"));
    assert!(html.contains("<mark>数学</mark>"));
    for secret in ["柏晓彤", "晓彤", "柏建华", "滨江路", "13912345678"] {
        assert!(!html.contains(secret), "{secret} leaked");
    }

    // Offers are the default: the need is not among them.
    provider
        .get(&search_path(&[("q", "数学")]))
        .await
        .assert_ok_without(&[&code]);

    let (_, username) = app.register_provider().await;
    let mut pending = app.logged_in(&username).await;
    pending
        .get("/search")
        .await
        .assert_ok_without(&["value=\"need\""]);
    pending
        .get(&search_path(&[("type", "need")]))
        .await
        .assert_status(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_provider_proposes_from_the_need_page_with_one_of_its_fitting_offers() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let child = officer
        .create_child(child_body(
            "柏晓彤",
            &id_number_for("20150312", 32, false),
            TOWNSHIP_A,
            VILLAGE_A,
        ))
        .await;
    let (_, code) = officer.publish_need(&child).await;

    let mut provider = app.verified_provider().await;
    let tutoring = provider
        .create_offer(crate::helpers::offer_body(
            "tutoring",
            "小学数学课业辅导",
            "放学后辅导数学作业。",
            &["county"],
        ))
        .await;
    let rehab = post_offer(&mut provider).await;
    app.index_now().await;

    let path = format!("/needs/{code}");
    let page = provider.get(&path).await;
    page.assert_status(StatusCode::OK);
    let html = page.text();
    assert!(html.contains("用我的服务提出对接"));
    assert!(
        html.contains(&format!(r#"value="{tutoring}""#)),
        "the fitting offer is offered"
    );
    assert!(
        !html.contains(&format!(r#"value="{rehab}""#)),
        "another category is not"
    );
    assert!(html.contains("匹配度"), "each offer shows its score");

    let csrf = provider.page_csrf(&path).await;
    let proposed = provider
        .post_form(
            "/matches",
            &[
                ("csrf_token", &csrf),
                ("need_code", &code),
                ("offer_id", &tutoring),
                ("note", ""),
            ],
        )
        .await;
    proposed.assert_status(StatusCode::SEE_OTHER);
    assert!(location(&proposed).starts_with("/matches/"));
    let again = provider.get(&path).await.text();
    assert!(
        again.contains("已与该需求对接"),
        "the open match is linked, not offered twice"
    );
    assert!(!again.contains(&format!(r#"value="{tutoring}""#)));

    // Staff read the same projection without an offer to choose.
    officer
        .get(&path)
        .await
        .assert_ok_without(&["用我的服务提出对接"]);
}

#[tokio::test]
async fn an_offer_form_with_an_age_that_is_no_number_shows_every_other_error_too() {
    let app = TestApp::spawn().await;
    let mut provider = app.verified_provider().await;
    let refused = post_offer_form(
        &mut provider,
        "/offers",
        &[
            ("category", "tutoring"),
            ("title", ""),
            ("description", "放学后辅导作业。"),
            ("capacity", "10"),
            ("townships", TOWNSHIP_A),
            ("age_min", "三岁"),
        ],
    )
    .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text();
    for line in [
        r##"<a href="#title">标题：此项为必填项</a>"##,
        r##"<a href="#age_min">适合年龄：年龄应为0至17的整数，不限可不填</a>"##,
    ] {
        assert!(html.contains(line), "summary line {line} missing");
    }
}
