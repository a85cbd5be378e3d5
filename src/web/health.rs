//! Liveness and readiness.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;

use super::AppState;

/// The process is up.
pub async fn healthz() -> &'static str {
    "ok"
}

/// The database answers (the search index joins this check with its issue).
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    if let Err(err) = state.db.ping().await {
        tracing::warn!(error = %err, "readiness check failed");
        return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable");
    }
    if let Err(err) = state.search.index().last_applied_seq() {
        tracing::warn!(error = %err, "readiness check failed");
        return (StatusCode::SERVICE_UNAVAILABLE, "search index unavailable");
    }
    (StatusCode::OK, "ready")
}
