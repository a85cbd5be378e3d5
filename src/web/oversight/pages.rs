//! The oversight pages: dashboard, bulletin, ledger form, public statistics.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::domain::Role;
use crate::error::AppResult;
use crate::services::ServiceError;
use crate::services::oversight::dashboard;
use crate::services::oversight::jobs;
use crate::services::oversight::kept::Kept;
use crate::services::oversight::ledger::{self, Request};
use crate::views;

use super::super::AppState;
use super::super::chrome::Chrome;
use super::super::extract::{ApiQuery, Auth, Ctx, FormFields};
use super::{export, format_of, period_of, setup, source};

#[derive(Deserialize, Default)]
pub struct DashboardPageQuery {
    township: Option<String>,
    period: Option<String>,
}

pub async fn dashboard_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiQuery(query): ApiQuery<DashboardPageQuery>,
) -> AppResult<Response> {
    let period = period_of(query.period.as_deref(), &state)?;
    let found = dashboard::dashboard(
        &state.oversight,
        &source(&state),
        &caller,
        query.township.as_deref(),
        period,
        &setup(&state),
    )
    .await?;
    let Some(found) = found else {
        return Ok(views::oversight::computing(&chrome.ctx(), "督查看板").into_response());
    };
    let county = caller.role == Role::CountyAdmin;
    Ok(views::oversight::dashboard(&chrome.ctx(), &found, &state.regions, county).into_response())
}

#[derive(Deserialize, Default)]
pub struct BulletinPageQuery {
    period: Option<String>,
}

pub async fn bulletin_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiQuery(query): ApiQuery<BulletinPageQuery>,
) -> AppResult<Response> {
    let period = period_of(query.period.as_deref(), &state)?;
    let found = dashboard::bulletin(
        &state.oversight,
        &source(&state),
        &caller,
        period,
        &setup(&state),
    )
    .await?;
    let Some(found) = found else {
        return Ok(views::oversight::computing(&chrome.ctx(), "月度通报").into_response());
    };
    Ok(views::oversight::bulletin(&chrome.ctx(), &found).into_response())
}

pub async fn ledger_form(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
) -> AppResult<Response> {
    crate::services::oversight::scope_of(&caller, None)?;
    let county = caller.role == Role::CountyAdmin;
    Ok(views::oversight::ledger_form(&chrome.ctx(), &state.regions, county, None).into_response())
}

pub async fn ledger_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    form: FormFields,
) -> AppResult<Response> {
    let county = caller.role == Role::CountyAdmin;
    let request = Request {
        township: Some(form.get("township").to_owned()),
        format: format_of(Some(form.get("format")))?,
        include_identity: form.get("include_identity") == "1",
        purpose: Some(form.get("purpose").to_owned()),
    };
    let format = request.format;
    match ledger::start(state.store(), &ctx, &caller, &request, &state.regions).await {
        Ok(started) => export::respond(state, started, format).await,
        Err(ServiceError::Invalid(invalid)) => {
            let message = invalid
                .errors
                .first()
                .map(|f| f.message.clone())
                .unwrap_or_default();
            Ok((
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                views::oversight::ledger_form(
                    &chrome.ctx(),
                    &state.regions,
                    county,
                    Some(&message),
                ),
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn stats_page(State(state): State<AppState>, chrome: Chrome) -> AppResult<Response> {
    Ok(
        match jobs::public_stats(&state.oversight, &source(&state)).await? {
            Kept::Ready(kept) => {
                views::oversight::public::stats_page(&chrome.ctx(), &kept.value, &kept.computed_at)
                    .into_response()
            }
            Kept::Pending => views::oversight::computing(&chrome.ctx(), "公开统计").into_response(),
        },
    )
}
