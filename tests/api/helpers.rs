//! `TestApp` and `TestClient`: one app per test, clients that keep their
//! session cookie and CSRF token like a browser or an API script would.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU32, Ordering};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use carebridge::config::Settings;
use carebridge::domain::Role;
use carebridge::services::users;
use http_body_util::BodyExt;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend};
use serde_json::{Value, json};
use tower::ServiceExt;

pub const ADMIN: &str = "county_root";
pub const PASSWORD: &str = "correct horse battery staple";
pub const TOWNSHIP_A: &str = "500235001";
pub const TOWNSHIP_B: &str = "500235101";
pub const VILLAGE_A: &str = "500235001201";

/// A fresh, migrated database and the router over it.
pub struct TestApp {
    pub router: Router,
    pub db: DatabaseConnection,
    pub prepared: carebridge::app::Prepared,
    pub search: std::sync::Arc<carebridge::services::search::SearchHandle>,
    pub settings: Settings,
    pub _dir: tempfile::TempDir,
    pg_drop: Option<(String, String)>,
    counter: AtomicU32,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// An app whose settings `adjust` changes first (shorter expiries, lower limits).
    pub async fn spawn_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
        // As `main` does first: what SQLite and tantivy create is owner-only.
        carebridge::files::restrict_umask();
        let dir = tempfile::tempdir().expect("temp dir");
        let (database_url, pg_drop) = empty_database(dir.path()).await;
        let mut settings = Settings::from_common(&carebridge::config::CommonArgs {
            data_dir: dir.path().to_path_buf(),
            database_url: Some(database_url),
            k_anonymity: 5,
            overdue_days: 7,
            service_gap_days: 30,
            entitlement_rules: None,
            indicators: None,
        });
        settings.throttle_per_account = 5;
        settings.throttle_per_address = 20;
        // Tests register many organisations and families from one address;
        // the registration throttle's own tests lower this.
        settings.register_per_address = 10_000;
        // Each test keeps its key file in its own data directory, whatever
        // the environment running the tests says.
        settings.vault_key = None;
        adjust(&mut settings);
        Self::open_existing(settings, dir, pg_drop).await
    }

    /// An app over the database and data directory `settings` name (a
    /// restored backup); `pg_drop` is dropped with it.
    pub async fn open_existing(
        settings: Settings,
        dir: tempfile::TempDir,
        pg_drop: Option<(String, String)>,
    ) -> TestApp {
        let prepared = carebridge::app::prepare(&settings)
            .await
            .expect("prepare database");
        let search = carebridge::app::open_search(&prepared, &settings)
            .await
            .expect("open search index");
        let router = carebridge::app::router(prepared.clone(), search.clone(), settings.clone());
        TestApp {
            router,
            db: prepared.db.clone(),
            prepared,
            search,
            settings,
            _dir: dir,
            pg_drop,
            counter: AtomicU32::new(0),
        }
    }

    /// Moves the app's clock forward (deadlines, overdue items), as if
    /// `by` had passed.
    pub fn advance_clock(&self, by: chrono::Duration) {
        assert!(
            self.prepared.clock.advance(by),
            "the test app's clock moves"
        );
    }

    pub fn is_postgres(&self) -> bool {
        self.db.get_database_backend() == DbBackend::Postgres
    }

    pub fn client(&self) -> TestClient {
        TestClient {
            router: self.router.clone(),
            cookie: None,
            csrf: None,
            addr: IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)),
        }
    }

    /// Drops the trigger that refuses UPDATE on the audit log, as someone with
    /// direct database access could, so that tests can tamper with an entry.
    pub async fn drop_audit_update_trigger(&self) {
        let sql = if self.is_postgres() {
            "DROP TRIGGER audit_log_no_update ON audit_log"
        } else {
            "DROP TRIGGER audit_log_no_update"
        };
        self.db.execute_unprepared(sql).await.expect("drop trigger");
    }

    /// Applies the search outbox now, as the server's indexer would within
    /// a fraction of a second; returns how many entries it applied.
    pub async fn index_now(&self) -> usize {
        carebridge::services::search::indexer::catch_up(
            self.prepared.store(),
            &self.search,
            self.settings.k_anonymity,
        )
        .await
        .expect("catch up")
    }

    /// Stops and starts the app on the same database and data directory, as
    /// after a crash: the search index is reopened and catches up from the
    /// outbox, the sessions stay in the database.
    pub async fn restart(&mut self) {
        self.router = Router::new();
        // Release the index writer: the only handle left is this one.
        let scratch = tempfile::tempdir().expect("temp dir");
        self.search = std::sync::Arc::new(
            carebridge::services::search::SearchHandle::open(scratch.path())
                .expect("scratch index"),
        );
        let prepared = carebridge::app::prepare(&self.settings)
            .await
            .expect("prepare again");
        self.search = carebridge::app::open_search(&prepared, &self.settings)
            .await
            .expect("reopen search index");
        self.router =
            carebridge::app::router(prepared.clone(), self.search.clone(), self.settings.clone());
        self.prepared = prepared;
    }

    /// A unique name for this test's records.
    pub fn unique(&self, prefix: &str) -> String {
        format!("{prefix}{}", self.counter.fetch_add(1, Ordering::Relaxed))
    }

    /// Creates the county administrator from the "command line".
    pub async fn seed_admin(&self) {
        if carebridge::db::users::username_taken(&self.db, ADMIN)
            .await
            .expect("query")
        {
            return;
        }
        users::create_admin_from_cli(&self.db, ADMIN, PASSWORD.to_owned())
            .await
            .expect("create admin");
    }

    pub async fn admin(&self) -> TestClient {
        self.seed_admin().await;
        let mut client = self.client();
        client
            .login(ADMIN, PASSWORD)
            .await
            .assert_status(StatusCode::OK);
        client
    }

    /// Creates a staff account of `role` (township A / village A) and logs it in.
    pub async fn login_as(&self, role: Role) -> TestClient {
        self.login_staff(role, Some(TOWNSHIP_A), Some(VILLAGE_A))
            .await
    }

    pub async fn login_staff(
        &self,
        role: Role,
        township: Option<&str>,
        village: Option<&str>,
    ) -> TestClient {
        if role == Role::CountyAdmin {
            return self.admin().await;
        }
        let mut admin = self.admin().await;
        let username = self.unique(role.as_str().split('_').next().unwrap_or("staff"));
        let body = match role {
            Role::TownshipOfficer => {
                json!({"username": username, "password": PASSWORD, "role": role.as_str(), "township": township})
            }
            _ => {
                json!({"username": username, "password": PASSWORD, "role": role.as_str(), "village": village})
            }
        };
        admin
            .post_json("/api/v1/users", body)
            .await
            .assert_status(StatusCode::CREATED);
        self.logged_in(&username).await
    }

    /// A client logged in as `username` (whose password is [`PASSWORD`]).
    pub async fn logged_in(&self, username: &str) -> TestClient {
        self.logged_in_with(username, PASSWORD).await
    }

    /// A client logged in as `username` with `password`.
    pub async fn logged_in_with(&self, username: &str, password: &str) -> TestClient {
        let mut client = self.client();
        client
            .login(username, password)
            .await
            .assert_status(StatusCode::OK);
        client
    }

    /// Registers a provider through the public API; returns its id and username.
    pub async fn register_provider(&self) -> (String, String) {
        let username = self.unique("org");
        let response = self
            .client()
            .post_json("/api/v1/providers", provider_body(&username))
            .await;
        response.assert_status(StatusCode::CREATED);
        (
            response.json()["id"].as_str().expect("id").to_owned(),
            username,
        )
    }

    /// Files a family application in `township`; returns its id and username.
    pub async fn apply_family(&self, township: &str) -> (String, String) {
        let username = self.unique("family");
        let response = self
            .client()
            .post_json("/api/v1/families", family_body(&username, township))
            .await;
        response.assert_status(StatusCode::CREATED);
        (
            response.json()["id"].as_str().expect("id").to_owned(),
            username,
        )
    }
}

/// A new empty database for a test: a SQLite file in `dir`, or with
/// `CAREBRIDGE_TEST_POSTGRES` a PostgreSQL database of its own. Returns
/// its URL and, for PostgreSQL, (server, name) to drop it by.
pub async fn empty_database(dir: &std::path::Path) -> (String, Option<(String, String)>) {
    match std::env::var("CAREBRIDGE_TEST_POSTGRES") {
        Ok(server) if !server.is_empty() => {
            let name = format!("cb_test_{}", uuid::Uuid::new_v4().simple());
            let admin = sea_orm::Database::connect(server.as_str())
                .await
                .expect("connect to PostgreSQL");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            admin.close().await.ok();
            let base = server
                .rsplit_once('/')
                .map(|(b, _)| b.to_owned())
                .unwrap_or(server.clone());
            (format!("{base}/{name}"), Some((server, name)))
        }
        _ => (
            format!("sqlite://{}?mode=rwc", dir.join("test.db").display()),
            None,
        ),
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((server, name)) = self.pg_drop.take() {
            // Drop runs outside async: use a runtime of its own on a thread of its own.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                if let Ok(runtime) = runtime {
                    runtime.block_on(async {
                        if let Ok(admin) = sea_orm::Database::connect(server.as_str()).await {
                            let _ = admin
                                .execute_unprepared(&format!(
                                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                                ))
                                .await;
                            let _ = admin.close().await;
                        }
                    });
                }
            })
            .join();
        }
    }
}

/// A valid provider registration for `username` (credit code with its check character).
pub fn provider_body(username: &str) -> Value {
    json!({
        "kind": "charity",
        "name": format!("云阳县爱心慈善会{username}"),
        "credit_code": credit_code_for(username),
        "contact_name": "陈女士",
        "contact_phone": "13912345678",
        "townships": [TOWNSHIP_A, TOWNSHIP_B],
        "description": "资助困境儿童就学，组织志愿者陪伴。",
        "username": username,
        "password": PASSWORD,
    })
}

/// A valid credit code derived from `seed`, distinct per seed.
pub fn credit_code_for(seed: &str) -> String {
    const CHARSET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let mut hash: u64 = 1469598103934665603;
    for b in seed.bytes() {
        hash = (hash ^ u64::from(b)).wrapping_mul(1099511628211);
    }
    let mut body = String::from("53500235");
    for _ in 0..9 {
        body.push(CHARSET[(hash % 31) as usize] as char);
        hash /= 31;
    }
    let check =
        carebridge::domain::credit_code::check_character(&body).expect("17 valid characters");
    format!("{body}{check}")
}

pub fn family_body(username: &str, township: &str) -> Value {
    json!({
        "household_name": "刘家",
        "township": township,
        "members": 3,
        "housing": "自有住房两室一厅",
        "contact_phone": "023-55123456",
        "care_types": ["sponsorship"],
        "username": username,
        "password": PASSWORD,
    })
}

/// A client with its own cookie and CSRF token.
#[derive(Clone)]
pub struct TestClient {
    pub router: Router,
    pub cookie: Option<String>,
    pub csrf: Option<String>,
    pub addr: IpAddr,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl TestResponse {
    /// The body as JSON; a body that is not JSON fails the test, naming the
    /// status and the start of the body (an HTML error page, an empty 204).
    #[track_caller]
    pub fn json(&self) -> Value {
        match serde_json::from_slice(&self.body) {
            Ok(value) => value,
            Err(error) => panic!(
                "expected a JSON body ({error}); status {}, body: {:?}",
                self.status,
                self.body_start()
            ),
        }
    }

    /// The first characters of the body, for failure messages.
    fn body_start(&self) -> String {
        const SHOWN: usize = 300;
        let text = self.text();
        match text.char_indices().nth(SHOWN) {
            Some((end, _)) => format!("{}…", &text[..end]),
            None => text,
        }
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    #[track_caller]
    pub fn assert_status(&self, expected: StatusCode) -> &Self {
        assert_eq!(
            self.status,
            expected,
            "unexpected status; body: {}",
            self.text()
        );
        self
    }

    /// Asserts the status, then that the body holds none of `absent`: a text
    /// missing from a 404 or 500 page proves nothing.
    #[track_caller]
    pub fn assert_without(&self, expected: StatusCode, absent: &[&str]) -> &Self {
        self.assert_status(expected);
        let text = self.text();
        for needle in absent {
            if let Some(at) = text.find(needle) {
                let from = text.floor_char_boundary(at.saturating_sub(120));
                let to = text.ceil_char_boundary((at + needle.len() + 120).min(text.len()));
                panic!("{needle:?} is in the answer: …{}…", &text[from..to]);
            }
        }
        self
    }

    /// [`Self::assert_without`] on a 200 answer.
    #[track_caller]
    pub fn assert_ok_without(&self, absent: &[&str]) -> &Self {
        self.assert_without(StatusCode::OK, absent)
    }

    /// The text of the error element of form field `field` (the
    /// `<p id="{field}-error">` its input's `aria-describedby` names), if the
    /// page shows one.
    pub fn field_error(&self, field: &str) -> Option<String> {
        let html = self.text();
        let at = html.find(&format!("id=\"{field}-error\""))?;
        let open = html[..at].rfind('<')?;
        let tag: String = html[open + 1..]
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        let start = at + html[at..].find('>')? + 1;
        let end = start + html[start..].find(&format!("</{tag}>"))?;
        let mut text = String::new();
        let mut in_tag = false;
        for c in html[start..end].chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                _ if !in_tag => text.push(c),
                _ => {}
            }
        }
        Some(text.trim().to_owned())
    }

    /// The `details` of an error body, as (field, message) pairs.
    /// The message of the API's error JSON for `field`, if it names one.
    pub fn json_field_error(&self, field: &str) -> Option<String> {
        self.json()["error"]["details"]
            .as_array()?
            .iter()
            .find(|d| d["field"] == field)
            .and_then(|d| d["message"].as_str().map(str::to_owned))
    }

    pub fn error_fields(&self) -> Vec<String> {
        self.json()["error"]["details"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|d| d["field"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl TestClient {
    pub async fn send(&mut self, mut request: Request<Body>) -> TestResponse {
        if let Some(cookie) = &self.cookie {
            request.headers_mut().insert(
                header::COOKIE,
                format!("cb_session={cookie}").parse().expect("cookie"),
            );
        }
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::new(self.addr, 40000)));
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        for value in headers.get_all(header::SET_COOKIE) {
            let value = value.to_str().unwrap_or("");
            if let Some(rest) = value.strip_prefix("cb_session=") {
                let id = rest.split(';').next().unwrap_or("");
                self.cookie = if id.is_empty() || value.contains("Max-Age=0") {
                    None
                } else {
                    Some(id.to_owned())
                };
            }
        }
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        TestResponse {
            status,
            headers,
            body,
        }
    }

    fn json_request(&self, method: Method, path: &str, body: Option<&Value>) -> Request<Body> {
        let mut builder = Request::builder().method(method.clone()).uri(path);
        if method != Method::GET
            && let Some(token) = &self.csrf
        {
            builder = builder.header("x-csrf-token", token);
        }
        match body {
            Some(body) => builder
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string())),
            None => builder.body(Body::empty()),
        }
        .expect("request")
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        let request = self.json_request(Method::GET, path, None);
        self.send(request).await
    }

    pub async fn post_json(&mut self, path: &str, body: Value) -> TestResponse {
        self.send_json(Method::POST, path, body).await
    }

    pub async fn send_json(&mut self, method: Method, path: &str, body: Value) -> TestResponse {
        let request = self.json_request(method, path, Some(&body));
        self.send(request).await
    }

    pub async fn patch_json(&mut self, path: &str, body: Value) -> TestResponse {
        self.send_json(Method::PATCH, path, body).await
    }

    pub async fn delete(&mut self, path: &str) -> TestResponse {
        let request = self.json_request(Method::DELETE, path, None);
        self.send(request).await
    }

    /// A client of `app` with this client's session cookie and CSRF token:
    /// the same person on another node, or on a restored backup.
    pub fn on(&self, app: &TestApp) -> TestClient {
        TestClient {
            router: app.router.clone(),
            cookie: self.cookie.clone(),
            csrf: self.csrf.clone(),
            addr: self.addr,
        }
    }

    /// The session cookie's value and the CSRF token, for a client of a
    /// portal running in another process.
    pub fn credentials(&self) -> (Option<String>, Option<String>) {
        (self.cookie.clone(), self.csrf.clone())
    }

    /// `POST /api/v1/session`; keeps the cookie and CSRF token on success.
    pub async fn login(&mut self, username: &str, password: &str) -> TestResponse {
        let body = json!({"username": username, "password": password});
        let request = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/session")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .expect("request");
        let response = self.send(request).await;
        if response.status == StatusCode::OK {
            self.csrf = response.json()["csrf_token"].as_str().map(str::to_owned);
        }
        response
    }

    /// A form POST as a browser sends it; `fields` should include `csrf_token`.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request");
        self.send(request).await
    }

    /// The CSRF token embedded in a page's forms.
    pub async fn page_csrf(&mut self, path: &str) -> String {
        let page = self.get(path).await;
        let html = page.text();
        let marker = "name=\"csrf_token\" value=\"";
        let start = html
            .find(marker)
            .expect("page has a form with a CSRF field")
            + marker.len();
        html[start..].split('"').next().expect("token").to_owned()
    }
}

/// The day the tests' birth dates are written for. Each birth date moves
/// with the calendar by as many days as have passed since, so that every
/// child keeps the age, age band and distance to its birthdays it had on
/// that day: the tests do not grow up.
const WRITTEN_ON: (i32, u32, u32) = (2026, 11, 28);

/// `birth` (YYYYMMDD, as written on [`WRITTEN_ON`]) moved to today.
pub fn birth_today(birth: &str) -> chrono::NaiveDate {
    let (y, m, d) = WRITTEN_ON;
    let written = chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date");
    let given = chrono::NaiveDate::parse_from_str(birth, "%Y%m%d").expect("YYYYMMDD");
    given + (chrono::Local::now().date_naive() - written)
}

/// A valid ID number of the demo county born on `birth` (YYYYMMDD, see
/// [`birth_today`]) with sequence `seq` (0–499); the 17th digit is odd for boys.
pub fn id_number_for(birth: &str, seq: u32, male: bool) -> String {
    let seq = seq * 2 + u32::from(male);
    let birth = birth_today(birth).format("%Y%m%d");
    let first17 = format!("500235{birth}{seq:03}");
    let check = carebridge::domain::id_number::check_digit(&first17).expect("17 digits");
    format!("{first17}{check}")
}

/// A complete file for a poor child whose guardian consented to both uses.
pub fn child_body(name: &str, id_number: &str, township: &str, village: &str) -> Value {
    let male = id_number
        .chars()
        .nth(16)
        .and_then(|c| c.to_digit(10))
        .is_some_and(|d| d % 2 == 1);
    json!({
        "name": name,
        "id_number": id_number,
        "gender": if male { "male" } else { "female" },
        "township": township,
        "village": village,
        "guardian_name": "柏建华",
        "guardian_relation": "父亲",
        "guardian_phone": "13912345678",
        "address": "滨江路18号",
        "difficulties": ["poverty"],
        "poverty_type": "minimum_living",
        "assistance": ["minimum_living"],
        "consent": {"keep_file": true, "publish_needs": true}
    })
}

/// A need body for `child_id` with harmless texts.
pub fn need_body(child_id: &str) -> Value {
    json!({
        "child_id": child_id,
        "category": "tutoring",
        "title": "四年级数学课业辅导",
        "description": "希望每周两次放学后辅导数学作业，每次约1小时。",
        "quantity": 1,
        "urgency": "normal"
    })
}

impl TestClient {
    /// Creates a file through the API; returns its id.
    pub async fn create_child(&mut self, body: Value) -> String {
        let response = self.post_json("/api/v1/children", body).await;
        response.assert_status(StatusCode::CREATED);
        response.json()["id"].as_str().expect("id").to_owned()
    }

    /// Writes and publishes a need for `child_id`; returns (id, code).
    pub async fn publish_need(&mut self, child_id: &str) -> (String, String) {
        let response = self.post_json("/api/v1/needs", need_body(child_id)).await;
        response.assert_status(StatusCode::CREATED);
        let id = response.json()["id"].as_str().expect("id").to_owned();
        let code = response.json()["code"].as_str().expect("code").to_owned();
        self.post_json(&format!("/api/v1/needs/{id}/publish"), json!({}))
            .await
            .assert_status(StatusCode::OK);
        (id, code)
    }
}

impl TestApp {
    /// A verified provider, logged in.
    pub async fn verified_provider(&self) -> TestClient {
        let (id, username) = self.register_provider().await;
        self.admin()
            .await
            .post_json(
                &format!("/api/v1/providers/{id}/decision"),
                json!({"decision": "verify"}),
            )
            .await
            .assert_status(StatusCode::OK);
        self.logged_in(&username).await
    }

    /// A family whose application is approved, logged in. The approval
    /// workflow is not built yet, so the status is set in the database.
    pub async fn approved_family(&self, township: &str) -> TestClient {
        let (id, username) = self.apply_family(township).await;
        self.db
            .execute_unprepared(&format!(
                "UPDATE families SET status = 'approved', approved_until = '{}' WHERE id = '{id}'",
                carebridge::domain::family::approval_ends(chrono::Local::now().date_naive())
            ))
            .await
            .expect("approve family");
        self.logged_in(&username).await
    }

    /// Audit entries (newest first) whose action is `action`.
    pub async fn audit_entries(&self, action: &str) -> Vec<Value> {
        let mut admin = self.admin().await;
        let response = admin.get("/api/v1/audit?limit=100").await;
        response.assert_status(StatusCode::OK);
        response.json()["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|e| e["action"] == action)
            .cloned()
            .collect()
    }
}

/// An offer body in `category` serving `townships`.
pub fn offer_body(category: &str, title: &str, description: &str, townships: &[&str]) -> Value {
    json!({
        "category": category,
        "title": title,
        "description": description,
        "capacity": 10,
        "townships": townships,
        "age_min": 6,
        "age_max": 14,
        "schedule": "每周二、四下午",
    })
}

impl TestClient {
    /// Posts an offer; returns its id.
    pub async fn create_offer(&mut self, body: Value) -> String {
        let response = self.post_json("/api/v1/offers", body).await;
        response.assert_status(StatusCode::CREATED);
        response.json()["id"].as_str().expect("id").to_owned()
    }
}

/// The birth date inside an ID number, as YYYYMMDD and as YYYY-MM-DD.
pub fn birth_of(id_number: &str) -> (String, String) {
    let compact = id_number[6..14].to_owned();
    let dashed = format!("{}-{}-{}", &compact[..4], &compact[4..6], &compact[6..]);
    (compact, dashed)
}

impl TestResponse {
    /// The body without the request id an error answer names (different
    /// for every request): what two answers must share to say the same.
    pub fn body_without_request_id(&self) -> Value {
        let mut body = self.json();
        if let Some(error) = body.get_mut("error").and_then(Value::as_object_mut) {
            error.remove("request_id");
        }
        body
    }
}

/// Rolls the schema back to just before migration `name` (however many
/// came after it) and migrates up again, as an upgrade from that version
/// would. On one connection, in one transaction: SQLite checks some DDL
/// (`ADD COLUMN`'s duplicate check) against the schema a pooled connection
/// has cached, so a statement on another connection than the one that
/// dropped the column could still see it.
pub async fn remigrate_from(db: &DatabaseConnection, name: &str) {
    use migrations::{Migrator, MigratorTrait};
    use sea_orm::TransactionTrait;
    let since = Migrator::migrations()
        .iter()
        .rev()
        .position(|m| m.name() == name)
        .unwrap_or_else(|| panic!("migration {name} is listed"));
    let steps = u32::try_from(since + 1).expect("few migrations");
    let txn = db.begin().await.expect("begin");
    Migrator::down(&txn, Some(steps))
        .await
        .unwrap_or_else(|e| panic!("down to before {name}: {e}"));
    Migrator::up(&txn, None).await.expect("up again");
    txn.commit().await.expect("commit");
}
