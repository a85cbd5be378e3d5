//! Volunteers of an organisation: the page `/volunteers` (list, add,
//! retire), `GET`/`POST /api/v1/volunteers`, and the volunteer-hours export
//! `GET /api/v1/exports/volunteer-hours.csv` (UTF-8 with BOM, streamed a
//! page at a time, audited before its first row).

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bytes::Bytes;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::entities::volunteer;
use crate::domain::Invalid;
use crate::error::AppResult;
use crate::services::ServiceError;
use crate::services::volunteers::{self, Export};
use crate::views;

use super::AppState;
use super::body::{ErrorBody, InvalidFields, ReadAccess, WriteAccess};
use super::chrome::{Chrome, flash};
use super::extract::{ApiJson, ApiPath, ApiQuery, Auth, Ctx, FormFields};
use super::oversight::export::{BOM, csv_rows, download};

/// A volunteer of the caller's organisation.
#[derive(Serialize, ToSchema)]
pub struct VolunteerBody {
    id: String,
    name: String,
    reference: String,
    active: bool,
}

impl From<volunteer::Model> for VolunteerBody {
    fn from(v: volunteer::Model) -> Self {
        Self {
            id: v.id,
            name: v.name,
            reference: v.reference,
            active: v.active,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct VolunteerList {
    items: Vec<VolunteerBody>,
}

#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VolunteerRequest {
    pub name: Option<String>,
    /// The organisation's own reference for the volunteer; unique within it.
    pub reference: Option<String>,
}

/// The caller's organisation's volunteers (providers).
#[utoipa::path(
    get,
    path = "/api/v1/volunteers",
    tag = "volunteers",
    operation_id = "volunteers_list",
    security(("cookie" = [])),
    responses((status = 200, description = "`{items: [{id, name, reference, active}]}`", body = VolunteerList), ReadAccess)
)]
pub async fn api_list(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> AppResult<Json<VolunteerList>> {
    let list = volunteers::list(state.store(), &caller).await?;
    Ok(Json(VolunteerList {
        items: list.into_iter().map(Into::into).collect(),
    }))
}

/// Adds a volunteer to the caller's organisation (providers).
#[utoipa::path(
    post,
    path = "/api/v1/volunteers",
    tag = "volunteers",
    operation_id = "volunteers_add",
    security(("cookie" = [], "csrf" = [])),
    request_body = VolunteerRequest,
    responses((status = 201, description = "The volunteer", body = VolunteerBody), WriteAccess, InvalidFields)
)]
pub async fn api_add(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<VolunteerRequest>,
) -> AppResult<(StatusCode, Json<VolunteerBody>)> {
    let row = volunteers::add(
        state.store(),
        &ctx,
        &caller,
        body.name.as_deref().unwrap_or(""),
        body.reference.as_deref().unwrap_or(""),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

pub async fn page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
) -> AppResult<Response> {
    let list = volunteers::list(state.store(), &caller).await?;
    Ok(
        views::timeline::volunteers_page(&chrome.ctx(), &list, &Invalid::new(), "", "")
            .into_response(),
    )
}

pub async fn add_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    form: FormFields,
) -> AppResult<Response> {
    let (name, reference) = (form.get("name"), form.get("reference"));
    match volunteers::add(state.store(), &ctx, &caller, name, reference).await {
        Ok(v) => {
            flash(&chrome.session, &format!("已添加志愿者“{}”。", v.name)).await?;
            Ok(Redirect::to("/volunteers").into_response())
        }
        Err(ServiceError::Invalid(errors)) => {
            let list = volunteers::list(state.store(), &caller).await?;
            let markup =
                views::timeline::volunteers_page(&chrome.ctx(), &list, &errors, name, reference);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, markup).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn retire_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Response> {
    volunteers::retire(state.store(), &ctx, &caller, &id).await?;
    flash(&chrome.session, "该志愿者已退出名单，其服务时长仍保留。").await?;
    Ok(Redirect::to("/volunteers").into_response())
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HoursQuery {
    /// First day (`YYYY-MM-DD`), inclusive; none: from the start.
    from: Option<String>,
    /// Last day (`YYYY-MM-DD`), inclusive; none: up to today.
    to: Option<String>,
}

/// Volunteer hours as CSV (UTF-8 with BOM): a provider gets its own
/// volunteers' rows (volunteer, reference, activity, date, hours,
/// organisation, credit code); a county administrator the totals per
/// organisation. Audited.
#[utoipa::path(
    get,
    path = "/api/v1/exports/volunteer-hours.csv",
    tag = "volunteers",
    operation_id = "volunteers_hours_csv",
    security(("cookie" = [])),
    params(HoursQuery),
    responses(
        (status = 200, description = "CSV with UTF-8 BOM", content_type = "text/csv"),
        ReadAccess,
        (status = 422, description = "`from`/`to` not dates, or `to` before `from`", body = ErrorBody),
    )
)]
pub async fn api_hours_csv(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiQuery(query): ApiQuery<HoursQuery>,
) -> AppResult<Response> {
    let export = volunteers::start_export(
        state.store(),
        &ctx,
        &caller,
        query.from.as_deref(),
        query.to.as_deref(),
    )
    .await?;
    Ok(stream(state, export))
}

fn stream(state: AppState, export: Export) -> Response {
    let head = {
        let mut bytes = BOM.to_vec();
        let header: Vec<String> = export.header().iter().map(|s| (*s).to_owned()).collect();
        match csv_rows(&[header]) {
            Ok(h) => bytes.extend_from_slice(&h),
            Err(e) => tracing::error!(error = %e, "volunteer hours header"),
        }
        Bytes::from(bytes)
    };
    let pages =
        futures_util::stream::try_unfold((state, export), |(state, mut export)| async move {
            let rows = volunteers::next_page(state.store(), &mut export)
                .await
                .map_err(|e| {
                    tracing::error!(error = %e, "volunteer hours page");
                    std::io::Error::other("volunteer hours page")
                })?;
            if rows.is_empty() {
                return Ok(None);
            }
            let bytes = csv_rows(&rows).map_err(std::io::Error::other)?;
            Ok::<_, std::io::Error>(Some((bytes, (state, export))))
        });
    let first = futures_util::stream::once(async move { Ok::<_, std::io::Error>(head) });
    let body = Body::from_stream(futures_util::StreamExt::chain(first, pages));
    download("text/csv; charset=utf-8", "volunteer-hours.csv", body)
}
