//! Needs: writing, the text check, publishing with consent, the public
//! projection and the k-anonymity rule.

use axum::http::StatusCode;
use carebridge::domain::Role;
use serde_json::{Value, json};

use crate::helpers::{
    TOWNSHIP_A, TestApp, TestClient, VILLAGE_A, birth_today, child_body, id_number_for, need_body,
};

fn finding_kinds(response: &Value) -> Vec<(String, String)> {
    let mut kinds: Vec<(String, String)> = response["error"]["details"]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["field"].as_str().expect("field").to_owned(),
                f["kind"].as_str().expect("kind").to_owned(),
            )
        })
        .collect();
    kinds.sort();
    kinds
}

async fn officer_with_child(app: &TestApp) -> (TestClient, String) {
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let id = officer
        .create_child(child_body(
            "柏晓彤",
            &id_number_for("20150312", 21, false),
            TOWNSHIP_A,
            VILLAGE_A,
        ))
        .await;
    (officer, id)
}

#[tokio::test]
async fn a_need_is_drafted_published_and_seen_as_its_projection() {
    let app = TestApp::spawn().await;
    let (mut officer, child) = officer_with_child(&app).await;
    let created = officer.post_json("/api/v1/needs", need_body(&child)).await;
    created.assert_status(StatusCode::CREATED);
    let body = created.json();
    assert_eq!(body["status"], "draft");
    let code = body["code"].as_str().expect("code").to_owned();
    assert!(code.starts_with("XQ") && code.len() == 12, "{code}");
    assert_eq!(body["public"]["age_band"], "6-11");
    assert_eq!(body["public"]["difficulty_class"], "poverty");
    let id = body["id"].as_str().expect("id").to_owned();

    let mut provider = app.verified_provider().await;
    provider
        .get(&format!("/api/v1/needs/{code}"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let published = officer
        .post_json(&format!("/api/v1/needs/{id}/publish"), json!({}))
        .await;
    published.assert_status(StatusCode::OK);
    assert_eq!(published.json()["status"], "published");
    officer
        .post_json(&format!("/api/v1/needs/{id}/publish"), json!({}))
        .await
        .assert_status(StatusCode::CONFLICT);
    let seen = provider.get(&format!("/api/v1/needs/{code}")).await;
    seen.assert_status(StatusCode::OK);
    let projection = seen.json();
    let keys: Vec<&String> = projection.as_object().expect("object").keys().collect();
    assert_eq!(
        keys,
        vec![
            "age_band",
            "category",
            "code",
            "description",
            "difficulty_class",
            "quantity",
            "status",
            "title",
            "township",
            "urgency"
        ]
    );
    // A provider may not ask by the internal id.
    provider
        .get(&format!("/api/v1/needs/{id}"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    officer
        .patch_json(&format!("/api/v1/needs/{id}"), need_body(&child))
        .await
        .assert_status(StatusCode::CONFLICT);
}

#[tokio::test]
async fn need_text_with_personal_information_is_refused_with_each_finding() {
    let app = TestApp::spawn().await;
    let (mut officer, child) = officer_with_child(&app).await;
    let file = officer
        .clone()
        .get(&format!("/api/v1/children/{child}?reveal=id_number"))
        .await
        .json();
    let id_number = file["identity"]["id_number"]["value"]
        .as_str()
        .expect("id")
        .to_owned();
    let spaced_id = format!(
        "{} {} {}",
        &id_number[..6],
        &id_number[6..14],
        &id_number[14..]
    );
    let mut body = need_body(&child);
    body["title"] = json!("柏 晓 彤的课业辅导");
    body["description"] = json!(format!(
        "身份证{spaced_id}，监护人柏建华，电话139-1234-5678，家在红旗村，常去人民路5号。"
    ));
    let response = officer.post_json("/api/v1/needs", body).await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let json = response.json();
    assert_eq!(json["error"]["code"], "personal_information");
    let kinds = finding_kinds(&json);
    for expected in [
        ("description", "id_number"),
        ("description", "name"),
        ("description", "phone"),
        ("description", "village"),
        ("description", "address"),
        ("title", "name"),
    ] {
        assert!(
            kinds.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} in {kinds:?}"
        );
    }
    // The error names places, never repeats what it found.
    assert!(!response.text().contains(&id_number[6..14]));
    assert!(!response.text().contains("1234-5678"));
    let first = &json["error"]["details"]["findings"][0];
    assert!(first["start"].as_u64().is_some() && first["end"].as_u64().is_some());

    let mut ordinary = need_body(&child);
    ordinary["description"] =
        json!("2026年12月起每周2次，每次16:30-18:00，费用约1,200.50元，需50本图书。");
    officer
        .post_json("/api/v1/needs", ordinary)
        .await
        .assert_status(StatusCode::CREATED);
}

/// A date in Chinese numerals: 二〇一五年三月十二日.
fn in_chinese_numerals(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let digit = |d: u32| DIGITS[d as usize];
    let small = |n: u32| match n {
        0..=9 => digit(n).to_string(),
        10..=19 => format!(
            "十{}",
            if n == 10 {
                String::new()
            } else {
                digit(n % 10).to_string()
            }
        ),
        _ if n.is_multiple_of(10) => format!("{}十", digit(n / 10)),
        _ => format!("{}十{}", digit(n / 10), digit(n % 10)),
    };
    let year: String = date
        .year()
        .to_string()
        .chars()
        .filter_map(|c| c.to_digit(10))
        .map(digit)
        .collect();
    format!("{year}年{}月{}日", small(date.month()), small(date.day()))
}

#[tokio::test]
async fn need_text_with_birth_date_in_chinese_numerals_or_name_in_pinyin_is_refused() {
    let app = TestApp::spawn().await;
    let (mut officer, child) = officer_with_child(&app).await;
    let born = in_chinese_numerals(birth_today("20150312"));
    for (description, kind) in [
        (format!("孩子{born}出生，希望每周辅导两次。"), "birth_date"),
        ("为 Bai Xiaotong 同学提供数学辅导。".to_owned(), "name"),
    ] {
        let mut body = need_body(&child);
        body["description"] = json!(description);
        let response = officer.post_json("/api/v1/needs", body).await;
        response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            finding_kinds(&response.json()),
            [("description".to_owned(), kind.to_owned())],
            "{description}"
        );
    }
}

#[tokio::test]
async fn publishing_needs_the_guardians_consent_or_a_statutory_basis() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let mut body = child_body(
        "柏俊杰",
        &id_number_for("20120202", 31, true),
        TOWNSHIP_A,
        VILLAGE_A,
    );
    body["consent"] = json!({"keep_file": true, "publish_needs": false});
    let child = officer.create_child(body).await;
    let need = officer
        .post_json("/api/v1/needs", need_body(&child))
        .await
        .json();
    let id = need["id"].as_str().expect("id");
    let refused = officer
        .post_json(&format!("/api/v1/needs/{id}/publish"), json!({}))
        .await;
    refused.assert_status(StatusCode::CONFLICT);
    assert!(
        refused.json()["error"]["message"]
            .as_str()
            .expect("message")
            .contains("监护人未同意")
    );
    officer
        .patch_json(
            &format!("/api/v1/children/{child}"),
            json!({"consent": {"keep_file": true, "publish_needs": true}}),
        )
        .await
        .assert_status(StatusCode::OK);
    officer
        .post_json(&format!("/api/v1/needs/{id}/publish"), json!({}))
        .await
        .assert_status(StatusCode::OK);
    let consent = app.audit_entries("child.update").await;
    assert!(
        consent[0]["detail"]
            .as_str()
            .expect("detail")
            .contains("consent")
    );

    // An orphan's file rests on the statutory basis recorded by the officer.
    let mut orphan = child_body(
        "柏佳怡",
        &id_number_for("20120202", 32, false),
        TOWNSHIP_A,
        VILLAGE_A,
    );
    orphan.as_object_mut().expect("object").remove("consent");
    orphan["difficulties"] = json!(["orphan"]);
    orphan["statutory_basis"] = json!("未成年人保护法第九十二条，民政部门临时监护");
    let orphan = officer.create_child(orphan).await;
    officer.publish_need(&orphan).await;
    let published = app.audit_entries("need.publish").await;
    assert!(
        published[0]["detail"]
            .as_str()
            .expect("detail")
            .contains("statutory")
    );
}

#[tokio::test]
async fn drafts_of_files_and_supervisors_cannot_publish() {
    let app = TestApp::spawn().await;
    let mut supervisor = app.login_as(Role::VillageSupervisor).await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let child = supervisor
        .create_child(child_body(
            "柏博文",
            &id_number_for("20100505", 41, true),
            TOWNSHIP_A,
            VILLAGE_A,
        ))
        .await;
    let need = supervisor
        .post_json("/api/v1/needs", need_body(&child))
        .await;
    need.assert_status(StatusCode::CREATED);
    let id = need.json()["id"].as_str().expect("id").to_owned();
    supervisor
        .post_json(&format!("/api/v1/needs/{id}/publish"), json!({}))
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let refused = officer
        .post_json(&format!("/api/v1/needs/{id}/publish"), json!({}))
        .await;
    refused.assert_status(StatusCode::CONFLICT);
    assert!(
        refused.json()["error"]["message"]
            .as_str()
            .expect("message")
            .contains("草稿")
    );
}

#[tokio::test]
async fn only_verified_providers_approved_families_and_staff_see_projections() {
    let app = TestApp::spawn().await;
    let (mut officer, child) = officer_with_child(&app).await;
    let (_, code) = officer.publish_need(&child).await;
    let path = format!("/api/v1/needs/{code}");
    app.client()
        .get(&path)
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    let (_, pending) = app.register_provider().await;
    let mut pending_client = app.client();
    pending_client
        .login(&pending, crate::helpers::PASSWORD)
        .await;
    pending_client
        .get(&path)
        .await
        .assert_status(StatusCode::FORBIDDEN);
    pending_client
        .get("/api/v1/needs")
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let (_, applicant) = app.apply_family(TOWNSHIP_A).await;
    let mut applicant_client = app.client();
    applicant_client
        .login(&applicant, crate::helpers::PASSWORD)
        .await;
    applicant_client
        .get(&path)
        .await
        .assert_status(StatusCode::FORBIDDEN);
    app.approved_family(TOWNSHIP_A)
        .await
        .get(&path)
        .await
        .assert_status(StatusCode::OK);
    app.verified_provider()
        .await
        .get(&path)
        .await
        .assert_status(StatusCode::OK);
    let mut other_officer = app
        .login_staff(
            Role::TownshipOfficer,
            Some(crate::helpers::TOWNSHIP_B),
            None,
        )
        .await;
    other_officer.get(&path).await.assert_status(StatusCode::OK);
    app.client()
        .clone()
        .get("/api/v1/needs/XQ0000000000")
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
}

/// The township `client` is shown on the need at `path` (200 expected):
/// `Null` when the need is shown at county level.
async fn shown_township(client: &mut TestClient, path: &str) -> Value {
    let response = client.get(path).await;
    response.assert_status(StatusCode::OK);
    response.json()["township"].clone()
}

/// Files `n` poor children of township A born in 2015 (band 6–11).
async fn file_children(officer: &mut TestClient, n: u32, first_seq: u32) -> Vec<String> {
    let mut ids = Vec::new();
    for seq in first_seq..first_seq + n {
        ids.push(
            officer
                .create_child(child_body(
                    &format!(
                        "柏{}",
                        ["一", "二", "三", "四", "五", "六"][(seq % 6) as usize]
                    ),
                    &id_number_for("20150601", seq, seq % 2 == 1),
                    TOWNSHIP_A,
                    VILLAGE_A,
                ))
                .await,
        );
    }
    ids
}

#[tokio::test]
async fn the_township_shows_only_when_k_children_share_band_and_class() {
    let app = TestApp::spawn_with(|s| s.k_anonymity = 3).await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let children = file_children(&mut officer, 2, 100).await;
    let (_, code) = officer.publish_need(&children[0]).await;
    let mut provider = app.verified_provider().await;
    app.index_now().await;
    let path = format!("/api/v1/needs/{code}");
    assert_eq!(shown_township(&mut provider, &path).await, Value::Null);
    let filtered = provider
        .get(&format!("/api/v1/needs?township={TOWNSHIP_A}"))
        .await;
    assert_eq!(
        filtered.json()["total"],
        0,
        "filtering must not place a generalized need"
    );

    // A disabled child of the same age is another class: still under k.
    let mut other = child_body(
        "柏七",
        &id_number_for("20150601", 150, true),
        TOWNSHIP_A,
        VILLAGE_A,
    );
    other["difficulties"] = json!(["disability"]);
    other["disability"] = json!({"type": "physical", "grade": 2});
    officer.create_child(other).await;
    assert_eq!(shown_township(&mut provider, &path).await, Value::Null);

    let third = file_children(&mut officer, 1, 102).await;
    assert_eq!(shown_township(&mut provider, &path).await, TOWNSHIP_A);
    // The list finds needs through the search index, which the server's
    // indexer keeps in step within a fraction of a second.
    app.index_now().await;
    assert_eq!(
        provider
            .get(&format!("/api/v1/needs?township={TOWNSHIP_A}"))
            .await
            .json()["total"],
        1
    );

    // The population is read at the moment of the read: a file that changes
    // class or closes takes the township away again at once.
    officer
        .post_json(
            &format!("/api/v1/children/{}/close", third[0]),
            json!({"reason": "已迁出"}),
        )
        .await
        .assert_status(StatusCode::OK);
    assert_eq!(shown_township(&mut provider, &path).await, Value::Null);
    // Before the indexer has run, the index still files the need under the
    // township: the list checks the projection of the moment and leaves it out.
    let stale = provider
        .get(&format!("/api/v1/needs?township={TOWNSHIP_A}"))
        .await
        .json();
    assert_eq!(stale["items"], json!([]), "{stale}");
    app.index_now().await;
    let fresh = provider
        .get(&format!("/api/v1/needs?township={TOWNSHIP_A}"))
        .await
        .json();
    assert_eq!(fresh["total"], 0);
}

/// The counts behind the k rule hold for a day or two: a file whose count
/// was not refreshed in time counts nowhere (the township is hidden, never
/// shown under k), and the daily refresh (also run at start) counts it
/// again.
#[tokio::test]
async fn counts_not_refreshed_in_time_hide_the_township_until_the_daily_refresh() {
    use sea_orm::ConnectionTrait;
    let app = TestApp::spawn_with(|s| s.k_anonymity = 3).await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let children = file_children(&mut officer, 3, 200).await;
    let (_, code) = officer.publish_need(&children[0]).await;
    let mut provider = app.verified_provider().await;
    let path = format!("/api/v1/needs/{code}");
    assert_eq!(shown_township(&mut provider, &path).await, TOWNSHIP_A);

    let yesterday = chrono::Local::now().date_naive() - chrono::Duration::days(1);
    app.db
        .execute_unprepared(&format!(
            "UPDATE children SET counted_until = '{yesterday}'"
        ))
        .await
        .expect("let the counts expire");
    // Written behind the portal's back: count it, as every write does.
    crate::allocation::count_change(&app).await;
    assert_eq!(shown_township(&mut provider, &path).await, Value::Null);

    let refreshed = carebridge::services::files::population::refresh(
        app.prepared.store(),
        chrono::Local::now().date_naive(),
    )
    .await
    .expect("refresh");
    assert!(refreshed >= 3, "{refreshed}");
    assert_eq!(shown_township(&mut provider, &path).await, TOWNSHIP_A);
}

/// The total of a staff list is kept between requests while no need
/// changes: a need drafted, or one closed by another officer's colleague,
/// shows in the very next total, on the page and in the API.
#[tokio::test]
async fn a_kept_list_total_follows_every_change_to_the_needs() {
    let app = TestApp::spawn().await;
    let (mut officer, child) = officer_with_child(&app).await;
    let mut colleague = app.login_as(Role::TownshipOfficer).await;
    let total = |v: Value| v["total"].as_u64().expect("total");
    let (first, _) = officer.publish_need(&child).await;
    assert_eq!(total(officer.get("/api/v1/needs").await.json()), 1);
    // Asked again, from the kept total.
    assert_eq!(total(officer.get("/api/v1/needs").await.json()), 1);
    officer.publish_need(&child).await;
    assert_eq!(total(colleague.get("/api/v1/needs").await.json()), 2);
    assert_eq!(
        total(colleague.get("/api/v1/needs?status=published").await.json()),
        2
    );
    officer
        .post_json(
            &format!("/api/v1/needs/{first}/close"),
            json!({"reason": "已由家庭自行解决"}),
        )
        .await
        .assert_status(StatusCode::OK);
    assert_eq!(
        total(colleague.get("/api/v1/needs?status=published").await.json()),
        1
    );
    assert_eq!(total(colleague.get("/api/v1/needs").await.json()), 2);
}
