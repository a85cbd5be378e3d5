//! The inbox (待办): `GET /inbox` and `GET /api/v1/inbox`.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::error::AppResult;
use crate::services::inbox::{self, Inbox};
use crate::services::{Paging, Principal};
use crate::views;

use super::AppState;
use super::body::LoginRequired;
use super::chrome::Chrome;
use super::extract::{ApiQuery, Auth};

/// `limit`/`offset` of a paged request.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size: default 20, at most 100.
    pub limit: Option<u64>,
    /// Items to skip.
    pub offset: Option<u64>,
}

impl PageQuery {
    pub fn paging(&self) -> Paging {
        Paging::new(self.limit, self.offset)
    }
}

/// One waiting item.
#[derive(Serialize, utoipa::ToSchema)]
pub struct InboxItemBody {
    /// e.g. `match_proposed`, `family_to_assess`, `provider_to_verify`.
    kind: &'static str,
    /// What it is, in Chinese.
    label: String,
    /// The page where the reader acts on it.
    url: String,
    /// When it started waiting (RFC 3339).
    since: String,
    /// Waiting longer than the overdue days.
    overdue: bool,
    waiting_days: i64,
}

/// The caller's inbox.
#[derive(Serialize, utoipa::ToSchema)]
pub struct InboxBody {
    /// Every waiting item.
    total: u64,
    /// Of which overdue.
    overdue: u64,
    /// Items waiting longer than this many days are overdue.
    overdue_days: u32,
    /// Waiting items by kind (every kind the caller reads, zeros included).
    counts: BTreeMap<String, u64>,
    /// Overdue items by kind.
    overdue_counts: BTreeMap<String, u64>,
    /// This page of the items, oldest first.
    items: Vec<InboxItemBody>,
}

impl From<Inbox> for InboxBody {
    fn from(inbox: Inbox) -> Self {
        let kinds = &inbox.counts.kinds;
        InboxBody {
            total: inbox.counts.total(),
            overdue: inbox.counts.overdue(),
            overdue_days: inbox.overdue_days,
            counts: kinds
                .iter()
                .map(|k| (k.kind.as_str().to_owned(), k.waiting))
                .collect(),
            overdue_counts: kinds
                .iter()
                .map(|k| (k.kind.as_str().to_owned(), k.overdue))
                .collect(),
            items: inbox
                .items
                .into_iter()
                .map(|i| InboxItemBody {
                    kind: i.kind.as_str(),
                    label: i.label,
                    url: i.url,
                    since: i.since.to_rfc3339(),
                    overdue: i.overdue,
                    waiting_days: i.waiting_days,
                })
                .collect(),
        }
    }
}

async fn load(
    state: &AppState,
    caller: &Principal,
    query: &PageQuery,
    counted: Option<inbox::Counts>,
) -> AppResult<Inbox> {
    Ok(inbox::inbox(
        state.store(),
        &state.inbox_counts,
        caller,
        state.settings.overdue_days,
        query.paging(),
        counted,
    )
    .await?)
}

/// What waits for the caller, oldest first, with counts by kind.
#[utoipa::path(
    get,
    path = "/api/v1/inbox",
    tag = "inbox",
    operation_id = "inbox_get",
    security(("cookie" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "`{total, overdue, overdue_days, counts: {kind: n}, overdue_counts: {kind: n}, items: [{kind, label, url, since, overdue, waiting_days}]}`", body = InboxBody),
        LoginRequired,
    )
)]
pub async fn api_inbox(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> AppResult<Json<InboxBody>> {
    let counted = inbox::counts(
        state.store(),
        &state.inbox_counts,
        &caller,
        state.settings.overdue_days,
    )
    .await?;
    Ok(Json(
        load(&state, &caller, &query, Some(counted)).await?.into(),
    ))
}

pub async fn inbox_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> AppResult<Response> {
    // The page's navigation counted the inbox already.
    let inbox = load(&state, &caller, &query, chrome.counts.clone()).await?;
    let paging = query.paging();
    Ok(views::inbox::inbox(&chrome.ctx(), &inbox, paging.limit, paging.offset).into_response())
}
