//! The family pages: the application form, the staff's list and a
//! family's page (its visit and decision forms are in `assessments` and
//! `decision`).

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use crate::domain::Invalid;
use crate::error::AppResult;
use crate::services::families::{self, ApplicationInput};
use crate::services::{Paging, ServiceError, regions};
use crate::views;
use crate::views::families::ListData;

use super::super::AppState;
use super::super::chrome::{Chrome, flash};
use super::super::extract::{
    ApiPath, ApiQuery, Auth, ClientAddr, Ctx, FormFields, form_refused, throttled_as_form_error,
};
use super::super::regions::township_options;
use super::{FamilyListQuery, assessments};

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
        password_confirm: Some(form.get("password_confirm").to_owned()),
    };
    let result =
        families::apply_public(&state.db, &state.settings, &ctx, input.clone(), &addr).await;
    let (result, retry_after) = throttled_as_form_error(result);
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
            Ok(form_refused(page, retry_after))
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
    let townships = state.regions.clone();
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
