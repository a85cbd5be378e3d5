//! Child files: drafting, completing, changing, visits, search and history.

use axum::http::StatusCode;
use carebridge::domain::Role;
use serde_json::json;

use crate::helpers::{TOWNSHIP_A, TOWNSHIP_B, TestApp, VILLAGE_A, child_body, id_number_for};

const VILLAGE_B: &str = "500235101201";

#[tokio::test]
async fn an_officer_opens_a_file_that_staff_see_masked_until_revealed() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let id_number = id_number_for("20150312", 7, false);
    let response = officer
        .post_json(
            "/api/v1/children",
            child_body("柏晓彤", &id_number, TOWNSHIP_A, VILLAGE_A),
        )
        .await;
    response.assert_status(StatusCode::CREATED);
    let body = response.json();
    assert_eq!(body["status"], "active");
    let file_no = body["file_no"].as_str().expect("file_no");
    assert!(file_no.starts_with("500235001-"), "{file_no}");
    let id = body["id"].as_str().expect("id");

    let mut officer = officer;
    let masked = officer.get(&format!("/api/v1/children/{id}")).await;
    masked.assert_status(StatusCode::OK);
    let file = masked.json();
    assert_eq!(file["identity"]["name"]["value"], "柏*");
    assert_eq!(file["identity"]["name"]["revealed"], false);
    assert_eq!(
        file["identity"]["id_number"]["value"],
        format!("5002**********{}", &id_number[14..])
    );
    assert_eq!(file["identity"]["guardian_phone"]["value"], "139****5678");
    assert_eq!(file["identity"]["birth_date"]["value"], "****-**-**");
    assert_eq!(file["age_band"], "6-11");
    assert_eq!(file["difficulty_class"], "poverty");
    assert!(!masked.text().contains("柏晓彤"));
    assert!(!masked.text().contains(&id_number));

    let revealed = officer
        .get(&format!("/api/v1/children/{id}?reveal=name,village"))
        .await;
    revealed.assert_status(StatusCode::OK);
    let file = revealed.json();
    assert_eq!(file["identity"]["name"]["value"], "柏晓彤");
    assert_eq!(file["identity"]["name"]["revealed"], true);
    assert_eq!(file["identity"]["village"]["value"], "红旗村");
    assert!(!revealed.text().contains(&id_number), "only what was asked");
    let everything = officer
        .get(&format!("/api/v1/children/{id}?reveal=all"))
        .await;
    assert_eq!(
        everything.json()["identity"]["id_number"]["value"],
        id_number
    );
    assert_eq!(
        everything.json()["identity"]["birth_date"]["value"],
        crate::helpers::birth_of(&id_number).1
    );
    officer
        .get(&format!("/api/v1/children/{id}?reveal=salary"))
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_supervisor_drafts_and_the_officer_completes() {
    let app = TestApp::spawn().await;
    let mut supervisor = app.login_as(Role::VillageSupervisor).await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let id = supervisor
        .create_child(child_body(
            "柏子轩",
            &id_number_for("20180101", 1, true),
            TOWNSHIP_A,
            VILLAGE_A,
        ))
        .await;
    let mut s = supervisor.clone();
    assert_eq!(
        s.get(&format!("/api/v1/children/{id}")).await.json()["status"],
        "draft"
    );
    supervisor
        .patch_json(
            &format!("/api/v1/children/{id}"),
            json!({"school": "青龙小学"}),
        )
        .await
        .assert_status(StatusCode::OK);
    supervisor
        .post_json(&format!("/api/v1/children/{id}/complete"), json!({}))
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let done = officer
        .post_json(&format!("/api/v1/children/{id}/complete"), json!({}))
        .await;
    done.assert_status(StatusCode::OK);
    assert_eq!(done.json()["status"], "active");
    officer
        .post_json(&format!("/api/v1/children/{id}/complete"), json!({}))
        .await
        .assert_status(StatusCode::CONFLICT);
    let late = supervisor
        .patch_json(
            &format!("/api/v1/children/{id}"),
            json!({"school": "双江小学"}),
        )
        .await;
    late.assert_status(StatusCode::CONFLICT);
}

#[tokio::test]
async fn one_file_per_child_across_townships() {
    let app = TestApp::spawn().await;
    let mut officer_a = app.login_as(Role::TownshipOfficer).await;
    let mut officer_b = app
        .login_staff(Role::TownshipOfficer, Some(TOWNSHIP_B), None)
        .await;
    let id_number = id_number_for("20140704", 3, true);
    officer_a
        .create_child(child_body("柏浩然", &id_number, TOWNSHIP_A, VILLAGE_A))
        .await;
    // The same number typed with spaces and a lower-case check letter is still the same child.
    let spaced = format!(
        "{} {} {}",
        &id_number[..6],
        &id_number[6..14],
        &id_number[14..]
    )
    .to_lowercase();
    let mut body = child_body("柏浩然", &id_number, TOWNSHIP_B, VILLAGE_B);
    body["id_number"] = json!(spaced);
    let again = officer_b.post_json("/api/v1/children", body).await;
    again.assert_status(StatusCode::CONFLICT);
    assert_eq!(again.json()["error"]["code"], "duplicate");
    assert_eq!(again.error_fields(), vec!["id_number"]);
    assert!(
        !again.text().contains("青龙") && !again.text().contains(TOWNSHIP_A),
        "where the file is stays untold"
    );
    let message = again.json()["error"]["details"][0]["message"]
        .as_str()
        .expect("message")
        .to_owned();
    assert!(message.contains("县民政局"), "says whom to ask: {message}");
    assert!(
        !message.contains(&format!("{TOWNSHIP_A}-")),
        "no file number"
    );

    // The attempt is audited for the county, naming the file probed.
    let probes = app.audit_entries("child.filed_elsewhere").await;
    assert_eq!(probes.len(), 1);
    assert_eq!(probes[0]["outcome"], "denied");
    assert!(
        probes[0]["target"]
            .as_str()
            .is_some_and(|t| t.starts_with("child:"))
    );
    let mut county = app.admin().await;
    let page = county.get("/audit").await;
    page.assert_status(StatusCode::OK);
    assert!(page.text().contains("跨辖区身份证号查询"));
    assert!(
        page.text().contains(&format!("{TOWNSHIP_A}-")),
        "the county sees which file"
    );

    // Staff who reach the file are told which one it is, and nothing is audited.
    let mine = officer_a
        .post_json(
            "/api/v1/children",
            child_body("柏浩然", &id_number, TOWNSHIP_A, VILLAGE_A),
        )
        .await;
    mine.assert_status(StatusCode::CONFLICT);
    assert!(
        mine.text().contains(&format!("{TOWNSHIP_A}-")),
        "{}",
        mine.text()
    );
    assert_eq!(app.audit_entries("child.filed_elsewhere").await.len(), 1);
}

#[tokio::test]
async fn invalid_files_name_each_field() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let mut body = child_body(
        "柏欣怡",
        &id_number_for("20150312", 9, false),
        TOWNSHIP_A,
        VILLAGE_A,
    );
    body["gender"] = json!("male");
    body["village"] = json!(VILLAGE_B);
    body["guardian_phone"] = json!("call me");
    body["difficulties"] = json!(["poverty", "disability"]);
    body["disability"] = json!({"type": "intellectual", "grade": 7});
    let response = officer.post_json("/api/v1/children", body).await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields = response.error_fields();
    fields.sort();
    assert_eq!(
        fields,
        vec!["disability_grade", "gender", "guardian_phone", "village"]
    );

    let adult = child_body(
        "柏成年",
        &id_number_for("20000101", 1, true),
        TOWNSHIP_A,
        VILLAGE_A,
    );
    let response = officer.post_json("/api/v1/children", adult).await;
    assert_eq!(response.error_fields(), vec!["id_number"]);

    // A statutory basis replaces consent only where the guardian cannot give it.
    let mut body = child_body(
        "柏雨桐",
        &id_number_for("20150312", 11, false),
        TOWNSHIP_A,
        VILLAGE_A,
    );
    body.as_object_mut().expect("object").remove("consent");
    body["statutory_basis"] = json!("未成年人保护法第九十二条");
    let response = officer.post_json("/api/v1/children", body.clone()).await;
    assert_eq!(response.error_fields(), vec!["statutory_basis"]);
    body["difficulties"] = json!(["orphan"]);
    body.as_object_mut().expect("object").remove("poverty_type");
    officer
        .post_json("/api/v1/children", body)
        .await
        .assert_status(StatusCode::CREATED);

    let outside = child_body(
        "柏外乡",
        &id_number_for("20150312", 13, false),
        TOWNSHIP_B,
        VILLAGE_B,
    );
    let response = officer.post_json("/api/v1/children", outside).await;
    assert_eq!(response.error_fields(), vec!["township"]);
}

#[tokio::test]
async fn visits_keep_the_latest_date_and_overdue_files_lead_the_list() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let visited = officer
        .create_child(child_body(
            "柏明辉",
            &id_number_for("20120101", 1, true),
            TOWNSHIP_A,
            VILLAGE_A,
        ))
        .await;
    let never = officer
        .create_child(child_body(
            "柏若曦",
            &id_number_for("20120101", 2, false),
            TOWNSHIP_A,
            VILLAGE_A,
        ))
        .await;
    let today = chrono::Local::now().date_naive();
    let recent = (today - chrono::Duration::days(3)).to_string();
    let older = (today - chrono::Duration::days(200)).to_string();
    for day in [&recent, &older] {
        officer
            .post_json(
                &format!("/api/v1/children/{visited}/visits"),
                json!({"visited_on": day, "summary": "入户走访，了解学习和生活情况。"}),
            )
            .await
            .assert_status(StatusCode::CREATED);
    }
    let future = (today + chrono::Duration::days(1)).to_string();
    let refused = officer
        .post_json(
            &format!("/api/v1/children/{visited}/visits"),
            json!({"visited_on": future, "summary": "未来"}),
        )
        .await;
    assert_eq!(refused.error_fields(), vec!["visited_on"]);

    let file = officer
        .get(&format!("/api/v1/children/{visited}"))
        .await
        .json();
    assert_eq!(
        file["last_visited_on"],
        recent.as_str(),
        "a late entry does not move it back"
    );
    assert_eq!(file["visit_overdue"], false);
    assert_eq!(file["visits"].as_array().expect("visits").len(), 2);

    let list = officer.get("/api/v1/children").await.json();
    assert_eq!(list["total"], 2);
    // Counted from the last visit or, never visited, from the opening: the
    // file visited three days ago waits longer than the one opened today,
    // which is not overdue for its first visit yet.
    assert_eq!(list["items"][0]["id"], visited.as_str());
    assert_eq!(list["items"][1]["id"], never.as_str());
    assert_eq!(list["items"][1]["visit_overdue"], false);
    assert_eq!(list["items"][1]["name"], "柏*");
}

#[tokio::test]
async fn history_names_changed_fields_never_their_values() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let id = officer
        .create_child(child_body(
            "柏诗雨",
            &id_number_for("20160606", 4, false),
            TOWNSHIP_A,
            VILLAGE_A,
        ))
        .await;
    officer
        .patch_json(
            &format!("/api/v1/children/{id}"),
            json!({"guardian_phone": "13698765432", "school": "红旗小学"}),
        )
        .await
        .assert_status(StatusCode::OK);
    let file = officer
        .get(&format!("/api/v1/children/{id}?reveal=guardian_phone"))
        .await;
    file.assert_status(StatusCode::OK);
    let body = file.json();
    assert_eq!(body["identity"]["guardian_phone"]["value"], "13698765432");
    assert_eq!(
        body["identity"]["name"]["value"], "柏*",
        "untouched fields kept"
    );
    let history = body["history"].as_array().expect("history");
    assert_eq!(history[0]["action"], "child.update");
    assert_eq!(history[0]["fields"], json!(["guardian_phone", "school"]));
    assert_eq!(history.last().expect("created")["action"], "child.create");
    assert!(
        !serde_json::to_string(history)
            .expect("json")
            .contains("13698765432")
    );
}

#[tokio::test]
async fn staff_search_by_name_id_number_or_file_number_within_scope() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let officer_b = app
        .login_staff(Role::TownshipOfficer, Some(TOWNSHIP_B), None)
        .await;
    let id_number = id_number_for("20130909", 5, true);
    let id = officer
        .create_child(child_body("柏家豪", &id_number, TOWNSHIP_A, VILLAGE_A))
        .await;
    officer
        .create_child(child_body(
            "柏紫萱",
            &id_number_for("20130909", 6, false),
            TOWNSHIP_A,
            VILLAGE_A,
        ))
        .await;
    let search = |client: &crate::helpers::TestClient, q: String| {
        let mut client = client.clone();
        async move {
            let response = client
                .post_json("/api/v1/children/search", json!({"q": q}))
                .await;
            response.assert_status(StatusCode::OK);
            response.json()
        }
    };
    let by_name = search(&officer, "家豪".into()).await;
    assert_eq!(by_name["total"], 1);
    assert_eq!(by_name["items"][0]["id"], id.as_str());
    assert_eq!(by_name["items"][0]["name"], "柏*");
    assert_eq!(search(&officer, "柏".into()).await["total"], 2);
    let spaced = format!("{} {}", &id_number[..10], &id_number[10..]);
    assert_eq!(
        search(&officer, spaced).await["items"][0]["id"],
        id.as_str()
    );
    let file_no = by_name["items"][0]["file_no"]
        .as_str()
        .expect("file_no")
        .to_owned();
    assert_eq!(search(&officer, file_no).await["total"], 1);
    assert_eq!(search(&officer_b, id_number.clone()).await["total"], 0);
    assert_eq!(search(&officer_b, "家豪".into()).await["total"], 0);
}

#[tokio::test]
async fn closing_a_file_closes_its_open_needs() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let id = officer
        .create_child(child_body(
            "柏天佑",
            &id_number_for("20110101", 8, true),
            TOWNSHIP_A,
            VILLAGE_A,
        ))
        .await;
    let (need_id, _) = officer.publish_need(&id).await;
    officer
        .post_json(
            &format!("/api/v1/children/{id}/close"),
            json!({"reason": ""}),
        )
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let closed = officer
        .post_json(
            &format!("/api/v1/children/{id}/close"),
            json!({"reason": "已迁出本县"}),
        )
        .await;
    closed.assert_status(StatusCode::OK);
    assert_eq!(closed.json()["status"], "closed");
    let need = officer
        .get(&format!("/api/v1/needs/{need_id}"))
        .await
        .json();
    assert_eq!(need["status"], "closed");
    officer
        .post_json(
            &format!("/api/v1/children/{id}/visits"),
            json!({"visited_on": "2026-01-05", "summary": "走访"}),
        )
        .await
        .assert_status(StatusCode::CONFLICT);
}

/// Recording a statutory basis instead of the guardian's consent is the
/// township officer's decision: a village supervisor is refused, on a new
/// draft and on a change of one, and the supervisor's form does not offer it.
#[tokio::test]
async fn a_village_supervisor_cannot_record_a_statutory_basis() {
    let app = TestApp::spawn().await;
    let mut supervisor = app.login_as(Role::VillageSupervisor).await;
    let mut orphan = child_body(
        "柏雨桐",
        &id_number_for("20150312", 21, false),
        TOWNSHIP_A,
        VILLAGE_A,
    );
    orphan.as_object_mut().expect("object").remove("consent");
    orphan
        .as_object_mut()
        .expect("object")
        .remove("poverty_type");
    orphan["difficulties"] = json!(["orphan"]);
    orphan["statutory_basis"] = json!("未成年人保护法第九十二条，民政部门临时监护");
    let refused = supervisor
        .post_json("/api/v1/children", orphan.clone())
        .await;
    refused.assert_status(StatusCode::FORBIDDEN);
    assert_eq!(refused.json()["error"]["code"], "forbidden");

    // A draft with the guardian's consent, then a change adding a basis.
    let draft = supervisor
        .create_child(child_body(
            "柏雨桐",
            &id_number_for("20150312", 22, false),
            TOWNSHIP_A,
            VILLAGE_A,
        ))
        .await;
    let change = supervisor
        .patch_json(
            &format!("/api/v1/children/{draft}"),
            json!({"statutory_basis": "未成年人保护法第九十二条", "consent": {"keep_file": false, "publish_needs": false}}),
        )
        .await;
    change.assert_status(StatusCode::FORBIDDEN);
    let file = supervisor.get(&format!("/api/v1/children/{draft}")).await;
    file.assert_status(StatusCode::OK);
    let file = file.json();
    assert!(
        file.as_object()
            .is_some_and(|f| f.contains_key("statutory_basis"))
    );
    assert!(file["statutory_basis"].is_null(), "{file}");

    let form = supervisor.get("/children/new").await;
    form.assert_status(StatusCode::OK);
    assert!(!form.text().contains("name=\"statutory_basis\""));

    // The township officer records it.
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    orphan["id_number"] = json!(id_number_for("20150312", 23, false));
    officer
        .post_json("/api/v1/children", orphan)
        .await
        .assert_status(StatusCode::CREATED);
    let form = officer.get("/children/new").await;
    assert!(form.text().contains("name=\"statutory_basis\""));
}
