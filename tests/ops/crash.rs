//! SIGKILL at random points while proposals, approvals, offer edits and
//! file changes stream in; after every restart nothing acknowledged is
//! missing, no offer is overbooked, the audit chain verifies and search
//! answers as a fresh reindex does.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{Method, StatusCode};
use carebridge::domain::Role;
use serde_json::{Value, json};

use crate::checks;
use crate::helpers::{TOWNSHIP_A, TestApp, offer_body};
use crate::match_helpers::{child_with_need, tutoring_offer};
use crate::node::{Http, Node, NodeDir};

/// Kill rounds per database.
const ROUNDS: u32 = 4;

/// What the node answered with success, and what was sent but not (yet)
/// answered: a write in flight when the node died may or may not be in.
#[derive(Default)]
struct Acked {
    offers: Vec<String>,
    proposals: Vec<String>,
    approved: Vec<String>,
    /// The last acknowledged and the last sent edit number of the
    /// scene offer's title and of the file's school.
    title: (u32, u32),
    school: (u32, u32),
}

/// A small deterministic random source (the seed is printed on failure).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn title(n: u32) -> String {
    format!("四点半课堂课业辅导第{n}期")
}

fn number_in(text: &str) -> u32 {
    text.chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(0)
}

fn ok(result: &Result<(StatusCode, Value), String>) -> Option<&Value> {
    match result {
        Ok((status, body)) if status.is_success() => Some(body),
        _ => None,
    }
}

/// The stream of writes, until `stop`.
async fn drive(
    provider: Http,
    officer: Http,
    offer: String,
    child: String,
    codes: Arc<Mutex<Vec<String>>>,
    acked: Arc<Mutex<Acked>>,
    stop: Arc<AtomicBool>,
) {
    let pending: Arc<Mutex<VecDeque<String>>> = Arc::default();
    let pause = || tokio::time::sleep(Duration::from_millis(20));
    // Offers and proposals (alternately on the scene's offer, which fills
    // up, and on the new offer).
    let proposing = {
        let (provider, offer, acked, stop, pending) = (
            provider.clone(),
            offer.clone(),
            acked.clone(),
            stop.clone(),
            pending.clone(),
        );
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                n += 1;
                let body = offer_body(
                    "tutoring",
                    &format!("断电演练阅读陪伴{n}"),
                    "放学后陪伴阅读。",
                    &[TOWNSHIP_A],
                );
                let created = provider.post("/api/v1/offers", &body).await;
                let Some(new_offer) = ok(&created).and_then(|b| b["id"].as_str()) else {
                    pause().await;
                    continue;
                };
                acked
                    .lock()
                    .expect("lock")
                    .offers
                    .push(new_offer.to_owned());
                let Some(code) = codes.lock().expect("lock").pop() else {
                    continue;
                };
                let target = if n % 2 == 0 { &offer } else { new_offer };
                let proposal = provider
                    .post(
                        "/api/v1/matches",
                        &json!({"need_code": code, "offer_id": target, "note": "可以开始"}),
                    )
                    .await;
                if let Some(id) = ok(&proposal).and_then(|b| b["id"].as_str()) {
                    acked.lock().expect("lock").proposals.push(id.to_owned());
                    pending.lock().expect("lock").push_back(id.to_owned());
                }
            }
        })
    };
    let approving = {
        let (officer, acked, stop, pending) = (
            officer.clone(),
            acked.clone(),
            stop.clone(),
            pending.clone(),
        );
        tokio::spawn(async move {
            while !stop.load(Ordering::SeqCst) {
                let next = pending.lock().expect("lock").pop_front();
                let Some(id) = next else {
                    pause().await;
                    continue;
                };
                let answer = officer
                    .post(&format!("/api/v1/matches/{id}/approve"), &json!({}))
                    .await;
                if ok(&answer).is_some() {
                    acked.lock().expect("lock").approved.push(id);
                }
            }
        })
    };
    let editing = {
        let (provider, acked, stop) = (provider.clone(), acked.clone(), stop.clone());
        tokio::spawn(async move {
            while !stop.load(Ordering::SeqCst) {
                let n = acked.lock().expect("lock").title.1 + 1;
                acked.lock().expect("lock").title.1 = n;
                let mut body = offer_body("tutoring", &title(n), "放学后辅导作业。", &[TOWNSHIP_A]);
                body["capacity"] = json!(3);
                let answer = provider
                    .send(Method::PUT, &format!("/api/v1/offers/{offer}"), Some(&body))
                    .await;
                if ok(&answer).is_some() {
                    acked.lock().expect("lock").title.0 = n;
                } else {
                    pause().await;
                }
            }
        })
    };
    let filing = tokio::spawn(async move {
        while !stop.load(Ordering::SeqCst) {
            let n = acked.lock().expect("lock").school.1 + 1;
            acked.lock().expect("lock").school.1 = n;
            let answer = officer
                .send(
                    Method::PATCH,
                    &format!("/api/v1/children/{child}"),
                    Some(&json!({"school": format!("青龙小学{n}")})),
                )
                .await;
            if ok(&answer).is_some() {
                acked.lock().expect("lock").school.0 = n;
            } else {
                pause().await;
            }
        }
    });
    for task in [proposing, approving, editing, filing] {
        task.await.expect("driver task");
    }
}

/// Everything acknowledged before the kill is there, and nothing is
/// inconsistent.
async fn check(
    app: &TestApp,
    node: &Node,
    dir: &NodeDir,
    officer: &Http,
    acked: &Acked,
    offer: &str,
    child: &str,
) {
    assert_eq!(
        checks::present(app, "offers", &acked.offers).await,
        acked.offers.len(),
        "an acknowledged offer is missing"
    );
    assert_eq!(
        checks::present(app, "matches", &acked.proposals).await,
        acked.proposals.len(),
        "an acknowledged proposal is missing"
    );
    for (id, status) in checks::statuses(app, &acked.approved).await {
        assert!(
            ["approved", "in_service", "completed"].contains(&status.as_str()),
            "acknowledged approval {id} is {status}"
        );
    }
    assert_eq!(
        checks::statuses(app, &acked.approved).await.len(),
        acked.approved.len()
    );
    // An edit in flight at the kill may have committed, an older one never wins.
    let shown = officer.ok(&format!("/api/v1/offers/{offer}")).await;
    let n = number_in(shown["title"].as_str().unwrap_or(""));
    let (done, sent) = acked.title;
    assert!(
        n >= done && n <= sent,
        "title edit {n}, acknowledged {done}, sent {sent}"
    );
    let file = officer.ok(&format!("/api/v1/children/{child}")).await;
    let n = number_in(file["school"].as_str().unwrap_or(""));
    let (done, sent) = acked.school;
    assert!(
        n >= done && n <= sent,
        "school edit {n}, acknowledged {done}, sent {sent}"
    );
    checks::places_add_up(app).await;
    checks::audit_intact(app).await;
    checks::search_equals_reindex(node, dir).await;
}

// Threads: the load streams while the test waits to kill.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_at_random_points_loses_no_acknowledged_write() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let mut provider = app.verified_provider().await;
    let offer = tutoring_offer(&mut provider, 3).await;
    let mut codes = Vec::new();
    let mut child = String::new();
    for _ in 0..(ROUNDS * 8) {
        let (need, code, _) = child_with_need(&mut officer, "tutoring", 1).await;
        codes.push(code);
        if child.is_empty() {
            child = officer.get(&format!("/api/v1/needs/{need}")).await.json()["child_id"]
                .as_str()
                .expect("child_id")
                .to_owned();
        }
    }
    let codes = Arc::new(Mutex::new(codes));
    let acked = Arc::new(Mutex::new(Acked::default()));
    let dir = NodeDir::beside(&app);
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(7)
        | 1;
    eprintln!("kill points from seed {seed}");
    let mut rng = Rng(seed);
    for round in 0..=ROUNDS {
        let mut node = Node::start(&dir).await;
        let officer_http = Http::as_(&officer, &node);
        let provider_http = Http::as_(&provider, &node);
        if round > 0 {
            let snapshot = std::mem::take(&mut *acked.lock().expect("lock"));
            check(&app, &node, &dir, &officer_http, &snapshot, &offer, &child).await;
            *acked.lock().expect("lock") = snapshot;
        }
        if round == ROUNDS {
            break;
        }
        let stop = Arc::new(AtomicBool::new(false));
        let load = tokio::spawn(drive(
            provider_http,
            officer_http,
            offer.clone(),
            child.clone(),
            codes.clone(),
            acked.clone(),
            stop.clone(),
        ));
        tokio::time::sleep(Duration::from_millis(300 + rng.below(1700))).await;
        node.kill();
        stop.store(true, Ordering::SeqCst);
        load.await.expect("load");
    }
    let acked = acked.lock().expect("lock");
    eprintln!(
        "{ROUNDS} kills: {} offers, {} proposals, {} approvals, {} title and {} file edits acknowledged",
        acked.offers.len(),
        acked.proposals.len(),
        acked.approved.len(),
        acked.title.0,
        acked.school.0
    );
    assert!(
        acked.offers.len() >= ROUNDS as usize && acked.title.0 > 0 && acked.school.0 > 0,
        "the load wrote too little to test anything"
    );
}
