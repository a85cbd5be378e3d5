//! The public report pages: the form (no login, no JavaScript), the
//! receipt shown once, and the stage lookup.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use crate::domain::Invalid;
use crate::domain::report::FilingInput;
use crate::error::AppResult;
use crate::services::{ServiceError, reports};
use crate::views;
use crate::views::reports::FormData;

use super::super::AppState;
use super::super::chrome::Chrome;
use super::super::csrf::session_error;
use super::super::extract::{
    ClientAddr, Ctx, FormFields, MaybeAuth, form_refused, throttled_as_form_error,
};
use super::super::regions::township_options;

/// Where the receipt waits for the page after the redirect (shown once).
const RECEIPT_KEY: &str = "report_receipt";

#[derive(Serialize, Deserialize)]
struct Receipt {
    reference: String,
    lookup_code: String,
}

fn village_options(state: &AppState) -> Vec<(String, String)> {
    state
        .regions
        .iter()
        .flat_map(|t| {
            t.villages
                .iter()
                .map(move |v| (v.code.clone(), format!("{} · {}", t.name, v.name)))
        })
        .collect()
}

fn render_form(
    state: &AppState,
    chrome: &Chrome,
    input: &FilingInput,
    errors: &Invalid,
    townships: &[(String, String)],
) -> maud::Markup {
    let villages = village_options(state);
    views::reports::form(
        &chrome.ctx(),
        &FormData {
            input,
            townships,
            villages: &villages,
            errors,
        },
    )
}

pub async fn form_page(State(state): State<AppState>, chrome: Chrome) -> AppResult<Response> {
    let chrome = chrome.with_form_token().await?;
    let townships = township_options(&state).await?;
    let input = FilingInput {
        township: chrome
            .user
            .as_ref()
            .and_then(|u| u.township.clone())
            .unwrap_or_default(),
        village: chrome
            .user
            .as_ref()
            .and_then(|u| u.village.clone())
            .unwrap_or_default(),
        ..FilingInput::default()
    };
    Ok(render_form(&state, &chrome, &input, &Invalid::new(), &townships).into_response())
}

fn filing_input(form: &FormFields) -> FilingInput {
    FilingInput {
        township: form.get("township").to_owned(),
        village: form.get("village").to_owned(),
        description: form.get("description").to_owned(),
        child_location: form.get("child_location").to_owned(),
        urgent: form.get("urgent") == "true",
        reporter_kind: form.get("reporter_kind").to_owned(),
        reporter_name: form.get("reporter_name").to_owned(),
        reporter_contact: form.get("reporter_contact").to_owned(),
        child_name: form.get("child_name").to_owned(),
        child_id_number: form.get("child_id_number").to_owned(),
    }
}

pub async fn form_submit(
    State(state): State<AppState>,
    MaybeAuth(caller): MaybeAuth,
    ClientAddr(addr): ClientAddr,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    form: FormFields,
) -> AppResult<Response> {
    let input = filing_input(&form);
    let result = reports::file(
        state.store(),
        &(&*state.settings).into(),
        &ctx,
        caller.as_ref(),
        input.clone(),
        &addr,
    )
    .await;
    let (result, retry_after) = throttled_as_form_error(result);
    match result {
        Ok(filed) => {
            let receipt = Receipt {
                reference: filed.reference,
                lookup_code: filed.lookup_code,
            };
            chrome
                .session
                .insert(RECEIPT_KEY, receipt)
                .await
                .map_err(session_error)?;
            Ok(Redirect::to("/report/filed").into_response())
        }
        Err(ServiceError::Invalid(errors)) => {
            let townships = township_options(&state).await?;
            let page = render_form(&state, &chrome, &input, &errors, &townships);
            Ok(form_refused(page, retry_after))
        }
        Err(other) => Err(other.into()),
    }
}

/// The receipt, once: a reload finds it gone and goes to the lookup.
pub async fn filed_page(chrome: Chrome) -> AppResult<Response> {
    let receipt = chrome
        .session
        .remove::<Receipt>(RECEIPT_KEY)
        .await
        .map_err(session_error)?;
    match receipt {
        Some(r) => {
            Ok(views::reports::filed(&chrome.ctx(), &r.reference, &r.lookup_code).into_response())
        }
        None => Ok(Redirect::to("/report/status").into_response()),
    }
}

pub async fn lookup_page(chrome: Chrome) -> AppResult<Response> {
    let chrome = chrome.with_form_token().await?;
    Ok(views::reports::lookup(&chrome.ctx(), "", &Invalid::new(), None).into_response())
}

pub async fn lookup_submit(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    chrome: Chrome,
    form: FormFields,
) -> AppResult<Response> {
    let reference = form.get("reference").trim().to_owned();
    let code = form.get("lookup_code");
    let mut errors = Invalid::new();
    if reference.is_empty() {
        errors.add("reference", "请填写报告编号");
    }
    if code.trim().is_empty() {
        errors.add("lookup_code", "请填写查询码");
    }
    if !errors.is_empty() {
        let page = views::reports::lookup(&chrome.ctx(), &reference, &errors, None);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let result = reports::stage(state.store(), &state.settings, &reference, code, &addr).await;
    let (result, retry_after) = throttled_as_form_error(result);
    match result {
        Ok((reference, stage)) => Ok(views::reports::lookup(
            &chrome.ctx(),
            &reference,
            &Invalid::new(),
            Some((&reference, stage)),
        )
        .into_response()),
        Err(ServiceError::NotFound) => {
            let errors = Invalid::one("lookup_code", "报告编号或查询码不正确，请核对后再试");
            let page = views::reports::lookup(&chrome.ctx(), &reference, &errors, None);
            Ok((StatusCode::NOT_FOUND, page).into_response())
        }
        Err(ServiceError::Invalid(errors)) => {
            let page = views::reports::lookup(&chrome.ctx(), &reference, &errors, None);
            Ok(form_refused(page, retry_after))
        }
        Err(other) => Err(other.into()),
    }
}
