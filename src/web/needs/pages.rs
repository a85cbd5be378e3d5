//! The need pages: the form (with the text check's findings marked), the
//! public projection by code, the staff page by id with publishing and
//! closing, and the lists for staff and for providers and families.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::Invalid;
use crate::domain::need::NeedCode;
use crate::error::AppResult;
use crate::services::needs::{self, NeedInput, NeedList, NeedListFilter};
use crate::services::regions::{self, Township};
use crate::services::{Paging, ServiceError, suggestions};
use crate::views;
use crate::views::needs::{PublicNeedList, StaffNeedList, area_label};

use super::super::AppState;
use super::super::chrome::{Chrome, flash};
use super::super::extract::{ApiPath, ApiQuery, Auth, Ctx, FormFields};
use super::NeedListQuery;
use super::form::{FormState, need_input, prefill, quantity_error, refused, render_form};

#[derive(Deserialize)]
pub struct NewNeedQuery {
    child: Option<String>,
}

/// The area a projection shows: its township's name, or the county.
fn area_of(all: &[Township], code: Option<&str>) -> String {
    area_label(code.map(|c| regions::township_name(all, c)))
}

async fn back_to_need(chrome: &Chrome, id: &str, message: &str) -> AppResult<Response> {
    flash(&chrome.session, message).await?;
    Ok(Redirect::to(&format!("/needs/{id}")).into_response())
}

pub async fn new_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiQuery(query): ApiQuery<NewNeedQuery>,
) -> AppResult<Response> {
    needs::check_may_draft(&caller)?;
    let input = NeedInput {
        child_id: query.child.unwrap_or_default(),
        urgency: "normal".to_owned(),
        ..NeedInput::default()
    };
    let form = FormState {
        input: &input,
        quantity: "",
        editing: None,
        errors: &Invalid::new(),
        findings: &[],
    };
    Ok(render_form(&state, &chrome, &caller, form)
        .await?
        .into_response())
}

pub async fn create_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    form: FormFields,
) -> AppResult<Response> {
    let input = need_input(&form);
    let k = state.settings.k_anonymity;
    let result = match quantity_error(&form, &input) {
        Some(err) => Err(err),
        None => needs::create(state.store(), &ctx, &caller, input.clone(), k).await,
    };
    match result {
        Ok(need) => {
            let message = format!("需求 {} 已保存为草稿。", need.need.code);
            back_to_need(&chrome, &need.need.id, &message).await
        }
        Err(ServiceError::Conflict(message)) => {
            flash(&chrome.session, &message).await?;
            Ok(Redirect::to(&format!("/children/{}", input.child_id)).into_response())
        }
        Err(err) => refused(&state, &chrome, &caller, &input, &form, None, err).await,
    }
}

/// `/needs/{code}` is the public projection; staff may open `/needs/{id}`
/// for the need itself.
pub async fn detail_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiPath(key): ApiPath<String>,
) -> AppResult<Response> {
    let k = state.settings.k_anonymity;
    let all = state.regions.clone();
    let area = |code: Option<&str>| area_of(&all, code);
    if NeedCode::parse(&key).is_some() {
        let public = needs::get_public(state.store(), &caller, &key, k).await?;
        let own = suggestions::own_offers_for_need(state.store(), &state.search, &caller, &public)
            .await?;
        let shown = area(public.township.as_deref());
        let page = views::needs::public_detail(&chrome.ctx(), &public, &shown, &own);
        return Ok(page.into_response());
    }
    let need = needs::get_for_staff(state.store(), &caller, &key, k).await?;
    let shown = area(need.public.township.as_deref());
    Ok(views::needs::staff_detail(
        &chrome.ctx(),
        &need,
        &shown,
        "",
        &crate::domain::outcome::OutcomeInput::default(),
        &Invalid::new(),
    )
    .into_response())
}

pub async fn edit_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Response> {
    let k = state.settings.k_anonymity;
    let need = needs::get_for_staff(state.store(), &caller, &id, k).await?;
    if let Err(illegal) = need.public.status.edit() {
        return back_to_need(&chrome, &id, &illegal.to_string()).await;
    }
    let (input, quantity) = prefill(&need);
    let form = FormState {
        input: &input,
        quantity: &quantity,
        editing: Some(&id),
        errors: &Invalid::new(),
        findings: &[],
    };
    Ok(render_form(&state, &chrome, &caller, form)
        .await?
        .into_response())
}

pub async fn edit_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
    form: FormFields,
) -> AppResult<Response> {
    let k = state.settings.k_anonymity;
    // The need's own file, not whatever the form claims.
    let current = needs::get_for_staff(state.store(), &caller, &id, k).await?;
    let input = NeedInput {
        child_id: current.need.child_id,
        ..need_input(&form)
    };
    let result = match quantity_error(&form, &input) {
        Some(err) => Err(err),
        None => needs::update(state.store(), &ctx, &caller, &id, input.clone(), k).await,
    };
    match result {
        Ok(_) => back_to_need(&chrome, &id, "需求已保存。").await,
        Err(ServiceError::Conflict(message)) => back_to_need(&chrome, &id, &message).await,
        Err(err) => refused(&state, &chrome, &caller, &input, &form, Some(&id), err).await,
    }
}

pub async fn publish_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Response> {
    let k = state.settings.k_anonymity;
    let message = match needs::publish(state.store(), &ctx, &caller, &id, k).await {
        Ok(_) => "需求已发布，经认证的服务机构和爱心家庭可以看到匿名化后的内容。".to_owned(),
        Err(ServiceError::Conflict(message)) => format!("未能发布：{message}"),
        Err(ServiceError::Findings(_)) => {
            "未能发布：公开内容中含有该儿童档案中的个人信息（档案可能已更新），请修改后再发布。"
                .to_owned()
        }
        Err(other) => return Err(other.into()),
    };
    back_to_need(&chrome, &id, &message).await
}

pub async fn close_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
    form: FormFields,
) -> AppResult<Response> {
    let k = state.settings.k_anonymity;
    let reason = form.get("reason");
    let outcome = outcome_input(&form);
    match needs::close(state.store(), &ctx, &caller, &id, reason, &outcome, true, k).await {
        Ok(_) => back_to_need(&chrome, &id, "需求已关闭。").await,
        Err(ServiceError::Invalid(errors)) => {
            let need = needs::get_for_staff(state.store(), &caller, &id, k).await?;
            let all = state.regions.clone();
            let shown = area_of(&all, need.public.township.as_deref());
            let page =
                views::needs::staff_detail(&chrome.ctx(), &need, &shown, reason, &outcome, &errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(ServiceError::Conflict(message)) => back_to_need(&chrome, &id, &message).await,
        Err(other) => Err(other.into()),
    }
}

/// The outcome fields of a close form.
fn outcome_input(form: &FormFields) -> crate::domain::outcome::OutcomeInput {
    let field = |name: &str| Some(form.get(name).to_owned()).filter(|v| !v.trim().is_empty());
    crate::domain::outcome::OutcomeInput {
        outcome: field("outcome"),
        delivered: field("delivered"),
        not_met_reason: field("not_met_reason"),
        note: field("outcome_note"),
    }
}

/// The officer renews a need the sweep asked about.
pub async fn renew_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Response> {
    let k = state.settings.k_anonymity;
    let message = match needs::escalation::renew(state.store(), &ctx, &caller, &id, k).await {
        Ok(_) => "需求已续期，重新开始计时。".to_owned(),
        Err(ServiceError::Conflict(message)) => format!("未能续期：{message}"),
        Err(other) => return Err(other.into()),
    };
    back_to_need(&chrome, &id, &message).await
}

/// Staff: the needs of their scope. Verified providers and approved
/// families: the published projections, filtered by category and township.
pub async fn list_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiQuery(query): ApiQuery<NeedListQuery>,
) -> AppResult<Response> {
    let k = state.settings.k_anonymity;
    let paging = Paging::new(query.limit, query.offset);
    let all = state.regions.clone();
    let area = |code: Option<&str>| area_of(&all, code);
    // A township the county does not have is no filter on the page.
    let township = query
        .township
        .as_deref()
        .filter(|t| all.iter().any(|x| x.code == *t));
    let filter = NeedListFilter {
        status: query.status.as_deref(),
        category: query.category.as_deref(),
        township,
    };
    let (category, page) =
        match needs::list(state.store(), &state.search, &caller, filter, paging, k).await? {
            NeedList::Staff { status, page } => {
                let list = StaffNeedList {
                    items: &page.items,
                    status,
                    total: page.total,
                    limit: paging.limit,
                    offset: paging.offset,
                };
                return Ok(views::needs::staff_list(&chrome.ctx(), &list, &area).into_response());
            }
            NeedList::Public { category, page } => (category, page),
        };
    let townships: Vec<(String, String)> = all
        .iter()
        .map(|t| (t.code.clone(), t.name.clone()))
        .collect();
    let list = PublicNeedList {
        items: &page.items,
        category,
        township,
        townships: &townships,
        total: page.total,
        limit: paging.limit,
        offset: paging.offset,
    };
    Ok(views::needs::public_list(&chrome.ctx(), &list, &area).into_response())
}
