//! The offer form: its fields as the service's `OfferInput` and back (an
//! offer as its form shows it), the numbers as typed, and the form page.

use maud::Markup;

use crate::db::entities::offer;
use crate::domain::Invalid;
use crate::error::AppResult;
use crate::services::offers::{self, COUNTY, OfferInput, OfferView};
use crate::services::{Principal, ServiceError};
use crate::views;
use crate::views::offers::form::{OfferForm, category_options};

use super::super::AppState;
use super::super::chrome::Chrome;
use super::super::extract::FormFields;
use super::super::regions::township_options;

/// The numbers of the form as typed, shown back when the form is refused.
#[derive(Default)]
pub(super) struct Typed {
    capacity: String,
    age_min: String,
    age_max: String,
}

impl Typed {
    pub(super) fn from_form(form: &FormFields) -> Typed {
        Typed {
            capacity: form.get("capacity").trim().to_owned(),
            age_min: form.get("age_min").trim().to_owned(),
            age_max: form.get("age_max").trim().to_owned(),
        }
    }

    pub(super) fn from_offer(o: &offer::Model) -> Typed {
        let age = |a: Option<i16>| a.map(|a| a.to_string()).unwrap_or_default();
        Typed {
            capacity: o.capacity.to_string(),
            age_min: age(o.age_min),
            age_max: age(o.age_max),
        }
    }
}

fn number(typed: &str) -> Option<i64> {
    typed.parse().ok()
}

/// The form's fields as the service takes them.
pub(super) fn offer_input(form: &FormFields) -> OfferInput {
    let typed = Typed::from_form(form);
    OfferInput {
        category: form.get("category").to_owned(),
        title: form.get("title").to_owned(),
        description: form.get("description").to_owned(),
        capacity: number(&typed.capacity),
        townships: form.get_all("townships"),
        age_min: number(&typed.age_min),
        age_max: number(&typed.age_max),
        starts_on: form.get_opt("starts_on"),
        ends_on: form.get_opt("ends_on"),
        schedule: form.get_opt("schedule"),
    }
}

/// An age typed that is not a whole number: the service would only see
/// "not given" and take the default, so it is refused here, with every
/// other error of the form found in the same pass.
pub(super) async fn age_error(
    state: &AppState,
    caller: &Principal,
    form: &FormFields,
    input: &OfferInput,
) -> Option<ServiceError> {
    let bad = ["age_min", "age_max"].iter().any(|name| {
        let typed = form.get(name).trim();
        !typed.is_empty() && typed.parse::<i64>().is_err()
    });
    if !bad {
        return None;
    }
    let mut errors = match offers::field_errors(&state.db, caller, input).await {
        Ok(errors) => errors,
        Err(other) => return Some(other),
    };
    errors.add("age_min", "年龄应为0至17的整数，不限可不填");
    Some(errors.into())
}

/// An offer as its form shows it for a change: the way back from `OfferInput`.
pub(super) fn prefill(view: &OfferView) -> OfferInput {
    let o = &view.offer;
    OfferInput {
        category: o.category.as_str().to_owned(),
        title: o.title.clone(),
        description: o.description.clone(),
        capacity: Some(i64::from(o.capacity)),
        townships: if o.county_wide {
            vec![COUNTY.to_owned()]
        } else {
            view.townships.clone()
        },
        age_min: o.age_min.map(i64::from),
        age_max: o.age_max.map(i64::from),
        starts_on: o.starts_on.map(|d| d.to_string()),
        ends_on: o.ends_on.map(|d| d.to_string()),
        schedule: o.schedule.clone(),
    }
}

/// The form, new (`editing: None`) or for a change, with what was typed.
pub(super) async fn render_form(
    state: &AppState,
    chrome: &Chrome,
    caller: &Principal,
    input: &OfferInput,
    typed: &Typed,
    editing: Option<&str>,
    errors: &Invalid,
) -> AppResult<Markup> {
    let townships = township_options(state).await?;
    let categories = category_options(
        offers::family_categories(&state.db, caller)
            .await?
            .as_deref(),
    );
    let form = OfferForm {
        input,
        capacity: &typed.capacity,
        age_min: &typed.age_min,
        age_max: &typed.age_max,
        categories: &categories,
        townships: &townships,
        editing,
        errors,
    };
    Ok(views::offers::form::offer_form(&chrome.ctx(), &form))
}
