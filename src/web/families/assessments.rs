//! Home visits to a family: `POST /api/v1/families/{id}/assessments`, the
//! list of visits, the family's page for staff and its visit form.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::Markup;
use serde::{Deserialize, Serialize};

use crate::error::AppResult;
use crate::services::families::{self, AssessmentInput, AssessmentView, FamilyView};
use crate::services::{Principal, ServiceError, regions};
use crate::views;
use crate::views::families::{DetailData, DetailForms};

use super::super::AppState;
use super::super::body::{ErrorBody, InvalidFields, ListBody, LoginRequired};
use super::super::chrome::{Chrome, flash};
use super::super::extract::{ApiJson, ApiPath, Auth, Ctx, FormFields};
use super::FamilyBody;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentRequest {
    /// The day of the home visit (`YYYY-MM-DD`): not in the future, not
    /// before the application.
    visited_on: String,
    /// Housing (optional, at most 1000 characters).
    #[serde(default)]
    housing: Option<String>,
    /// Income (optional, at most 1000 characters).
    #[serde(default)]
    income: Option<String>,
    /// Health of the household (optional, at most 1000 characters).
    #[serde(default)]
    health: Option<String>,
    /// Training taken (optional, at most 1000 characters).
    #[serde(default)]
    training: Option<String>,
    /// What the officer found (required, at most 2000 characters); the
    /// family reads it as the reason when not recommended.
    findings: String,
    /// `true`: the family goes to the county (`recommended`); `false`: it is
    /// `rejected`.
    recommend: bool,
}

/// One home visit.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AssessmentBody {
    id: String,
    family_id: String,
    visited_on: String,
    housing: String,
    income: String,
    health: String,
    training: String,
    findings: String,
    recommend: bool,
    /// The id of the officer who recorded it.
    assessed_by: String,
    created_at: String,
}

impl From<crate::db::entities::family_assessment::Model> for AssessmentBody {
    fn from(a: crate::db::entities::family_assessment::Model) -> Self {
        Self {
            id: a.id,
            family_id: a.family_id,
            visited_on: a.visited_on.format("%Y-%m-%d").to_string(),
            housing: a.housing,
            income: a.income,
            health: a.health,
            training: a.training,
            findings: a.findings,
            recommend: a.recommend,
            assessed_by: a.assessed_by,
            created_at: a.created_at.to_rfc3339(),
        }
    }
}

/// The answer to a recorded visit: the visit and the family after it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AssessedBody {
    #[serde(flatten)]
    assessment: AssessmentBody,
    family: FamilyBody,
}

/// Records a home visit to a family (township_officer of its township).
#[utoipa::path(
    post,
    path = "/api/v1/families/{id}/assessments",
    tag = "families",
    operation_id = "families_assess",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The family's id")),
    request_body = AssessmentRequest,
    responses(
        (status = 201, description = "The visit, and the family now `recommended` or `rejected`", body = AssessedBody),
        LoginRequired,
        (status = 403, description = "Not a township_officer, or missing/wrong `X-CSRF-Token`", body = ErrorBody),
        (status = 404, description = "No such family in the caller's township", body = ErrorBody),
        (status = 409, description = "The family waits for the county or was rejected (the message names its state)", body = ErrorBody),
        InvalidFields,
    )
)]
pub async fn api_assess(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<AssessmentRequest>,
) -> AppResult<(StatusCode, Json<AssessedBody>)> {
    let input = AssessmentInput {
        visited_on: body.visited_on,
        housing: body.housing.unwrap_or_default(),
        income: body.income.unwrap_or_default(),
        health: body.health.unwrap_or_default(),
        training: body.training.unwrap_or_default(),
        findings: body.findings,
        recommend: Some(body.recommend),
    };
    let done = families::assess(&state.db, &ctx, &caller, &id, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(AssessedBody {
            assessment: done.assessment.into(),
            family: FamilyView::for_caller(&caller, done.family).into(),
        }),
    ))
}

/// A family's home visits, most recent first (county_admin, township_officer of its township).
#[utoipa::path(
    get,
    path = "/api/v1/families/{id}/assessments",
    tag = "families",
    operation_id = "families_assessments",
    security(("cookie" = [])),
    params(("id" = String, Path, description = "The family's id")),
    responses(
        (status = 200, description = "`{total, items}`", body = ListBody<AssessmentBody>),
        LoginRequired,
        (status = 403, description = "Not staff who assess or decide", body = ErrorBody),
        (status = 404, description = "Absent or outside the caller's township", body = ErrorBody),
    )
)]
pub async fn api_assessments(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<ListBody<AssessmentBody>>> {
    let items = families::assessments(&state.db, &caller, &id).await?;
    Ok(Json(ListBody::whole(items, |v| v.assessment.into())))
}

/// The family's page for `caller`, with `forms` as typed.
pub(super) async fn render_detail(
    state: &AppState,
    caller: &Principal,
    chrome: &Chrome,
    id: &str,
    forms: &DetailForms,
) -> AppResult<Markup> {
    let family = families::get(&state.db, caller, id).await?;
    let assessments: Vec<AssessmentView> = if family.actions.read_assessments {
        families::assessments(&state.db, caller, id).await?
    } else {
        Vec::new()
    };
    let townships = state.regions.clone();
    let township = regions::township_name(&townships, &family.family.township_code).to_owned();
    let data = DetailData {
        family: &family,
        township: &township,
        assessments: &assessments,
    };
    Ok(views::families::detail(&chrome.ctx(), &data, forms))
}

pub(super) async fn back_to_family(
    chrome: &Chrome,
    id: &str,
    message: &str,
) -> AppResult<Response> {
    flash(&chrome.session, message).await?;
    Ok(Redirect::to(&format!("/families/{id}")).into_response())
}

pub async fn assess_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
    form: FormFields,
) -> AppResult<Response> {
    let input = AssessmentInput {
        visited_on: form.get("visited_on").to_owned(),
        housing: form.get("housing").to_owned(),
        income: form.get("income").to_owned(),
        health: form.get("health").to_owned(),
        training: form.get("training").to_owned(),
        findings: form.get("findings").to_owned(),
        recommend: match form.get("recommend") {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
    };
    match families::assess(&state.db, &ctx, &caller, &id, input.clone()).await {
        Ok(done) if done.assessment.recommend => {
            back_to_family(&chrome, &id, "走访评估已保存，已推荐至县民政局审批。").await
        }
        Ok(_) => {
            back_to_family(
                &chrome,
                &id,
                "走访评估已保存，未予推荐，申请状态为“未通过”。",
            )
            .await
        }
        Err(ServiceError::Invalid(errors)) => {
            let forms = DetailForms {
                assessment: input,
                assessment_errors: errors,
                ..DetailForms::default()
            };
            let page = render_detail(&state, &caller, &chrome, &id, &forms).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(ServiceError::StateConflict { message, .. } | ServiceError::Conflict(message)) => {
            back_to_family(&chrome, &id, &message).await
        }
        Err(other) => Err(other.into()),
    }
}
