//! The county allocation plan (分配方案): `GET /allocation` and
//! `GET /api/v1/allocation`.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::AppResult;
use crate::services::allocation::{self, Allocation, ByUrgency, Coverage};
use crate::services::regions;
use crate::views;

use super::AppState;
use super::body::{ErrorBody, LoginRequired};
use super::chrome::Chrome;
use super::extract::{ApiQuery, Auth};
use super::inbox::PageQuery;

/// Places by the urgency of their need.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ByUrgencyBody {
    critical: u64,
    urgent: u64,
    normal: u64,
}

impl From<ByUrgency> for ByUrgencyBody {
    fn from(b: ByUrgency) -> Self {
        ByUrgencyBody {
            critical: b.critical,
            urgent: b.urgent,
            normal: b.normal,
        }
    }
}

/// How much a plan covers.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CoverageBody {
    /// Places covered (a need wanting one place, the usual case, counts once).
    covered: u64,
    by_urgency: ByUrgencyBody,
    /// Needs given every place they want.
    needs_covered: u64,
}

impl From<Coverage> for CoverageBody {
    fn from(c: Coverage) -> Self {
        CoverageBody {
            covered: c.places.total(),
            by_urgency: c.places.into(),
            needs_covered: c.needs,
        }
    }
}

/// One proposed pair (public fields only).
#[derive(Serialize, utoipa::ToSchema)]
pub struct PairBody {
    need_code: String,
    need_title: String,
    /// The need's township code.
    township: String,
    /// `critical`, `urgent` or `normal`.
    urgency: &'static str,
    offer_id: String,
    offer_title: String,
    owner_name: String,
}

/// The plan as the caller sees it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AllocationBody {
    /// When it was computed (RFC 3339); it is computed at every request.
    computed_at: String,
    /// Open needs in the caller's scope.
    needs: u64,
    /// Places those needs want.
    wanted: ByUrgencyBody,
    /// Offers with places, county-wide.
    offers: u64,
    /// The exact plan: most urgent first, then the most places.
    plan: CoverageBody,
    /// First come, first served, for comparison.
    greedy: CoverageBody,
    /// Proposed pairs in scope.
    total: u64,
    /// This page of them, most urgent first.
    items: Vec<PairBody>,
}

impl From<Allocation> for AllocationBody {
    fn from(a: Allocation) -> Self {
        AllocationBody {
            computed_at: a.computed_at.to_rfc3339(),
            needs: a.needs,
            wanted: a.wanted.into(),
            offers: a.offers,
            plan: a.plan.into(),
            greedy: a.greedy.into(),
            total: a.pairs.total,
            items: a
                .pairs
                .items
                .into_iter()
                .map(|p| PairBody {
                    need_code: p.need_code,
                    need_title: p.need_title,
                    township: p.township,
                    urgency: p.urgency.as_str(),
                    offer_id: p.offer_id,
                    offer_title: p.offer_title,
                    owner_name: p.owner_name,
                })
                .collect(),
        }
    }
}

/// The county allocation plan (county staff: the county; township officers:
/// their township's needs in the county-wide plan).
#[utoipa::path(
    get,
    path = "/api/v1/allocation",
    tag = "allocation",
    operation_id = "allocation_get",
    security(("cookie" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "`{computed_at, needs, wanted, offers, plan: {covered, by_urgency: {critical, urgent, normal}, needs_covered}, greedy: {…}, total, items: [{need_code, need_title, township, urgency, offer_id, offer_title, owner_name}]}`", body = AllocationBody),
        LoginRequired,
        (status = 403, description = "Not county staff or a township officer", body = ErrorBody),
    )
)]
pub async fn api_allocation(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> AppResult<Json<AllocationBody>> {
    let plan = allocation::allocation(state.store(), &caller, query.paging()).await?;
    Ok(Json(plan.into()))
}

pub async fn allocation_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> AppResult<Response> {
    let paging = query.paging();
    let plan = allocation::allocation(state.store(), &caller, paging).await?;
    let townships = regions::list(&state.db).await?;
    let name = |code: &str| regions::township_name(&townships, code).to_owned();
    Ok(
        views::allocation::allocation(&chrome.ctx(), &plan, &name, paging.limit, paging.offset)
            .into_response(),
    )
}
