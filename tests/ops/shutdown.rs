//! SIGTERM during load: the node finishes what it answers, loses no
//! acknowledged write, and flushes its search index before it exits.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use carebridge::domain::Role;

use crate::checks;
use crate::helpers::{TOWNSHIP_A, TestApp, offer_body};
use crate::node::{Http, Node, NodeDir};

/// Titles of the offers written under load; searched for afterwards.
const TITLE: &str = "停机演练手工课";

// Threads: the load streams while the test signals the node.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_during_load_loses_no_acknowledged_write_and_flushes_the_index() {
    let app = TestApp::spawn().await;
    let provider = app.verified_provider().await;
    // Some officer activity too, so that the audit chain has several writers.
    let _officer = app.login_as(Role::TownshipOfficer).await;
    let dir = NodeDir::beside(&app);
    let mut node = Node::start(&dir).await;
    let writer = Http::as_(&provider, &node);
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..3 {
        let (writer, stop) = (writer.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let mut acked = Vec::new();
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                n += 1;
                let body = offer_body(
                    "tutoring",
                    &format!("{TITLE}{w}x{n}"),
                    "每周一次手工制作。",
                    &[TOWNSHIP_A],
                );
                match writer.post("/api/v1/offers", &body).await {
                    Ok((status, body)) if status.is_success() => {
                        acked.push(body["id"].as_str().expect("id").to_owned());
                    }
                    // Refused while stopping: the node answers nothing more.
                    _ => tokio::time::sleep(Duration::from_millis(10)).await,
                }
            }
            acked
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let status = node.terminate().await;
    stop.store(true, Ordering::SeqCst);
    let mut acked = Vec::new();
    for writer in writers {
        acked.extend(writer.await.expect("writer"));
    }
    assert!(status.success(), "exit {status}:\n{}", node.log());
    assert!(
        acked.len() >= 3,
        "the load wrote too little: {}",
        acked.len()
    );
    let log = node.log();
    assert!(log.contains("search index flushed"), "{log}");

    assert_eq!(
        checks::present(&app, "offers", &acked).await,
        acked.len(),
        "an acknowledged offer is missing"
    );
    checks::audit_intact(&app).await;

    // The index was current when the node stopped: the next start has
    // nothing to catch up, and finds every acknowledged offer at once.
    let node = Node::start(&dir).await;
    let log = node.log();
    assert!(!log.contains("search index caught up"), "{log}");
    let anyone = Http::anonymous(&node);
    let (total, found) = anyone.search(TITLE).await;
    assert!(
        total as usize >= acked.len(),
        "{total} found, {} acknowledged",
        acked.len()
    );
    let found: Vec<&String> = found.iter().collect();
    assert!(!found.is_empty());
    checks::search_equals_reindex(&node, &dir).await;
}
