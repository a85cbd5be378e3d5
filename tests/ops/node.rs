//! A `carebridge serve` process on a port of its own, and an HTTP client
//! that keeps a session like a browser.

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use axum::http::{Method, Request, StatusCode, header};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;

use crate::helpers::{TestApp, TestClient};

/// Long enough for a node's notification worker (a round every 2 s) to
/// have run a few rounds.
pub const WORKER_ROUNDS: Duration = Duration::from_secs(5);

/// A free port on the loopback address (free when asked; the node binds
/// it a moment later).
fn free_addr() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
}

/// A node's data directory beside `app`'s database: its own index, the
/// same vault key (the node reads it from the environment, as every node
/// of a province does).
pub struct NodeDir {
    pub dir: tempfile::TempDir,
    pub database_url: String,
    pub vault_key: String,
}

impl NodeDir {
    pub fn beside(app: &TestApp) -> NodeDir {
        let key = std::fs::read_to_string(
            app.settings
                .data_dir
                .join(carebridge::vault::key_file::FILE_NAME),
        )
        .expect("the app's vault key");
        NodeDir {
            dir: tempfile::tempdir().expect("temp dir"),
            database_url: app.settings.database_url.clone(),
            vault_key: key.trim().to_owned(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `carebridge ARGS` on this node's database and directory.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_carebridge"));
        command
            .args(args)
            .env("DATABASE_URL", &self.database_url)
            .env("CAREBRIDGE_DATA_DIR", self.path())
            .env("CAREBRIDGE_VAULT_KEY", &self.vault_key)
            .env("CAREBRIDGE_LOG", "info,sqlx=warn,sea_orm=warn")
            .env_remove("CAREBRIDGE_NEW_VAULT_KEY")
            .env_remove("CAREBRIDGE_ADDR")
            .env_remove("CAREBRIDGE_METRICS_ADDR");
        command
    }

    /// Runs a command to its end; panics with its output when it fails.
    pub async fn run(&self, args: &[&str]) -> String {
        let mut command = self.command(args);
        let output = tokio::task::spawn_blocking(move || command.output().expect("run"))
            .await
            .expect("join");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "carebridge {args:?} failed: {stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        stdout
    }
}

/// A running `carebridge serve`.
pub struct Node {
    child: Option<Child>,
    pub addr: SocketAddr,
    pub metrics: SocketAddr,
    log: PathBuf,
}

impl Node {
    /// Starts a node on `dir` and waits until it answers `/readyz`.
    pub async fn start(dir: &NodeDir) -> Node {
        Node::start_with(dir, &[]).await
    }

    /// [`Node::start`] with further `serve` flags (`--smtp-url …`).
    pub async fn start_with(dir: &NodeDir, flags: &[&str]) -> Node {
        let addr = free_addr();
        let metrics = free_addr();
        let log = dir.path().join(format!("serve-{}.log", addr.port()));
        let out = std::fs::File::create(&log).expect("log file");
        let err = out.try_clone().expect("log file");
        let (addr_text, metrics_text) = (addr.to_string(), metrics.to_string());
        let mut args = vec![
            "serve",
            "--addr",
            &addr_text,
            "--metrics-addr",
            &metrics_text,
        ];
        args.extend_from_slice(flags);
        let child = dir
            .command(&args)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .expect("start carebridge serve");
        let mut node = Node {
            child: Some(child),
            addr,
            metrics,
            log,
        };
        node.wait_ready().await;
        node
    }

    async fn wait_ready(&mut self) {
        let client = Http::anonymous(self);
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            if let Ok((StatusCode::OK, _)) = client.send(Method::GET, "/readyz", None).await {
                return;
            }
            if let Some(child) = self.child.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                panic!("the node exited with {status}:\n{}", self.log());
            }
            assert!(
                Instant::now() < deadline,
                "the node did not become ready:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// What the node printed and logged.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL: no shutdown, no flush, as when the power fails.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().expect("SIGKILL");
            child.wait().expect("reap");
        }
    }

    /// SIGTERM, then waits for the node to finish (at most 60 s).
    pub async fn terminate(&mut self) -> ExitStatus {
        let mut child = self.child.take().expect("running");
        let status = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .expect("kill -TERM");
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = child.try_wait().expect("wait") {
                return status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("the node did not stop after SIGTERM:\n{}", self.log());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The node's `/metrics` text.
    pub async fn metrics(&self) -> String {
        let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
        let response = client
            .get(
                format!("http://{}/metrics", self.metrics)
                    .parse()
                    .expect("uri"),
            )
            .await
            .expect("GET /metrics");
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        String::from_utf8_lossy(&body).into_owned()
    }

    /// Waits until the node's index has applied every outbox entry.
    pub async fn wait_indexed(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let text = self.metrics().await;
            if text.lines().any(|l| l == "carebridge_outbox_lag 0") {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the index stayed behind:\n{text}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

/// An HTTP client of one node with one person's session (or none).
#[derive(Clone)]
pub struct Http {
    client: Client<HttpConnector, Full<Bytes>>,
    base: String,
    cookie: Option<String>,
    csrf: Option<String>,
}

impl Http {
    pub fn anonymous(node: &Node) -> Http {
        Http {
            client: Client::builder(TokioExecutor::new()).build_http(),
            base: format!("http://{}", node.addr),
            cookie: None,
            csrf: None,
        }
    }

    /// Logs in on `node` over HTTP: the session cookie it sets and the
    /// CSRF token it answers.
    pub async fn login(node: &Node, username: &str, password: &str) -> Http {
        let anonymous = Http::anonymous(node);
        let request = Request::builder()
            .method(Method::POST)
            .uri(format!("{}/api/v1/session", anonymous.base))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Full::new(Bytes::from(
                serde_json::json!({"username": username, "password": password}).to_string(),
            )))
            .expect("request");
        let response = anonymous.client.request(request).await.expect("login");
        assert_eq!(response.status(), StatusCode::OK);
        let cookie = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| v.strip_prefix("cb_session="))
            .and_then(|v| v.split(';').next())
            .map(str::to_owned);
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let body: Value = serde_json::from_slice(&body).expect("json");
        Http {
            cookie,
            csrf: body["csrf_token"].as_str().map(str::to_owned),
            ..anonymous
        }
    }

    /// The person `client` is logged in as (in process), on `node`.
    pub fn as_(client: &TestClient, node: &Node) -> Http {
        let (cookie, csrf) = client.credentials();
        Http {
            cookie,
            csrf,
            ..Http::anonymous(node)
        }
    }

    /// The same person on another node.
    pub fn on(&self, node: &Node) -> Http {
        Http {
            base: format!("http://{}", node.addr),
            ..self.clone()
        }
    }

    /// Sends a request; an error when the node did not answer.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(StatusCode, Value), String> {
        let mut builder = Request::builder()
            .method(method.clone())
            .uri(format!("{}{path}", self.base));
        if let Some(cookie) = &self.cookie {
            builder = builder.header(header::COOKIE, format!("cb_session={cookie}"));
        }
        if method != Method::GET
            && let Some(token) = &self.csrf
        {
            builder = builder.header("x-csrf-token", token);
        }
        let body = match body {
            Some(body) => {
                builder = builder.header(header::CONTENT_TYPE, "application/json");
                Full::new(Bytes::from(body.to_string()))
            }
            None => Full::new(Bytes::new()),
        };
        let request = builder.body(body).map_err(|e| e.to_string())?;
        let response = tokio::time::timeout(Duration::from_secs(60), self.client.request(request))
            .await
            .map_err(|_| "timed out".to_owned())?
            .map_err(|e| e.to_string())?;
        let status = response.status();
        let bytes = response
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        Ok((
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        ))
    }

    pub async fn get(&self, path: &str) -> Result<(StatusCode, Value), String> {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Result<(StatusCode, Value), String> {
        self.send(Method::POST, path, Some(body)).await
    }

    /// GET expecting 200.
    pub async fn ok(&self, path: &str) -> Value {
        match self.get(path).await {
            Ok((StatusCode::OK, body)) => body,
            other => panic!("GET {path}: {other:?}"),
        }
    }

    /// The ids (type/id) and total a search finds.
    pub async fn search(&self, query: &str) -> (u64, std::collections::BTreeSet<String>) {
        let q = form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>();
        let body = self.ok(&format!("/api/v1/search?q={q}&limit=50")).await;
        let ids = body["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| {
                format!(
                    "{}/{}",
                    i["type"].as_str().unwrap_or(""),
                    i["id"].as_str().unwrap_or("")
                )
            })
            .collect();
        (body["total"].as_u64().expect("total"), ids)
    }
}
