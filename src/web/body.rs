//! The bodies the JSON API shares: the error body, a page of a list, the
//! answer to a creation, a reason, and the sets of error answers that many
//! operations list in their `#[utoipa::path]`.
//!
//! A leaf of `web`: it imports nothing of `web`, so that the handlers and
//! the OpenAPI document (`openapi.rs`) both import it and not each other.
//!
//! The same rule holds for every body of the API, here and in the nouns'
//! `body.rs`: an `Option` field that is always written (as null when
//! empty) says `#[schema(required = true)]`; one that is left out when
//! empty says `#[serde(skip_serializing_if = "Option::is_none")]`. So the
//! document tells null from absent, as the answers do.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::openapi::{Content, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{IntoResponses, ToSchema};

use crate::services::Page;

/// The body of every error answer: `{"error": {"code", "message", "details"}}`.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "describes the body that AppError writes; never built"
)]
pub struct ErrorBody {
    error: ErrorDetail,
}

/// What went wrong.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "describes the body that AppError writes; never built"
)]
pub struct ErrorDetail {
    /// A stable code, e.g. `bad_request`, `unauthenticated`, `forbidden`,
    /// `csrf`, `not_found`, `method_not_allowed`, `request_timeout`,
    /// `conflict`, `duplicate`, `payload_too_large`, `unsupported_media_type`,
    /// `invalid`, `personal_information`, `throttled`, `no_capacity`,
    /// `busy` (503: nothing stored, try again), `internal`.
    code: String,
    /// A message for people (Chinese).
    message: String,
    /// Further facts: for `invalid` a list of `{field, message}`; for a
    /// query or path parameter that does not parse (`bad_request`)
    /// `{in: "query" or "path", parameter, reason}`; for
    /// findings `{findings: [{field, kind, label, message, start, end}]}`;
    /// for `throttled` `{retry_after}` (seconds); for a `conflict` with a
    /// record's state `{status}` (the state it is in); otherwise null.
    details: Option<Value>,
    /// The server's id of the request (also its `X-Request-Id`), to quote
    /// when asking for help.
    request_id: Option<String>,
}

/// A page of a list: `total` matching items, `items` this page of them.
#[derive(Serialize, ToSchema)]
pub struct ListBody<T> {
    total: u64,
    items: Vec<T>,
}

impl<T> ListBody<T> {
    /// A page whose items become bodies through `body`.
    pub fn map<S>(page: Page<S>, body: impl FnMut(S) -> T) -> Self {
        Self {
            total: page.total,
            items: page.items.into_iter().map(body).collect(),
        }
    }

    /// A whole list as one page: `total` is its length.
    pub fn whole<S>(items: Vec<S>, body: impl FnMut(S) -> T) -> Self {
        Self {
            total: items.len() as u64,
            items: items.into_iter().map(body).collect(),
        }
    }
}

impl<S, T: From<S>> From<Page<S>> for ListBody<T> {
    fn from(page: Page<S>) -> Self {
        Self::map(page, T::from)
    }
}

/// The answer to a creation that tells only what was made and its state,
/// e.g. `{id, status: "pending"}`.
#[derive(Serialize, ToSchema)]
pub struct CreatedBody {
    id: String,
    status: String,
}

impl CreatedBody {
    pub fn new(id: String, status: &str) -> Self {
        Self {
            id,
            status: status.to_owned(),
        }
    }
}

/// A reason, where one is required (closing a file or a need).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonRequest {
    pub reason: String,
}

/// An error answer as the document lists it: `description`, with the
/// error body.
pub fn error_response(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            Content::new(Some(Ref::from_schema_name(ErrorBody::name()))),
        )
        .build()
}

fn error_set(answers: &[(&str, &str)]) -> BTreeMap<String, RefOr<Response>> {
    answers
        .iter()
        .map(|&(status, description)| (status.to_owned(), error_response(description).into()))
        .collect()
}

// The error answers that many operations share, for their `responses(...)`.
// List a set before an operation's own answers: a later answer with the
// same status replaces the set's (its description is more precise).

const NOT_LOGGED_IN: (&str, &str) = ("401", "Not logged in");

/// 401: the operation needs a login.
pub struct LoginRequired;

impl IntoResponses for LoginRequired {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        error_set(&[NOT_LOGGED_IN])
    }
}

/// 401 and 403: a login, with a role (and scope) that may read this.
pub struct ReadAccess;

impl IntoResponses for ReadAccess {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        error_set(&[NOT_LOGGED_IN, ("403", "Not allowed")])
    }
}

/// 401 and 403 for a change: a login with a role that may make it, and
/// the session's `X-CSRF-Token`.
pub struct WriteAccess;

impl IntoResponses for WriteAccess {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        error_set(&[
            NOT_LOGGED_IN,
            ("403", "Not allowed, or missing/wrong `X-CSRF-Token`"),
        ])
    }
}

/// 404 for a record the caller's township, village or county does not reach
/// (the same answer as for one that does not exist).
pub struct OutOfScope;

impl IntoResponses for OutOfScope {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        error_set(&[("404", "Absent or outside the caller's scope")])
    }
}

/// 404 for a match the caller is not a party to (nor staff over).
pub struct OutOfReach;

impl IntoResponses for OutOfReach {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        error_set(&[("404", "Absent or outside the caller's reach")])
    }
}

/// 422: fields that do not pass the checks, each named in `details`.
pub struct InvalidFields;

impl IntoResponses for InvalidFields {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        error_set(&[("422", "Invalid fields (`details` lists them)")])
    }
}

/// 401 and 403: a login as the county's administrator.
pub struct AdminRead;

impl IntoResponses for AdminRead {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        error_set(&[NOT_LOGGED_IN, ("403", "Not a county_admin")])
    }
}

/// 401 and 403 for a change only the county's administrator makes, with
/// the session's `X-CSRF-Token`.
pub struct AdminWrite;

impl IntoResponses for AdminWrite {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        error_set(&[
            NOT_LOGGED_IN,
            ("403", "Not a county_admin, or missing/wrong `X-CSRF-Token`"),
        ])
    }
}
