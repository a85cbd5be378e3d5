//! The child-file form: the fields as typed into a `ChildInput`, the
//! township and village choices of the caller, and the form page.

use axum::http::StatusCode;
use maud::Markup;

use crate::domain::child::DifficultyInput;
use crate::domain::{Invalid, Role};
use crate::error::AppResult;
use crate::services::Principal;
use crate::services::children::view::FileView;
use crate::services::children::{self, ChildInput};
use crate::services::regions::{self, Township};
use crate::views;
use crate::views::children::form::FileForm;

use super::super::AppState;
use super::super::chrome::Chrome;
use super::super::extract::FormFields;

pub(super) fn child_input(form: &FormFields) -> ChildInput {
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
        assistance: Some(form.get_all("assistance")),
        consent_keep_file: Some(consent.iter().any(|c| c == "keep_file")),
        consent_publish_needs: Some(consent.iter().any(|c| c == "publish_needs")),
        statutory_basis: form.get_opt("statutory_basis"),
    }
}

/// 409 when the only problem is a duplicate (as the API answers), else 422.
pub(super) fn form_status(errors: &Invalid) -> StatusCode {
    if errors.only_duplicates() {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// `(code, name)` pairs for a select.
type Options = Vec<(String, String)>;

/// Townships and villages the caller may file children in, for the selects.
fn region_options(all: &[Township], caller: &Principal) -> (Options, Options) {
    let reachable: Vec<&Township> = all
        .iter()
        .filter(|t| caller.staff_reaches_township(&t.code))
        .collect();
    let townships = reachable
        .iter()
        .map(|t| (t.code.clone(), t.name.clone()))
        .collect();
    let villages = reachable
        .iter()
        .flat_map(|t| t.villages.iter().map(move |v| (t, v)))
        .filter(|(_, v)| {
            caller.role != Role::VillageSupervisor || caller.village.as_deref() == Some(&v.code)
        })
        .map(|(t, v)| {
            let label = if reachable.len() > 1 {
                format!("{} {}", t.name, v.name)
            } else {
                v.name.clone()
            };
            (v.code.clone(), label)
        })
        .collect();
    (townships, villages)
}

pub(super) async fn render_form(
    state: &AppState,
    chrome: &Chrome,
    caller: &Principal,
    input: &ChildInput,
    existing: Option<&FileView>,
    errors: &Invalid,
) -> AppResult<Markup> {
    let all = regions::list(&state.db).await?;
    let (townships, villages) = region_options(&all, caller);
    let form = FileForm {
        input,
        townships: &townships,
        villages: &villages,
        existing,
        errors,
        may_record_statutory_basis: children::may_record_statutory_basis(caller),
    };
    Ok(views::children::form::file_form(&chrome.ctx(), &form))
}
