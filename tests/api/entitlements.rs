//! Entitlements: what a file is eligible for by the rules, what it is
//! recorded as receiving, the gaps and the gap list (order and scope), the
//! old ticks as records (and through the migration), birthdays with a
//! moved clock, and a malformed rules file.

use axum::http::StatusCode;
use carebridge::domain::Role;
use serde_json::{Value, json};

use crate::helpers::{
    TOWNSHIP_A, TOWNSHIP_B, TestApp, TestClient, birth_today, child_body, id_number_for,
};

/// A file for an orphan (the statutory basis stands for consent).
pub fn orphan_body(name: &str, id_number: &str) -> Value {
    let mut body = child_body(name, id_number, TOWNSHIP_A, "500235001201");
    let o = body.as_object_mut().expect("object");
    o.remove("poverty_type");
    o.remove("assistance");
    o.remove("consent");
    o.insert("difficulties".into(), json!(["orphan"]));
    o.insert("statutory_basis".into(), json!("孤儿，由民政部门依法建档"));
    o.insert("school_status".into(), json!("enrolled"));
    body
}

pub async fn lines(client: &mut TestClient, child: &str) -> Vec<Value> {
    let response = client
        .get(&format!("/api/v1/children/{child}/entitlements"))
        .await;
    response.assert_status(StatusCode::OK);
    response.json()["items"].as_array().expect("items").clone()
}

pub fn line<'a>(lines: &'a [Value], rule: &str) -> &'a Value {
    lines
        .iter()
        .find(|l| l["rule"] == rule)
        .unwrap_or_else(|| panic!("no line {rule}"))
}

async fn gap_list(client: &mut TestClient, query: &str) -> Value {
    let response = client
        .get(&format!("/api/v1/entitlements/gaps{query}"))
        .await;
    response.assert_status(StatusCode::OK);
    response.json()
}

#[tokio::test]
async fn an_orphan_without_the_allowance_is_a_gap_until_it_is_recorded() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let child = officer
        .create_child(orphan_body("柏小雨", &id_number_for("20150307", 1, false)))
        .await;
    let all = lines(&mut officer, &child).await;
    let orphan = line(&all, "orphan_allowance");
    assert_eq!(orphan["eligible"], true);
    assert_eq!(orphan["gap"], true);
    assert_eq!(orphan["department"], "civil_affairs");
    assert_eq!(line(&all, "minimum_living")["eligible"], false);

    let list = gap_list(&mut officer, "").await;
    let item = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["child_id"] == child.as_str())
        .expect("the orphan is on the gap list");
    assert_eq!(item["worst"], 3);
    assert_eq!(item["masked_name"], "柏*");
    assert!(!list.to_string().contains("柏小雨"));

    officer
        .post_json(
            &format!("/api/v1/children/{child}/entitlements"),
            json!({"benefit": "orphan_allowance", "since": "2026-01-01", "amount_yuan": 1200, "reference": "云民发〔2026〕1号"}),
        )
        .await
        .assert_status(StatusCode::CREATED);
    // Twice is a conflict; a rule that does not exist is a field error.
    officer
        .post_json(
            &format!("/api/v1/children/{child}/entitlements"),
            json!({"benefit": "orphan_allowance", "since": "2026-01-01"}),
        )
        .await
        .assert_status(StatusCode::CONFLICT);
    let bad = officer
        .post_json(
            &format!("/api/v1/children/{child}/entitlements"),
            json!({"benefit": "moon_pension", "since": "2026-13-01"}),
        )
        .await;
    bad.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let fields = bad.error_fields();
    assert!(
        fields.contains(&"benefit".to_owned()) && fields.contains(&"since".to_owned()),
        "{fields:?}"
    );

    let all = lines(&mut officer, &child).await;
    let orphan = line(&all, "orphan_allowance");
    assert_eq!(orphan["gap"], false);
    assert_eq!(orphan["received"]["amount"], 1200);
    let list = gap_list(&mut officer, "").await;
    let item = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["child_id"] == child.as_str())
        .expect("still a gap: the premium subsidy");
    assert!(
        item["gaps"]
            .as_array()
            .expect("gaps")
            .iter()
            .all(|g| g["rule"] != "orphan_allowance")
    );
    assert!(!app.audit_entries("entitlement.record").await.is_empty());
    assert!(!app.audit_entries("entitlement.gaps").await.is_empty());

    // Ending it opens the gap again.
    let record = all
        .iter()
        .find(|l| l["rule"] == "orphan_allowance")
        .and_then(|l| l["received"]["record_id"].as_str())
        .expect("record")
        .to_owned();
    officer
        .post_json(
            &format!("/api/v1/children/{child}/entitlements/{record}/end"),
            json!({}),
        )
        .await
        .assert_status(StatusCode::OK);
    assert_eq!(
        line(&lines(&mut officer, &child).await, "orphan_allowance")["gap"],
        true
    );
}

#[tokio::test]
async fn the_gap_list_is_worst_first_and_each_township_sees_its_own() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    // Poor, receiving 低保 (a tick): only the premium subsidy is missing (1).
    let poor = officer
        .create_child(child_body(
            "甘文静",
            &id_number_for("20160101", 2, false),
            TOWNSHIP_A,
            "500235001201",
        ))
        .await;
    // Ten and out of school: 控辍保学 (3).
    let mut out = child_body(
        "甘文杰",
        &id_number_for("20160505", 3, true),
        TOWNSHIP_A,
        "500235001201",
    );
    out["school_status"] = json!("not_enrolled");
    out["assistance"] = json!(["minimum_living"]);
    let out = officer.create_child(out).await;

    let list = gap_list(&mut officer, "").await;
    let ids: Vec<&str> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["child_id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, vec![out.as_str(), poor.as_str()], "worst first");
    assert_eq!(list["total"], 2);
    assert_eq!(list["items"][0]["gaps"][0]["rule"], "school_attendance");
    assert_eq!(list["items"][1]["gaps"][0]["rule"], "insurance_subsidy");

    // The county sees them, filtered by township too; another township
    // sees none, and asking for another township's is 404.
    let mut admin = app.admin().await;
    assert_eq!(gap_list(&mut admin, "").await["total"], 2);
    assert_eq!(
        gap_list(&mut admin, &format!("?township={TOWNSHIP_B}")).await["total"],
        0
    );
    let mut other = app
        .login_staff(Role::TownshipOfficer, Some(TOWNSHIP_B), None)
        .await;
    assert_eq!(gap_list(&mut other, "").await["total"], 0);
    other
        .get(&format!("/api/v1/entitlements/gaps?township={TOWNSHIP_A}"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let mut supervisor = app.login_as(Role::VillageSupervisor).await;
    supervisor
        .get("/api/v1/entitlements/gaps")
        .await
        .assert_status(StatusCode::FORBIDDEN);

    // Enrolling the child closes the gap in the same write.
    officer
        .patch_json(
            &format!("/api/v1/children/{out}"),
            json!({"school_status": "enrolled"}),
        )
        .await
        .assert_status(StatusCode::OK);
    let list = gap_list(&mut officer, "").await;
    let first = &list["items"][0];
    assert!(
        first["gaps"]
            .as_array()
            .expect("gaps")
            .iter()
            .all(|g| g["rule"] != "school_attendance"),
        "{list}"
    );

    // Pages: the gap list and the file's section.
    let page = officer.get("/entitlements/gaps").await;
    page.assert_status(StatusCode::OK);
    assert!(page.text().contains("应享未享"));
    let file = officer.get(&format!("/children/{poor}")).await;
    file.assert_status(StatusCode::OK);
    assert!(file.text().contains("保障待遇"));
    assert!(file.text().contains("城乡居民医保个人缴费全额资助"));
}

#[tokio::test]
async fn ticks_become_records_and_survive_the_migration_both_ways() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let child = officer
        .create_child(child_body(
            "柏小明",
            &id_number_for("20150307", 4, true),
            TOWNSHIP_A,
            "500235001201",
        ))
        .await;
    let all = lines(&mut officer, &child).await;
    assert!(line(&all, "minimum_living")["received"].is_object());
    let file = officer
        .get(&format!("/api/v1/children/{child}"))
        .await
        .json();
    assert_eq!(file["assistance"], json!(["minimum_living"]), "{file}");

    // Down past the data migration writes the ticks back; up again makes
    // them records once more.
    crate::helpers::remigrate_from(&app.db, "m20261201_000031_entitlements").await;
    let all = lines(&mut officer, &child).await;
    assert!(
        line(&all, "minimum_living")["received"].is_object(),
        "{all:?}"
    );
}

#[tokio::test]
async fn a_birthday_moves_a_child_out_of_a_rule_with_the_clock() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    // Turns 16 in five days (as of the day the helpers count from).
    let mut body = child_body(
        "柏小刚",
        &id_number_for("20101203", 5, true),
        TOWNSHIP_A,
        "500235001201",
    );
    body["poverty_type"] = json!("extreme_poverty");
    body["assistance"] = json!([]);
    let child = officer.create_child(body).await;
    let birth = birth_today("20101203");
    assert!(birth > chrono::Local::now().date_naive() - chrono::Duration::days(16 * 365));
    assert_eq!(
        line(&lines(&mut officer, &child).await, "extreme_poverty")["gap"],
        true
    );

    app.advance_clock(chrono::Duration::days(10));
    // The daily re-check (the server's indexer runs it once a day).
    let checked = carebridge::services::entitlements::gaps::refresh_if_due(app.prepared.store())
        .await
        .expect("refresh");
    assert!(checked >= 1);
    let list = gap_list(&mut officer, "").await;
    let item = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["child_id"] == child.as_str())
        .expect("still a gap: the premium subsidy");
    assert!(
        item["gaps"]
            .as_array()
            .expect("gaps")
            .iter()
            .all(|g| g["rule"] != "extreme_poverty"),
        "16 now: {item}"
    );
    assert_eq!(
        line(&lines(&mut officer, &child).await, "extreme_poverty")["eligible"],
        false
    );
}

#[tokio::test]
async fn a_malformed_rules_file_stops_the_portal_naming_the_rule() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("rules.toml");
    let good = carebridge::domain::entitlement::DEFAULT_RULES;
    let bad = good.replacen("when = \"orphan\"", "when = \"orphan and height > 3\"", 1);
    std::fs::write(&path, bad).expect("write");
    let err = carebridge::services::entitlements::rules::load(Some(&path)).expect_err("refused");
    assert!(err.contains("rule “orphan_allowance”"), "{err}");
    assert!(err.contains("height"), "{err}");

    let app = TestApp::spawn().await;
    let mut settings = app.settings.clone();
    settings.entitlement_rules = Some(path);
    let started = carebridge::app::prepare(&settings).await;
    match started {
        Err(e) => assert!(e.to_string().contains("orphan_allowance"), "{e}"),
        Ok(_) => panic!("the portal started with a malformed rules file"),
    }
}
