//! The provider pages: the registration form, the county's verification
//! queue, a provider's page and the decision on it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::domain::Invalid;
use crate::domain::provider::ProviderStatus;
use crate::error::AppResult;
use crate::services::providers::{self, ProviderView, RegistrationInput};
use crate::services::{Paging, ServiceError, regions};
use crate::views;

use super::super::AppState;
use super::super::chrome::{Chrome, flash};
use super::super::extract::{
    ApiPath, ApiQuery, Auth, ClientAddr, Ctx, FormFields, ListQuery, form_refused, parse_filter,
    throttled_as_form_error,
};
use super::super::regions::township_options;

pub async fn register_page(State(state): State<AppState>, chrome: Chrome) -> AppResult<Response> {
    let chrome = chrome.with_form_token().await?;
    let townships = township_options(&state).await?;
    let input = RegistrationInput::default();
    Ok(
        views::providers::registration_form(&chrome.ctx(), &input, &townships, &Invalid::new())
            .into_response(),
    )
}

fn registration_from_form(form: &FormFields) -> RegistrationInput {
    RegistrationInput {
        kind: form.get("kind").to_owned(),
        name: form.get("name").to_owned(),
        credit_code: form.get_opt("credit_code"),
        contact_name: form.get("contact_name").to_owned(),
        contact_phone: form.get("contact_phone").to_owned(),
        townships: form.get_all("townships"),
        description: form.get("description").to_owned(),
        username: form.get("username").to_owned(),
        password: form.get("password").to_owned(),
        password_confirm: Some(form.get("password_confirm").to_owned()),
    }
}

pub async fn register_submit(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    form: FormFields,
) -> AppResult<Response> {
    let input = registration_from_form(&form);
    let result =
        providers::register_public(&state.db, &state.settings, &ctx, input.clone(), &addr).await;
    let (result, retry_after) = throttled_as_form_error(result);
    match result {
        Ok(_) => {
            flash(&chrome.session, "注册已提交，请登录查看审核进度。").await?;
            Ok(Redirect::to("/login").into_response())
        }
        Err(ServiceError::Invalid(errors)) => {
            let townships = township_options(&state).await?;
            let page =
                views::providers::registration_form(&chrome.ctx(), &input, &townships, &errors);
            Ok(form_refused(page, retry_after))
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn queue_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> AppResult<Response> {
    let status = parse_filter::<ProviderStatus>(query.status.as_deref(), "status")?;
    let paging = Paging::new(query.limit, query.offset);
    let page = providers::list(&state.db, &caller, status, paging).await?;
    Ok(views::providers::queue(
        &chrome.ctx(),
        status.map(ProviderStatus::as_str),
        &page.items,
        page.total,
        paging.limit,
        paging.offset,
    )
    .into_response())
}

async fn render_detail(
    state: &AppState,
    chrome: &Chrome,
    view: &ProviderView,
    errors: &Invalid,
) -> AppResult<maud::Markup> {
    let townships = state.regions.clone();
    let names: Vec<String> = view
        .townships
        .iter()
        .map(|code| regions::township_name(&townships, code).to_owned())
        .collect();
    let may = chrome
        .user
        .as_ref()
        .map(|u| providers::actions_for(u, &view.provider))
        .unwrap_or_default();
    Ok(views::providers::detail(
        &chrome.ctx(),
        view,
        &names,
        may,
        errors,
    ))
}

pub async fn detail_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Response> {
    let view = providers::get(&state.db, &caller, &id).await?;
    Ok(render_detail(&state, &chrome, &view, &Invalid::new())
        .await?
        .into_response())
}

pub async fn decide_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
    form: FormFields,
) -> AppResult<Response> {
    let decision = providers::decision_of(&caller, form.get("decision"))?;
    match providers::decide(
        &state.db,
        &ctx,
        &caller,
        &id,
        decision,
        form.get_opt("reason"),
    )
    .await
    {
        Ok(view) => {
            flash(&chrome.session, &format!("已处理：{}", view.provider.name)).await?;
            Ok(Redirect::to("/providers?status=pending").into_response())
        }
        Err(ServiceError::Invalid(errors)) => {
            let view = providers::get(&state.db, &caller, &id).await?;
            let page = render_detail(&state, &chrome, &view, &errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
