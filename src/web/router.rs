//! Every route in one table, and the layers around them.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::header;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use tracing::Level;

use crate::error::AppError;
use crate::services::Fault;
use crate::views::assets;

use super::extract::ApiPath;

use super::oversight;
use super::session_store::DbSessionStore;
use super::{
    AppState, BODY_LIMIT, audit, auth, children, families, health, home, matches, middleware,
    needs, offers, openapi, providers, regions, reports, search, users,
};
use super::{allocation, entitlements, inbox, notify, referrals, volunteers};

/// A static file: the stylesheet at its content-named address (kept a
/// year: a new stylesheet gets a new address), or the favicon.
async fn static_file(ApiPath(file): ApiPath<String>) -> Response {
    let path = format!("/static/{file}");
    if path == assets::stylesheet_path() {
        (
            [
                (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            assets::STYLESHEET,
        )
            .into_response()
    } else if path == assets::STYLESHEET_PLAIN_PATH {
        // The old address keeps working, for a day at a time.
        (
            [
                (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            assets::STYLESHEET,
        )
            .into_response()
    } else if path == assets::FAVICON_PATH {
        favicon().await
    } else {
        AppError::NotFound.into_response()
    }
}

/// The favicon, also where browsers look for it unasked.
async fn favicon() -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        assets::FAVICON_SVG,
    )
        .into_response()
}

async fn not_found() -> AppError {
    AppError::NotFound
}

async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}

fn routes() -> Router<AppState> {
    Router::new()
        // Pages
        .route("/", get(home::home))
        .route("/login", get(auth::login_page).post(auth::login_submit))
        .route("/logout", post(auth::logout_submit))
        .route(
            "/register/provider",
            get(providers::pages::register_page).post(providers::pages::register_submit),
        )
        .route(
            "/register/family",
            get(families::pages::apply_page).post(families::pages::apply_submit),
        )
        .route("/providers", get(providers::pages::queue_page))
        .route("/providers/{id}", get(providers::pages::detail_page))
        .route(
            "/providers/{id}/decision",
            post(providers::pages::decide_submit),
        )
        .route("/families", get(families::pages::list_page))
        .route("/families/{id}", get(families::pages::detail_page))
        .route(
            "/families/{id}/assessments",
            post(families::assessments::assess_submit),
        )
        .route(
            "/families/{id}/decision",
            post(families::decision::decide_submit),
        )
        .route("/staff", get(users::page).post(users::create_submit))
        .route("/staff/{id}/disable", post(users::disable_submit))
        .route("/audit", get(audit::page))
        .route(
            "/children",
            get(children::pages::list_page).post(children::pages::create_submit),
        )
        .route("/children/search", post(children::pages::search_submit))
        .route("/children/new", get(children::pages::new_page))
        .route("/children/{id}", get(children::pages::detail_page))
        .route(
            "/children/{id}/reveal",
            post(children::pages::reveal_submit),
        )
        .route(
            "/children/{id}/edit",
            get(children::pages::edit_page).post(children::pages::edit_submit),
        )
        .route("/children/{id}/visits", post(children::pages::visit_submit))
        .route(
            "/children/{id}/complete",
            post(children::pages::complete_submit),
        )
        .route("/children/{id}/close", post(children::pages::close_submit))
        .route(
            "/needs",
            get(needs::pages::list_page).post(needs::pages::create_submit),
        )
        .route("/needs/new", get(needs::pages::new_page))
        .route("/needs/{key}", get(needs::pages::detail_page))
        .route(
            "/needs/{id}/edit",
            get(needs::pages::edit_page).post(needs::pages::edit_submit),
        )
        .route("/needs/{id}/publish", post(needs::pages::publish_submit))
        .route("/needs/{id}/close", post(needs::pages::close_submit))
        .route("/needs/{id}/renew", post(needs::pages::renew_submit))
        .route(
            "/needs/{id}/suggestions",
            get(super::suggestions::pages::need_page),
        )
        .route("/offers", post(offers::pages::create_submit))
        .route("/offers/mine", get(offers::pages::mine_page))
        .route("/offers/new", get(offers::pages::new_page))
        .route("/offers/{id}", get(offers::pages::detail_page))
        .route(
            "/offers/{id}/edit",
            get(offers::pages::edit_page).post(offers::pages::edit_submit),
        )
        .route("/offers/{id}/pause", post(offers::pages::pause_submit))
        .route("/offers/{id}/resume", post(offers::pages::resume_submit))
        .route("/offers/{id}/close", post(offers::pages::close_submit))
        .route(
            "/offers/{id}/suggestions",
            get(super::suggestions::pages::offer_page),
        )
        .route("/search", get(search::pages::search_page))
        .route(
            "/matches",
            get(matches::pages::list_page).post(matches::pages::create_submit),
        )
        .route("/matches/{id}", get(matches::pages::detail_page))
        .route("/matches/{id}/{action}", post(matches::pages::move_submit))
        .route("/inbox", get(inbox::inbox_page))
        .route("/account", get(notify::account_page))
        .route("/account/notifications", post(notify::account_submit))
        .route(
            "/account/email/confirm",
            get(notify::confirm_page).post(notify::confirm_submit),
        )
        .route(
            "/report",
            get(reports::pages::form_page).post(reports::pages::form_submit),
        )
        .route("/report/filed", get(reports::pages::filed_page))
        .route(
            "/report/status",
            get(reports::pages::lookup_page).post(reports::pages::lookup_submit),
        )
        .route("/reports", get(reports::staff::queue_page))
        .route("/reports/{id}", get(reports::staff::detail_page))
        .route(
            "/reports/{id}/file",
            get(reports::staff::file_page).post(reports::staff::file_submit),
        )
        .route("/reports/{id}/{action}", post(reports::staff::step_submit))
        // Departments, referrals and entitlements (issue 15).
        .route("/entitlements/gaps", get(entitlements::pages::gaps_page))
        .route(
            "/children/{id}/entitlements",
            post(entitlements::pages::record_submit),
        )
        .route(
            "/children/{id}/entitlements/{record}/end",
            post(entitlements::pages::end_submit),
        )
        .route(
            "/referrals",
            get(referrals::pages::list_page).post(referrals::pages::create_submit),
        )
        .route("/referrals/new", get(referrals::pages::new_page))
        .route("/referrals/figures", get(referrals::pages::figures_page))
        .route("/referrals/{id}", get(referrals::pages::detail_page))
        .route(
            "/referrals/{id}/reveal",
            post(referrals::pages::reveal_submit),
        )
        .route(
            "/referrals/{id}/{action}",
            post(referrals::pages::move_submit),
        )
        .route("/intakes/new", get(referrals::pages::intake_page))
        .route("/intakes", post(referrals::pages::intake_submit))
        .route("/intakes/{id}", get(referrals::pages::intake_detail_page))
        .route("/allocation", get(allocation::allocation_page))
        .route(
            "/children/{id}/timeline",
            get(children::timeline::timeline_page),
        )
        .route("/warnings", get(children::timeline::warnings_page))
        .route(
            "/volunteers",
            get(volunteers::page).post(volunteers::add_submit),
        )
        .route("/volunteers/{id}/retire", post(volunteers::retire_submit))
        .route(
            "/api/v1/children/{id}/timeline",
            get(children::timeline::api_timeline),
        )
        .route("/api/v1/warnings", get(children::timeline::api_warnings))
        .route(
            "/api/v1/volunteers",
            get(volunteers::api_list).post(volunteers::api_add),
        )
        .route(
            "/api/v1/exports/volunteer-hours.csv",
            get(volunteers::api_hours_csv),
        )
        .route("/static/{file}", get(static_file))
        .route("/favicon.ico", get(favicon))
        // JSON API
        .route(
            "/api/v1/session",
            post(auth::api_login).delete(auth::api_logout),
        )
        .route("/api/v1/me", get(auth::api_me))
        .route(
            "/api/v1/me/notifications",
            get(notify::api_get).put(notify::api_put),
        )
        .route(
            "/api/v1/me/notifications/confirm",
            post(notify::api_confirm),
        )
        .route("/api/v1/regions", get(regions::api_list))
        .route(
            "/api/v1/users",
            get(users::api_list).post(users::api_create),
        )
        .route("/api/v1/users/{id}/disable", post(users::api_disable))
        .route(
            "/api/v1/providers",
            get(providers::api_list).post(providers::api_register),
        )
        .route("/api/v1/providers/{id}", get(providers::api_get))
        .route(
            "/api/v1/providers/{id}/decision",
            post(providers::api_decide),
        )
        .route(
            "/api/v1/families",
            get(families::api_list).post(families::api_apply),
        )
        .route("/api/v1/families/{id}", get(families::api_get))
        .route(
            "/api/v1/families/{id}/assessments",
            get(families::assessments::api_assessments).post(families::assessments::api_assess),
        )
        .route(
            "/api/v1/families/{id}/decision",
            post(families::decision::api_decide),
        )
        .route(
            "/api/v1/children",
            get(children::api_list).post(children::api_create),
        )
        .route("/api/v1/children/search", post(children::api_search))
        .route(
            "/api/v1/children/{id}",
            get(children::api_get).patch(children::api_update),
        )
        .route(
            "/api/v1/children/{id}/complete",
            post(children::api_complete),
        )
        .route("/api/v1/children/{id}/close", post(children::api_close))
        .route(
            "/api/v1/children/{id}/visits",
            get(children::visits::api_visits).post(children::visits::api_add_visit),
        )
        .route(
            "/api/v1/needs",
            get(needs::api_list).post(needs::api_create),
        )
        .route(
            "/api/v1/needs/{key}",
            get(needs::api_get).patch(needs::api_update),
        )
        .route("/api/v1/needs/{id}/publish", post(needs::api_publish))
        .route("/api/v1/needs/{id}/close", post(needs::api_close))
        .route("/api/v1/needs/{id}/renew", post(needs::api_renew))
        .route(
            "/api/v1/needs/{id}/suggestions",
            get(super::suggestions::api_for_need),
        )
        .route(
            "/api/v1/offers",
            get(offers::api_list_own).post(offers::api_create),
        )
        .route(
            "/api/v1/offers/{id}",
            get(offers::api_get).put(offers::api_update),
        )
        .route("/api/v1/offers/{id}/pause", post(offers::api_pause))
        .route("/api/v1/offers/{id}/resume", post(offers::api_resume))
        .route("/api/v1/offers/{id}/close", post(offers::api_close))
        .route(
            "/api/v1/offers/{id}/suggestions",
            get(super::suggestions::api_for_offer),
        )
        .route("/api/v1/search", get(search::api_search))
        .route(
            "/api/v1/matches",
            get(matches::api_list).post(matches::api_create),
        )
        .route("/api/v1/matches/{id}", get(matches::api_get))
        .route(
            "/api/v1/matches/{id}/accept",
            post(matches::moves::api_accept),
        )
        .route(
            "/api/v1/matches/{id}/approve",
            post(matches::moves::api_approve),
        )
        .route(
            "/api/v1/matches/{id}/reject",
            post(matches::moves::api_reject),
        )
        .route(
            "/api/v1/matches/{id}/withdraw",
            post(matches::moves::api_withdraw),
        )
        .route(
            "/api/v1/matches/{id}/continue",
            post(matches::moves::api_continue),
        )
        .route(
            "/api/v1/matches/{id}/cancel",
            post(matches::moves::api_cancel),
        )
        .route(
            "/api/v1/matches/{id}/services",
            post(matches::records::api_services),
        )
        .route(
            "/api/v1/matches/{id}/complete",
            post(matches::moves::api_complete),
        )
        .route(
            "/api/v1/matches/{id}/handover",
            post(matches::records::api_handover).put(matches::records::api_handover_put),
        )
        .route(
            "/api/v1/matches/{id}/outcome-note",
            post(matches::records::api_outcome_note),
        )
        .route(
            "/api/v1/reports",
            get(reports::api_list).post(reports::api_file),
        )
        .route("/api/v1/reports/status", get(reports::api_stage))
        .route("/api/v1/reports/{id}", get(reports::api_get))
        .route("/api/v1/reports/{id}/file", post(reports::api_file_child))
        .route("/api/v1/reports/{id}/{action}", post(reports::api_step))
        .route("/api/v1/audit", get(audit::api_list))
        .route("/api/v1/audit/logins", get(audit::api_login_pressure))
        .route("/api/v1/inbox", get(inbox::api_inbox))
        .route("/api/v1/entitlements/gaps", get(entitlements::api_gaps))
        .route(
            "/api/v1/children/{id}/entitlements",
            get(entitlements::api_of_child).post(entitlements::api_record),
        )
        .route(
            "/api/v1/children/{id}/entitlements/{record}/end",
            post(entitlements::api_end),
        )
        .route(
            "/api/v1/referrals",
            get(referrals::api_list).post(referrals::api_create),
        )
        .route("/api/v1/referrals/figures", get(referrals::api_figures))
        .route("/api/v1/referrals/{id}", get(referrals::api_get))
        .route("/api/v1/referrals/{id}/accept", post(referrals::api_accept))
        .route("/api/v1/referrals/{id}/grant", post(referrals::api_grant))
        .route("/api/v1/referrals/{id}/refuse", post(referrals::api_refuse))
        .route("/api/v1/referrals/{id}/return", post(referrals::api_return))
        .route(
            "/api/v1/referrals/{id}/forward",
            post(referrals::api_forward),
        )
        .route("/api/v1/referrals/{id}/close", post(referrals::api_close))
        .route(
            "/api/v1/referrals/{id}/comment",
            post(referrals::api_comment),
        )
        .route("/api/v1/intakes", post(referrals::api_intake))
        .route("/api/v1/intakes/{id}", get(referrals::api_intake_get))
        .route("/api/v1/allocation", get(allocation::api_allocation))
        .route("/api/openapi.json", get(openapi::api_openapi))
        // Oversight: dashboards, bulletin, statistics, ledger (issue 16).
        .route("/oversight", get(oversight::pages::dashboard_page))
        .route("/oversight/bulletin", get(oversight::pages::bulletin_page))
        .route(
            "/oversight/ledger",
            get(oversight::pages::ledger_form).post(oversight::pages::ledger_submit),
        )
        .route("/statistics", get(oversight::pages::stats_page))
        .route("/api/v1/dashboard", get(oversight::api_dashboard))
        .route("/api/v1/bulletin", get(oversight::api_bulletin))
        .route("/api/v1/stats", get(oversight::api_stats))
        .route("/api/v1/exports/ledger.csv", get(oversight::api_ledger_csv))
        .route(
            "/api/v1/exports/ledger.xlsx",
            get(oversight::api_ledger_xlsx),
        )
        .route("/api/v1/exports/ledger", post(oversight::api_ledger_export))
        // Operations
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

/// The whole application: routes and every layer, outermost last.
pub fn build(state: AppState) -> Router {
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name("cb_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.settings.secure_cookies)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(
            state.settings.session_idle.as_secs() as i64,
        )));
    let trace = TraceLayer::new_for_http()
        .make_span_with(middleware::request_id::span)
        .on_request(())
        .on_response(DefaultOnResponse::new().level(Level::INFO));
    routes()
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(from_fn(middleware::csrf_guard))
        // Inside `html_errors`, so that a page's 408 and 413 are pages.
        .layer(from_fn_with_state(
            state.clone(),
            middleware::bodies::read_body,
        ))
        .layer(from_fn(middleware::html_errors))
        .layer(from_fn_with_state(state.clone(), middleware::load_user))
        .layer(from_fn(middleware::changes_once))
        .layer(
            ServiceBuilder::new()
                // Outermost: every answer (pages, errors, JSON, the
                // stylesheet) is compressed for a client that accepts it.
                .layer(CompressionLayer::new().gzip(true).br(true))
                .layer(from_fn(middleware::request_id::assign))
                .layer(trace)
                .layer(CatchPanicLayer::custom(|_| {
                    AppError::Internal(Fault::new("handler panicked")).into_response()
                }))
                .layer(from_fn(middleware::security_headers))
                // Around the sessions and everything inside them; what is
                // outside (the panic catcher) answers an `AppError` itself.
                .layer(from_fn(middleware::api_errors::api_errors))
                .layer(sessions),
        )
        // Outermost, on each route (where its template is known): every
        // answer is counted, including those of the layers inside.
        .layer(from_fn(super::metrics::track))
        .with_state(state)
}
