//! Every refusal of the JSON API is the error JSON of API.md, whichever
//! part of the stack refused: a query or path parameter that does not
//! parse, a method the route does not take, a path nothing serves. The
//! sweeps walk the OpenAPI document, so a route added later is covered too.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::Value;

use crate::helpers::{TestApp, TestClient, TestResponse};

/// An error answer of the API: a 4xx status, JSON, `error.code` and
/// `error.message` filled in; never axum's plain text.
#[track_caller]
fn assert_error_json(response: &TestResponse, what: &str) {
    let content_type = response
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(
        response.status.is_client_error(),
        "{what}: status {}; body {}",
        response.status,
        response.text()
    );
    assert!(
        content_type.starts_with("application/json"),
        "{what}: {content_type}; body {}",
        response.text()
    );
    let error = &response.json()["error"];
    assert!(
        error["code"].as_str().is_some_and(|c| !c.is_empty()),
        "{what}: {}",
        response.text()
    );
    assert!(
        error["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{what}: {}",
        response.text()
    );
}

/// A 400 `bad_request` naming `parameter`.
#[track_caller]
fn assert_bad_parameter(response: &TestResponse, parameter: &str, what: &str) {
    assert_error_json(response, what);
    assert_eq!(response.status, StatusCode::BAD_REQUEST, "{what}");
    let error = &response.json()["error"];
    assert_eq!(error["code"], "bad_request", "{what}");
    assert_eq!(error["details"]["parameter"], parameter, "{what}");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains(parameter)),
        "{what}: {error}"
    );
}

async fn send(client: &mut TestClient, method: Method, uri: &str) -> TestResponse {
    let mut builder = Request::builder().method(method.clone()).uri(uri);
    if method != Method::GET
        && let Some(token) = &client.csrf
    {
        builder = builder.header("x-csrf-token", token);
    }
    let request = builder
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{}"))
        .expect("request");
    client.send(request).await
}

/// The document's operations: (method, path, the operation).
async fn operations(client: &mut TestClient) -> Vec<(Method, String, Value)> {
    let doc = client.get("/api/openapi.json").await.json();
    let paths = doc["paths"].as_object().cloned().expect("paths");
    let mut found = Vec::new();
    for (path, item) in paths {
        for (method, op) in item.as_object().cloned().expect("path item") {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            found.push((method, path.clone(), op));
        }
    }
    assert!(found.len() > 40, "only {} operations", found.len());
    found
}

/// `path` with every `{param}` replaced by `value`.
fn fill(path: &str, value: &str) -> String {
    path.split('/')
        .map(|segment| {
            if segment.starts_with('{') && segment.ends_with('}') {
                value
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn declares_query(op: &Value, name: &str) -> bool {
    op["parameters"]
        .as_array()
        .is_some_and(|ps| ps.iter().any(|p| p["name"] == name && p["in"] == "query"))
}

#[tokio::test]
async fn malformed_paging_parameters_answer_400_json_naming_the_parameter() {
    let app = TestApp::spawn().await;
    let mut admin = app.admin().await;
    let lists = [
        "/api/v1/users",
        "/api/v1/providers",
        "/api/v1/families",
        "/api/v1/children",
        "/api/v1/needs",
        "/api/v1/offers",
        "/api/v1/search",
        "/api/v1/matches",
        "/api/v1/audit",
        "/api/v1/inbox",
        "/api/v1/allocation",
        "/api/v1/needs/nonexistent/suggestions",
        "/api/v1/offers/nonexistent/suggestions",
    ];
    let cases = [
        ("limit=abc", "limit"),
        ("offset=-1", "offset"),
        ("limit=1e9", "limit"),
        ("limit=20&offset=1.5", "offset"),
        ("limit=99999999999999999999999", "limit"),
    ];
    for list in lists {
        for (query, parameter) in cases {
            let uri = format!("{list}?{query}");
            let response = admin.get(&uri).await;
            assert_bad_parameter(&response, parameter, &uri);
        }
    }
}

#[tokio::test]
async fn every_get_operation_answers_json_to_a_malformed_query() {
    let app = TestApp::spawn().await;
    let mut admin = app.admin().await;
    let mut anonymous = app.client();
    for (method, path, op) in operations(&mut admin).await {
        if method != Method::GET {
            continue;
        }
        let uri = format!("{}?limit=abc&offset=abc", fill(&path, "nonexistent"));
        let pages = declares_query(&op, "limit") || declares_query(&op, "offset");
        let response = admin.get(&uri).await;
        if pages {
            let parameter = if declares_query(&op, "limit") {
                "limit"
            } else {
                "offset"
            };
            assert_bad_parameter(&response, parameter, &uri);
        } else if !response.status.is_success() {
            // Routes without paging ignore the parameters or refuse in JSON.
            assert_error_json(&response, &uri);
        }
        let response = anonymous.get(&uri).await;
        if !response.status.is_success() {
            assert_error_json(&response, &format!("anonymous {uri}"));
        }
    }
}

#[tokio::test]
async fn path_parameters_that_do_not_decode_answer_400_json_on_every_operation() {
    let app = TestApp::spawn().await;
    let mut admin = app.admin().await;
    for (method, path, _) in operations(&mut admin).await {
        let Some(name) = path
            .split('/')
            .find_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        else {
            continue;
        };
        // `%FF` is not UTF-8 once percent-decoded.
        let uri = fill(&path, "%FF");
        let response = send(&mut admin, method.clone(), &uri).await;
        assert_bad_parameter(&response, name, &format!("{method} {uri}"));
        // Characters no id has: an ordinary 4xx, in JSON.
        let uri = fill(&path, "%3Cscript%3E%27%22");
        let response = send(&mut admin, method.clone(), &uri).await;
        assert_error_json(&response, &format!("{method} {uri}"));
    }
}

#[tokio::test]
async fn methods_a_route_does_not_take_answer_405_json_with_allow() {
    let app = TestApp::spawn().await;
    let mut admin = app.admin().await;
    let response = send(&mut admin, Method::DELETE, "/api/v1/regions").await;
    assert_error_json(&response, "DELETE /api/v1/regions");
    response.assert_status(StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.json()["error"]["code"], "method_not_allowed");
    let allow = response
        .headers
        .get(header::ALLOW)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(allow.contains("GET"), "{allow}");

    let ops = operations(&mut admin).await;
    let candidates = [
        Method::DELETE,
        Method::PUT,
        Method::PATCH,
        Method::POST,
        Method::GET,
    ];
    for (_, path, _) in &ops {
        let taken: Vec<&Method> = ops
            .iter()
            .filter(|(_, p, _)| p == path)
            .map(|(m, _, _)| m)
            .collect();
        let Some(method) = candidates.iter().find(|m| !taken.contains(m)) else {
            continue;
        };
        let uri = fill(path, "nonexistent");
        let response = send(&mut admin, method.clone(), &uri).await;
        assert_error_json(&response, &format!("{method} {uri}"));
        if response.status == StatusCode::METHOD_NOT_ALLOWED {
            assert!(
                response.headers.contains_key(header::ALLOW),
                "{method} {uri}"
            );
        }
    }
}

#[tokio::test]
async fn unknown_api_paths_answer_404_json_whatever_the_method() {
    let app = TestApp::spawn().await;
    let mut admin = app.admin().await;
    let mut anonymous = app.client();
    for uri in [
        "/api/v1/nope",
        "/api/nope",
        "/api/v2/children",
        "/api/v1/children/x/nope",
        "/api/v1/nope?limit=abc",
    ] {
        for method in [Method::GET, Method::POST, Method::DELETE] {
            for client in [&mut admin, &mut anonymous] {
                let response = send(client, method.clone(), uri).await;
                assert_error_json(&response, &format!("{method} {uri}"));
                assert_eq!(response.status, StatusCode::NOT_FOUND, "{method} {uri}");
                assert_eq!(response.json()["error"]["code"], "not_found");
            }
        }
    }
}

#[tokio::test]
async fn pages_with_a_malformed_query_or_path_answer_the_error_page() {
    let app = TestApp::spawn().await;
    let mut admin = app.admin().await;
    for uri in [
        "/children?limit=abc",
        "/providers?offset=-1",
        "/audit?limit=1e9",
        "/children/%FF",
    ] {
        let response = admin.get(uri).await;
        response.assert_status(StatusCode::BAD_REQUEST);
        let content_type = response
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert!(
            content_type.starts_with("text/html"),
            "{uri}: {content_type}"
        );
        assert!(response.text().contains("<html"), "{uri}");
    }
    // A method the page does not take: its page too, with `Allow`.
    let response = admin.get("/logout").await;
    response.assert_status(StatusCode::METHOD_NOT_ALLOWED);
    assert!(response.text().contains("<html"));
    assert!(response.headers.contains_key(header::ALLOW));
}

/// Every error answer names the request's id in its body, the same id as
/// its `X-Request-Id` header, so that a user's report finds the log line.
#[tokio::test]
async fn error_answers_carry_the_request_id_of_their_header() {
    let app = TestApp::spawn().await;
    let mut client = app.client();
    for response in [
        client.get("/api/v1/me").await,
        client.get("/api/v1/offers/no-such-offer").await,
        client.get("/api/v1/search?limit=abc").await,
    ] {
        assert!(response.status.is_client_error(), "{}", response.status);
        let header = response.headers["x-request-id"]
            .to_str()
            .expect("ascii")
            .to_owned();
        assert_eq!(response.json()["error"]["request_id"], header.as_str());
    }
}
