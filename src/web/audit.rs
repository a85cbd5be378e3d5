//! The audit log for county staff: `GET /api/v1/audit` and its page.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::db::entities::audit_log;
use crate::error::AppResult;
use crate::services::{Paging, audit, auth, children};
use crate::views;
use crate::views::audit::{AuditAsked, AuditLog};

use super::AppState;
use super::body::{AdminRead, ListBody};
use super::chrome::Chrome;
use super::extract::{ApiQuery, Auth, ListQuery};

#[derive(Serialize, utoipa::ToSchema)]
pub struct AuditBody {
    seq: i64,
    at: String,
    #[schema(required = true)]
    actor_id: Option<String>,
    #[schema(required = true)]
    actor: Option<String>,
    #[schema(required = true)]
    role: Option<String>,
    action: String,
    #[schema(required = true)]
    target: Option<String>,
    outcome: String,
    #[schema(required = true)]
    request_id: Option<String>,
    #[schema(required = true)]
    detail: Option<String>,
    hash: String,
}

impl From<audit_log::Model> for AuditBody {
    fn from(e: audit_log::Model) -> Self {
        Self {
            seq: e.seq,
            at: e.at,
            actor_id: e.actor_id,
            actor: e.actor_name,
            role: e.role,
            action: e.action,
            target: e.target,
            outcome: e.outcome,
            request_id: e.request_id,
            detail: e.detail,
            hash: e.hash,
        }
    }
}

/// The audit entries, newest first (county_admin).
#[utoipa::path(
    get,
    path = "/api/v1/audit",
    tag = "audit",
    operation_id = "audit_list",
    security(("cookie" = [])),
    params(
        ("limit" = Option<u64>, Query, description = "Page size: default 20, at most 100"),
        ("offset" = Option<u64>, Query, description = "Items to skip"),
    ),
    responses(
        (status = 200, description = "`{total, items}`", body = ListBody<AuditBody>),
        AdminRead,
    )
)]
pub async fn api_list(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> AppResult<Json<ListBody<AuditBody>>> {
    let page = audit::list(&state.db, &caller, Paging::new(query.limit, query.offset)).await?;
    Ok(Json(page.into()))
}

/// A name that failed to log in in the last day.
#[derive(Serialize, utoipa::ToSchema)]
pub struct LoginPressureBody {
    /// The name as typed (lower case), whether or not an account has it.
    username: String,
    failures: u64,
    /// Distinct addresses the failures came from.
    addresses: u64,
    last_at: String,
    account_exists: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct LoginPressureList {
    items: Vec<LoginPressureBody>,
}

/// The account names with the most failed logins in the last 24 hours:
/// which accounts are under attack (county_admin).
#[utoipa::path(
    get,
    path = "/api/v1/audit/logins",
    tag = "audit",
    operation_id = "audit_login_pressure",
    security(("cookie" = [])),
    responses(
        (status = 200, description = "`{items}`, most failures first (at most 50)", body = LoginPressureList),
        AdminRead,
    )
)]
pub async fn api_login_pressure(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> AppResult<Json<LoginPressureList>> {
    let rows = auth::login_pressure(&state.db, &caller).await?;
    Ok(Json(LoginPressureList {
        items: rows
            .into_iter()
            .map(|r| LoginPressureBody {
                username: r.username,
                failures: r.failures,
                addresses: r.addresses,
                last_at: r.last_at.to_rfc3339(),
                account_exists: r.account_exists,
            })
            .collect(),
    }))
}

pub async fn page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> AppResult<Response> {
    let paging = Paging::new(query.limit, query.offset);
    let asked = AuditAsked {
        action: query.action.as_deref().map(str::trim).unwrap_or(""),
        user: query.user.as_deref().map(str::trim).unwrap_or(""),
        target: query.target.as_deref().map(str::trim).unwrap_or(""),
    };
    let filter = audit::AuditFilter {
        action: Some(asked.action).filter(|v| !v.is_empty()),
        actor: Some(asked.user).filter(|v| !v.is_empty()),
        target: Some(asked.target).filter(|v| !v.is_empty()),
    };
    let page = audit::list_filtered(&state.db, &caller, filter, paging).await?;
    let names = audit::object_names(&state.db, &page.items).await?;
    let pressure = auth::login_pressure(&state.db, &caller).await?;
    let probed = children::probes(state.store(), &caller, 50).await?;
    let log = AuditLog {
        asked,
        entries: &page.items,
        names: &names,
        total: page.total,
        limit: paging.limit,
        offset: paging.offset,
    };
    Ok(views::audit::audit_page(&chrome.ctx(), &pressure, &probed, &log).into_response())
}

/// The audit page's query: paging and the filters (each exact).
#[derive(Deserialize)]
pub struct AuditQuery {
    limit: Option<u64>,
    offset: Option<u64>,
    /// An action code (`child.reveal`).
    action: Option<String>,
    /// An actor's username.
    user: Option<String>,
    /// A stored target (`child:…`).
    target: Option<String>,
}
