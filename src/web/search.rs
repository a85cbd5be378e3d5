//! Search: `GET /api/v1/search`; its answer is in [`body`], the page
//! `GET /search` in [`pages`].

pub mod body;
pub mod pages;

use axum::Json;
use axum::extract::State;
use serde::Deserialize;

use crate::error::{AppError, AppResult};
use crate::services::search::{self, SearchRequest};

use super::AppState;
use super::body::ErrorBody;
use super::extract::{ApiQuery, MaybeAuth};
use body::SearchBody;

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The words to search for.
    #[serde(default)]
    pub q: String,
    /// `offer` (the default) or `need`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Only this category.
    pub category: Option<String>,
    /// Only this township.
    pub township: Option<String>,
    /// Page size: default 20, at most 100.
    pub limit: Option<u64>,
    /// Items to skip.
    pub offset: Option<u64>,
}

impl From<SearchParams> for SearchRequest {
    fn from(p: SearchParams) -> Self {
        SearchRequest {
            q: p.q,
            kind: p.kind,
            category: p.category,
            township: p.township,
            limit: p.limit,
            offset: p.offset,
        }
    }
}

/// Full-text search of offers (public) or needs (as for `GET /api/v1/needs/{code}`).
#[utoipa::path(
    get,
    path = "/api/v1/search",
    tag = "search",
    operation_id = "search",
    security((), ("cookie" = [])),
    params(SearchParams),
    responses(
        (status = 200, description = "`{total, items, facets, suggestions}`", body = SearchBody),
        (status = 401, description = "`type=need` without logging in", body = ErrorBody),
        (status = 403, description = "`type=need` by an account that may not see needs", body = ErrorBody),
        (status = 422, description = "Invalid `q` (too long), `type`, `category`, `township` or `offset`", body = ErrorBody),
    )
)]
pub async fn api_search(
    State(state): State<AppState>,
    MaybeAuth(caller): MaybeAuth,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> AppResult<Json<SearchBody>> {
    let request = SearchRequest::from(params);
    if request.kind.as_deref() == Some("need") && caller.is_none() {
        return Err(AppError::Unauthenticated);
    }
    let outcome = search::search(state.store(), &state.search, caller.as_ref(), &request).await?;
    Ok(Json(outcome.into()))
}
