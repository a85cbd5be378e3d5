//! The township's and the county's report pages: the queue, one report
//! (an audited read) with its step forms, and the file form of a report
//! decided for assistance.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::Invalid;
use crate::domain::report::ReportStatus;
use crate::error::AppResult;
use crate::services::children::{self, ChildInput};
use crate::services::reports::view::{Action, QueueQuery};
use crate::services::{Paging, Principal, RequestCtx, ServiceError, regions, reports};
use crate::views;
use crate::views::reports::staff::{QueueData, StepForms};

use super::super::AppState;
use super::super::children::form::{child_input, form_status, render_form_for};
use super::super::chrome::{Chrome, flash};
use super::super::extract::{ApiPath, ApiQuery, Auth, Ctx, FormFields, parse_filter};
use super::StepInput;
use super::StepRequest;

#[derive(Deserialize)]
pub struct QueuePageQuery {
    status: Option<String>,
    township: Option<String>,
    limit: Option<u64>,
    offset: Option<u64>,
}

pub async fn queue_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiQuery(query): ApiQuery<QueuePageQuery>,
) -> AppResult<Response> {
    let status: Option<ReportStatus> = parse_filter(query.status.as_deref(), "status")?;
    let township = query.township.filter(|t| !t.is_empty());
    let paging = Paging::new(query.limit, query.offset);
    let q = QueueQuery {
        status,
        township: township.clone(),
    };
    let queue = reports::view::queue(state.store(), &caller, &q, paging).await?;
    let regions = state.regions.clone();
    let name = move |code: &str| regions::township_name(&regions, code).to_owned();
    let data = QueueData {
        queue: &queue,
        status,
        township: township.as_deref().filter(|_| queue.by_township.is_some()),
        township_name: &name,
        limit: paging.limit,
        offset: paging.offset,
    };
    Ok(views::reports::staff::queue(&chrome.ctx(), &data).into_response())
}

async fn render(
    state: &AppState,
    ctx: &RequestCtx,
    caller: &Principal,
    chrome: &Chrome,
    id: &str,
    forms: &StepForms,
) -> AppResult<maud::Markup> {
    let detail = reports::view::detail(state.store(), ctx, caller, id).await?;
    let township = regions::township_name(&state.regions, &detail.report.township_code).to_owned();
    let now = state.clock.now();
    Ok(views::reports::staff::detail(
        &chrome.ctx(),
        &detail,
        &township,
        forms,
        now,
    ))
}

pub async fn detail_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Response> {
    let chrome = chrome.with_form_token().await?;
    let page = render(&state, &ctx, &caller, &chrome, &id, &StepForms::default()).await?;
    Ok(page.into_response())
}

fn action_of(name: &str) -> Option<Action> {
    Some(match name {
        "assign" => Action::Assign,
        "respond" => Action::Respond,
        "assess" => Action::Assess,
        "decide" => Action::Decide,
        "intervene" => Action::Intervene,
        "link" => Action::Link,
        "close" => Action::Close,
        _ => return None,
    })
}

fn step_request(form: &FormFields) -> StepRequest {
    let opt = |name: &str| Some(form.get(name).to_owned()).filter(|v| !v.trim().is_empty());
    StepRequest {
        responders: opt("responders"),
        responded_at: opt("responded_at"),
        findings: opt("findings"),
        police_called: Some(form.get("police_called") == "true"),
        police_case_number: opt("police_case_number"),
        risk_level: opt("risk_level"),
        factors: Some(form.get_all("factors")),
        note: opt("note"),
        decision: opt("decision"),
        reason: opt("reason"),
        kind: opt("kind"),
        happened_on: opt("happened_on"),
        placement: opt("placement"),
        place: opt("place"),
        family_id: opt("family_id"),
        child_id: opt("child_id"),
        id_number: opt("id_number"),
        followed_up_on: opt("followed_up_on"),
        follow_up_note: opt("follow_up_note"),
    }
}

fn done_message(action: Action) -> &'static str {
    match action {
        Action::Assign => "已受理，请尽快到场并记录首次响应。",
        Action::Respond => "首次响应已记录，请完成评估。",
        Action::Assess => "评估已记录，请作出处置决定。",
        Action::Decide => "处置决定已记录。",
        Action::Intervene => "干预措施已记录。",
        Action::Link => "已关联儿童档案。",
        Action::Close => "报告已结案。",
    }
}

pub async fn step_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiPath((id, name)): ApiPath<(String, String)>,
    form: FormFields,
) -> AppResult<Response> {
    let Some(action) = action_of(&name) else {
        return Err(crate::error::AppError::NotFound);
    };
    let step = StepInput::of(&name, step_request(&form))?;
    match step.run(&state, &ctx, &caller, &id).await {
        Ok(_) => {
            flash(&chrome.session, done_message(action)).await?;
            Ok(Redirect::to(&format!("/reports/{id}")).into_response())
        }
        Err(ServiceError::Invalid(errors)) => {
            let chrome = chrome.with_form_token().await?;
            let forms = StepForms {
                action: Some(action),
                errors,
                values: form.0.clone(),
            };
            let page = render(&state, &ctx, &caller, &chrome, &id, &forms).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(ServiceError::StateConflict { message, .. } | ServiceError::Conflict(message)) => {
            flash(&chrome.session, &message).await?;
            Ok(Redirect::to(&format!("/reports/{id}")).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// The file form for the child of a report decided for assistance,
/// pre-filled with what the report says of the child's place.
pub async fn file_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Response> {
    let chrome = chrome.with_form_token().await?;
    let item = reports::view::find(state.store(), &caller, &id).await?;
    let input = ChildInput {
        township: Some(item.township_code.clone()),
        ..ChildInput::default()
    };
    let choices = children::form_choices(&state.db, &caller).await?;
    let page = render_form_for(
        &chrome,
        &choices,
        &input,
        None,
        &Invalid::new(),
        Some((&item.id, &item.reference)),
    );
    Ok(page.into_response())
}

pub async fn file_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
    form: FormFields,
) -> AppResult<Response> {
    let input = child_input(&form);
    match children::create_for_report(state.store(), &ctx, &caller, input.clone(), &id).await {
        Ok(child) => {
            let message = format!(
                "已建档并关联报告，档案编号 {}。可以为该儿童起草需求。",
                child.file_no
            );
            flash(&chrome.session, &message).await?;
            Ok(Redirect::to(&format!("/reports/{id}")).into_response())
        }
        Err(ServiceError::Invalid(errors)) => {
            let chrome = chrome.with_form_token().await?;
            let item = reports::view::find(state.store(), &caller, &id).await?;
            let choices = children::form_choices(&state.db, &caller).await?;
            let page = render_form_for(
                &chrome,
                &choices,
                &input,
                None,
                &errors,
                Some((&item.id, &item.reference)),
            );
            Ok((form_status(&errors), page).into_response())
        }
        Err(ServiceError::StateConflict { message, .. } | ServiceError::Conflict(message)) => {
            flash(&chrome.session, &message).await?;
            Ok(Redirect::to(&format!("/reports/{id}")).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
