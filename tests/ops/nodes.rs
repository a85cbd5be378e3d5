//! Two `carebridge serve` nodes on one PostgreSQL, each with its own data
//! directory (search index) and the same vault key from the environment.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use carebridge::domain::Role;
use serde_json::json;

use crate::checks;
use crate::helpers::{TOWNSHIP_A, TestApp, offer_body};
use crate::match_helpers::{child_with_need, tutoring_offer};
use crate::node::{Http, Node, NodeDir};

// Threads: both nodes are driven at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_share_sessions_search_and_capacity() {
    let app = TestApp::spawn().await;
    if !app.is_postgres() {
        // Several nodes share one PostgreSQL; SQLite is one node's file.
        eprintln!("two nodes need PostgreSQL: set CAREBRIDGE_TEST_POSTGRES");
        return;
    }
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let mut provider = app.verified_provider().await;
    let offer = tutoring_offer(&mut provider, 3).await;
    let mut codes = Vec::new();
    for _ in 0..10 {
        codes.push(child_with_need(&mut officer, "tutoring", 1).await.1);
    }
    let (dir_a, dir_b) = (NodeDir::beside(&app), NodeDir::beside(&app));
    let node_a = Node::start(&dir_a).await;
    let node_b = Node::start(&dir_b).await;

    // A session created on A (a login over HTTP) works on B.
    app.admin().await;
    let admin_a = Http::login(&node_a, crate::helpers::ADMIN, crate::helpers::PASSWORD).await;
    let me = admin_a.ok("/api/v1/me").await;
    let admin_b = admin_a.on(&node_b);
    assert_eq!(admin_b.ok("/api/v1/me").await, me);
    // A write with that session through B (CSRF token and all).
    let (status, body) = admin_b
        .post(
            "/api/v1/users",
            &json!({"username": "node_b_officer", "password": crate::helpers::PASSWORD,
                    "role": "township_officer", "township": TOWNSHIP_A}),
        )
        .await
        .expect("create user on B");
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // An offer written through A is found on B within 2 seconds.
    let provider_a = Http::as_(&provider, &node_a);
    let title = "两节点书法兴趣班";
    let (status, body) = provider_a
        .post(
            "/api/v1/offers",
            &offer_body("tutoring", title, "每周六上午练习书法。", &[TOWNSHIP_A]),
        )
        .await
        .expect("create offer");
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let written = format!("offer/{}", body["id"].as_str().expect("id"));
    let started = Instant::now();
    let on_b = Http::anonymous(&node_b);
    loop {
        if on_b.search(title).await.1.contains(&written) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "not found on B within 2 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    eprintln!("found on B after {} ms", started.elapsed().as_millis());

    // A reindex of B while A serves searches: A answers every search the
    // same, B swaps in its rebuilt index.
    node_a.wait_indexed().await;
    let on_a = Http::anonymous(&node_a);
    let expected = on_a.search("辅导").await;
    let stop = Arc::new(AtomicBool::new(false));
    let watching = {
        let (on_a, stop, expected) = (on_a.clone(), stop.clone(), expected.clone());
        tokio::spawn(async move {
            let mut searches = 0;
            while !stop.load(Ordering::SeqCst) {
                assert_eq!(
                    on_a.search("辅导").await,
                    expected,
                    "A changed during B's reindex"
                );
                searches += 1;
            }
            searches
        })
    };
    dir_b.run(&["reindex"]).await;
    checks::wait_swapped(&dir_b).await;
    stop.store(true, Ordering::SeqCst);
    let searches = watching.await.expect("A's searches");
    assert!(searches > 0);
    assert_eq!(Http::anonymous(&node_b).search("辅导").await, expected);

    // Proposals approved at once through both nodes never overbook.
    let provider_b = provider_a.on(&node_b);
    let mut proposals = Vec::new();
    for (i, code) in codes.iter().enumerate() {
        let through = if i % 2 == 0 { &provider_a } else { &provider_b };
        let (status, body) = through
            .post(
                "/api/v1/matches",
                &json!({"need_code": code, "offer_id": offer, "note": "可以开始"}),
            )
            .await
            .expect("propose");
        assert_eq!(status, StatusCode::CREATED, "{body}");
        proposals.push(body["id"].as_str().expect("id").to_owned());
    }
    let officer_a = Http::as_(&officer, &node_a);
    let officer_b = officer_a.on(&node_b);
    let mut tasks = Vec::new();
    for (i, id) in proposals.iter().enumerate() {
        let through = if i % 2 == 0 {
            officer_a.clone()
        } else {
            officer_b.clone()
        };
        let id = id.clone();
        tasks.push(tokio::spawn(async move {
            through
                .post(&format!("/api/v1/matches/{id}/approve"), &json!({}))
                .await
                .expect("approve")
                .0
        }));
    }
    let mut approved = 0;
    for task in tasks {
        let status = task.await.expect("task");
        assert!(
            status == StatusCode::OK
                || status == StatusCode::CONFLICT
                || status == StatusCode::UNPROCESSABLE_ENTITY,
            "{status}"
        );
        if status == StatusCode::OK {
            approved += 1;
        }
    }
    assert_eq!(approved, 3, "exactly the offer's 3 places are given");
    checks::places_add_up(&app).await;
    checks::audit_intact(&app).await;
}
