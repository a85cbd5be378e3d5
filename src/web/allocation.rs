//! The county allocation plan (分配方案): `GET /allocation` and
//! `GET /api/v1/allocation`.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::AppResult;
use crate::services::allocation::{self, Allocation, Answer, ByUrgency, Coverage, Pending};
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
    /// `ready`: the plan of the data as it is now.
    status: &'static str,
    /// When it was computed (RFC 3339), by a background job; it is kept
    /// until the needs, offers, matches or owners change, or the day does.
    computed_at: String,
    /// How long the job took, in milliseconds.
    duration_ms: u64,
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
            status: "ready",
            computed_at: a.computed_at.to_rfc3339(),
            duration_ms: u64::try_from(a.duration.as_millis()).unwrap_or(u64::MAX),
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

/// The plan is being computed: answered with 202 until it is ready.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AllocationPendingBody {
    /// `running`.
    status: &'static str,
    /// `loading`, `classes`, `flow_critical`, `flow_urgent`, `flow_normal`,
    /// `baseline`, `pairs` or `summary`.
    phase: &'static str,
    /// Rough percent done (0–99).
    percent: u8,
    /// When the job started (RFC 3339).
    started_at: String,
    /// The job before this one failed; this one tries again.
    retrying: bool,
}

impl From<Pending> for AllocationPendingBody {
    fn from(p: Pending) -> Self {
        AllocationPendingBody {
            status: "running",
            phase: p.phase.as_str(),
            percent: p.percent,
            started_at: p.started_at.to_rfc3339(),
            retrying: p.retrying,
        }
    }
}

/// Seconds a client waits before asking again while the plan is computed.
const RETRY_AFTER: &str = "2";

/// The county allocation plan (county staff: the county; township officers:
/// their township's needs in the county-wide plan), computed by a
/// background job and kept until the data changes.
#[utoipa::path(
    get,
    path = "/api/v1/allocation",
    tag = "allocation",
    operation_id = "allocation_get",
    security(("cookie" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "The plan of the data as it is now: `{status: \"ready\", computed_at, duration_ms, needs, wanted, offers, plan: {covered, by_urgency: {critical, urgent, normal}, needs_covered}, greedy: {…}, total, items: [{need_code, need_title, township, urgency, offer_id, offer_title, owner_name}]}`", body = AllocationBody),
        (status = 202, description = "The plan is being computed (started by this request or an earlier one): `{status: \"running\", phase, percent, started_at, retrying}`; ask again after `Retry-After` seconds", body = AllocationPendingBody),
        LoginRequired,
        (status = 403, description = "Not county staff or a township officer", body = ErrorBody),
    )
)]
pub async fn api_allocation(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> AppResult<Response> {
    let answer = allocation::allocation(
        &state.allocation,
        &state.db,
        &state.vault,
        &caller,
        query.paging(),
    )
    .await?;
    Ok(match answer {
        Answer::Ready(plan) => Json(AllocationBody::from(plan)).into_response(),
        Answer::Pending(pending) => (
            StatusCode::ACCEPTED,
            [(header::RETRY_AFTER, RETRY_AFTER)],
            Json(AllocationPendingBody::from(pending)),
        )
            .into_response(),
    })
}

pub async fn allocation_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> AppResult<Response> {
    let paging = query.paging();
    let answer =
        allocation::allocation(&state.allocation, &state.db, &state.vault, &caller, paging).await?;
    let plan = match answer {
        Answer::Ready(plan) => plan,
        Answer::Pending(pending) => {
            return Ok(views::allocation::pending(&chrome.ctx(), &pending).into_response());
        }
    };
    let townships = state.regions.clone();
    let name = |code: &str| regions::township_name(&townships, code).to_owned();
    Ok(
        views::allocation::allocation(&chrome.ctx(), &plan, &name, paging.limit, paging.offset)
            .into_response(),
    )
}
