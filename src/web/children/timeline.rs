//! The child's timeline (`GET /api/v1/children/{id}/timeline` and its
//! page) and the township's warning list (`GET /api/v1/warnings` and the
//! page `/warnings`). Thin: the services decide scope and content.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::timeline::{EntryKind, WarningKind};
use crate::error::AppResult;
use crate::services::timeline::warnings::{self, Line};
use crate::services::timeline::{self, Entry, Rules, Timeline, Warning};
use crate::services::{Paging, regions};
use crate::views;

use super::super::AppState;
use super::super::body::{ListBody, OutOfScope, ReadAccess};
use super::super::chrome::Chrome;
use super::super::extract::{ApiPath, ApiQuery, Auth, Ctx, parse_filter};

fn rules(state: &AppState) -> Rules {
    Rules {
        service_gap_days: state.settings.service_gap_days,
    }
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TimelineQuery {
    /// One kind only: `visit`, `need`, `match`, `service`, `entitlement`, `referral`, `report`.
    kind: Option<String>,
    /// Page size: default 20, at most 100.
    limit: Option<u64>,
    offset: Option<u64>,
}

/// One entry of a timeline.
#[derive(Serialize, ToSchema)]
pub struct EntryBody {
    kind: &'static str,
    /// RFC 3339 UTC.
    #[schema(value_type = String)]
    at: DateTime<Utc>,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    match_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    need_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hours: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    amount: Option<i64>,
}

impl From<Entry> for EntryBody {
    fn from(e: Entry) -> Self {
        Self {
            kind: e.kind.as_str(),
            at: e.at,
            title: e.title,
            match_id: e.match_id,
            need_code: e.need_code,
            hours: e.hours,
            amount: e.amount,
        }
    }
}

/// One warning on a file.
#[derive(Serialize, ToSchema)]
pub struct WarningBody {
    /// `duplicate_support`, `service_gap` or `visit_overdue`.
    kind: &'static str,
    /// `YYYY-MM-DD`.
    #[schema(value_type = String)]
    since: NaiveDate,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    match_ids: Vec<String>,
}

impl From<Warning> for WarningBody {
    fn from(w: Warning) -> Self {
        Self {
            kind: w.kind.as_str(),
            since: w.since,
            match_ids: w.match_ids,
        }
    }
}

/// A page of a child's timeline, newest first, and the file's warnings.
#[derive(Serialize, ToSchema)]
pub struct TimelineBody {
    total: u64,
    items: Vec<EntryBody>,
    warnings: Vec<WarningBody>,
}

impl From<Timeline> for TimelineBody {
    fn from(t: Timeline) -> Self {
        Self {
            total: t.entries.total,
            items: t.entries.items.into_iter().map(Into::into).collect(),
            warnings: t.warnings.into_iter().map(Into::into).collect(),
        }
    }
}

/// The child's timeline: visits, needs and their matches' steps, service
/// records, entitlements, referrals and reports, newest first, with the
/// file's warnings. Audited as a read of the file.
#[utoipa::path(
    get,
    path = "/api/v1/children/{id}/timeline",
    tag = "children",
    operation_id = "children_timeline",
    security(("cookie" = [])),
    params(("id" = String, Path, description = "The child file's id"), TimelineQuery),
    responses(
        (status = 200, description = "`{total, items: [{kind, at, title, match_id?, need_code?, hours?, amount?}], warnings: [{kind, since, match_ids?}]}`", body = TimelineBody),
        ReadAccess,
        OutOfScope,
    )
)]
pub async fn api_timeline(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<TimelineQuery>,
) -> AppResult<Json<TimelineBody>> {
    let kind = parse_filter::<EntryKind>(query.kind.as_deref(), "kind")?;
    let paging = Paging::new(query.limit, query.offset);
    let found = timeline::of_child(
        state.store(),
        &ctx,
        &caller,
        &id,
        kind,
        paging,
        rules(&state),
    )
    .await?;
    Ok(Json(found.into()))
}

pub async fn timeline_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<TimelineQuery>,
) -> AppResult<Response> {
    let kind = parse_filter::<EntryKind>(query.kind.as_deref(), "kind")?;
    let paging = Paging::new(query.limit, query.offset);
    let found = timeline::of_child(
        state.store(),
        &ctx,
        &caller,
        &id,
        kind,
        paging,
        rules(&state),
    )
    .await?;
    Ok(
        views::timeline::timeline_page(&chrome.ctx(), &found, kind, paging.limit, paging.offset)
            .into_response(),
    )
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WarningQuery {
    /// `service_gap` (default), `visit_overdue` or `duplicate_support`.
    kind: Option<String>,
    /// County staff: one township (all when absent); a township officer's is their own.
    township: Option<String>,
    /// Page size: default 20, at most 100.
    limit: Option<u64>,
    offset: Option<u64>,
}

/// One line of the township's warning list.
#[derive(Serialize, ToSchema)]
pub struct LineBody {
    kind: &'static str,
    child_id: String,
    file_no: String,
    township: String,
    /// `YYYY-MM-DD`.
    #[schema(value_type = String)]
    since: NaiveDate,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    match_ids: Vec<String>,
}

impl From<Line> for LineBody {
    fn from(l: Line) -> Self {
        Self {
            kind: l.kind.as_str(),
            child_id: l.child_id,
            file_no: l.file_no,
            township: l.township_code,
            since: l.since,
            match_ids: l.match_ids,
        }
    }
}

/// The warnings of one kind across the files of a township (county staff:
/// one township or the county), oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/warnings",
    tag = "children",
    operation_id = "children_warnings",
    security(("cookie" = [])),
    params(WarningQuery),
    responses(
        (status = 200, description = "`{total, items: [{kind, child_id, file_no, township, since, match_ids?}]}`", body = ListBody<LineBody>),
        ReadAccess,
        OutOfScope,
    )
)]
pub async fn api_warnings(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiQuery(query): ApiQuery<WarningQuery>,
) -> AppResult<Json<ListBody<LineBody>>> {
    let kind = parse_filter::<WarningKind>(query.kind.as_deref(), "kind")?
        .unwrap_or(WarningKind::ServiceGap);
    let paging = Paging::new(query.limit, query.offset);
    let page = warnings::list(
        state.store(),
        &caller,
        query.township.as_deref(),
        kind,
        paging,
        rules(&state),
    )
    .await?;
    Ok(Json(ListBody::map(page, Into::into)))
}

pub async fn warnings_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiQuery(query): ApiQuery<WarningQuery>,
) -> AppResult<Response> {
    let kind = parse_filter::<WarningKind>(query.kind.as_deref(), "kind")?
        .unwrap_or(WarningKind::ServiceGap);
    let paging = Paging::new(query.limit, query.offset);
    let township = query.township.as_deref().filter(|t| !t.is_empty());
    let page = warnings::list(
        state.store(),
        &caller,
        township,
        kind,
        paging,
        rules(&state),
    )
    .await?;
    let all = state.regions.clone();
    let name = |code: &str| regions::township_name(&all, code).to_owned();
    Ok(views::timeline::warnings_page(
        &chrome.ctx(),
        kind,
        &page,
        township,
        &name,
        paging.limit,
        paging.offset,
    )
    .into_response())
}
