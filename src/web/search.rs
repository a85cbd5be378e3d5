//! Search: `GET /api/v1/search`; the page `GET /search` is in [`pages`].

pub mod pages;

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::{AppError, AppResult};
use crate::services::search::{self, SearchOutcome, SearchRequest};

use super::AppState;
use super::body::ErrorBody;
use super::extract::{ApiQuery, MaybeAuth};

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

/// Character offsets of the highlights, for clients that count characters.
fn char_ranges(text: &str, ranges: &[std::ops::Range<usize>]) -> Vec<[usize; 2]> {
    let at = |byte: usize| text.get(..byte).map_or(0, |s| s.chars().count());
    ranges.iter().map(|r| [at(r.start), at(r.end)]).collect()
}

pub fn outcome_json(outcome: &SearchOutcome) -> Value {
    let items: Vec<Value> = outcome
        .results
        .hits
        .iter()
        .map(|hit| {
            let township = match hit.townships.as_slice() {
                [one] if one != search::documents::COUNTY => Some(one.clone()),
                _ => None,
            };
            json!({
                "type": hit.kind.as_str(),
                "id": hit.id,
                "code": hit.code,
                "title": hit.title,
                "snippet": hit.snippet.text,
                "highlights": char_ranges(&hit.snippet.text, &hit.snippet.highlights),
                "category": hit.category,
                "township": township,
                "townships": hit.townships,
                "owner": hit.provider,
                "score": hit.score,
            })
        })
        .collect();
    json!({
        "total": outcome.results.total,
        "items": items,
        "facets": {
            "category": outcome.results.facets.category,
            "township": outcome.results.facets.township,
        },
        "suggestions": outcome.suggestions.iter().map(|s| json!({
            "message": s.message,
            "q": s.q,
            "category": s.category,
            "township": s.township,
        })).collect::<Vec<_>>(),
    })
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
        (status = 200, description = "`{total, items: [{type, id, code, title, snippet, highlights, category, township, townships, owner, score}], facets: {category: {k: n}, township: {k: n}}, suggestions: [{message, q, category, township}]}`", body = Object),
        (status = 401, description = "`type=need` without logging in", body = ErrorBody),
        (status = 403, description = "`type=need` by an account that may not see needs", body = ErrorBody),
        (status = 422, description = "Invalid `q` (too long), `type`, `category`, `township` or `offset`", body = ErrorBody),
    )
)]
pub async fn api_search(
    State(state): State<AppState>,
    MaybeAuth(caller): MaybeAuth,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> AppResult<Json<Value>> {
    let request = SearchRequest::from(params);
    if request.kind.as_deref() == Some("need") && caller.is_none() {
        return Err(AppError::Unauthenticated);
    }
    let outcome = search::search(state.store(), &state.search, caller.as_ref(), &request).await?;
    Ok(Json(outcome_json(&outcome)))
}
