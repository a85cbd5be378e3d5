//! What must hold after a node stopped, however it stopped.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Statement};

use crate::helpers::TestApp;
use crate::node::{Http, Node, NodeDir};

async fn rows(app: &TestApp, sql: &str) -> Vec<sea_orm::QueryResult> {
    app.db
        .query_all_raw(Statement::from_string(app.db.get_database_backend(), sql))
        .await
        .expect("query")
}

/// No offer is overbooked, and every offer's `remaining` is its capacity
/// minus the places its matches hold.
pub async fn places_add_up(app: &TestApp) {
    let all = rows(
        app,
        "SELECT o.id, CAST(o.capacity AS BIGINT) AS capacity, CAST(o.remaining AS BIGINT) AS remaining, \
         (SELECT COUNT(*) FROM matches m WHERE m.offer_id = o.id \
          AND m.status IN ('approved', 'in_service', 'completed')) AS held FROM offers o",
    )
    .await;
    assert!(!all.is_empty());
    for row in all {
        let id: String = row.try_get("", "id").expect("id");
        let capacity: i64 = row.try_get("", "capacity").expect("capacity");
        let remaining: i64 = row.try_get("", "remaining").expect("remaining");
        let held: i64 = row.try_get("", "held").expect("held");
        assert!(
            held <= capacity,
            "offer {id} overbooked: {held} of {capacity}"
        );
        assert_eq!(remaining, capacity - held, "offer {id}: remaining");
    }
}

/// The statuses of matches `ids`.
pub async fn statuses(app: &TestApp, ids: &[String]) -> Vec<(String, String)> {
    if ids.is_empty() {
        return Vec::new();
    }
    let list = ids
        .iter()
        .map(|id| format!("'{id}'"))
        .collect::<Vec<_>>()
        .join(",");
    rows(
        app,
        &format!("SELECT id, status FROM matches WHERE id IN ({list})"),
    )
    .await
    .iter()
    .map(|r| {
        (
            r.try_get("", "id").expect("id"),
            r.try_get("", "status").expect("status"),
        )
    })
    .collect()
}

/// How many of `ids` are rows of `table`.
pub async fn present(app: &TestApp, table: &str, ids: &[String]) -> usize {
    if ids.is_empty() {
        return 0;
    }
    let list = ids
        .iter()
        .map(|id| format!("'{id}'"))
        .collect::<Vec<_>>()
        .join(",");
    rows(app, &format!("SELECT id FROM {table} WHERE id IN ({list})"))
        .await
        .len()
}

pub async fn audit_intact(app: &TestApp) {
    let verification = carebridge::services::audit::verify(&app.db)
        .await
        .expect("verify");
    assert!(
        matches!(
            verification,
            carebridge::services::audit::Verification::Intact { .. }
        ),
        "{verification:?}"
    );
}

/// The queries whose results are compared with a fresh index.
const QUERIES: &[&str] = &["辅导", "课堂", "阅读", "陪伴", "数学", "手工"];

async fn results(anyone: &Http) -> Vec<(u64, BTreeSet<String>)> {
    let mut all = Vec::new();
    for query in QUERIES {
        all.push(anyone.search(query).await);
    }
    all
}

/// The node's search results (once its index has caught up) equal those
/// of an index rebuilt from the database by `carebridge reindex`.
pub async fn search_equals_reindex(node: &Node, dir: &NodeDir) {
    node.wait_indexed().await;
    let anyone = Http::anonymous(node);
    let before = results(&anyone).await;
    assert!(before.iter().any(|(total, _)| *total > 0), "{before:?}");
    dir.run(&["reindex"]).await;
    wait_swapped(dir).await;
    let after = results(&anyone).await;
    assert_eq!(before, after, "search results differ from a fresh reindex");
}

/// Waits until the node has swapped in the rebuilt index (it removes the
/// old directory then).
pub async fn wait_swapped(dir: &NodeDir) {
    let root = dir.path().join(carebridge::services::search::INDEX_DIR);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let current = std::fs::read_to_string(root.join("CURRENT")).unwrap_or_default();
        let dirs: Vec<String> = std::fs::read_dir(&root)
            .expect("index dir")
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        if dirs.len() == 1 && dirs[0] == current.trim() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the rebuilt index was not swapped in: {dirs:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
