//! What a request costs the database is bounded by what it shows, never by
//! how many files the county has: the statements each page and API answer
//! sends are counted (`db::statements::counting`) before and after the
//! county grows elsewhere, and must not change. A page that starts reading
//! every file, or every need of the county, fails here rather than for a
//! township officer at province scale. On SQLite each statement's plan is
//! read too: none may walk a whole table of files, needs, offers, matches
//! or the audit log (one statement can read everything).

use axum::http::StatusCode;
use carebridge::db::statements::counting;
use carebridge::domain::Role;
use sea_orm::{ConnectionTrait, Statement};

use crate::helpers::{
    TOWNSHIP_A, TOWNSHIP_B, TestApp, TestClient, child_body, id_number_for, offer_body,
};

/// Tables that grow with the county: no statement may walk one whole.
const LARGE: [&str; 6] = [
    "children",
    "needs",
    "offers",
    "matches",
    "audit_log",
    "visits",
];

/// The statements `path` sends, read as `client`; the answer must be 200.
async fn statements_of(client: &mut TestClient, path: &str) -> Vec<Statement> {
    let (response, sent) = counting(client.get(path)).await;
    response.assert_status(StatusCode::OK);
    sent
}

/// The statements `path` sends when nothing is kept from earlier requests
/// (a change was just counted, so kept counts and totals are stale); the
/// same request again, with what the first kept, may send fewer, never more.
async fn cold_statements_of(app: &TestApp, client: &mut TestClient, path: &str) -> Vec<Statement> {
    crate::allocation::count_change(app).await;
    let cold = statements_of(client, path).await;
    let warm = statements_of(client, path).await;
    assert!(
        warm.len() <= cold.len(),
        "{path} sends more statements with what an earlier request kept: {warm:#?}"
    );
    cold
}

/// The steps of SQLite's plans for `sent` that walk a large table
/// (`SCAN`, with or without an index) rather than search it; none on
/// PostgreSQL, whose plans depend on its statistics.
async fn full_walks(app: &TestApp, sent: &[Statement]) -> Vec<String> {
    let mut found = Vec::new();
    if app.is_postgres() {
        return found;
    }
    for statement in sent {
        if !statement
            .sql
            .trim_start()
            .to_uppercase()
            .starts_with("SELECT")
        {
            continue;
        }
        let explain = Statement {
            sql: format!("EXPLAIN QUERY PLAN {}", statement.sql),
            ..statement.clone()
        };
        let plan = app.db.query_all_raw(explain).await.expect("plan");
        for row in plan {
            let step: String = row.try_get_by_index(3).expect("plan detail");
            let walks = LARGE.iter().any(|table| {
                step.starts_with(&format!("SCAN {table}"))
                    && !step.contains("USING INTEGER PRIMARY KEY")
            });
            if walks {
                found.push(format!("{step}\n  in: {}", statement.sql));
            }
        }
    }
    found
}

async fn assert_no_full_walks(app: &TestApp, path: &str, sent: &[Statement]) {
    let found = full_walks(app, sent).await;
    assert!(found.is_empty(), "{path} walks a whole table: {found:#?}");
}

/// Files `n` children in `township` (first village of township A, or none
/// given for B), each with a published need.
async fn grow(officer: &mut TestClient, township: &str, village: &str, n: u32, first: u32) {
    for seq in first..first + n {
        let child = officer
            .create_child(child_body(
                "柏小青",
                &id_number_for("20150601", seq, seq % 2 == 1),
                township,
                village,
            ))
            .await;
        officer.publish_need(&child).await;
    }
}

#[tokio::test]
async fn officer_pages_cost_the_same_however_many_files_the_county_has() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let mut other = app
        .login_staff(Role::TownshipOfficer, Some(TOWNSHIP_B), None)
        .await;
    grow(&mut officer, TOWNSHIP_A, crate::helpers::VILLAGE_A, 3, 200).await;
    let child = officer.get("/api/v1/children?limit=1").await.json()["items"][0]["id"]
        .as_str()
        .expect("a file")
        .to_owned();
    app.index_now().await;
    let paths = [
        "/".to_owned(),
        "/needs".to_owned(),
        "/api/v1/needs?limit=20".to_owned(),
        "/inbox".to_owned(),
        "/api/v1/inbox".to_owned(),
        "/children".to_owned(),
        format!("/children/{child}"),
        format!("/api/v1/children/{child}"),
        "/matches".to_owned(),
    ];
    // The guard sees a walk when there is one.
    let (_, walk) = counting(app.db.query_all_raw(Statement::from_string(
        app.db.get_database_backend(),
        "SELECT id FROM children WHERE school IS NULL",
    )))
    .await;
    assert_eq!(walk.len(), 1);
    assert_eq!(full_walks(&app, &walk).await.is_empty(), app.is_postgres());
    let mut before = Vec::new();
    for path in &paths {
        before.push(cold_statements_of(&app, &mut officer, path).await.len());
    }
    // The county grows by five times elsewhere.
    grow(&mut other, TOWNSHIP_B, "500235101201", 15, 220).await;
    app.index_now().await;
    for (path, was) in paths.iter().zip(before) {
        let sent = cold_statements_of(&app, &mut officer, path).await;
        assert_eq!(
            sent.len(),
            was,
            "{path} sends more statements as the county grows: {sent:#?}"
        );
        assert_no_full_walks(&app, path, &sent).await;
    }
}

#[tokio::test]
async fn searching_costs_the_same_however_many_offers_and_needs_there_are() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let mut provider = app.verified_provider().await;
    let mut anonymous = app.client();
    for i in 0..3 {
        provider
            .create_offer(offer_body(
                "tutoring",
                &format!("四点半课堂课业辅导{i}"),
                "放学后辅导作业。",
                &[TOWNSHIP_A],
            ))
            .await;
    }
    grow(&mut officer, TOWNSHIP_A, crate::helpers::VILLAGE_A, 3, 300).await;
    app.index_now().await;
    let asked = [
        (&mut anonymous, "/api/v1/search?q=辅导"),
        (&mut provider, "/api/v1/search?q=辅导&type=need"),
    ];
    let mut before = Vec::new();
    for (client, path) in asked {
        before.push(statements_of(client, path).await.len());
    }
    for i in 0..15 {
        provider
            .create_offer(offer_body(
                "tutoring",
                &format!("周末课业辅导{i}"),
                "周末辅导作业。",
                &[TOWNSHIP_A],
            ))
            .await;
    }
    grow(&mut officer, TOWNSHIP_A, crate::helpers::VILLAGE_A, 15, 320).await;
    app.index_now().await;
    let asked = [
        (&mut anonymous, "/api/v1/search?q=辅导"),
        (&mut provider, "/api/v1/search?q=辅导&type=need"),
    ];
    for ((client, path), was) in asked.into_iter().zip(before) {
        let sent = statements_of(client, path).await;
        assert!(
            sent.len() <= was,
            "{path} sends more statements as offers and needs grow: {sent:#?}"
        );
        assert_no_full_walks(&app, path, &sent).await;
    }
    assert!(
        statements_of(&mut anonymous, "/api/v1/search?q=辅导")
            .await
            .is_empty(),
        "an anonymous search of offers reads the index alone"
    );
}

/// Statements of `sent` that read the portal's change count.
fn change_count_reads(sent: &[Statement]) -> usize {
    sent.iter()
        .filter(|s| s.sql.contains("change_counters") && s.sql.starts_with("SELECT"))
        .count()
}

#[tokio::test]
async fn a_request_reads_the_change_count_once_for_all_it_finds_kept() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    grow(&mut officer, TOWNSHIP_A, crate::helpers::VILLAGE_A, 2, 400).await;
    let need = officer.get("/api/v1/needs?limit=1").await.json()["items"][0]["id"]
        .as_str()
        .expect("a need")
        .to_owned();
    app.index_now().await;
    // Each of these looks up two or more kinds of kept values (the
    // navigation's counts, a list's total, the population, suggestions).
    for path in [
        "/needs".to_owned(),
        "/inbox".to_owned(),
        format!("/needs/{need}/suggestions"),
        format!("/api/v1/needs/{need}/suggestions"),
    ] {
        let sent = cold_statements_of(&app, &mut officer, &path).await;
        assert_eq!(change_count_reads(&sent), 1, "{path}: {sent:#?}");
    }
}

#[tokio::test]
async fn a_change_counted_by_the_request_itself_is_read_again() {
    use carebridge::db::allocation::{changes_seen, count_change, once_per_request};
    use sea_orm::TransactionTrait;
    let app = TestApp::spawn().await;
    let db = &app.db;
    once_per_request(async {
        let (first, sent) = counting(changes_seen(db)).await;
        let first = first.expect("read");
        assert_eq!(change_count_reads(&sent), 1);
        // Another request's change: this one goes on with what it read.
        crate::allocation::count_change(&app).await;
        let (again, sent) = counting(changes_seen(db)).await;
        assert_eq!(again.expect("read"), first);
        assert!(sent.is_empty(), "{sent:#?}");
        // Its own change: read again, never found under the count before it.
        let txn = db.begin().await.expect("begin");
        count_change(&txn).await.expect("count");
        txn.commit().await.expect("commit");
        let (after, sent) = counting(changes_seen(db)).await;
        assert_eq!(after.expect("read"), first + 2);
        assert_eq!(change_count_reads(&sent), 1);
    })
    .await;
    // Outside a request every call reads.
    let (_, sent) = counting(async {
        changes_seen(db).await.expect("read");
        changes_seen(db).await.expect("read")
    })
    .await;
    assert_eq!(change_count_reads(&sent), 2);
}
