//! Fuzzing the JSON bodies of every write endpoint through the API: for
//! each POST, PUT and PATCH of the OpenAPI document, bodies that are
//! nearly valid (the schema's own field names with wrong, extreme or
//! hostile values), arbitrary JSON, and bytes that are not JSON at all,
//! sent by an anonymous caller and by each kind of account. No answer may
//! be a 5xx (a panic answers 500), and every 4xx is the JSON error shape.
//!
//! The number of cases is proptest's (`PROPTEST_CASES`, 256 by default);
//! CI runs a longer, bounded round. Interesting bodies found once are
//! kept in `fuzz_corpus.json` and replayed first on every run.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use carebridge::domain::Role;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError, TestRunner};
use serde_json::{Map, Number, Value, json};

use crate::helpers::{TestApp, TestClient};
use crate::match_helpers::{Scene, propose, tutoring_need};

/// One write endpoint: method, path with its parameters filled in, and
/// the field names its body schema knows.
#[derive(Clone, Debug)]
struct Endpoint {
    method: Method,
    path: String,
    fields: Vec<String>,
}

/// Ids of real records, so that bodies reach the code behind the lookup.
struct Ids {
    offer: String,
    proposal: String,
    need: String,
    child: String,
    provider: String,
    family: String,
}

fn fill(path: &str, ids: &Ids) -> String {
    let random = uuid::Uuid::new_v4().to_string();
    let mut out = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    for (i, segment) in segments.iter().enumerate() {
        if !segment.starts_with('{') {
            out.push((*segment).to_owned());
            continue;
        }
        let noun = if i > 0 { segments[i - 1] } else { "" };
        let value = match (noun, *segment) {
            ("offers", _) => ids.offer.clone(),
            ("matches", _) => ids.proposal.clone(),
            ("needs", _) => ids.need.clone(),
            ("children", _) => ids.child.clone(),
            ("providers", _) => ids.provider.clone(),
            ("families", _) => ids.family.clone(),
            (_, "{action}") => "respond".to_owned(),
            // Users (never disable the test's own accounts) and the rest.
            _ => random.clone(),
        };
        out.push(value);
    }
    out.join("/")
}

/// The property names of a schema, following `$ref`s and `allOf`.
fn fields_of(doc: &Value, schema: &Value, into: &mut BTreeSet<String>, depth: u32) {
    if depth > 4 {
        return;
    }
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap_or("");
        fields_of(doc, &doc["components"]["schemas"][name], into, depth + 1);
    }
    if let Some(properties) = schema["properties"].as_object() {
        for (name, inner) in properties {
            into.insert(name.clone());
            fields_of(doc, inner, into, depth + 1);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for inner in schema[key].as_array().into_iter().flatten() {
            fields_of(doc, inner, into, depth + 1);
        }
    }
    fields_of_items(doc, schema, into, depth);
}

fn fields_of_items(doc: &Value, schema: &Value, into: &mut BTreeSet<String>, depth: u32) {
    if schema["items"].is_object() {
        fields_of(doc, &schema["items"], into, depth + 1);
    }
}

/// Every POST, PUT and PATCH of the API but logging out (which would end
/// the callers' sessions).
async fn endpoints(app: &TestApp, ids: &Ids) -> Vec<Endpoint> {
    let doc = app.client().get("/api/openapi.json").await.json();
    let mut all = Vec::new();
    for (path, operations) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in operations.as_object().expect("operations") {
            let method = match method.as_str() {
                "post" => Method::POST,
                "put" => Method::PUT,
                "patch" => Method::PATCH,
                _ => continue,
            };
            let mut fields = BTreeSet::new();
            fields_of(
                &doc,
                &operation["requestBody"]["content"]["application/json"]["schema"],
                &mut fields,
                0,
            );
            all.push(Endpoint {
                method,
                path: fill(path, ids),
                fields: fields.into_iter().collect(),
            });
        }
    }
    assert!(all.len() >= 30, "only {} write endpoints found", all.len());
    all
}

/// Strings that have broken parsers elsewhere.
fn hostile_string() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        Just(String::new()),
        Just("\u{0}".to_owned()),
        Just("\u{feff}500235001".to_owned()),
        Just("１２３".to_owned()),
        Just("a".repeat(70_000)),
        Just("童".repeat(5_000)),
        Just("500235001201".to_owned()),
        Just("11010519491231002X".to_owned()),
        Just("9999-99-99".to_owned()),
        Just("2024-02-30".to_owned()),
        Just("-0".to_owned()),
        Just("NaN".to_owned()),
        Just("' OR 1=1 --".to_owned()),
        Just("<script>alert(1)</script>".to_owned()),
        Just("\u{202e}\u{200b}".to_owned()),
        "[0-9]{1,25}",
        "[a-z_]{1,12}",
    ]
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
        Just(json!(0)),
        Just(json!(-1)),
        Just(json!(i64::MIN)),
        Just(json!(u64::MAX)),
        Just(json!(1e308)),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        hostile_string().prop_map(Value::String),
    ]
}

/// Arbitrary JSON with keys from `fields` and random ones.
fn value(fields: Vec<String>) -> impl Strategy<Value = Value> {
    let keys = if fields.is_empty() {
        "[a-z_]{1,10}".boxed()
    } else {
        prop_oneof![
            4 => proptest::sample::select(fields),
            1 => "[a-z_]{1,10}",
        ]
        .boxed()
    };
    leaf().prop_recursive(4, 48, 8, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            proptest::collection::btree_map(keys.clone(), inner, 0..10)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A body for one endpoint: an object of its fields, arbitrary JSON, or
/// bytes that are not JSON.
fn body(fields: Vec<String>) -> impl Strategy<Value = Vec<u8>> {
    let object_fields = fields.clone();
    prop_oneof![
        6 => proptest::collection::btree_map(
            if object_fields.is_empty() {
                "[a-z_]{1,10}".boxed()
            } else {
                proptest::sample::select(object_fields).boxed()
            },
            value(fields.clone()),
            0..12,
        )
        .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>()).to_string().into_bytes()),
        2 => value(fields).prop_map(|v| v.to_string().into_bytes()),
        1 => proptest::collection::vec(any::<u8>(), 0..256),
        1 => Just(b"{\"a\":".to_vec()),
        1 => Just("[".repeat(10_000).into_bytes()),
    ]
}

struct Callers {
    anonymous: TestClient,
    admin: TestClient,
    officer: TestClient,
    provider: TestClient,
}

impl Callers {
    fn pick(&self, who: u8) -> TestClient {
        match who % 4 {
            0 => self.anonymous.clone(),
            1 => self.admin.clone(),
            2 => self.officer.clone(),
            _ => self.provider.clone(),
        }
    }
}

/// Answers by status, for the summary a run prints.
static SEEN: std::sync::Mutex<std::collections::BTreeMap<u16, usize>> =
    std::sync::Mutex::new(std::collections::BTreeMap::new());

async fn send(client: &mut TestClient, endpoint: &Endpoint, bytes: Vec<u8>) -> Result<(), String> {
    let request = Request::builder()
        .method(endpoint.method.clone())
        .uri(&endpoint.path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(bytes))
        .map_err(|e| e.to_string())?;
    // The token the client keeps is added by `send` only for JSON helpers;
    // add it here as an API script would.
    let mut request = request;
    if let (_, Some(token)) = client.credentials() {
        request
            .headers_mut()
            .insert("x-csrf-token", token.parse().map_err(|_| "token")?);
    }
    let response = client.send(request).await;
    let status = response.status;
    if let Ok(mut seen) = SEEN.lock() {
        *seen.entry(status.as_u16()).or_default() += 1;
    }
    if status.is_server_error() && status != StatusCode::SERVICE_UNAVAILABLE {
        return Err(format!(
            "{} {} answered {status}: {}",
            endpoint.method,
            endpoint.path,
            response.text()
        ));
    }
    if status.is_client_error() {
        let body: Value = serde_json::from_slice(&response.body).map_err(|_| {
            format!(
                "{} {} answered {status} without a JSON body: {}",
                endpoint.method,
                endpoint.path,
                response.text()
            )
        })?;
        if !body["error"]["code"].is_string() || !body["error"]["message"].is_string() {
            return Err(format!(
                "{} {}: {status} {body}",
                endpoint.method, endpoint.path
            ));
        }
    }
    Ok(())
}

/// Bodies that once broke something or nearly did, replayed first.
const CORPUS: &str = include_str!("fuzz_corpus.json");

#[test]
fn write_endpoints_answer_any_body_without_a_server_error() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (app, callers, endpoints) = runtime.block_on(async {
        let app = TestApp::spawn().await;
        let mut scene = Scene::new(&app, 3).await;
        let (_, code) = tutoring_need(&mut scene.officer).await;
        let proposal = propose(&mut scene.provider, &code, &scene.offer).await;
        let child = scene
            .officer
            .get(&format!("/api/v1/needs/{}", scene.need_id))
            .await
            .json()["child_id"]
            .as_str()
            .expect("child_id")
            .to_owned();
        let (provider, _) = app.register_provider().await;
        let (family, _) = app.apply_family(crate::helpers::TOWNSHIP_A).await;
        let ids = Ids {
            offer: scene.offer.clone(),
            proposal,
            need: scene.need_id.clone(),
            child,
            provider,
            family,
        };
        let endpoints = endpoints(&app, &ids).await;
        let callers = Callers {
            anonymous: app.client(),
            admin: app.admin().await,
            officer: app.login_as(Role::TownshipOfficer).await,
            provider: scene.provider.clone(),
        };
        (app, callers, endpoints)
    });

    // The corpus first: every body to every endpoint, as each caller.
    let corpus: Vec<Value> = serde_json::from_str(CORPUS).expect("corpus is JSON");
    runtime.block_on(async {
        for endpoint in &endpoints {
            for (i, body) in corpus.iter().enumerate() {
                let bytes = match body.as_str().and_then(|s| s.strip_prefix("raw:")) {
                    Some(raw) => raw.as_bytes().to_vec(),
                    None => body.to_string().into_bytes(),
                };
                let mut client = callers.pick(i as u8);
                if let Err(err) = send(&mut client, endpoint, bytes).await {
                    panic!("corpus body #{i}: {err}");
                }
            }
        }
    });

    let config = Config {
        source_file: Some(file!()),
        failure_persistence: Some(Box::new(FileFailurePersistence::SourceParallel(
            "proptest-regressions",
        ))),
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let count = endpoints.len();
    let fields: Vec<Vec<String>> = endpoints.iter().map(|e| e.fields.clone()).collect();
    let strategy = (0..count, any::<u8>())
        .prop_flat_map(move |(i, who)| (Just(i), Just(who), body(fields[i].clone())));
    let result = runner.run(&strategy, |(i, who, bytes)| {
        let mut client = callers.pick(who);
        runtime
            .block_on(send(&mut client, &endpoints[i], bytes))
            .map_err(TestCaseError::fail)
    });
    drop(app);
    eprintln!(
        "answers by status over {count} write endpoints: {:?}",
        SEEN.lock().map(|s| s.clone()).unwrap_or_default()
    );
    if let Err(err) = result {
        panic!("{err}");
    }
}

/// A query string of the search API: its own parameters with hostile
/// values, random parameters, and raw bytes percent-encoded.
fn search_query() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        4 => proptest::sample::select(vec!["q", "type", "category", "township", "limit", "offset"]).prop_map(str::to_owned),
        1 => "[a-z_]{1,8}",
    ];
    let value = prop_oneof![
        hostile_string(),
        any::<i64>().prop_map(|n| n.to_string()),
        proptest::collection::vec(any::<u8>(), 0..40)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        Just("county".to_owned()),
        Just("need".to_owned()),
    ];
    // A URI over 64 KiB cannot even be built; real clients and proxies
    // stop far earlier, so values are cut at 2,000 characters.
    let value = value.prop_map(|v: String| v.chars().take(2_000).collect::<String>());
    proptest::collection::vec((key, value), 0..6).prop_map(|pairs| {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
    })
}

#[test]
fn search_answers_any_query_string_without_a_server_error() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let app = runtime.block_on(async {
        let app = TestApp::spawn().await;
        Scene::new(&app, 3).await;
        app.index_now().await;
        app
    });
    let config = Config {
        source_file: Some(file!()),
        failure_persistence: Some(Box::new(FileFailurePersistence::SourceParallel(
            "proptest-regressions",
        ))),
        ..Config::default()
    };
    let result = TestRunner::new(config).run(&search_query(), |query| {
        let response = runtime.block_on(app.client().get(&format!("/api/v1/search?{query}")));
        let status = response.status;
        if status.is_server_error() {
            return Err(TestCaseError::fail(format!("?{query} answered {status}")));
        }
        if status.is_client_error() {
            let body: Value = serde_json::from_slice(&response.body)
                .map_err(|_| TestCaseError::fail(format!("?{query}: {status} without JSON")))?;
            prop_assert!(body["error"]["code"].is_string(), "?{query}: {body}");
        }
        Ok(())
    });
    drop(app);
    if let Err(err) = result {
        panic!("{err}");
    }
}
