//! Suggestions: `/api/v1/needs/{id}/suggestions` (staff in scope) and
//! `/api/v1/offers/{id}/suggestions` (the offer's owner); the pages are in
//! [`pages`].

pub mod pages;

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::domain::scoring::Score;
use crate::error::AppResult;
use crate::services::Paging;
use crate::services::offers::OfferView;
use crate::services::suggestions::{self, Suggested};

use super::AppState;
use super::body::{ErrorBody, LoginRequired};
use super::extract::{ApiPath, ApiQuery, Auth};
use super::needs::public_json;

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

/// An offer as a suggestion shows it: public facts only.
fn offer_json(view: &OfferView) -> Value {
    let o = &view.offer;
    json!({
        "id": o.id,
        "title": o.title,
        "owner_name": o.owner_name,
        "category": o.category,
        "remaining": o.remaining,
        "capacity": o.capacity,
        "townships": view.townships,
        "county_wide": o.county_wide,
        "age_min": o.age_min,
        "age_max": o.age_max,
        "status": o.status,
    })
}

fn reasons_json(score: &Score) -> Value {
    score
        .reasons
        .iter()
        .map(|r| json!({"component": r.component.as_str(), "points": r.points, "text": r.text}))
        .collect()
}

fn item_json<T>(s: &Suggested<T>, key: &str, item: Value) -> Value {
    json!({
        key: item,
        "score": s.score.total,
        "reasons": reasons_json(&s.score),
        "already_matched": s.open_match.is_some(),
        "match_id": s.open_match,
    })
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
        (status = 200, description = "`{need: {id, code, title, category, township, age_band, difficulty_class, urgency, status}, total, items: [{offer: {id, title, owner_name, category, remaining, capacity, townships, county_wide, age_min, age_max, status}, score, reasons: [{component, points, text}], already_matched, match_id}]}`, best first (score out of 100; ties: more places left, then the older offer). Only active offers of the need's category with places left, serving its township or the whole county, of verified providers or currently approved families, for the child's ages; an offer with an open match for this need is kept and marked `already_matched`", body = Object),
        LoginRequired,
        (status = 404, description = "No such need, or outside the caller's scope", body = ErrorBody),
    )
)]
pub async fn api_for_need(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<SuggestionQuery>,
) -> AppResult<Json<Value>> {
    let found =
        suggestions::for_need(state.store(), &state.search, &caller, &id, query.paging()).await?;
    let n = &found.need;
    Ok(Json(json!({
        "need": {
            "id": n.id,
            "code": n.code,
            "title": n.title,
            "category": n.category,
            "township": n.township_code,
            "age_band": found.age_band.map(|b| b.as_str()),
            "difficulty_class": found.difficulty_class.as_str(),
            "urgency": n.urgency,
            "status": n.status,
        },
        "total": found.total,
        "items": found
            .items
            .iter()
            .map(|s| item_json(s, "offer", offer_json(&s.item)))
            .collect::<Vec<_>>(),
    })))
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
        (status = 200, description = "`{offer: {id, title, owner_name, category, remaining, capacity, townships, county_wide, age_min, age_max, status}, total, items: [{need: {code, category, title, description, quantity, township, age_band, difficulty_class, urgency, status}, score, reasons: [{component, points, text}], already_matched, match_id}]}`, best first; public projections only. Needs generalized to the county come only for county-wide offers. A paused, closed or full offer has no items", body = Object),
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
) -> AppResult<Json<Value>> {
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
    Ok(Json(json!({
        "offer": offer_json(&found.offer),
        "total": found.total,
        "items": found
            .items
            .iter()
            .map(|s| item_json(s, "need", public_json(&s.item)))
            .collect::<Vec<_>>(),
    })))
}
