//! The need form: its fields as the service's `NeedInput` and back, and the
//! form page, shown again with its errors and the text check's findings.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::Markup;

use crate::domain::Invalid;
use crate::error::AppResult;
use crate::services::needs::{self, NeedInput, StaffNeed};
use crate::services::{Principal, ServiceError, TextFinding, files};
use crate::views;
use crate::views::needs::form::NeedForm;

use super::super::AppState;
use super::super::chrome::Chrome;
use super::super::extract::FormFields;

/// The form's fields as the service takes them.
pub(super) fn need_input(form: &FormFields) -> NeedInput {
    NeedInput {
        child_id: form.get("child_id").trim().to_owned(),
        category: form.get("category").to_owned(),
        title: form.get("title").to_owned(),
        description: form.get("description").to_owned(),
        quantity: form.get("quantity").trim().parse().ok(),
        urgency: form.get("urgency").to_owned(),
    }
}

/// A quantity typed that is not a whole number (the service only sees
/// numbers), with every other error of the form found in the same pass.
pub(super) fn quantity_error(form: &FormFields, input: &NeedInput) -> Option<ServiceError> {
    let typed = form.get("quantity").trim();
    if typed.is_empty() || typed.parse::<i64>().is_ok() {
        return None;
    }
    let mut errors = needs::field_errors(input);
    errors.add("quantity", "数量应为整数，不限可不填");
    Some(errors.into())
}

/// A need as its form shows it for a change: the input and the quantity
/// as text.
pub(super) fn prefill(need: &StaffNeed) -> (NeedInput, String) {
    let n = &need.need;
    let input = NeedInput {
        child_id: n.child_id.clone(),
        category: n.category.as_str().to_owned(),
        title: n.title.clone(),
        description: n.description.clone(),
        quantity: n.quantity.map(i64::from),
        urgency: n.urgency.as_str().to_owned(),
    };
    let quantity = n.quantity.map(|q| q.to_string()).unwrap_or_default();
    (input, quantity)
}

/// The form as it is shown: what was typed, and what is wrong with it.
pub(super) struct FormState<'a> {
    pub input: &'a NeedInput,
    pub quantity: &'a str,
    pub editing: Option<&'a str>,
    pub errors: &'a Invalid,
    pub findings: &'a [TextFinding],
}

pub(super) async fn render_form(
    state: &AppState,
    chrome: &Chrome,
    caller: &Principal,
    form: FormState<'_>,
) -> AppResult<Markup> {
    let child = files::find_in_scope(state.store(), caller, &form.input.child_id).await?;
    let view = NeedForm {
        input: form.input,
        quantity: form.quantity,
        file_no: &child.file_no,
        editing: form.editing,
        errors: form.errors,
        findings: form.findings,
    };
    Ok(views::needs::form::need_form(&chrome.ctx(), &view))
}

/// A refused form: field errors and findings come back on the form (422).
pub(super) async fn refused(
    state: &AppState,
    chrome: &Chrome,
    caller: &Principal,
    input: &NeedInput,
    form: &FormFields,
    editing: Option<&str>,
    err: ServiceError,
) -> AppResult<Response> {
    let (errors, findings) = match err {
        ServiceError::Invalid(errors) => (errors, Vec::new()),
        ServiceError::Findings(findings) => (Invalid::new(), findings),
        other => return Err(other.into()),
    };
    let state_of_form = FormState {
        input,
        quantity: form.get("quantity"),
        editing,
        errors: &errors,
        findings: &findings,
    };
    let page = render_form(state, chrome, caller, state_of_form).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
