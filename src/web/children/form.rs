//! The child-file form: the fields as typed into a `ChildInput`, the
//! township and village choices of the caller, and the form page.

use axum::http::StatusCode;
use maud::Markup;

use crate::domain::Invalid;
use crate::domain::child::DifficultyInput;
use crate::services::children::view::FileView;
use crate::services::children::{ChildInput, FormChoices};

use crate::views;
use crate::views::children::form::FileForm;

use super::super::chrome::Chrome;
use super::super::extract::FormFields;

pub fn child_input(form: &FormFields) -> ChildInput {
    let text = |name: &str| Some(form.get(name).to_owned());
    let consent = form.get_all("consent");
    ChildInput {
        name: text("name"),
        id_number: text("id_number"),
        gender: text("gender"),
        township: text("township"),
        village: text("village"),
        address: text("address"),
        guardian_name: text("guardian_name"),
        guardian_relation: text("guardian_relation"),
        guardian_phone: text("guardian_phone"),
        school: text("school"),
        difficulties: Some(DifficultyInput {
            kinds: form.get_all("difficulties"),
            poverty_type: form.get_opt("poverty_type"),
            disability_type: form.get_opt("disability_type"),
            disability_grade: form.get("disability_grade").trim().parse().ok(),
            unsupported_reason: form.get_opt("unsupported_reason"),
            illness: form.get_opt("illness"),
        }),
        // The ticks became entitlement records, kept on the file page.
        assistance: None,
        school_status: text("school_status"),
        suspected_disability: Some(form.get("suspected_disability") == "yes"),
        consent_keep_file: Some(consent.iter().any(|c| c == "keep_file")),
        consent_publish_needs: Some(consent.iter().any(|c| c == "publish_needs")),
        statutory_basis: form.get_opt("statutory_basis"),
    }
}

/// 409 when the only problem is a duplicate (as the API answers), else 422.
pub fn form_status(errors: &Invalid) -> StatusCode {
    if errors.only_duplicates() {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// The file form with the choices its caller has (`children::form_choices`,
/// asked for first: it refuses whoever does not file children).
pub(super) fn render_form(
    chrome: &Chrome,
    choices: &FormChoices,
    input: &ChildInput,
    existing: Option<&FileView>,
    errors: &Invalid,
) -> Markup {
    render_form_for(chrome, choices, input, existing, errors, None)
}

/// The file form, for the mandatory report `report` (id, reference) when
/// given: the new file is linked to it.
pub fn render_form_for(
    chrome: &Chrome,
    choices: &FormChoices,
    input: &ChildInput,
    existing: Option<&FileView>,
    errors: &Invalid,
    report: Option<(&str, &str)>,
) -> Markup {
    let form = FileForm {
        report,
        input,
        townships: &choices.townships,
        villages: &choices.villages,
        existing,
        errors,
        may_record_statutory_basis: choices.statutory_basis,
    };
    views::children::form::file_form(&chrome.ctx(), &form)
}
