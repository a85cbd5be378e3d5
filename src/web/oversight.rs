//! Oversight: `GET /api/v1/dashboard`, `GET /api/v1/bulletin`,
//! `GET /api/v1/stats` (public), the ledger exports under
//! `/api/v1/exports/ledger…`, and their pages (in [`pages`]).

pub mod body;
pub mod export;
pub mod pages;

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::domain::Invalid;
use crate::domain::period::Period;
use crate::domain::referral::office_day;
use crate::error::AppResult;
use crate::services::oversight::dashboard::{self, Setup};
use crate::services::oversight::jobs::{self, Source};
use crate::services::oversight::kept::Kept;
use crate::services::oversight::ledger::{self, Format, Request};
use crate::services::{Principal, RequestCtx, ServiceError};

use self::body::{BulletinBody, ComputingBody, DashboardBody, LedgerRequest, StatsBody};
use super::AppState;
use super::body::{ErrorBody, InvalidFields, OutOfScope, ReadAccess, WriteAccess};
use super::extract::{ApiJson, ApiQuery, Auth, Ctx};

/// The period asked for (`2026-11`, `2026-Q3`, `2026`); the current month
/// when absent.
pub fn period_of(raw: Option<&str>, state: &AppState) -> Result<Period, ServiceError> {
    match raw.map(str::trim).filter(|p| !p.is_empty()) {
        None => Ok(Period::month_of(office_day(state.clock.now()))),
        Some(p) => Period::parse(p).ok_or_else(|| {
            ServiceError::Invalid(Invalid::one(
                "period",
                "统计期应写作 2026-11（月）、2026-Q3（季度）或 2026（年）",
            ))
        }),
    }
}

/// What the oversight jobs read from.
pub fn source(state: &AppState) -> Source {
    Source {
        db: state.db.clone(),
        vault: state.vault.clone(),
        clock: state.clock.clone(),
        rules: state.rules.clone(),
        townships: state.regions.clone(),
        overdue_days: state.settings.overdue_days,
        k: u64::from(state.settings.k_anonymity),
    }
}

/// Seconds a client waits before asking again while figures are computed.
pub const RETRY_AFTER: &str = "3";

/// 200 with the figures, or 202 with `Retry-After` while they are computed.
fn ready_or_computing<B: serde::Serialize>(found: Option<B>) -> Response {
    match found {
        Some(body) => Json(body).into_response(),
        None => (
            StatusCode::ACCEPTED,
            [(header::RETRY_AFTER, RETRY_AFTER)],
            Json(ComputingBody::default()),
        )
            .into_response(),
    }
}

/// What the dashboard services need from the state.
pub fn setup(state: &AppState) -> Setup<'_> {
    Setup {
        townships: &state.regions,
        indicators: &state.settings.indicators,
        overdue_days: state.settings.overdue_days,
        now: state.clock.now(),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DashboardQuery {
    /// County staff: one township (the county when absent); a township
    /// officer's is their own.
    township: Option<String>,
    /// `2026-11` (month), `2026-Q3` (quarter) or `2026` (year); default:
    /// the current month.
    period: Option<String>,
}

/// The dashboard figures and supervision indicators of a scope.
#[utoipa::path(
    get,
    path = "/api/v1/dashboard",
    tag = "oversight",
    operation_id = "oversight_dashboard",
    security(("cookie" = [])),
    params(DashboardQuery),
    responses(
        (status = 200, description = "Figures (with the county median for a township), children by class and band, indicators with their lights, ranking, 12-month trend, `computed_at` (the figures are computed by a background job and kept per period: refreshed at most every 10 minutes after a change)", body = DashboardBody),
        (status = 202, description = "The period's figures are being computed for the first time: `{status: \"running\", message}`; ask again after `Retry-After` seconds", body = ComputingBody),
        ReadAccess,
        (status = 404, description = "A township officer asked for another township, or an unknown township", body = ErrorBody),
        InvalidFields,
    )
)]
pub async fn api_dashboard(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiQuery(query): ApiQuery<DashboardQuery>,
) -> AppResult<Response> {
    let period = period_of(query.period.as_deref(), &state)?;
    let found = dashboard::dashboard(
        &state.oversight,
        &source(&state),
        &caller,
        query.township.as_deref(),
        period,
        &setup(&state),
    )
    .await?;
    Ok(ready_or_computing(found.map(DashboardBody::from)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BulletinQuery {
    /// The month (`2026-11`); default: the current month.
    period: Option<String>,
}

/// The monthly bulletin (定期通报): indicators by township, what improved
/// and what slipped since the month before. County staff only.
#[utoipa::path(
    get,
    path = "/api/v1/bulletin",
    tag = "oversight",
    operation_id = "oversight_bulletin",
    security(("cookie" = [])),
    params(BulletinQuery),
    responses(
        (status = 200, description = "The bulletin of the month (`computed_at`: when the kept figures were read)", body = BulletinBody),
        (status = 202, description = "Being computed: ask again after `Retry-After` seconds", body = ComputingBody),
        ReadAccess,
        InvalidFields,
    )
)]
pub async fn api_bulletin(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiQuery(query): ApiQuery<BulletinQuery>,
) -> AppResult<Response> {
    let period = period_of(query.period.as_deref(), &state)?;
    let found = dashboard::bulletin(
        &state.oversight,
        &source(&state),
        &caller,
        period,
        &setup(&state),
    )
    .await?;
    Ok(ready_or_computing(found.map(BulletinBody::from)))
}

/// Public statistics of the last completed quarter: children on file by
/// township and difficulty class (no figure under k; none recoverable
/// from the others), needs met, services, volunteer hours, partners.
#[utoipa::path(
    get,
    path = "/api/v1/stats",
    tag = "oversight",
    operation_id = "oversight_stats",
    responses(
        (status = 200, description = "Suppressed figures have `value: null` and `display` `<k` or `*`; `computed_at`: when the kept figures were read", body = StatsBody),
        (status = 202, description = "Being computed: ask again after `Retry-After` seconds", body = ComputingBody),
    )
)]
pub async fn api_stats(State(state): State<AppState>) -> AppResult<Response> {
    let found = match jobs::public_stats(&state.oversight, &source(&state)).await? {
        Kept::Ready(kept) => Some(StatsBody::from((&kept.value, kept.computed_at))),
        Kept::Pending => None,
    };
    Ok(ready_or_computing(found))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerQuery {
    /// County staff: one township (all when absent); a township officer's
    /// is their own.
    township: Option<String>,
}

/// Starts an export (audited) and streams it.
async fn export(
    state: AppState,
    ctx: &RequestCtx,
    caller: &Principal,
    request: Request,
) -> AppResult<Response> {
    let format = request.format;
    let started = ledger::start(state.store(), ctx, caller, &request, &state.regions).await?;
    export::respond(state, started, format).await
}

/// The ledger of the caller's scope as CSV (UTF-8 with BOM), identity
/// fields left out. Audited with the row count.
#[utoipa::path(
    get,
    path = "/api/v1/exports/ledger.csv",
    tag = "oversight",
    operation_id = "oversight_ledger_csv",
    security(("cookie" = [])),
    params(LedgerQuery),
    responses(
        (status = 200, description = "CSV, one row per child file", content_type = "text/csv"),
        ReadAccess,
        OutOfScope,
    )
)]
pub async fn api_ledger_csv(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiQuery(query): ApiQuery<LedgerQuery>,
) -> AppResult<Response> {
    let request = Request {
        township: query.township,
        format: Format::Csv,
        include_identity: false,
        purpose: None,
    };
    export(state, &ctx, &caller, request).await
}

/// The ledger of the caller's scope as an .xlsx workbook, identity fields
/// left out. Audited with the row count.
#[utoipa::path(
    get,
    path = "/api/v1/exports/ledger.xlsx",
    tag = "oversight",
    operation_id = "oversight_ledger_xlsx",
    security(("cookie" = [])),
    params(LedgerQuery),
    responses(
        (status = 200, description = "An .xlsx workbook, one row per child file", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ReadAccess,
        OutOfScope,
    )
)]
pub async fn api_ledger_xlsx(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiQuery(query): ApiQuery<LedgerQuery>,
) -> AppResult<Response> {
    let request = Request {
        township: query.township,
        format: Format::Xlsx,
        include_identity: false,
        purpose: None,
    };
    export(state, &ctx, &caller, request).await
}

/// Parses the format of an export request (`csv` when absent).
pub fn format_of(raw: Option<&str>) -> Result<Format, ServiceError> {
    match raw.map(str::trim).unwrap_or("csv") {
        "" | "csv" => Ok(Format::Csv),
        "xlsx" => Ok(Format::Xlsx),
        _ => Err(ServiceError::Invalid(Invalid::one(
            "format",
            "格式应为 csv 或 xlsx",
        ))),
    }
}

/// An export with the options of the form: identity included only for a
/// county administrator who gives a purpose (audited with it).
#[utoipa::path(
    post,
    path = "/api/v1/exports/ledger",
    tag = "oversight",
    operation_id = "oversight_ledger_export",
    security(("cookie" = [], "csrf" = [])),
    request_body = LedgerRequest,
    responses(
        (status = 200, description = "The file (CSV or .xlsx)"),
        WriteAccess,
        OutOfScope,
        InvalidFields,
    )
)]
pub async fn api_ledger_export(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<LedgerRequest>,
) -> AppResult<Response> {
    let request = Request {
        township: body.township,
        format: format_of(body.format.as_deref())?,
        include_identity: body.include_identity,
        purpose: body.purpose,
    };
    export(state, &ctx, &caller, request).await
}
