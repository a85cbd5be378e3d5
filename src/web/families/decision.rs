//! The county's decision on a recommended family: `POST
//! /api/v1/families/{id}/decision` and the decision form on its page.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::domain::family::FamilyDecision;
use crate::error::AppResult;
use crate::services::ServiceError;
use crate::services::families::{self, FamilyView};
use crate::views::families::DetailForms;

use super::super::AppState;
use super::super::body::{AdminWrite, ErrorBody};
use super::super::chrome::Chrome;
use super::super::extract::{ApiJson, ApiPath, Auth, Ctx, FormFields};
use super::FamilyBody;
use super::assessments::{back_to_family, render_detail};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FamilyDecisionRequest {
    /// `approve` or `reject`.
    decision: String,
    /// Required to reject (the family reads it); at most 500 characters.
    #[serde(default)]
    reason: Option<String>,
}

/// Approves (for a year) or rejects a recommended family (county_admin).
#[utoipa::path(
    post,
    path = "/api/v1/families/{id}/decision",
    tag = "families",
    operation_id = "families_decide",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The family's id")),
    request_body = FamilyDecisionRequest,
    responses(
        (status = 200, description = "The family after the decision (`status`, `approved_until`)", body = FamilyBody),
        AdminWrite,
        (status = 404, description = "No such family", body = ErrorBody),
        (status = 409, description = "The family is not `recommended` (the message names its state)", body = ErrorBody),
        (status = 422, description = "`decision` is not approve or reject, or a rejection has no reason", body = ErrorBody),
    )
)]
pub async fn api_decide(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<FamilyDecisionRequest>,
) -> AppResult<Json<FamilyBody>> {
    let decision = families::decision_of(&caller, &body.decision)?;
    let family = families::decide(&state.db, &ctx, &caller, &id, decision, body.reason).await?;
    Ok(Json(FamilyView::for_caller(&caller, family).into()))
}

pub async fn decide_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
    form: FormFields,
) -> AppResult<Response> {
    let decision = families::decision_of(&caller, form.get("decision"))?;
    let reason = form.get_opt("reason");
    match families::decide(&state.db, &ctx, &caller, &id, decision, reason).await {
        Ok(family) => {
            let message = match family.approved_until {
                Some(until) if decision == FamilyDecision::Approve => {
                    format!(
                        "已批准，审批有效期至 {}。",
                        crate::views::components::day(until)
                    )
                }
                _ => "已不予批准，家庭会看到审批意见。".to_owned(),
            };
            back_to_family(&chrome, &id, &message).await
        }
        Err(ServiceError::Invalid(errors)) => {
            let forms = DetailForms {
                reason: form.get("reason").to_owned(),
                decision_errors: errors,
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
