//! Search benchmark: generates synthetic offers and needs into a temporary
//! SQLite database, rebuilds the index, then answers one fixed mix of
//! queries three ways, in the same run:
//!
//! - through the service layer (`services::search::search`),
//! - through HTTP in process (the axum router, `tower::ServiceExt::oneshot`),
//! - by a SQL `LIKE '%term%'` scan over the same rows (the baseline),
//!
//! and finally starts the release `carebridge serve` on the generated data
//! directory to measure its steady memory with that index open.
//!
//! Run: `cargo bench --bench search -- [--offers 100000] [--needs 100000]
//! [--seed 7] [--queries 30] [--like-rounds 3] [--no-server]`.
//! Prints Markdown.

#[path = "support/common.rs"]
mod common;

use common::{Error, ms, percentile};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use carebridge::domain::Role;
use carebridge::services::search::{SearchHandle, SearchRequest, indexer, search};
use carebridge::services::{Principal, users};
use http_body_util::BodyExt;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, Value};
use tower::ServiceExt;

const PASSWORD: &str = "bench horse battery staple 4821";

struct Args {
    offers: usize,
    needs: usize,
    seed: u64,
    rounds: usize,
    like_rounds: usize,
    server: bool,
}

fn parse_args() -> Result<Args, Error> {
    let mut args = Args {
        offers: 100_000,
        needs: 100_000,
        seed: 7,
        rounds: 30,
        like_rounds: 3,
        server: true,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--offers" => args.offers = value()?.parse()?,
            "--needs" => args.needs = value()?.parse()?,
            "--seed" => args.seed = value()?.parse()?,
            "--queries" => args.rounds = value()?.parse()?,
            "--like-rounds" => args.like_rounds = value()?.parse()?,
            "--no-server" => args.server = false,
            // `cargo bench` passes `--bench`; ignore it and anything unknown.
            _ => {}
        }
    }
    Ok(args)
}

/// One query of the mix.
#[derive(Clone, Debug)]
struct BenchQuery {
    text: &'static str,
    kind: &'static str,
    category: Option<&'static str>,
    township: Option<String>,
}

impl BenchQuery {
    fn filtered(&self) -> bool {
        self.category.is_some() || self.township.is_some()
    }

    fn filters(&self) -> String {
        match (self.category, &self.township) {
            (None, None) => "—".into(),
            (Some(c), None) => c.into(),
            (Some(c), Some(t)) => format!("{c} + {t}"),
            (None, Some(t)) => t.clone(),
        }
    }

    fn request(&self) -> SearchRequest {
        SearchRequest {
            q: self.text.to_owned(),
            kind: Some(self.kind.to_owned()),
            category: self.category.map(str::to_owned),
            township: self.township.clone(),
            limit: Some(20),
            offset: None,
        }
    }

    fn path(&self) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query
            .append_pair("q", self.text)
            .append_pair("type", self.kind);
        if let Some(c) = self.category {
            query.append_pair("category", c);
        }
        if let Some(t) = &self.township {
            query.append_pair("township", t);
        }
        query.append_pair("limit", "20");
        format!("/api/v1/search?{}", query.finish())
    }
}

/// 1- to 3-term queries with the category each one is about.
const TEXTS: &[(&str, &str)] = &[
    ("孤独症", "rehabilitation"),
    ("课业辅导", "tutoring"),
    ("康复 训练", "rehabilitation"),
    ("心理 疏导 儿童", "counselling"),
    ("捐赠", "donation_goods"),
    ("四点半课堂", "tutoring"),
    ("法律援助", "legal_aid"),
    ("自闭症", "rehabilitation"),
    ("补习", "tutoring"),
    ("家庭教育 指导", "family_education"),
    ("留守儿童 陪伴", "companionship"),
    ("冬衣 捐赠 学习用品", "donation_goods"),
];

/// Each text for offers and needs, without filters, with a category, and
/// with a category and a township.
fn mix(townships: &[String]) -> Vec<BenchQuery> {
    let mut out = Vec::new();
    for (i, (text, category)) in TEXTS.iter().enumerate() {
        for kind in ["offer", "need"] {
            let base = BenchQuery {
                text,
                kind,
                category: None,
                township: None,
            };
            out.push(base.clone());
            out.push(BenchQuery {
                category: Some(category),
                ..base.clone()
            });
            out.push(BenchQuery {
                category: Some(category),
                township: townships.get(i % townships.len().max(1)).cloned(),
                ..base
            });
        }
    }
    out
}

/// Latencies of one path, per query of the mix.
struct Samples {
    per_query: Vec<Vec<Duration>>,
    hits: Vec<u64>,
}

impl Samples {
    fn new(n: usize) -> Samples {
        Samples {
            per_query: vec![Vec::new(); n],
            hits: vec![0; n],
        }
    }

    fn record(&mut self, i: usize, elapsed: Duration, hits: u64) {
        if let Some(s) = self.per_query.get_mut(i) {
            s.push(elapsed);
        }
        if let Some(h) = self.hits.get_mut(i) {
            *h = hits;
        }
    }

    fn select(&self, queries: &[BenchQuery], keep: impl Fn(&BenchQuery) -> bool) -> Vec<Duration> {
        let mut all: Vec<Duration> = self
            .per_query
            .iter()
            .zip(queries)
            .filter(|(_, q)| keep(q))
            .flat_map(|(s, _)| s.iter().copied())
            .collect();
        all.sort_unstable();
        all
    }
}

fn mean(sorted: &[Duration]) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted.iter().sum::<Duration>() / sorted.len() as u32
}

/// Memory of a process from `/proc/<pid>/status`, in MB.
#[derive(Clone, Copy)]
struct Memory {
    rss: f64,
    peak: f64,
    anon: f64,
    file: f64,
}

impl Memory {
    fn read(pid: &str) -> Option<Memory> {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let field = |name: &str| -> Option<f64> {
            let line = status.lines().find(|l| l.starts_with(name))?;
            let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kb / 1024.0)
        };
        Some(Memory {
            rss: field("VmRSS:")?,
            peak: field("VmHWM:")?,
            anon: field("RssAnon:").unwrap_or(0.0),
            file: field("RssFile:").unwrap_or(0.0),
        })
    }

    fn describe(&self) -> String {
        format!(
            "VmRSS {:.0} MB (anonymous {:.0} MB, mapped files {:.0} MB; peak {:.0} MB)",
            self.rss, self.anon, self.file, self.peak
        )
    }
}

// ---------------------------------------------------------------- LIKE baseline

fn placeholder(backend: DbBackend, n: usize) -> String {
    match backend {
        DbBackend::Postgres => format!("${n}"),
        _ => "?".to_owned(),
    }
}

/// The WHERE clause and values of the LIKE scan for `q`: every term in the
/// title or the description, the same status and filters as the index.
fn like_where(backend: DbBackend, q: &BenchQuery) -> (String, Vec<Value>) {
    let mut values: Vec<Value> = Vec::new();
    let next = |values: &mut Vec<Value>, v: Value| {
        values.push(v);
        placeholder(backend, values.len())
    };
    let (alias, status) = if q.kind == "offer" {
        ("o", "active")
    } else {
        ("n", "published")
    };
    let mut clauses = vec![format!(
        "{alias}.status = {}",
        next(&mut values, status.into())
    )];
    for term in q.text.split_whitespace() {
        let pattern = format!("%{term}%");
        let a = next(&mut values, pattern.clone().into());
        let b = next(&mut values, pattern.into());
        clauses.push(format!(
            "({alias}.title LIKE {a} OR {alias}.description LIKE {b})"
        ));
    }
    if let Some(c) = q.category {
        clauses.push(format!(
            "{alias}.category = {}",
            next(&mut values, c.into())
        ));
    }
    if let Some(t) = &q.township {
        if q.kind == "offer" {
            // Positional placeholders: push values in the order they appear.
            let yes = next(&mut values, true.into());
            let p = next(&mut values, t.clone().into());
            clauses.push(format!(
                "(o.county_wide = {yes} OR EXISTS (SELECT 1 FROM offer_townships ot WHERE ot.offer_id = o.id AND ot.township_code = {p}))"
            ));
        } else {
            let p = next(&mut values, t.clone().into());
            clauses.push(format!("n.township_code = {p}"));
        }
    }
    (clauses.join(" AND "), values)
}

/// COUNT and the newest 20 rows, as a search page needs.
async fn like_search(db: &DatabaseConnection, q: &BenchQuery) -> Result<u64, Error> {
    let backend = db.get_database_backend();
    let (table, alias) = if q.kind == "offer" {
        ("offers", "o")
    } else {
        ("needs", "n")
    };
    let (filter, values) = like_where(backend, q);
    let count = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            format!("SELECT COUNT(*) AS n FROM {table} {alias} WHERE {filter}"),
            values.clone(),
        ))
        .await?
        .map(|row| row.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0);
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT {alias}.id, {alias}.title FROM {table} {alias} WHERE {filter} \
                 ORDER BY {alias}.updated_at DESC, {alias}.id LIMIT 20"
            ),
            values,
        ))
        .await?;
    let mut titles = 0usize;
    for row in &rows {
        titles += row.try_get::<String>("", "title")?.len();
    }
    std::hint::black_box(titles);
    Ok(count as u64)
}

// ---------------------------------------------------------------- HTTP in process

async fn http(
    router: &axum::Router,
    path: &str,
    cookie: Option<&str>,
) -> Result<(StatusCode, Vec<u8>), Error> {
    let mut request = Request::builder().uri(path);
    if let Some(c) = cookie {
        request = request.header(header::COOKIE, format!("cb_session={c}"));
    }
    let mut request = request.body(Body::empty())?;
    request
        .extensions_mut()
        .insert(ConnectInfo(std::net::SocketAddr::from((
            [127, 0, 0, 1],
            40000,
        ))));
    let response = router.clone().oneshot(request).await?;
    let status = response.status();
    let body = response.into_body().collect().await?.to_bytes().to_vec();
    Ok((status, body))
}

/// Logs the county administrator in over the API; returns the session cookie.
async fn login(router: &axum::Router, username: &str) -> Result<String, Error> {
    let body = serde_json::json!({"username": username, "password": PASSWORD}).to_string();
    let mut request = Request::builder()
        .method("POST")
        .uri("/api/v1/session")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))?;
    request
        .extensions_mut()
        .insert(ConnectInfo(std::net::SocketAddr::from((
            [127, 0, 0, 1],
            40001,
        ))));
    let response = router.clone().oneshot(request).await?;
    if response.status() != StatusCode::OK {
        return Err(format!("login answered {}", response.status()).into());
    }
    for value in response.headers().get_all(header::SET_COOKIE) {
        if let Some(rest) = value.to_str()?.strip_prefix("cb_session=") {
            return Ok(rest.split(';').next().unwrap_or("").to_owned());
        }
    }
    Err("login set no session cookie".into())
}

fn total_of(body: &[u8]) -> u64 {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["total"].as_u64())
        .unwrap_or(0)
}

// ---------------------------------------------------------------- the server child

struct ServerFigures {
    ready_after: Duration,
    memory: Memory,
    socket: Vec<Duration>,
}

/// A plain HTTP/1.1 GET over a fresh connection; the status code.
fn socket_get(port: u16, path: &str) -> std::io::Result<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let head = String::from_utf8_lossy(&response[..response.len().min(16)]).into_owned();
    Ok(head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0))
}

/// Starts the release `carebridge serve` on the generated data, waits until
/// it answers `/readyz` (it has caught up; the rebuild recorded today's
/// re-projection, so it does not redo it), runs the anonymous part of the
/// mix over a real socket, and reads its memory.
fn measure_server(data_dir: &Path, queries: &[BenchQuery]) -> Result<ServerFigures, Error> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_carebridge"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .env_remove("CAREBRIDGE_VAULT_KEY")
        .env_remove("DATABASE_URL")
        .env_remove("CAREBRIDGE_DATA_DIR")
        .env_remove("CAREBRIDGE_ADDR")
        .env("CAREBRIDGE_LOG", "info,sqlx=warn,sea_orm=warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let pid = child.id().to_string();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    if let Some(stderr) = child.stderr.take() {
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
    }
    let outcome = (|| -> Result<ServerFigures, Error> {
        let deadline = Instant::now() + Duration::from_secs(600);
        loop {
            match rx.recv_timeout(Duration::from_millis(200)) {
                Ok(line) if line.contains("ERROR") => return Err(format!("server: {line}").into()),
                Ok(_) => {}
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    return Err("the server exited before it was ready".into());
                }
            }
            if matches!(socket_get(port, "/readyz"), Ok(200)) {
                break;
            }
            if Instant::now() > deadline {
                return Err("the server was not ready within 10 minutes".into());
            }
        }
        let ready_after = started.elapsed();
        let anonymous: Vec<&BenchQuery> = queries.iter().filter(|q| q.kind == "offer").collect();
        let mut socket = Vec::new();
        for round in 0..6 {
            for q in &anonymous {
                let t = Instant::now();
                let status = socket_get(port, &q.path())?;
                if status != 200 {
                    return Err(format!("server answered {status} to {}", q.path()).into());
                }
                if round > 0 {
                    socket.push(t.elapsed());
                }
            }
        }
        socket.sort_unstable();
        // Let the indexer tick and allocators settle before reading memory.
        std::thread::sleep(Duration::from_secs(2));
        let memory = Memory::read(&pid).ok_or("cannot read the server's memory")?;
        Ok(ServerFigures {
            ready_after,
            memory,
            socket,
        })
    })();
    let _ = child.kill();
    let _ = child.wait();
    outcome
}

// ---------------------------------------------------------------- main

/// A named subset of the mix.
type Group = (&'static str, fn(&BenchQuery) -> bool);

#[tokio::main]
async fn main() -> Result<(), Error> {
    let args = parse_args()?;
    let common::Data {
        dir,
        prepared,
        generated,
        generation,
    } = common::generate(args.offers, args.needs, args.seed).await?;
    let settings = common::settings(dir.path());

    let started = Instant::now();
    let rebuilt =
        indexer::rebuild(prepared.store(), &settings.data_dir, settings.k_anonymity).await?;
    let build = started.elapsed();

    let handle = Arc::new(SearchHandle::open(&settings.data_dir)?);
    let router = carebridge::app::router(prepared.clone(), handle.clone(), settings.clone());
    let admin =
        users::create_admin_from_cli(&prepared.db, "benchadmin", PASSWORD.to_owned()).await?;
    let principal = Principal {
        id: admin.id.clone(),
        username: admin.username.clone(),
        role: Role::CountyAdmin,
        township: None,
        village: None,
        provider_id: None,
        family_id: None,
        department: None,
    };
    let cookie = login(&router, "benchadmin").await?;
    let townships: Vec<String> = carebridge::db::regions::list_townships(&prepared.db)
        .await?
        .into_iter()
        .map(|t| t.code)
        .collect();
    let queries = mix(&townships);
    let n = queries.len();

    // Warm up every path once (the LIKE scans warm the page cache).
    let mut service = Samples::new(n);
    let mut web = Samples::new(n);
    let mut like = Samples::new(n);
    for q in &queries {
        let caller = (q.kind == "need").then_some(&principal);
        search(prepared.store(), &handle, caller, &q.request()).await?;
        let (status, body) = http(
            &router,
            &q.path(),
            (q.kind == "need").then_some(cookie.as_str()),
        )
        .await?;
        if status != StatusCode::OK {
            return Err(format!(
                "{} answered {status}: {}",
                q.path(),
                String::from_utf8_lossy(&body)
            )
            .into());
        }
    }
    like_search(&prepared.db, &queries[0]).await?;
    like_search(&prepared.db, &queries[1]).await?;

    let started = Instant::now();
    for _ in 0..args.rounds {
        for (i, q) in queries.iter().enumerate() {
            let caller = (q.kind == "need").then_some(&principal);
            let request = q.request();
            let t = Instant::now();
            let outcome = search(prepared.store(), &handle, caller, &request).await?;
            service.record(i, t.elapsed(), outcome.results.total as u64);
        }
    }
    let service_time = started.elapsed();
    let started = Instant::now();
    for _ in 0..args.rounds {
        for (i, q) in queries.iter().enumerate() {
            let path = q.path();
            let t = Instant::now();
            let (_, body) = http(
                &router,
                &path,
                (q.kind == "need").then_some(cookie.as_str()),
            )
            .await?;
            web.record(i, t.elapsed(), total_of(&body));
        }
    }
    let web_time = started.elapsed();
    let started = Instant::now();
    for _ in 0..args.like_rounds {
        for (i, q) in queries.iter().enumerate() {
            let t = Instant::now();
            let total = like_search(&prepared.db, q).await?;
            like.record(i, t.elapsed(), total);
        }
    }
    let like_time = started.elapsed();
    let in_process = Memory::read("self");

    drop(router);
    drop(handle);
    let db = prepared.db.clone();
    drop(prepared);
    db.close().await?;

    let server = if args.server {
        Some(measure_server(dir.path(), &queries))
    } else {
        None
    };

    // ------------------------------------------------------------ report
    let documents = rebuilt.documents;
    println!("\n## Search benchmark\n");
    println!(
        "- data: {} providers, {} offers, {} child files, {} needs (seed {}), generated in {:.1} s ({:.0} rows/s)",
        generated.providers,
        generated.offers,
        generated.children,
        generated.needs,
        args.seed,
        generation.as_secs_f64(),
        (generated.providers + generated.offers + generated.children + generated.needs) as f64
            / generation.as_secs_f64().max(1e-9)
    );
    println!(
        "- full rebuild: {documents} documents in {:.2} s ({:.0} documents/s)",
        build.as_secs_f64(),
        documents as f64 / build.as_secs_f64().max(1e-9)
    );
    println!(
        "- query mix: {n} queries ({} texts of 1–3 terms × offers/needs × no filter / category / category + township); \
         {} rounds through the service layer ({:.1} s) and HTTP ({:.1} s), {} rounds of LIKE ({:.1} s)\n",
        TEXTS.len(),
        args.rounds,
        service_time.as_secs_f64(),
        web_time.as_secs_f64(),
        args.like_rounds,
        like_time.as_secs_f64()
    );
    println!("| path | queries | samples | median ms | p99 ms | mean ms |");
    println!("| --- | --- | ---: | ---: | ---: | ---: |");
    let groups: [Group; 5] = [
        ("all", |_| true),
        ("without filters", |q| !q.filtered()),
        ("with filters", BenchQuery::filtered),
        ("offers", |q| q.kind == "offer"),
        ("needs", |q| q.kind == "need"),
    ];
    let mut medians = Vec::new();
    for (path, samples) in [
        ("service layer", &service),
        ("HTTP (in process)", &web),
        ("SQL LIKE scan", &like),
    ] {
        for (group, keep) in &groups {
            let sorted = samples.select(&queries, keep);
            medians.push((path, *group, percentile(&sorted, 0.5)));
            println!(
                "| {path} | {group} | {} | {:.3} | {:.3} | {:.3} |",
                sorted.len(),
                ms(percentile(&sorted, 0.5)),
                ms(percentile(&sorted, 0.99)),
                ms(mean(&sorted))
            );
        }
    }
    if let Some(Ok(s)) = &server {
        println!(
            "| HTTP over a socket to `carebridge serve` | offers, all | {} | {:.3} | {:.3} | {:.3} |",
            s.socket.len(),
            ms(percentile(&s.socket, 0.5)),
            ms(percentile(&s.socket, 0.99)),
            ms(mean(&s.socket))
        );
    }
    println!();
    for (group, _) in &groups {
        let of = |path: &str| {
            medians
                .iter()
                .find(|(p, g, _)| *p == path && g == group)
                .map(|(_, _, d)| d.as_secs_f64())
                .unwrap_or(0.0)
        };
        println!(
            "- ratio LIKE / service layer at the median, {group}: {:.0}× (LIKE / HTTP: {:.0}×)",
            of("SQL LIKE scan") / of("service layer").max(1e-12),
            of("SQL LIKE scan") / of("HTTP (in process)").max(1e-12)
        );
    }
    if let Some(m) = in_process {
        println!(
            "- bench process after the queries: {}; holds the database pool, \
             the open index and the allocator's leftovers from generating and rebuilding",
            m.describe()
        );
    }
    match &server {
        Some(Ok(s)) => println!(
            "- `carebridge serve` (release) on this data: ready after {:.1} s; \
             after the query mix {}",
            s.ready_after.as_secs_f64(),
            s.memory.describe()
        ),
        Some(Err(e)) => println!("- `carebridge serve` could not be measured: {e}"),
        None => {}
    }
    println!("\n### Per query (medians, ms; hits = total matches)\n");
    println!("| q | type | filters | index hits | LIKE hits | service | HTTP | LIKE |");
    println!("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |");
    for (i, q) in queries.iter().enumerate() {
        let median = |s: &Samples| {
            let mut v = s.per_query[i].clone();
            v.sort_unstable();
            ms(percentile(&v, 0.5))
        };
        println!(
            "| {} | {} | {} | {} | {} | {:.3} | {:.3} | {:.1} |",
            q.text,
            q.kind,
            q.filters(),
            service.hits[i],
            like.hits[i],
            median(&service),
            median(&web),
            median(&like)
        );
    }
    Ok(())
}
