//! What a match lets through to the offer's owner: the handover note only
//! once approved and never with what identifies the child, officers' texts
//! checked the same way, and no answer to the provider holding the child's
//! name or ID number.

use axum::http::StatusCode;
use carebridge::domain::Role;
use serde_json::json;

use crate::helpers::{TOWNSHIP_A, TestApp, TestResponse, offer_body};
use crate::match_helpers::{
    CHILD_NAME, GUARDIAN_PHONE, Scene, act, approve, child_with_need, family_caring_for, get_match,
};

#[tokio::test]
async fn a_handover_note_that_identifies_the_child_is_refused() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 10).await;
    let id = scene.approved().await;
    for (note, kind) in [
        (format!("请联系{CHILD_NAME}的奶奶"), "name"),
        (format!("身份证号{}", scene.id_number), "id_number"),
        (format!("监护人电话{GUARDIAN_PHONE}"), "phone"),
        ("每周二到红旗村村委会接孩子".to_owned(), "village"),
    ] {
        let response = act(
            &mut scene.officer,
            &id,
            "handover",
            json!({"handover_note": note}),
        )
        .await;
        response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let body = response.json();
        assert_eq!(body["error"]["code"], "personal_information", "{note}");
        let findings = body["error"]["details"]["findings"]
            .as_array()
            .expect("findings");
        assert!(
            findings
                .iter()
                .any(|f| f["field"] == "handover_note" && f["kind"] == kind),
            "{note}: {body}"
        );
        // The answer never repeats what it found.
        assert!(!response.text().contains(CHILD_NAME));
        assert!(!response.text().contains(&scene.id_number));
    }
    // Refused at approval too, and on the PUT.
    let mut officer = scene.officer.clone();
    let put = officer
        .send_json(
            axum::http::Method::PUT,
            &format!("/api/v1/matches/{id}/handover"),
            json!({"handover_note": format!("{CHILD_NAME}放学后")}),
        )
        .await;
    put.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let fine = "请于周二下午到青龙街道民政办与社工王老师交接，之后每周二、四下午服务。";
    let saved = officer
        .send_json(
            axum::http::Method::PUT,
            &format!("/api/v1/matches/{id}/handover"),
            json!({"handover_note": fine}),
        )
        .await;
    saved.assert_status(StatusCode::OK);
    assert_eq!(
        get_match(&mut scene.provider, &id).await["handover_note"],
        fine
    );
    assert_eq!(app.audit_entries("match.handover").await.len(), 1);
    // The owner does not write it.
    act(
        &mut scene.provider,
        &id,
        "handover",
        json!({"handover_note": fine}),
    )
    .await
    .assert_status(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn officers_texts_that_the_owner_reads_are_checked_too() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 10).await;
    let id = scene.proposal().await;
    let reject = act(
        &mut scene.officer,
        &id,
        "reject",
        json!({"reason": format!("{CHILD_NAME}已有人辅导")}),
    )
    .await;
    reject.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reject.json()["error"]["code"], "personal_information");
    let approve_note = act(
        &mut scene.officer,
        &id,
        "approve",
        json!({"handover_note": format!("联系电话 {GUARDIAN_PHONE}")}),
    )
    .await;
    approve_note.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    // Nothing moved.
    assert_eq!(
        get_match(&mut scene.officer, &id).await["status"],
        "proposed"
    );
}

#[tokio::test]
async fn the_owner_sees_the_handover_note_only_once_finally_approved() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let mut family = family_caring_for(&app, &["foster_care"]).await;
    let offer = family
        .create_offer(offer_body(
            "foster_care",
            "家庭寄养",
            "可寄养一名学龄儿童。",
            &[TOWNSHIP_A],
        ))
        .await;
    let (_, code, _) = child_with_need(&mut officer, "foster_care", 1).await;
    let id = crate::match_helpers::propose(&mut family, &code, &offer).await;
    let note = "请于周五到青龙街道民政办办理寄养交接手续。";
    let first = act(&mut officer, &id, "approve", json!({"handover_note": note})).await;
    first.assert_status(StatusCode::OK);
    assert_eq!(first.json()["handover_note"], note, "the officer sees it");
    assert!(get_match(&mut family, &id).await["handover_note"].is_null());
    family
        .get("/api/v1/matches")
        .await
        .assert_ok_without(&[note]);
    family
        .get(&format!("/matches/{id}"))
        .await
        .assert_ok_without(&[note]);
    approve(&mut app.admin().await, &id).await;
    assert_eq!(get_match(&mut family, &id).await["handover_note"], note);
    let page = family.get(&format!("/matches/{id}")).await;
    page.assert_status(StatusCode::OK);
    assert!(page.text().contains(note));
}

/// Every answer the provider gets in a whole match's life, pages included.
async fn provider_answers(
    app: &TestApp,
    scene: &mut Scene,
    id: &str,
) -> Vec<(String, TestResponse)> {
    let provider = &mut scene.provider;
    let mut answers = Vec::new();
    for path in [
        format!("/api/v1/matches/{id}"),
        "/api/v1/matches".to_owned(),
        format!("/api/v1/matches?need={}", scene.code),
        format!("/matches/{id}"),
        "/matches".to_owned(),
        format!("/offers/{}", scene.offer),
    ] {
        answers.push((path.clone(), provider.get(&path).await));
    }
    let today = chrono::Local::now().date_naive().to_string();
    answers.push((
        "services".to_owned(),
        act(
            provider,
            id,
            "services",
            json!({"served_on": today, "summary": "辅导作业"}),
        )
        .await,
    ));
    act(
        &mut scene.officer,
        id,
        "complete",
        json!({"feedback": "很好", "rating": 4}),
    )
    .await
    .assert_status(StatusCode::OK);
    answers.push((
        "completed".to_owned(),
        provider.get(&format!("/api/v1/matches/{id}")).await,
    ));
    answers.push((
        "completed page".to_owned(),
        provider.get(&format!("/matches/{id}")).await,
    ));
    let _ = app;
    answers
}

#[tokio::test]
async fn a_provider_never_gets_the_childs_name_or_id_number_from_a_match() {
    let app = TestApp::spawn().await;
    let mut scene = Scene::new(&app, 10).await;
    let proposed =
        crate::match_helpers::propose_raw(&mut scene.provider, &scene.code, &scene.offer).await;
    let id = proposed.json()["id"].as_str().expect("id").to_owned();
    let approved = act(&mut scene.provider, &id, "withdraw", json!({})).await;
    // Withdrawn: propose again and go through the whole life.
    approved.assert_status(StatusCode::OK);
    let id = scene.approved().await;
    let mut answers = vec![("proposed".to_owned(), proposed)];
    answers.extend(provider_answers(&app, &mut scene, &id).await);
    let birth = crate::helpers::birth_of(&scene.id_number);
    for (what, response) in &answers {
        assert!(response.status.is_success(), "{what}: {}", response.status);
        let text = response.text();
        for secret in [
            CHILD_NAME,
            "晓梅",
            &scene.id_number,
            GUARDIAN_PHONE,
            &birth.0,
            &birth.1,
            "红旗",
            "滨江路",
            "柏建华",
        ] {
            assert!(!text.contains(secret), "{what} shows {secret}");
        }
    }
    let json = get_match(&mut scene.provider, &id).await;
    assert!(json["need"]["id"].is_null(), "no need id for the owner");
    assert!(json["need"].get("child_id").is_none());
}

/// The township of a need generalized to the county (fewer than k children
/// share it) reaches its offer's owner through nothing: not the match's
/// timeline (the officer's office), not a list, the inbox, suggestions or
/// search, as JSON or as a page.
#[tokio::test]
async fn a_need_shown_at_county_level_is_placed_by_nothing_its_owner_reads() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let mut provider = app.verified_provider().await;
    let offer = provider
        .create_offer(offer_body(
            "tutoring",
            "全县四点半课堂",
            "放学后辅导作业。",
            &["county"],
        ))
        .await;
    let (_, code, _) = child_with_need(&mut officer, "tutoring", 1).await;
    let projection = provider.get(&format!("/api/v1/needs/{code}")).await;
    projection.assert_status(StatusCode::OK);
    assert!(
        projection.json()["township"].is_null(),
        "one child in its band: shown at county level"
    );
    let id = crate::match_helpers::propose(&mut provider, &code, &offer).await;
    // A suggestion by the officer on a second need, so that an officer's
    // event waits in the owner's inbox too.
    let (_, second, _) = child_with_need(&mut officer, "tutoring", 1).await;
    crate::match_helpers::propose(&mut officer, &second, &offer).await;
    approve(&mut officer, &id).await;
    app.index_now().await;
    let township_name = "青龙";
    for path in [
        format!("/api/v1/matches/{id}"),
        format!("/matches/{id}"),
        "/api/v1/matches".to_owned(),
        "/matches".to_owned(),
        "/api/v1/inbox".to_owned(),
        "/inbox".to_owned(),
        format!("/api/v1/offers/{offer}/suggestions"),
        format!("/offers/{offer}/suggestions"),
        format!("/api/v1/needs/{code}"),
        format!("/needs/{code}"),
        "/needs".to_owned(),
        "/api/v1/needs".to_owned(),
        "/api/v1/search?type=need&q=辅导".to_owned(),
        "/search?type=need&q=辅导".to_owned(),
    ] {
        let response = provider.get(&path).await;
        response.assert_status(StatusCode::OK);
        // Filter forms list every township; they say nothing of the child.
        let text = without_selects(&response.text());
        assert!(
            !text.contains(township_name) && !text.contains(TOWNSHIP_A),
            "{path} places the child: {text}"
        );
    }
    let events = get_match(&mut provider, &id).await["events"].clone();
    assert!(
        events
            .as_array()
            .expect("events")
            .iter()
            .any(|e| e["actor_name"] == "乡镇（街道）民政办"),
        "the officer's office is named without its township: {events}"
    );
}

/// `html` without its `<select>` elements.
fn without_selects(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<select") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("</select>")
            .map_or("", |end| &rest[start + end + "</select>".len()..]);
    }
    out.push_str(rest);
    out
}

#[tokio::test]
async fn a_family_reads_no_township_of_a_need_shown_at_county_level() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let mut family = family_caring_for(&app, &["sponsorship"]).await;
    let mut body = offer_body(
        "sponsorship",
        "爱心助养",
        "每月资助学习生活费用。",
        &["county"],
    );
    body["capacity"] = json!(2);
    let offer = family.create_offer(body).await;
    let (_, code, _) = child_with_need(&mut officer, "sponsorship", 1).await;
    let id = crate::match_helpers::propose(&mut family, &code, &offer).await;
    approve(&mut officer, &id).await;
    for path in [
        format!("/api/v1/matches/{id}"),
        format!("/matches/{id}"),
        "/api/v1/matches".to_owned(),
        "/inbox".to_owned(),
        format!("/api/v1/offers/{offer}/suggestions"),
    ] {
        let response = family.get(&path).await;
        response.assert_status(StatusCode::OK);
        let text = without_selects(&response.text());
        assert!(
            !text.contains("青龙") && !text.contains(TOWNSHIP_A),
            "{path} places the child: {text}"
        );
    }
}
