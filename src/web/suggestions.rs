//! Suggestions: `/api/v1/needs/{id}/suggestions` (staff in scope) and
//! `/api/v1/offers/{id}/suggestions` (the offer's owner); the answers are
//! in [`body`], the pages in [`pages`].

pub mod body;
pub mod pages;

use axum::Json;
use axum::extract::State;
use serde::Deserialize;

use crate::error::AppResult;
use crate::services::Paging;
use crate::services::suggestions;

use super::AppState;
use super::body::{ErrorBody, LoginRequired};
use super::extract::{ApiPath, ApiQuery, Auth};
use body::{RankedNeedsBody, RankedOffersBody};

/// `limit`/`offset` of a suggestion list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestionQuery {
    /// Page size: default 20, at most 100.
    pub limit: Option<u64>,
    /// Items to skip.
    pub offset: Option<u64>,
}

impl SuggestionQuery {
    pub fn paging(&self) -> Paging {
        Paging::new(self.limit, self.offset)
    }
}

/// Offers ranked for a need (staff who reach the need's file).
#[utoipa::path(
    get,
    path = "/api/v1/needs/{id}/suggestions",
    tag = "needs",
    operation_id = "needs_suggestions",
    security(("cookie" = [])),
    params(("id" = String, Path, description = "The need's id"), SuggestionQuery),
    responses(
        (status = 200, description = "The need and `{total, items}`, best first (score out of 100; ties: more places left, then the older offer). Only active offers of the need's category with places left, serving its township or the whole county, of verified providers or currently approved families, for the child's ages; an offer with an open match for this need is kept and marked `already_matched`", body = RankedOffersBody),
        LoginRequired,
        (status = 404, description = "No such need, or outside the caller's scope", body = ErrorBody),
    )
)]
pub async fn api_for_need(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<SuggestionQuery>,
) -> AppResult<Json<RankedOffersBody>> {
    let found =
        suggestions::for_need(state.store(), &state.search, &caller, &id, query.paging()).await?;
    Ok(Json(found.into()))
}

/// Published needs ranked for an offer (its owner), as public projections.
#[utoipa::path(
    get,
    path = "/api/v1/offers/{id}/suggestions",
    tag = "offers",
    operation_id = "offers_suggestions",
    security(("cookie" = [])),
    params(("id" = String, Path, description = "The offer's id"), SuggestionQuery),
    responses(
        (status = 200, description = "The offer and `{total, items}`, best first; public projections only. Needs generalized to the county come only for county-wide offers. A paused, closed or full offer has no items", body = RankedNeedsBody),
        LoginRequired,
        (status = 403, description = "The owner may not see needs (provider not verified, family approval not current)", body = ErrorBody),
        (status = 404, description = "No such offer, or not the caller's", body = ErrorBody),
    )
)]
pub async fn api_for_offer(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<SuggestionQuery>,
) -> AppResult<Json<RankedNeedsBody>> {
    let k = state.settings.k_anonymity;
    let found = suggestions::for_offer(
        state.store(),
        &state.search,
        &caller,
        &id,
        query.paging(),
        k,
    )
    .await?;
    Ok(Json(found.into()))
}
