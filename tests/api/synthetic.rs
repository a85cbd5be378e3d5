//! Synthetic data: generated into a fresh database, indexed by a rebuild,
//! and found by search like typed data.

use axum::http::StatusCode;
use carebridge::domain::Role;
use carebridge::domain::escalation::EscalationSettings;
use carebridge::services::needs::escalation;
use carebridge::services::notify::due;
use carebridge::services::search::indexer;
use carebridge::synthetic;

use crate::helpers::TestApp;

#[tokio::test]
async fn generated_offers_and_needs_are_found_after_a_rebuild() {
    let app = TestApp::spawn().await;
    assert!(!synthetic::has_data(&app.db).await.expect("count"));
    let generated = synthetic::generate(
        app.prepared.store(),
        synthetic::Plan {
            offers: 200,
            needs: 200,
            seed: 11,
        },
    )
    .await
    .expect("generate");
    assert_eq!(generated.offers, 200);
    assert_eq!(generated.needs, 200);
    assert!(generated.children >= 100 && generated.children <= 200);
    assert!(synthetic::has_data(&app.db).await.expect("count"));

    let rebuilt = indexer::rebuild(
        app.prepared.store(),
        &app.settings.data_dir,
        app.settings.k_anonymity,
    )
    .await
    .expect("rebuild");
    assert_eq!(rebuilt.documents, 400);
    assert!(app.search.check_swap().await.expect("swap"));
    assert_eq!(
        app.index_now().await,
        0,
        "generated rows write no outbox entries"
    );

    let mut anonymous = app.client();
    let all = anonymous.get("/api/v1/search?q=").await;
    all.assert_status(StatusCode::OK);
    assert_eq!(all.json()["total"], 200, "every active offer is searchable");
    let tutoring = anonymous.get("/api/v1/search?q=%E8%BE%85%E5%AF%BC").await;
    tutoring.assert_status(StatusCode::OK);
    assert!(
        tutoring.json()["total"].as_u64().expect("total") > 0,
        "辅导 finds offers"
    );

    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let needs = officer.get("/api/v1/search?type=need&q=").await;
    needs.assert_status(StatusCode::OK);
    assert_eq!(
        needs.json()["total"],
        200,
        "every published need is searchable"
    );

    // A generated file is a real file: its sealed identity opens.
    let mut admin = app.admin().await;
    let files = admin.get("/api/v1/children?limit=1").await;
    files.assert_status(StatusCode::OK);
    let id = files.json()["items"][0]["id"]
        .as_str()
        .expect("a file")
        .to_owned();
    let file = admin.get(&format!("/api/v1/children/{id}")).await;
    file.assert_status(StatusCode::OK);
}

/// Generated rows have no audit and no outbox, so they carry what the
/// sweeps would have recorded of them: a server started on them has no
/// backlog of escalations and notices to work through.
#[tokio::test]
async fn generated_needs_leave_the_sweeps_nothing_to_catch_up() {
    let app = TestApp::spawn().await;
    synthetic::generate(
        app.prepared.store(),
        synthetic::Plan {
            offers: 100,
            needs: 300,
            seed: 5,
        },
    )
    .await
    .expect("generate");
    let escalated = escalation::sweep(app.prepared.store(), &EscalationSettings::default())
        .await
        .expect("escalation sweep");
    assert_eq!(escalated.total(), 0, "{escalated:?}");
    let told = due::sweep(app.prepared.store(), app.settings.overdue_days)
        .await
        .expect("due-notice sweep");
    assert_eq!(told.needs_unmatched, 0, "{told:?}");
}

/// Generating into data that holds files (the demo's children are of
/// the same county) draws another child where a made-up ID number is
/// already on file, instead of failing on the unique index.
#[tokio::test]
async fn generated_children_never_repeat_an_id_number_on_file() {
    let app = TestApp::spawn().await;
    // The first child seed 5 draws today, filed by hand beforehand.
    let regions = synthetic::regions(&app.db).await.expect("regions");
    let mut generator = synthetic::Generator::new(5, regions, chrono::Utc::now());
    let drawn = generator.child(1);
    let township = drawn.model.township_code.clone();
    let mut officer = app
        .login_staff(Role::TownshipOfficer, Some(&township), None)
        .await;
    officer
        .create_child(crate::helpers::child_body(
            "柏小青",
            &drawn.identity.id_number,
            &township,
            &drawn.identity.village_code,
        ))
        .await;

    let generated = synthetic::generate(
        app.prepared.store(),
        synthetic::Plan {
            offers: 0,
            needs: 60,
            seed: 5,
        },
    )
    .await
    .expect("generate beside the file");
    assert_eq!(generated.needs, 60);
    let files = carebridge::db::children::id_number_indexes(&app.db)
        .await
        .expect("indexes");
    assert_eq!(files.len(), generated.children + 1);
}
