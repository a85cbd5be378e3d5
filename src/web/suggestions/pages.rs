//! The suggestion pages: `/needs/{id}/suggestions` (staff) and
//! `/offers/{id}/suggestions` (the offer's owner).

use axum::extract::State;
use axum::response::{IntoResponse, Response};

use crate::error::AppResult;
use crate::services::regions;
use crate::services::suggestions;
use crate::views;
use crate::views::needs::area_label;

use super::super::AppState;
use super::super::chrome::Chrome;
use super::super::extract::{ApiPath, ApiQuery, Auth};
use super::super::offers::pages::area_of;
use super::SuggestionQuery;

pub async fn need_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<SuggestionQuery>,
) -> AppResult<Response> {
    let paging = query.paging();
    let found = suggestions::for_need(state.store(), &state.search, &caller, &id, paging).await?;
    let all = state.regions.clone();
    let need_area = regions::township_name(&all, &found.need.township_code);
    let offer_area = |v: &_| area_of(&all, v);
    let page = views::suggestions::for_need(
        &chrome.ctx(),
        &found,
        need_area,
        &offer_area,
        paging.limit,
        paging.offset,
    );
    Ok(page.into_response())
}

pub async fn offer_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<SuggestionQuery>,
) -> AppResult<Response> {
    let paging = query.paging();
    let k = state.settings.k_anonymity;
    let found =
        suggestions::for_offer(state.store(), &state.search, &caller, &id, paging, k).await?;
    let all = state.regions.clone();
    let offer_area = area_of(&all, &found.offer);
    let need_area = |code: Option<&str>| area_label(code.map(|c| regions::township_name(&all, c)));
    let page = views::suggestions::for_offer(
        &chrome.ctx(),
        &found,
        &offer_area,
        &need_area,
        paging.limit,
        paging.offset,
    );
    Ok(page.into_response())
}
