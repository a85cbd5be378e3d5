//! The gap list page and the file page's entitlement forms.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::error::AppResult;
use crate::services::entitlements::gaps;
use crate::services::entitlements::records::{self, RecordInput};
use crate::services::{Paging, ServiceError, regions};
use crate::views;

use super::super::AppState;
use super::super::chrome::{Chrome, flash};
use super::super::extract::{ApiPath, ApiQuery, Auth, Ctx, FormFields};

#[derive(Deserialize, Default)]
pub struct GapPageQuery {
    limit: Option<u64>,
    offset: Option<u64>,
    township: Option<String>,
}

pub async fn gaps_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiQuery(query): ApiQuery<GapPageQuery>,
) -> AppResult<Response> {
    let paging = Paging::new(query.limit, query.offset);
    let page = gaps::list(
        state.store(),
        &ctx,
        &caller,
        query.township.as_deref(),
        paging,
    )
    .await?;
    let all = state.regions.clone();
    let name = |code: &str| regions::township_name(&all, code).to_owned();
    let base = match query.township.as_deref().filter(|t| !t.is_empty()) {
        Some(t) => format!("/entitlements/gaps?township={t}"),
        None => "/entitlements/gaps".to_owned(),
    };
    Ok(views::entitlements::gap_list(
        &chrome.ctx(),
        &page.items,
        page.total,
        paging.limit,
        paging.offset,
        &name,
        &base,
    )
    .into_response())
}

async fn back(chrome: &Chrome, id: &str, message: &str) -> AppResult<Response> {
    flash(&chrome.session, message).await?;
    Ok(Redirect::to(&format!("/children/{id}#entitlements")).into_response())
}

pub async fn record_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
    form: FormFields,
) -> AppResult<Response> {
    let input = RecordInput {
        benefit: form.get("benefit").to_owned(),
        since: form.get_opt("since"),
        amount_yuan: form.get("amount_yuan").trim().parse().ok(),
        detail: form.get_opt("detail"),
        reference: form.get_opt("reference"),
    };
    match records::record(state.store(), &ctx, &caller, &id, input).await {
        Ok(saved) => back(&chrome, &id, &format!("已登记享受“{}”。", saved.name)).await,
        Err(ServiceError::Invalid(errors)) => {
            let message: Vec<String> = errors.errors.iter().map(|e| e.message.clone()).collect();
            flash(&chrome.session, &format!("未登记：{}", message.join("；"))).await?;
            Ok((
                StatusCode::SEE_OTHER,
                [(
                    axum::http::header::LOCATION,
                    format!("/children/{id}#entitlements"),
                )],
            )
                .into_response())
        }
        Err(ServiceError::Conflict(message)) => back(&chrome, &id, &message).await,
        Err(other) => Err(other.into()),
    }
}

pub async fn end_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiPath((id, record)): ApiPath<(String, String)>,
    form: FormFields,
) -> AppResult<Response> {
    match records::end(
        state.store(),
        &ctx,
        &caller,
        &id,
        &record,
        form.get_opt("ended_on").as_deref(),
    )
    .await
    {
        Ok(saved) => back(&chrome, &id, &format!("已登记停止享受“{}”。", saved.name)).await,
        Err(ServiceError::Conflict(message)) => back(&chrome, &id, &message).await,
        Err(other) => Err(other.into()),
    }
}
