//! `GET /api/openapi.json`: the OpenAPI 3 document of the JSON API, built
//! once from the `#[utoipa::path]` annotations on the `api_*` handlers.
//!
//! Imports the handler modules only to list their operations, and the
//! shared bodies from `body`; no handler imports this module.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::body::{ErrorBody, ErrorDetail, error_response};
use super::oversight;
use super::{
    allocation, audit, auth, children, entitlements, families, inbox, matches, needs, offers,
    providers, referrals, regions, reports, search, suggestions, users,
};

/// The session cookie and the CSRF header, as security schemes.
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "cb_session",
                "The HttpOnly session cookie set by `POST /api/v1/session`.",
            ))),
        );
        components.add_security_scheme(
            "csrf",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF-Token",
                "The `csrf_token` answered by `POST /api/v1/session`; required on every \
                 POST, PUT, PATCH and DELETE made with the session cookie (403 without it \
                 or with a wrong one).",
            ))),
        );
    }
}

/// The answers any operation can give whatever its handler does: 400 for a
/// query or path parameter that does not parse, and for one with a body 400
/// (not well-formed), 408 (it did not arrive in time), 413 (over 1 MiB, or
/// declared so) and 415 (not JSON). Added here rather than on each handler
/// so that an operation added later lists them too.
struct CommonResponses;

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for op in operations.into_iter().flatten() {
                if op.parameters.as_ref().is_some_and(|p| !p.is_empty()) {
                    add_error(op, "400", "A query or path parameter that does not parse");
                }
                if op.request_body.is_some() {
                    add_error(op, "400", "A body that is not well-formed JSON");
                    add_error(op, "408", "The body did not arrive in time");
                    add_error(op, "413", "The body, or its declared length, is over 1 MiB");
                    add_error(op, "415", "The body is not `application/json`");
                }
            }
        }
    }
}

/// Lists `status` as answering `ErrorBody`, unless the operation says more.
fn add_error(op: &mut Operation, status: &str, description: &str) {
    op.responses
        .responses
        .entry(status.to_owned())
        .or_insert_with(|| error_response(description).into());
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "CareBridge 童心桥 API",
        version = "1",
        description = "CareBridge (童心桥) is a Chinese county's portal that connects the \
            resources of service providers and caring families to children in difficult \
            circumstances (困境儿童): township and village staff keep the children's files and \
            publish their needs anonymised, providers and families offer help, and matches are \
            approved by the township and the county.\n\n\
            Log in with `POST /api/v1/session`: it sets an HttpOnly session cookie and answers \
            a `csrf_token`. Every request made with that cookie that changes state (POST, PUT, \
            PATCH, DELETE) must send it as the `X-CSRF-Token` header; without it, or with a \
            wrong one, the answer is 403.\n\n\
            Every error answers `ErrorBody`: `{\"error\": {\"code\", \"message\", \"details\"}}`, \
            with a stable `code`, a message in Chinese and, where there is more to say, \
            `details` (for 422 the fields or findings to fix).\n\n\
            Lists take `limit` (default 20, at most 100) and `offset`, and answer \
            `{total, items}`.\n\n\
            The project's README says more: how to run the portal, its security and privacy \
            guarantees, and what the API adds to its contract."
    ),
    paths(
        auth::api_login,
        auth::api_logout,
        auth::api_me,
        super::notify::api_get,
        super::notify::api_put,
        super::notify::api_confirm,
        regions::api_list,
        users::api_create,
        users::api_list,
        users::api_disable,
        providers::api_register,
        providers::api_list,
        providers::api_get,
        providers::api_decide,
        families::api_apply,
        families::api_list,
        families::api_get,
        families::assessments::api_assess,
        families::assessments::api_assessments,
        families::decision::api_decide,
        children::api_create,
        children::api_list,
        children::api_search,
        children::api_get,
        children::api_update,
        children::api_complete,
        children::api_close,
        children::visits::api_visits,
        children::visits::api_add_visit,
        needs::api_create,
        needs::api_list,
        needs::api_get,
        needs::api_update,
        needs::api_publish,
        needs::api_close,
        needs::api_renew,
        suggestions::api_for_need,
        offers::api_create,
        offers::api_list_own,
        offers::api_get,
        offers::api_update,
        offers::api_pause,
        offers::api_resume,
        offers::api_close,
        suggestions::api_for_offer,
        search::api_search,
        matches::api_create,
        matches::api_list,
        matches::api_get,
        matches::moves::api_accept,
        matches::moves::api_approve,
        matches::moves::api_reject,
        matches::moves::api_withdraw,
        matches::moves::api_continue,
        matches::moves::api_cancel,
        matches::records::api_services,
        matches::moves::api_complete,
        matches::records::api_handover,
        matches::records::api_handover_put,
        matches::records::api_outcome_note,
        audit::api_list,
        audit::api_login_pressure,
        inbox::api_inbox,
        allocation::api_allocation,
        reports::api_file,
        reports::api_stage,
        reports::api_list,
        reports::api_get,
        reports::api_step,
        reports::api_file_child,
        entitlements::api_gaps,
        entitlements::api_of_child,
        entitlements::api_record,
        entitlements::api_end,
        referrals::api_create,
        referrals::api_list,
        referrals::api_get,
        referrals::api_accept,
        referrals::api_grant,
        referrals::api_refuse,
        referrals::api_return,
        referrals::api_forward,
        referrals::api_close,
        referrals::api_comment,
        referrals::api_figures,
        referrals::api_intake,
        referrals::api_intake_get,
        oversight::api_dashboard,
        oversight::api_bulletin,
        oversight::api_stats,
        oversight::api_ledger_csv,
        oversight::api_ledger_xlsx,
        oversight::api_ledger_export,
        super::children::timeline::api_timeline,
        super::children::timeline::api_warnings,
        super::volunteers::api_list,
        super::volunteers::api_add,
        super::volunteers::api_hours_csv,
        api_openapi,
    ),
    components(schemas(ErrorBody, ErrorDetail)),
    modifiers(&SecuritySchemes, &CommonResponses),
    tags(
        (name = "session", description = "Login, logout and the current account"),
        (name = "regions", description = "Townships and villages"),
        (name = "users", description = "Staff accounts"),
        (name = "providers", description = "Service providers and their verification"),
        (name = "families", description = "Caring-family applications"),
        (name = "children", description = "Child files (personal data; audited)"),
        (name = "needs", description = "Needs and their public projections"),
        (name = "offers", description = "Offers of providers and families"),
        (name = "search", description = "Full-text search of offers and needs"),
        (name = "matches", description = "Matches of needs and offers, their approval and services"),
        (name = "audit", description = "The audit log"),
        (name = "inbox", description = "What waits for the caller (待办)"),
        (name = "allocation", description = "The county allocation plan (分配方案)"),
        (name = "reports", description = "Mandatory reports about children at risk (强制报告; sealed content, audited reads)"),
        (name = "entitlements", description = "Entitlements (保障待遇) of child files and the gap list (应享未享)"),
        (name = "referrals", description = "Referrals (转介) to departments, one-door intake (一门受理) and the departments' figures"),
        (name = "oversight", description = "Dashboards, supervision indicators and bulletins (督查考核), public statistics with disclosure control, the ledger export (信息台账)"),
        (name = "volunteers", description = "Volunteers of organisations and the volunteer-hours export (志愿服务时长)"),
        (name = "meta", description = "This document"),
    )
)]
pub struct ApiDoc;

/// The document, serialized once.
static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
    ApiDoc::openapi()
        .to_json()
        .expect("the OpenAPI document serializes")
});

/// The OpenAPI 3 document of the JSON API.
// The one answer left free-form (`Object`): its shape is the OpenAPI
// specification's, not this API's.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "meta",
    operation_id = "openapi",
    responses(
        (status = 200, description = "The OpenAPI 3 document of this API", body = Object, content_type = "application/json"),
    )
)]
pub async fn api_openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        DOCUMENT.as_str(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn operations_are_unique_answer_something_and_errors_use_the_error_body() {
        let doc: Value = DOCUMENT.parse().expect("json");
        let paths = doc["paths"].as_object().expect("paths");
        assert!(paths.len() >= 25, "only {} paths", paths.len());
        let mut operation_ids = std::collections::HashSet::new();
        for (path, item) in paths {
            assert!(path.starts_with("/api/"), "{path}");
            let item = item.as_object().expect("path item");
            assert!(!item.is_empty(), "{path} has no operation");
            for (method, op) in item {
                let id = op["operationId"].as_str().expect("operationId");
                assert!(operation_ids.insert(id), "operationId {id} is not unique");
                let responses = op["responses"].as_object().expect("responses");
                assert!(!responses.is_empty(), "{method} {path} lists no response");
                assert!(
                    responses.keys().any(|s| s.starts_with('2')),
                    "{method} {path} has no success response"
                );
                for (status, response) in responses {
                    if status.starts_with('4') {
                        assert_eq!(
                            response["content"]["application/json"]["schema"]["$ref"],
                            "#/components/schemas/ErrorBody",
                            "{method} {path} {status}"
                        );
                    }
                }
            }
        }
        let schemes = &doc["components"]["securitySchemes"];
        assert_eq!(schemes["cookie"]["in"], "cookie");
        assert_eq!(schemes["cookie"]["name"], "cb_session");
        assert_eq!(schemes["csrf"]["name"], "X-CSRF-Token");
    }

    #[test]
    fn every_operation_lists_the_answers_of_the_layers() {
        let doc: Value = DOCUMENT.parse().expect("json");
        let op = |path: &str, method: &str| doc["paths"][path][method]["responses"].clone();
        let with_path = op("/api/v1/children/{id}", "get");
        assert!(with_path["400"].is_object());
        let with_query = op("/api/v1/needs", "get");
        assert!(with_query["400"].is_object());
        let with_body = op("/api/v1/offers", "post");
        for status in ["400", "408", "413", "415"] {
            assert_eq!(
                with_body[status]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ErrorBody",
                "{status}"
            );
        }
        assert!(op("/api/v1/me", "get")["400"].is_null());
    }
}
