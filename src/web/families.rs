//! Caring-family applications: `POST /api/v1/families` and the staff's
//! reads. Home visits are in [`assessments`], the county's decision in
//! [`decision`], the form and the staff's pages in [`pages`].

pub mod assessments;
pub mod decision;
pub mod pages;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::domain::Invalid;
use crate::domain::family::FamilyStatus;
use crate::error::{AppError, AppResult};
use crate::services::Paging;
use crate::services::families::{self, ApplicationInput, FamilyView, ListFilter};

use super::AppState;
use super::body::{CreatedBody, ErrorBody, InvalidFields, ListBody, OutOfScope, ReadAccess};
use super::extract::{ApiJson, ApiPath, ApiQuery, Auth, ClientAddr, Ctx, parse_filter};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationRequest {
    household_name: String,
    township: String,
    members: i64,
    housing: String,
    contact_phone: String,
    care_types: Vec<String>,
    username: String,
    password: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FamilyBody {
    id: String,
    household_name: String,
    township: String,
    members: i32,
    housing: String,
    contact_phone: String,
    care_types: Vec<&'static str>,
    status: String,
    #[schema(required = true)]
    reason: Option<String>,
    created_at: String,
    /// When the township rejected or the county last decided (RFC 3339).
    #[schema(required = true)]
    decided_at: Option<String>,
    /// The last day the county's approval holds (`YYYY-MM-DD`); kept while
    /// a re-assessed family waits for the county again.
    #[schema(required = true)]
    approved_until: Option<String>,
    /// Approved and not run out today: may post offers and be matched.
    approval_current: bool,
    /// Approved, and the approval ends within 60 days or has run out.
    reassessment_due: bool,
}

impl From<FamilyView> for FamilyBody {
    fn from(view: FamilyView) -> Self {
        let FamilyView {
            family: f,
            standing,
            ..
        } = view;
        let care_types = f.care_types.iter().map(|c| c.as_str()).collect();
        Self {
            decided_at: f.decided_at.map(|at| at.to_rfc3339()),
            approved_until: f.approved_until.map(|d| d.format("%Y-%m-%d").to_string()),
            approval_current: standing.is_current(),
            reassessment_due: standing.reassessment_due(),
            id: f.id,
            household_name: f.household_name,
            township: f.township_code,
            members: f.members,
            housing: f.housing,
            contact_phone: f.contact_phone,
            care_types,
            status: f.status.as_str().to_owned(),
            reason: f.decision_reason,
            created_at: f.created_at.to_rfc3339(),
        }
    }
}

/// `limit`/`offset`/`status`/`due` of the family lists.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FamilyListQuery {
    /// Page size: default 20, at most 100.
    pub limit: Option<u64>,
    /// Items to skip.
    pub offset: Option<u64>,
    /// Only items in this status.
    pub status: Option<String>,
    /// `1` or `true`: only approved families due for re-assessment (the
    /// approval ends within 60 days or has run out), soonest end first.
    pub due: Option<String>,
}

impl FamilyListQuery {
    fn filter(&self) -> AppResult<ListFilter> {
        let status = parse_filter::<FamilyStatus>(self.status.as_deref(), "status")?;
        let due = match self.due.as_deref().map(str::trim) {
            None | Some("" | "0" | "false") => false,
            Some("1" | "true") => true,
            Some(_) => {
                return Err(AppError::Invalid(Invalid::one("due", "due 应为 1 或 0")));
            }
        };
        Ok(ListFilter { status, due })
    }
}

/// Applies as a caring family, with its account (public).
#[utoipa::path(
    post,
    path = "/api/v1/families",
    tag = "families",
    operation_id = "families_apply",
    request_body = ApplicationRequest,
    responses(
        (status = 201, description = "`{id, status: \"submitted\"}`", body = CreatedBody),
        (status = 409, description = "The username is taken", body = ErrorBody),
        InvalidFields,
        (status = 429, description = "Too many registrations from this address; `details.retry_after` in seconds", body = ErrorBody),
    )
)]
pub async fn api_apply(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<ApplicationRequest>,
) -> AppResult<(StatusCode, Json<CreatedBody>)> {
    let input = ApplicationInput {
        household_name: body.household_name,
        township: body.township,
        members: Some(body.members),
        housing: body.housing,
        contact_phone: body.contact_phone,
        care_types: body.care_types,
        username: body.username,
        password: body.password,
        password_confirm: None,
    };
    let family = families::apply_public(&state.db, &state.settings, &ctx, input, &addr).await?;
    let created = CreatedBody::new(family.id, family.status.as_str());
    Ok((StatusCode::CREATED, Json(created)))
}

/// One family application (staff in scope, or the family itself).
#[utoipa::path(
    get,
    path = "/api/v1/families/{id}",
    tag = "families",
    operation_id = "families_get",
    security(("cookie" = [])),
    params(("id" = String, Path, description = "The family's id")),
    responses(
        (status = 200, description = "The application", body = FamilyBody),
        ReadAccess,
        OutOfScope,
    )
)]
pub async fn api_get(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<FamilyBody>> {
    Ok(Json(families::get(&state.db, &caller, &id).await?.into()))
}

/// Family applications (staff, in their scope).
#[utoipa::path(
    get,
    path = "/api/v1/families",
    tag = "families",
    operation_id = "families_list",
    security(("cookie" = [])),
    params(FamilyListQuery),
    responses(
        (status = 200, description = "`{total, items}`", body = ListBody<FamilyBody>),
        ReadAccess,
        (status = 422, description = "Unknown `status`, or `due` not 1/0", body = ErrorBody),
    )
)]
pub async fn api_list(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiQuery(query): ApiQuery<FamilyListQuery>,
) -> AppResult<Json<ListBody<FamilyBody>>> {
    let filter = query.filter()?;
    let page = families::list_filtered(
        &state.db,
        &caller,
        filter,
        Paging::new(query.limit, query.offset),
    )
    .await?;
    Ok(Json(page.into()))
}
