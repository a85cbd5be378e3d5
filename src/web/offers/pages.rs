//! The offer pages: the owner's list, the form (new and changing), the
//! public page of an offer, and the owner's pause, resume and close.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::domain::Invalid;
use crate::domain::offer::OfferStatus;
use crate::error::AppResult;
use crate::services::offers::{self, OfferInput, OfferMove, OfferView};
use crate::services::regions::{self, Township};
use crate::services::{Paging, Principal, ServiceError};
use crate::views;
use crate::views::offers::{MyOffers, OfferPage, WHOLE_COUNTY};

use super::super::AppState;
use super::super::chrome::{Chrome, flash};
use super::super::extract::{ApiPath, ApiQuery, Auth, Ctx, FormFields, ListQuery, parse_filter};
use super::form::{Typed, age_error, offer_input, prefill, render_form};

/// The area an offer serves: township names, or the whole county.
pub fn area_of(all: &[Township], view: &OfferView) -> String {
    if view.offer.county_wide || view.townships.is_empty() {
        return WHOLE_COUNTY.to_owned();
    }
    view.townships
        .iter()
        .map(|c| regions::township_name(all, c))
        .collect::<Vec<_>>()
        .join("、")
}

async fn back_to_offer(chrome: &Chrome, id: &str, message: &str) -> AppResult<Response> {
    flash(&chrome.session, message).await?;
    Ok(Redirect::to(&format!("/offers/{id}")).into_response())
}

pub async fn mine_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> AppResult<Response> {
    let status = parse_filter::<OfferStatus>(query.status.as_deref(), "status")?;
    let paging = Paging::new(query.limit, query.offset);
    let page = offers::list_own(&state.db, &caller, status, paging).await?;
    let all = state.regions.clone();
    let area = |v: &OfferView| area_of(&all, v);
    let items: Vec<_> = page
        .items
        .into_iter()
        .map(|v| {
            let actions = offers::actions_for(Some(&caller), &v.offer);
            (v, actions)
        })
        .collect();
    let list = MyOffers {
        items: &items,
        status,
        total: page.total,
        limit: paging.limit,
        offset: paging.offset,
    };
    Ok(views::offers::mine(&chrome.ctx(), &list, &area).into_response())
}

pub async fn new_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
) -> AppResult<Response> {
    if !offers::may_post(&state.db, &caller).await? {
        // Rather than a form that cannot be sent: the home page says why.
        flash(
            &chrome.session,
            "暂不能发布服务：机构尚未通过审核，或家庭审批尚未通过、已过期。",
        )
        .await?;
        return Ok(Redirect::to("/").into_response());
    }
    let input = OfferInput::default();
    let typed = Typed::default();
    let none = Invalid::new();
    let page = render_form(&state, &chrome, &caller, &input, &typed, None, &none).await?;
    Ok(page.into_response())
}

pub async fn create_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    form: FormFields,
) -> AppResult<Response> {
    let input = offer_input(&form);
    let result = match age_error(&state, &caller, &form, &input).await {
        Some(err) => Err(err),
        None => offers::create(&state.db, &ctx, &caller, input.clone()).await,
    };
    match result {
        Ok(view) => {
            back_to_offer(&chrome, &view.offer.id, "服务已发布，任何人都可以搜索到。").await
        }
        Err(ServiceError::Invalid(errors)) => {
            let typed = Typed::from_form(&form);
            let page = render_form(&state, &chrome, &caller, &input, &typed, None, &errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn detail_page(
    State(state): State<AppState>,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Response> {
    let view = offers::get(&state.db, &id).await?;
    let all = state.regions.clone();
    let area = area_of(&all, &view);
    let data = OfferPage {
        view: &view,
        area: &area,
        actions: offers::actions_for(chrome.user.as_ref(), &view.offer),
        reason: "",
        close_errors: &Invalid::new(),
    };
    Ok(views::offers::detail(&chrome.ctx(), &data).into_response())
}

pub async fn edit_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Response> {
    let view = offers::get_own(&state.db, &caller, &id).await?;
    if let Err(illegal) = view.status().edit() {
        return back_to_offer(&chrome, &id, &illegal.to_string()).await;
    }
    let input = prefill(&view);
    let typed = Typed::from_offer(&view.offer);
    let none = Invalid::new();
    let page = render_form(&state, &chrome, &caller, &input, &typed, Some(&id), &none).await?;
    Ok(page.into_response())
}

pub async fn edit_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
    form: FormFields,
) -> AppResult<Response> {
    let input = offer_input(&form);
    let result = match age_error(&state, &caller, &form, &input).await {
        Some(err) => Err(err),
        None => offers::update(&state.db, &ctx, &caller, &id, input.clone()).await,
    };
    match result {
        Ok(_) => back_to_offer(&chrome, &id, "服务已保存。").await,
        Err(ServiceError::Invalid(errors)) => {
            let typed = Typed::from_form(&form);
            let page =
                render_form(&state, &chrome, &caller, &input, &typed, Some(&id), &errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(ServiceError::Conflict(message)) => back_to_offer(&chrome, &id, &message).await,
        Err(other) => Err(other.into()),
    }
}

/// Pause, resume or close; a move the offer's state forbids comes back as
/// a flash message on the offer's page.
async fn change(
    state: &AppState,
    caller: &Principal,
    ctx: &crate::services::RequestCtx,
    chrome: &Chrome,
    id: &str,
    action: OfferMove,
    reason: &str,
) -> AppResult<Response> {
    let (done, reason_arg) = match action {
        OfferMove::Pause => ("服务已暂停，暂时不会出现在搜索结果中。", None),
        OfferMove::Resume => ("服务已恢复。", None),
        OfferMove::Close => ("服务已结束。", Some(reason)),
    };
    match offers::change_status(&state.db, ctx, caller, id, action, reason_arg).await {
        Ok(_) => back_to_offer(chrome, id, done).await,
        Err(ServiceError::Conflict(message)) => back_to_offer(chrome, id, &message).await,
        Err(ServiceError::Invalid(errors)) => {
            let view = offers::get_own(&state.db, caller, id).await?;
            let all = state.regions.clone();
            let area = area_of(&all, &view);
            let data = OfferPage {
                view: &view,
                area: &area,
                actions: offers::actions_for(Some(caller), &view.offer),
                reason,
                close_errors: &errors,
            };
            let page = views::offers::detail(&chrome.ctx(), &data);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn pause_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Response> {
    change(&state, &caller, &ctx, &chrome, &id, OfferMove::Pause, "").await
}

pub async fn resume_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Response> {
    change(&state, &caller, &ctx, &chrome, &id, OfferMove::Resume, "").await
}

pub async fn close_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
    form: FormFields,
) -> AppResult<Response> {
    let reason = form.get("reason");
    change(
        &state,
        &caller,
        &ctx,
        &chrome,
        &id,
        OfferMove::Close,
        reason,
    )
    .await
}
