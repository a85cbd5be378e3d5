//! The child-file and need pages: masked by default, revealed on an audited
//! POST, searched without a name in the URL, forms shown again with their
//! errors, findings marked, and providers seeing only the projection.

use axum::http::{StatusCode, header};
use carebridge::domain::Role;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TOWNSHIP_A, TOWNSHIP_B, TestApp, TestClient, VILLAGE_A};

const NAME: &str = "欧阳晓彤";
const GUARDIAN: &str = "欧阳建华";
const PHONE: &str = "13912345678";
const VILLAGE_A_NAME: &str = "红旗村";

/// A valid ID number of a girl born (on the tests' calendar) 2015-03-12 in
/// the county; `seq` (1–49) keeps numbers of one test apart.
fn id_number(seq: u32) -> String {
    crate::helpers::id_number_for("20150312", seq, false)
}

fn child_body(id_number: &str) -> Value {
    json!({
        "name": NAME,
        "id_number": id_number,
        "gender": "female",
        "township": TOWNSHIP_A,
        "village": VILLAGE_A,
        "guardian_name": GUARDIAN,
        "guardian_phone": PHONE,
        "address": "滨江路18号",
        "difficulties": ["poverty"],
        "poverty_type": "minimum_living",
        "consent": {"keep_file": true, "publish_needs": true},
    })
}

/// Creates a file through the JSON API; returns its id and file number.
async fn create_child(officer: &mut TestClient, id_number: &str) -> (String, String) {
    let response = officer
        .post_json("/api/v1/children", child_body(id_number))
        .await;
    response.assert_status(StatusCode::CREATED);
    let body = response.json();
    (
        body["id"].as_str().expect("id").to_owned(),
        body["file_no"].as_str().expect("file_no").to_owned(),
    )
}

fn location(response: &crate::helpers::TestResponse) -> String {
    response
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

#[tokio::test]
async fn the_file_page_is_masked_until_a_field_is_revealed() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let id = id_number(1);
    let (child, file_no) = create_child(&mut officer, &id).await;
    let path = format!("/children/{child}");

    let page = officer.get(&path).await;
    page.assert_status(StatusCode::OK);
    let html = page.text();
    assert!(html.contains(&file_no));
    assert!(html.contains("欧*"), "the masked name is shown");
    assert!(html.contains(&format!("{}**********{}", &id[..4], &id[14..])));
    for secret in [
        NAME,
        id.as_str(),
        GUARDIAN,
        PHONE,
        VILLAGE_A_NAME,
        "滨江路18号",
        crate::helpers::birth_of(&id).1.as_str(),
    ] {
        assert!(!html.contains(secret), "{secret} shown before any reveal");
    }

    let csrf = officer.page_csrf(&path).await;
    let revealed = officer
        .post_form(
            &format!("{path}/reveal"),
            &[("csrf_token", &csrf), ("field", "name")],
        )
        .await;
    revealed.assert_status(StatusCode::SEE_OTHER);
    let html = officer.get(&path).await.text();
    assert!(html.contains(NAME), "the revealed name is shown");
    assert!(html.contains("审计日志"), "the reveal says it was audited");
    assert!(!html.contains(&id), "only the asked field is revealed");

    let all = officer
        .post_form(
            &format!("{path}/reveal"),
            &[("csrf_token", &csrf), ("field", "all")],
        )
        .await;
    all.assert_status(StatusCode::SEE_OTHER);
    let html = officer.get(&path).await.text();
    for shown in [NAME, id.as_str(), GUARDIAN, PHONE, VILLAGE_A_NAME] {
        assert!(html.contains(shown), "{shown} missing after revealing all");
    }

    let audit = app
        .admin()
        .await
        .get("/api/v1/audit?limit=100")
        .await
        .text();
    assert!(
        audit.contains("child.reveal"),
        "the reveal is in the audit log"
    );
}

#[tokio::test]
async fn the_file_list_never_shows_a_full_name_and_flags_unvisited_files() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let (_, file_no) = create_child(&mut officer, &id_number(2)).await;
    let list = officer.get("/children").await;
    list.assert_status(StatusCode::OK);
    let html = list.text();
    assert!(html.contains(&file_no));
    assert!(html.contains("欧*"));
    assert!(!html.contains(NAME));
    assert!(html.contains("从未走访"));
    assert!(
        !html.contains("逾期未走访"),
        "a file made today is not overdue for its first visit"
    );
    assert!(html.contains("新建档案"));
}

#[tokio::test]
async fn only_a_file_past_its_visit_interval_is_flagged_overdue_and_leads_the_list() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let (new_child, new_no) = create_child(&mut officer, &id_number(12)).await;
    let (old_child, old_no) = create_child(&mut officer, &id_number(13)).await;
    let long_ago = (chrono::Local::now().date_naive() - chrono::Duration::days(120)).to_string();
    let path = format!("/children/{old_child}");
    let csrf = officer.page_csrf(&path).await;
    officer
        .post_form(
            &format!("{path}/visits"),
            &[
                ("csrf_token", &csrf),
                ("visited_on", &long_ago),
                ("summary", "补录四个月前的走访。"),
            ],
        )
        .await
        .assert_status(StatusCode::SEE_OTHER);

    let html = officer.get("/children").await.text();
    assert_eq!(
        html.matches("逾期未走访").count(),
        1,
        "only the old visit is overdue"
    );
    let (old_at, new_at) = (html.find(&old_no), html.find(&new_no));
    assert!(old_at < new_at, "the overdue file leads the list");
    assert!(officer.get(&path).await.text().contains("逾期未走访"));
    officer
        .get(&format!("/children/{new_child}"))
        .await
        .assert_ok_without(&["逾期未走访"]);
}

#[tokio::test]
async fn a_search_by_id_number_finds_the_file_without_putting_it_in_a_url() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let id = id_number(3);
    let (child, file_no) = create_child(&mut officer, &id).await;
    let (_, other) = create_child(&mut officer, &id_number(4)).await;
    let csrf = officer.page_csrf("/children").await;
    let found = officer
        .post_form("/children/search", &[("csrf_token", &csrf), ("q", &id)])
        .await;
    found.assert_status(StatusCode::OK);
    let html = found.text();
    assert!(html.contains(&file_no));
    assert!(html.contains(&format!("/children/{child}")));
    assert!(!html.contains(&other), "only the matching file is listed");
    assert!(!html.contains(NAME));
    assert!(
        !html.contains(&format!("q={id}")),
        "the ID number is in no link"
    );
}

/// `db::children::list` with no limit emits `OFFSET 0` without `LIMIT`,
/// which SQLite refuses: searching by name and a supervisor's need list
/// answer 500 until the query is fixed (outside the pages' reach).
#[tokio::test]
async fn a_search_by_part_of_a_name_and_a_supervisors_need_list_work() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let (_, file_no) = create_child(&mut officer, &id_number(11)).await;
    let csrf = officer.page_csrf("/children").await;
    let by_name = officer
        .post_form("/children/search", &[("csrf_token", &csrf), ("q", "晓彤")])
        .await;
    by_name.assert_status(StatusCode::OK);
    assert!(by_name.text().contains(&file_no));
    assert!(!by_name.text().contains(NAME));
    let mut supervisor = app.login_as(Role::VillageSupervisor).await;
    supervisor.get("/needs").await.assert_status(StatusCode::OK);
}

#[tokio::test]
async fn the_file_form_comes_back_with_each_error_beside_its_field() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let form = officer.get("/children/new").await;
    form.assert_status(StatusCode::OK);
    assert!(form.text().contains("选择“自身残疾”时填写"));
    let csrf = officer.page_csrf("/children/new").await;
    let refused = officer
        .post_form(
            "/children",
            &[
                ("csrf_token", &csrf),
                ("name", ""),
                ("id_number", "5002352015"),
                ("gender", "female"),
                ("township", TOWNSHIP_A),
                ("village", VILLAGE_A),
                ("school", "青龙街道中心小学"),
                ("difficulties", "disability"),
            ],
        )
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text();
    assert!(html.contains("请填写姓名"));
    assert!(html.contains("自身残疾须选择残疾类别"));
    assert!(html.contains("建档须有监护人同意保存档案"));
    assert!(html.contains("青龙街道中心小学"), "typed values are kept");
    // Each error sits beside its field, not only in the summary.
    assert_eq!(refused.field_error("name").as_deref(), Some("请填写姓名"));
    assert_eq!(
        refused.field_error("id_number").as_deref(),
        Some("身份证号码应为18位"),
        "the ID error is beside its field"
    );
}

#[tokio::test]
async fn a_file_made_with_the_form_opens_and_a_duplicate_is_refused_beside_the_id() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let id = id_number(5);
    let csrf = officer.page_csrf("/children/new").await;
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("name", NAME),
        ("id_number", id.as_str()),
        ("gender", "female"),
        ("township", TOWNSHIP_A),
        ("village", VILLAGE_A),
        ("difficulties", "poverty"),
        ("poverty_type", "minimum_living"),
        ("consent", "keep_file"),
        ("consent", "publish_needs"),
    ];
    let created = officer.post_form("/children", &fields).await;
    created.assert_status(StatusCode::SEE_OTHER);
    let target = location(&created);
    assert!(target.starts_with("/children/"));
    assert!(!target.contains(&id));
    let page = officer.get(&target).await;
    page.assert_status(StatusCode::OK);
    assert!(page.text().contains("已建档"), "the flash says so");

    let again = officer.post_form("/children", &fields).await;
    assert!(again.status.is_client_error());
    let html = again.text();
    let id_field = html.find("for=\"id_number\"").expect("id field");
    let next = html[id_field..]
        .find("class=\"field")
        .map_or(html.len(), |i| id_field + i);
    assert!(html[id_field..next].contains("已有档案"));
}

#[tokio::test]
async fn a_visit_is_recorded_from_the_file_page() {
    let app = TestApp::spawn().await;
    let mut supervisor = app.login_as(Role::VillageSupervisor).await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let (child, _) = create_child(&mut officer, &id_number(6)).await;
    let path = format!("/children/{child}");
    let csrf = supervisor.page_csrf(&path).await;
    let bad = supervisor
        .post_form(
            &format!("{path}/visits"),
            &[
                ("csrf_token", &csrf),
                ("visited_on", "昨天"),
                ("summary", ""),
            ],
        )
        .await;
    bad.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().contains("请按“年/月/日”填写走访日期"));
    let today = chrono::Local::now().date_naive().to_string();
    let ok = supervisor
        .post_form(
            &format!("{path}/visits"),
            &[
                ("csrf_token", &csrf),
                ("visited_on", &today),
                ("summary", "孩子在校表现良好，祖母身体欠佳。"),
            ],
        )
        .await;
    ok.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(location(&ok), path);
    let page = supervisor.get(&path).await;
    page.assert_ok_without(&["逾期未走访"]);
    assert!(page.text().contains("祖母身体欠佳"));
}

#[tokio::test]
async fn a_need_with_a_phone_number_comes_back_with_the_finding_marked() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let (child, _) = create_child(&mut officer, &id_number(7)).await;
    let new = format!("/needs/new?child={child}");
    officer.get(&new).await.assert_status(StatusCode::OK);
    let csrf = officer.page_csrf(&new).await;
    let description = "需要每周两次课后辅导，请联系 13800138000 预约。";
    let refused = officer
        .post_form(
            "/needs",
            &[
                ("csrf_token", &csrf),
                ("child_id", &child),
                ("category", "tutoring"),
                ("title", "需要课后作业辅导"),
                ("description", description),
                ("quantity", ""),
                ("urgency", "normal"),
            ],
        )
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text();
    let mark = html.find("<mark").expect("a finding is marked");
    assert!(html[mark..].contains("13800138000"));
    assert!(html.contains("电话号码"));
    assert!(html.contains("请删除电话号码"), "the advice is shown");
    assert!(html.contains("需要课后作业辅导"), "the texts are kept");

    let fixed = officer
        .post_form(
            "/needs",
            &[
                ("csrf_token", &csrf),
                ("child_id", &child),
                ("category", "tutoring"),
                ("title", "需要课后作业辅导"),
                ("description", "需要每周两次课后辅导。"),
                ("quantity", "1"),
                ("urgency", "normal"),
            ],
        )
        .await;
    fixed.assert_status(StatusCode::SEE_OTHER);
    let target = location(&fixed);
    assert!(target.starts_with("/needs/"));
    let page = officer.get(&target).await;
    page.assert_status(StatusCode::OK);
    assert!(page.text().contains("发布需求"));
}

#[tokio::test]
async fn a_verified_provider_sees_only_the_projection_of_a_published_need() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let id = id_number(8);
    let (child, _) = create_child(&mut officer, &id).await;
    let need = officer
        .post_json(
            "/api/v1/needs",
            json!({
                "child_id": child,
                "category": "donation_goods",
                "title": "冬季衣物和学习用品",
                "description": "需要冬季棉衣一件、书包一个。",
                "quantity": 2,
                "urgency": "urgent",
            }),
        )
        .await;
    need.assert_status(StatusCode::CREATED);
    let need_id = need.json()["id"].as_str().expect("id").to_owned();
    let code = need.json()["code"].as_str().expect("code").to_owned();
    let csrf = officer.page_csrf(&format!("/needs/{need_id}")).await;
    let published = officer
        .post_form(
            &format!("/needs/{need_id}/publish"),
            &[("csrf_token", &csrf)],
        )
        .await;
    published.assert_status(StatusCode::SEE_OTHER);
    assert!(
        officer
            .get(&format!("/needs/{need_id}"))
            .await
            .text()
            .contains("需求已发布")
    );

    let mut admin = app.admin().await;
    let (provider_id, username) = app.register_provider().await;
    admin
        .post_json(
            &format!("/api/v1/providers/{provider_id}/decision"),
            json!({"decision": "verify"}),
        )
        .await
        .assert_status(StatusCode::OK);
    let mut provider = app.client();
    provider
        .login(&username, PASSWORD)
        .await
        .assert_status(StatusCode::OK);

    let page = provider.get(&format!("/needs/{code}")).await;
    page.assert_status(StatusCode::OK);
    let html = page.text();
    assert!(html.contains("冬季衣物和学习用品"));
    assert!(html.contains("2 件"), "quantity with its unit");
    assert!(
        html.contains("云阳县（县域）"),
        "one child is below k: county only"
    );
    for secret in [
        NAME,
        "欧*",
        id.as_str(),
        VILLAGE_A_NAME,
        PHONE,
        GUARDIAN,
        child.as_str(),
    ] {
        assert!(!html.contains(secret), "{secret} shown to a provider");
    }
    app.index_now().await;
    let list = provider.get("/needs").await;
    list.assert_status(StatusCode::OK);
    assert!(list.text().contains(&format!("/needs/{code}")));
    provider
        .get(&format!("/needs/{need_id}"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    provider
        .get(&format!("/children/{child}"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_officer_of_another_township_gets_404_for_a_file_page() {
    let app = TestApp::spawn().await;
    let mut officer_a = app.login_as(Role::TownshipOfficer).await;
    let (child, _) = create_child(&mut officer_a, &id_number(9)).await;
    let mut officer_b = app
        .login_staff(Role::TownshipOfficer, Some(TOWNSHIP_B), None)
        .await;
    officer_b
        .get(&format!("/children/{child}"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    officer_b
        .get(&format!("/children/{child}/edit"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let csrf = officer_b.page_csrf("/children").await;
    officer_b
        .post_form(
            &format!("/children/{child}/reveal"),
            &[("csrf_token", &csrf), ("field", "all")],
        )
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let list = officer_b.get("/children").await;
    list.assert_status(StatusCode::OK);
    assert!(!list.text().contains(&child));
}

#[tokio::test]
async fn the_edit_form_shows_personal_fields_empty_and_keeps_them_when_left_empty() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let id = id_number(10);
    let (child, _) = create_child(&mut officer, &id).await;
    let path = format!("/children/{child}/edit");
    let form = officer.get(&path).await;
    form.assert_status(StatusCode::OK);
    let html = form.text();
    assert!(html.contains("留空则保持不变"));
    assert!(!html.contains(NAME) && !html.contains(&id) && !html.contains(PHONE));
    let csrf = officer.page_csrf(&path).await;
    let saved = officer
        .post_form(
            &path,
            &[
                ("csrf_token", &csrf),
                ("name", ""),
                ("id_number", ""),
                ("gender", "female"),
                ("township", TOWNSHIP_A),
                ("village", ""),
                ("school", "青龙街道中心小学"),
                ("difficulties", "poverty"),
                ("poverty_type", "minimum_living"),
                ("consent", "keep_file"),
                ("consent", "publish_needs"),
            ],
        )
        .await;
    saved.assert_status(StatusCode::SEE_OTHER);
    let file = officer
        .get(&format!("/api/v1/children/{child}?reveal=name,id_number"))
        .await
        .json();
    assert_eq!(file["identity"]["name"]["value"], NAME);
    assert_eq!(file["identity"]["id_number"]["value"], id.as_str());
    assert_eq!(file["school"], "青龙街道中心小学");
}

#[tokio::test]
async fn a_reveal_redirects_to_the_file_and_a_reload_neither_reveals_nor_audits_again() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let (child, _) = create_child(&mut officer, &id_number(11)).await;
    let path = format!("/children/{child}");
    let csrf = officer.page_csrf(&path).await;

    let posted = officer
        .post_form(
            &format!("{path}/reveal"),
            &[("csrf_token", &csrf), ("field", "name")],
        )
        .await;
    posted.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(location(&posted), path, "the reveal redirects to the file");

    let shown = officer.get(&path).await;
    shown.assert_status(StatusCode::OK);
    let html = shown.text();
    assert!(html.contains(NAME), "the redirected view shows the field");
    assert!(
        html.contains("审计日志"),
        "the view says the reveal was audited"
    );

    let reloaded = officer.get(&path).await;
    reloaded.assert_status(StatusCode::OK);
    assert!(
        !reloaded.text().contains(NAME),
        "a reload shows the file masked again"
    );
    let reveals = app.audit_entries("child.reveal").await;
    assert_eq!(
        reveals.len(),
        1,
        "one POST, one audited reveal: {reveals:?}"
    );
}

#[tokio::test]
async fn pages_show_days_in_chinese_and_date_inputs_say_their_format() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let (child, _) = create_child(&mut officer, &id_number(14)).await;
    let path = format!("/children/{child}");
    let form = officer.get(&path).await.text();
    assert!(
        form.contains("格式：年/月/日，如 2026/11/28"),
        "the visit date's hint"
    );
    let csrf = officer.page_csrf(&path).await;
    // Typed as the browser shows it.
    officer
        .post_form(
            &format!("{path}/visits"),
            &[
                ("csrf_token", &csrf),
                ("visited_on", "2026/3/7"),
                ("summary", "入户走访，了解学习和生活情况。"),
            ],
        )
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let html = officer.get(&path).await.text();
    assert!(html.contains("2026年3月7日"), "the visit's day in Chinese");
    assert!(!html.contains("2026-03-07"));
    let list = officer.get("/children").await.text();
    assert!(
        list.contains("2026年3月7日"),
        "the list shows the same day the same way"
    );
}

#[tokio::test]
async fn a_need_form_with_a_quantity_that_is_no_number_shows_every_other_error_too() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let (child, _) = create_child(&mut officer, &id_number(15)).await;
    let new = format!("/needs/new?child={child}");
    let csrf = officer.page_csrf(&new).await;
    let refused = officer
        .post_form(
            "/needs",
            &[
                ("csrf_token", &csrf),
                ("child_id", &child),
                ("category", "tutoring"),
                ("title", ""),
                ("description", ""),
                ("quantity", "两个"),
                ("urgency", "normal"),
            ],
        )
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text();
    for line in [
        r##"<a href="#title">标题：此项为必填项</a>"##,
        r##"<a href="#description">描述：此项为必填项</a>"##,
        r##"<a href="#quantity">数量：数量应为整数，不限可不填</a>"##,
    ] {
        assert!(html.contains(line), "summary line {line} missing");
    }
}
