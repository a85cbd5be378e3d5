//! The search page, `GET /search`: for everyone over offers, and over the
//! published needs for those who may see them. A refused search comes back
//! on the page with its errors (422).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::error::{AppError, AppResult};
use crate::services::search::{self, SearchRequest};
use crate::services::{Principal, ServiceError};
use crate::views;
use crate::views::search::{Asked, SearchPage};

use super::super::AppState;
use super::super::chrome::Chrome;
use super::super::extract::ApiQuery;
use super::super::regions::township_options;
use super::SearchParams;

/// Whether the type select offers needs: the same rule the service applies
/// to a need search.
async fn may_search_needs(state: &AppState, user: Option<&Principal>) -> AppResult<bool> {
    let Some(user) = user else {
        return Ok(false);
    };
    match crate::services::files::projection::require_viewer(state.store(), user).await {
        Ok(()) => Ok(true),
        Err(ServiceError::Forbidden) => Ok(false),
        Err(other) => Err(other.into()),
    }
}

/// A filter the form sent: an empty select means no filter.
fn chosen(raw: Option<&str>) -> Option<&str> {
    raw.map(str::trim).filter(|v| !v.is_empty())
}

pub async fn search_page(
    State(state): State<AppState>,
    chrome: Chrome,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> AppResult<Response> {
    let kind = params.kind.as_deref().map(str::trim).unwrap_or("");
    if kind == "need" && chrome.user.is_none() {
        return Err(AppError::Unauthenticated);
    }
    let request = SearchRequest {
        q: params.q.clone(),
        kind: params.kind.clone(),
        category: params.category.clone(),
        township: params.township.clone(),
        limit: params.limit,
        offset: params.offset,
    };
    let result = search::search(state.store(), &state.search, chrome.user.as_ref(), &request).await;
    let (outcome, errors) = match result {
        Ok(outcome) => (Some(outcome), Default::default()),
        Err(ServiceError::Invalid(errors)) => (None, errors),
        Err(other) => return Err(other.into()),
    };
    let townships = township_options(&state).await?;
    let data = SearchPage {
        asked: Asked {
            q: params.q.trim(),
            kind: if kind == "need" { "need" } else { "offer" },
            category: chosen(params.category.as_deref()),
            township: chosen(params.township.as_deref()),
            limit: params.limit,
        },
        may_search_needs: may_search_needs(&state, chrome.user.as_ref()).await?,
        townships: &townships,
        outcome: outcome.as_ref(),
        errors: &errors,
    };
    let page = views::search::search_page(&chrome.ctx(), &data);
    let status = if data.outcome.is_some() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, page).into_response())
}
