//! The oversight pages: dashboard, bulletin, ledger form, public statistics.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::domain::Role;
use crate::error::AppResult;
use crate::services::ServiceError;
use crate::services::oversight::dashboard;
use crate::services::oversight::ledger::{self, Request};
use crate::services::oversight::stats;
use crate::views;

use super::super::AppState;
use super::super::chrome::Chrome;
use super::super::extract::{ApiQuery, Auth, Ctx, FormFields};
use super::{export, format_of, period_of, setup};

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
        state.store(),
        &caller,
        query.township.as_deref(),
        period,
        &setup(&state),
    )
    .await?;
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
    let found = dashboard::bulletin(state.store(), &caller, period, &setup(&state)).await?;
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
    let found = stats::public_stats(
        state.store(),
        &state.regions,
        u64::from(state.settings.k_anonymity),
        state.clock.now(),
    )
    .await?;
    Ok(views::oversight::public::stats_page(&chrome.ctx(), &found).into_response())
}
