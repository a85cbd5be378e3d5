//! Prometheus metrics (`serve --metrics-addr`, API.md): the request
//! middleware, and `/metrics` on its own admin address, never on the
//! public one.
//!
//! Labels are route templates (`/api/v1/offers/{id}`), methods, status
//! codes and inbox kinds: a fixed set, never an id, a code or a name from
//! a request, so that no label carries anything about a person and the
//! number of series stays bounded.

use std::sync::OnceLock;
use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use super::AppState;
use crate::services::vitals;

pub const REQUESTS: &str = "carebridge_http_requests_total";
pub const REQUEST_SECONDS: &str = "carebridge_http_request_duration_seconds";
pub const POOL_CONNECTIONS: &str = "carebridge_db_pool_connections";
pub const POOL_MAX: &str = "carebridge_db_pool_max_connections";
pub const OUTBOX_HEAD: &str = "carebridge_outbox_head_seq";
pub const OUTBOX_LAG: &str = "carebridge_outbox_lag";
pub const INDEX_DOCUMENTS: &str = "carebridge_index_documents";
pub const WAITING: &str = "carebridge_waiting_items";
pub const OVERDUE: &str = "carebridge_overdue_items";
/// Notification messages not yet sent (pending or held for a digest).
pub const NOTIFY_QUEUE: &str = "carebridge_notification_queue_length";
pub const SCRAPE_ERRORS: &str = "carebridge_metrics_read_errors_total";
/// Recorded by the login service (`services::auth`).
pub const LOGIN_FAILURES: &str = crate::services::auth::LOGIN_FAILURES_METRIC;

/// Request latency buckets, in seconds: a page should answer well under
/// a second; the long tail shows the slow ones.
const LATENCY_BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the process's metrics recorder (once; later calls return the
/// same handle). Until it is installed, recording costs nothing.
pub fn install() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let built = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(REQUEST_SECONDS.to_owned()), LATENCY_BUCKETS)
                .and_then(PrometheusBuilder::install_recorder);
            match built {
                Ok(handle) => Some(handle),
                Err(err) => {
                    tracing::warn!(error = %err, "cannot install the metrics recorder");
                    None
                }
            }
        })
        .as_ref()
}

/// The methods named in labels; anything else is `other` (a client can
/// send any token as a method).
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Counts every request by method, route template and status, and records
/// its latency. Layered on each route, where the template is known; a
/// path no route matched is `unmatched`, whatever it was.
pub async fn track(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = method_label(request.method());
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!(REQUESTS, "method" => method, "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!(REQUEST_SECONDS, "method" => method, "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}

/// The admin address's router: `/metrics` only.
pub fn admin_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(scrape))
        .with_state(state)
}

/// `GET /metrics`: the node's figures read now, with every counter and
/// histogram, in Prometheus text format.
pub async fn scrape(State(state): State<AppState>) -> Response {
    let Some(handle) = install() else {
        return (StatusCode::SERVICE_UNAVAILABLE, "指标记录器未能启动").into_response();
    };
    match vitals::read(state.store(), &state.search, state.settings.overdue_days).await {
        Ok(figures) => record(&figures),
        Err(err) => {
            // The counters still answer; the figures keep their last value.
            tracing::warn!(error = %err, "reading the node's figures for /metrics failed");
            metrics::counter!(SCRAPE_ERRORS).increment(1);
        }
    }
    match crate::db::notify::queue_length(&state.db).await {
        Ok(n) => metrics::gauge!(NOTIFY_QUEUE).set(n as f64),
        Err(err) => {
            tracing::warn!(error = %err, "reading the notification queue length failed");
            metrics::counter!(SCRAPE_ERRORS).increment(1);
        }
    }
    handle.run_upkeep();
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle.render(),
    )
        .into_response()
}

fn record(figures: &vitals::Vitals) {
    let pool = figures.pool;
    metrics::gauge!(POOL_CONNECTIONS, "state" => "in_use").set(f64::from(pool.in_use));
    metrics::gauge!(POOL_CONNECTIONS, "state" => "idle")
        .set(f64::from(pool.open.saturating_sub(pool.in_use)));
    metrics::gauge!(POOL_MAX).set(f64::from(pool.max));
    metrics::gauge!(OUTBOX_HEAD).set(figures.outbox_head as f64);
    metrics::gauge!(OUTBOX_LAG).set(figures.outbox_lag() as f64);
    metrics::gauge!(INDEX_DOCUMENTS).set(figures.index_documents as f64);
    for (kind, waiting, overdue) in &figures.waiting {
        metrics::gauge!(WAITING, "kind" => kind.as_str()).set(*waiting as f64);
        metrics::gauge!(OVERDUE, "kind" => kind.as_str()).set(*overdue as f64);
    }
}
