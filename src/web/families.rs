//! Caring-family applications: the form, `POST /api/v1/families`, and the staff's views.
//! Home visits are in `assessments`, the county's decision in `decision`.

pub mod assessments;
pub mod decision;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use crate::db::entities::family;
use crate::domain::Invalid;
use crate::domain::family::FamilyStatus;
use crate::error::{AppError, AppResult};
use crate::services::families::{self, ApplicationInput, ListFilter, care_types_of, standing_on};
use crate::services::{Paging, ServiceError, regions};
use crate::views;
use crate::views::families::ListData;

use super::AppState;
use super::body::{CreatedBody, ErrorBody, InvalidFields, ListBody, OutOfScope, ReadAccess};
use super::chrome::{Chrome, flash};
use super::extract::{ApiJson, ApiPath, ApiQuery, Auth, ClientAddr, Ctx, FormFields, parse_filter};
use super::regions::township_options;

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

impl From<family::Model> for FamilyBody {
    fn from(f: family::Model) -> Self {
        let care_types = care_types_of(&f).into_iter().map(|c| c.as_str()).collect();
        let standing = standing_on(&f, families::today());
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
            status: f.status,
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
    };
    let family = families::apply_public(&state.db, &state.settings, &ctx, input, &addr).await?;
    let created = CreatedBody::new(family.id, family.status);
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

pub async fn apply_page(State(state): State<AppState>, chrome: Chrome) -> AppResult<Response> {
    let chrome = chrome.with_form_token().await?;
    let townships = township_options(&state).await?;
    let input = ApplicationInput::default();
    Ok(
        views::families::application_form(&chrome.ctx(), &input, "", &townships, &Invalid::new())
            .into_response(),
    )
}

pub async fn apply_submit(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    form: FormFields,
) -> AppResult<Response> {
    let members_text = form.get("members").trim().to_owned();
    let input = ApplicationInput {
        household_name: form.get("household_name").to_owned(),
        township: form.get("township").to_owned(),
        members: members_text.parse().ok(),
        housing: form.get("housing").to_owned(),
        contact_phone: form.get("contact_phone").to_owned(),
        care_types: form.get_all("care_types"),
        username: form.get("username").to_owned(),
        password: form.get("password").to_owned(),
    };
    let result = if form.get("password") != form.get("password_confirm") {
        Err(ServiceError::Invalid(Invalid::one(
            "password_confirm",
            "两次输入的密码不一致",
        )))
    } else {
        families::apply_public(&state.db, &state.settings, &ctx, input.clone(), &addr).await
    };
    let (result, retry_after) = super::extract::throttled_as_form_error(result);
    match result {
        Ok(_) => {
            flash(&chrome.session, "申请已提交，请登录查看进度。").await?;
            Ok(Redirect::to("/login").into_response())
        }
        Err(ServiceError::Invalid(errors)) => {
            let townships = township_options(&state).await?;
            let page = views::families::application_form(
                &chrome.ctx(),
                &input,
                &members_text,
                &townships,
                &errors,
            );
            Ok(super::extract::form_refused(page, retry_after))
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn list_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiQuery(query): ApiQuery<FamilyListQuery>,
) -> AppResult<Response> {
    let filter = query.filter()?;
    let paging = Paging::new(query.limit, query.offset);
    let page = families::list_filtered(&state.db, &caller, filter, paging).await?;
    let townships = regions::list(&state.db).await?;
    let name = |code: &str| regions::township_name(&townships, code).to_owned();
    let data = ListData {
        items: &page.items,
        filter,
        today: families::today(),
        total: page.total,
        limit: paging.limit,
        offset: paging.offset,
    };
    Ok(views::families::list(&chrome.ctx(), &data, &name).into_response())
}

pub async fn detail_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Response> {
    let forms = views::families::DetailForms::default();
    Ok(
        assessments::render_detail(&state, &caller, &chrome, &id, &forms)
            .await?
            .into_response(),
    )
}
