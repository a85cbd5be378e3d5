//! `GET /api/openapi.json`: public, JSON, OpenAPI 3, and it lists every
//! endpoint of the API contract that the router serves.

use axum::http::{StatusCode, header};
use serde_json::{Value, json};

use crate::helpers::TestApp;

/// Every method and path of `API.md` (and the README's additions) that the
/// router serves. Reports (强制报告) and stats are in the contract but not
/// served yet.
const OPERATIONS: &[(&str, &str)] = &[
    ("post", "/api/v1/session"),
    ("delete", "/api/v1/session"),
    ("get", "/api/v1/me"),
    ("get", "/api/v1/regions"),
    ("post", "/api/v1/users"),
    ("get", "/api/v1/users"),
    ("post", "/api/v1/users/{id}/disable"),
    ("post", "/api/v1/providers"),
    ("get", "/api/v1/providers"),
    ("get", "/api/v1/providers/{id}"),
    ("post", "/api/v1/providers/{id}/decision"),
    ("post", "/api/v1/families"),
    ("get", "/api/v1/families"),
    ("get", "/api/v1/families/{id}"),
    ("post", "/api/v1/families/{id}/assessments"),
    ("get", "/api/v1/families/{id}/assessments"),
    ("post", "/api/v1/families/{id}/decision"),
    ("post", "/api/v1/children"),
    ("get", "/api/v1/children"),
    ("get", "/api/v1/children/{id}"),
    ("patch", "/api/v1/children/{id}"),
    ("post", "/api/v1/children/search"),
    ("post", "/api/v1/children/{id}/complete"),
    ("post", "/api/v1/children/{id}/close"),
    ("get", "/api/v1/children/{id}/visits"),
    ("post", "/api/v1/children/{id}/visits"),
    ("get", "/api/v1/needs"),
    ("post", "/api/v1/needs"),
    ("get", "/api/v1/needs/{key}"),
    ("patch", "/api/v1/needs/{key}"),
    ("post", "/api/v1/needs/{id}/publish"),
    ("post", "/api/v1/needs/{id}/close"),
    ("post", "/api/v1/needs/{id}/renew"),
    ("post", "/api/v1/matches/{id}/outcome-note"),
    ("get", "/api/v1/needs/{id}/suggestions"),
    ("get", "/api/v1/offers"),
    ("post", "/api/v1/offers"),
    ("get", "/api/v1/offers/{id}"),
    ("put", "/api/v1/offers/{id}"),
    ("post", "/api/v1/offers/{id}/pause"),
    ("post", "/api/v1/offers/{id}/resume"),
    ("post", "/api/v1/offers/{id}/close"),
    ("get", "/api/v1/offers/{id}/suggestions"),
    ("get", "/api/v1/search"),
    ("post", "/api/v1/matches"),
    ("get", "/api/v1/matches"),
    ("get", "/api/v1/matches/{id}"),
    ("post", "/api/v1/matches/{id}/accept"),
    ("post", "/api/v1/matches/{id}/approve"),
    ("post", "/api/v1/matches/{id}/reject"),
    ("post", "/api/v1/matches/{id}/withdraw"),
    ("post", "/api/v1/matches/{id}/cancel"),
    ("post", "/api/v1/matches/{id}/services"),
    ("post", "/api/v1/matches/{id}/complete"),
    ("post", "/api/v1/matches/{id}/handover"),
    ("put", "/api/v1/matches/{id}/handover"),
    ("post", "/api/v1/matches/{id}/continue"),
    ("get", "/api/v1/audit"),
    ("get", "/api/v1/audit/logins"),
    ("get", "/api/v1/inbox"),
    ("get", "/api/v1/allocation"),
    ("post", "/api/v1/reports"),
    ("get", "/api/v1/reports"),
    ("get", "/api/v1/reports/status"),
    ("get", "/api/v1/reports/{id}"),
    ("post", "/api/v1/reports/{id}/{action}"),
    ("post", "/api/v1/reports/{id}/file"),
    ("get", "/api/v1/entitlements/gaps"),
    ("get", "/api/v1/children/{id}/entitlements"),
    ("post", "/api/v1/children/{id}/entitlements"),
    ("post", "/api/v1/children/{id}/entitlements/{record}/end"),
    ("post", "/api/v1/referrals"),
    ("get", "/api/v1/referrals"),
    ("get", "/api/v1/referrals/{id}"),
    ("post", "/api/v1/referrals/{id}/accept"),
    ("post", "/api/v1/referrals/{id}/grant"),
    ("post", "/api/v1/referrals/{id}/refuse"),
    ("post", "/api/v1/referrals/{id}/return"),
    ("post", "/api/v1/referrals/{id}/forward"),
    ("post", "/api/v1/referrals/{id}/close"),
    ("post", "/api/v1/referrals/{id}/comment"),
    ("get", "/api/v1/referrals/figures"),
    ("get", "/api/v1/dashboard"),
    ("get", "/api/v1/bulletin"),
    ("get", "/api/v1/stats"),
    ("get", "/api/v1/exports/ledger.csv"),
    ("get", "/api/v1/exports/volunteer-hours.csv"),
    ("get", "/api/v1/exports/ledger.xlsx"),
    ("post", "/api/v1/exports/ledger"),
    ("post", "/api/v1/intakes"),
    ("get", "/api/v1/intakes/{id}"),
    ("get", "/api/v1/me/notifications"),
    ("put", "/api/v1/me/notifications"),
    ("post", "/api/v1/me/notifications/confirm"),
    ("get", "/api/v1/children/{id}/timeline"),
    ("get", "/api/v1/warnings"),
    ("get", "/api/v1/volunteers"),
    ("post", "/api/v1/volunteers"),
    ("get", "/api/openapi.json"),
];

#[tokio::test]
async fn the_document_is_public_and_lists_every_endpoint() {
    let app = TestApp::spawn().await;
    let response = app.client().get("/api/openapi.json").await;
    response.assert_status(StatusCode::OK);
    let content_type = response
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let doc = response.json();
    let version = doc["openapi"].as_str().expect("openapi version");
    assert!(version.starts_with('3'), "{version}");
    assert_eq!(doc["info"]["title"], "CareBridge 童心桥 API");
    assert_eq!(doc["info"]["version"], "1");

    let paths = doc["paths"].as_object().expect("paths");
    for (method, path) in OPERATIONS {
        let op = &paths
            .get(*path)
            .unwrap_or_else(|| panic!("{path} is missing"))[*method];
        assert!(op.is_object(), "{method} {path} is missing");
        let responses = op["responses"].as_object().expect("responses");
        assert!(!responses.is_empty(), "{method} {path} lists no response");
    }
    // Nothing in the document that the list above does not name.
    let documented: usize = paths
        .values()
        .map(|item| item.as_object().map_or(0, |ops| ops.len()))
        .sum();
    assert_eq!(documented, OPERATIONS.len(), "{:?}", paths.keys());

    // Every operation with a path parameter declares it.
    for (path, item) in paths {
        for (method, op) in item.as_object().expect("path item") {
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            for segment in path.split('/') {
                if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    assert!(
                        params
                            .iter()
                            .any(|p| p["name"] == name && p["in"] == "path"),
                        "{method} {path} does not declare {name}"
                    );
                }
            }
        }
    }

    // Session cookie and CSRF header, and the operations that need them.
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["cookie"]["type"], "apiKey");
    assert_eq!(schemes["cookie"]["in"], "cookie");
    assert_eq!(schemes["cookie"]["name"], "cb_session");
    assert_eq!(schemes["csrf"]["in"], "header");
    assert_eq!(schemes["csrf"]["name"], "X-CSRF-Token");
    let create_child = &paths["/api/v1/children"]["post"];
    assert!(create_child["security"][0]["csrf"].is_array());
    assert!(create_child["responses"]["409"].is_object());
    assert_eq!(
        create_child["responses"]["422"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/ErrorBody"
    );
    assert!(paths["/api/v1/offers/{id}"]["get"]["security"].is_null());
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
}

/// Every listed operation is routed: anonymously, none answers the
/// fallback's 404 or 405 (the one public lookup by id answers its own 404).
#[tokio::test]
async fn every_listed_operation_is_routed() {
    let app = TestApp::spawn().await;
    let mut client = app.client();
    for (method, path) in OPERATIONS {
        let uri = path
            .replace("{id}", "nonexistent")
            .replace("{key}", "nonexistent")
            .replace("{record}", "nonexistent");
        let request = axum::http::Request::builder()
            .method(method.to_uppercase().as_str())
            .uri(&uri)
            .header(header::CONTENT_TYPE, "application/json")
            .body(axum::body::Body::from("{}"))
            .expect("request");
        let response = client.send(request).await;
        assert_ne!(
            response.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
        if *path != "/api/v1/offers/{id}" {
            assert_ne!(response.status, StatusCode::NOT_FOUND, "{method} {path}");
        }
    }
}

/// The operations whose success answer is free-form, with the reason:
/// the document itself, whose shape is the OpenAPI specification's.
const FREE_FORM: &[(&str, &str)] = &[
    ("get", "/api/openapi.json"),
    // Files (CSV, .xlsx), not JSON.
    ("get", "/api/v1/exports/ledger.csv"),
    ("get", "/api/v1/exports/volunteer-hours.csv"),
    ("get", "/api/v1/exports/ledger.xlsx"),
    ("post", "/api/v1/exports/ledger"),
];

/// Where `schema` (or a schema it refers to or contains) is an object with
/// nothing said about its fields: no properties, no `$ref`, no `allOf`,
/// `oneOf` or `anyOf`, no schema for its values. Answers the path inside
/// the document of the first one found.
fn bare_object(doc: &Value, schema: &Value, at: &str, seen: &mut Vec<String>) -> Option<String> {
    if let Some(reference) = schema["$ref"].as_str() {
        if seen.iter().any(|s| s == reference) {
            return None;
        }
        seen.push(reference.to_owned());
        let name = reference.strip_prefix("#/components/schemas/")?;
        let target = &doc["components"]["schemas"][name];
        if target.is_null() {
            return Some(format!("{at}: {reference} is not in the document"));
        }
        return bare_object(doc, target, reference, seen);
    }
    let mut said = false;
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(parts) = schema[key].as_array() {
            said = true;
            for (i, part) in parts.iter().enumerate() {
                let found = bare_object(doc, part, &format!("{at}/{key}/{i}"), seen);
                if found.is_some() {
                    return found;
                }
            }
        }
    }
    if let Some(properties) = schema["properties"].as_object() {
        said = true;
        for (name, property) in properties {
            let found = bare_object(doc, property, &format!("{at}/{name}"), seen);
            if found.is_some() {
                return found;
            }
        }
    }
    if schema["items"].is_object() {
        return bare_object(doc, &schema["items"], &format!("{at}/items"), seen);
    }
    if schema["additionalProperties"].is_object() {
        said = true;
        let values = &schema["additionalProperties"];
        let found = bare_object(doc, values, &format!("{at}/additionalProperties"), seen);
        if found.is_some() {
            return found;
        }
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let object_or_anything = types.is_empty() || types.contains(&"object");
    (object_or_anything && !said).then(|| format!("{at}: a bare object"))
}

/// Every success answer of the document describes its fields, down to the
/// last nested object: no `body = Object` that says nothing and can drift
/// from what the handler writes.
#[tokio::test]
async fn every_success_answer_describes_its_fields() {
    let app = TestApp::spawn().await;
    let doc = app.client().get("/api/openapi.json").await.json();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            if FREE_FORM.contains(&(method.as_str(), path.as_str())) {
                continue;
            }
            for (status, response) in op["responses"].as_object().expect("responses") {
                if !status.starts_with('2') {
                    continue;
                }
                let Some(content) = response["content"].as_object() else {
                    continue; // 204: no body
                };
                for (media, body) in content {
                    let at = format!("{method} {path} {status} {media}");
                    let mut seen = Vec::new();
                    if let Some(found) = bare_object(&doc, &body["schema"], &at, &mut seen) {
                        panic!("{found}");
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 55, "only {checked} answers checked");
}

#[test]
fn a_bare_object_is_found_wherever_it_hides() {
    let doc = json!({"components": {"schemas": {
        "Typed": {"type": "object", "properties": {"id": {"type": "string"}}},
        "Loose": {"type": "object", "properties": {"extra": {"type": "object"}}},
    }}});
    let check = |schema: Value| bare_object(&doc, &schema, "x", &mut Vec::new());
    assert!(check(json!({"$ref": "#/components/schemas/Typed"})).is_none());
    assert!(
        check(json!({"type": "object", "additionalProperties": {"type": "integer"}})).is_none()
    );
    assert!(check(json!({"oneOf": [{"type": "null"}, {"type": "string"}]})).is_none());
    assert!(check(json!({"type": "object"})).is_some());
    assert!(check(json!({})).is_some());
    assert!(check(json!({"$ref": "#/components/schemas/Loose"})).is_some());
    assert!(check(json!({"type": "array", "items": {"type": "object"}})).is_some());
    assert!(
        check(json!({"allOf": [{"$ref": "#/components/schemas/Typed"}, {"type": "object"}]}))
            .is_some()
    );
}

/// The document is the product's: no path of a machine it was built on
/// (a developer's checkout, a build server's directory) shows in it.
#[tokio::test]
async fn the_document_names_no_path_of_a_machine() {
    let app = TestApp::spawn().await;
    let text = app.client().get("/api/openapi.json").await.text();
    for needle in ["/work/", "/home/", "/tmp/", "file://", ":\\\\"] {
        assert!(!text.contains(needle), "the document contains {needle:?}");
    }
    // Any other absolute path: a slash-led run of path segments that is
    // not one of the API's own paths.
    let doc: Value = serde_json::from_str(&text).expect("json");
    let mut strings = Vec::new();
    collect_strings(&doc, &mut strings);
    for s in strings {
        for word in s.split(|c: char| c.is_whitespace() || "`\"'()[]{},;".contains(c)) {
            let segments = word.split('/').filter(|w| !w.is_empty()).count();
            if word.starts_with('/') && segments >= 2 {
                assert!(
                    word.starts_with("/api/"),
                    "an absolute path in the document: {word:?}"
                );
            }
        }
    }
}

fn collect_strings<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::String(s) => out.push(s),
        Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        Value::Object(map) => {
            for (key, v) in map {
                out.push(key);
                collect_strings(v, out);
            }
        }
        _ => {}
    }
}

/// A field written as null when empty is required (and nullable) in the
/// document; one left out when empty is not required: the document tells
/// the two apart as the answers do.
#[tokio::test]
async fn the_document_tells_null_from_absent() {
    let app = TestApp::spawn().await;
    let doc = app.client().get("/api/openapi.json").await.json();
    let schemas = &doc["components"]["schemas"];
    let own_part = |name: &str| -> Value {
        // A flattened body: its own fields are in the `allOf` part that
        // is not a reference.
        let schema = &schemas[name];
        match schema["allOf"].as_array() {
            Some(parts) => parts
                .iter()
                .find(|p| p["$ref"].is_null())
                .cloned()
                .unwrap_or(Value::Null),
            None => schema.clone(),
        }
    };
    let required = |name: &str, field: &str| {
        let part = own_part(name);
        assert!(part["properties"][field].is_object(), "{name}.{field}");
        part["required"]
            .as_array()
            .is_some_and(|r| r.iter().any(|f| f == field))
    };
    for (name, field) in [
        ("FileBody", "closed_reason"),
        ("FileBody", "consent"),
        ("MatchBody", "review_since"),
        ("OfferBody", "age_min"),
        ("RankBody", "match_id"),
        ("ProviderBody", "credit_code"),
    ] {
        assert!(required(name, field), "{name}.{field} is always written");
    }
    for (name, field) in [
        ("ChangedFileBody", "publication_withdrawn"),
        ("MatchNeedBody", "id"),
        ("NeedRefBody", "id"),
        ("UserBody", "township"),
    ] {
        assert!(
            !required(name, field),
            "{name}.{field} is left out when empty"
        );
    }
}
