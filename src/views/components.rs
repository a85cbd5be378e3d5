//! Form fields with their errors, status badges and pagination.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

pub use crate::domain::dates::DATE_HINT;
use maud::{Markup, html};

use crate::domain::Invalid;

/// The hidden CSRF field every form carries.
pub fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name="csrf_token" value=(token); }
}

fn error_id(name: &str) -> String {
    format!("{name}-error")
}

/// One labelled text input with the value typed and its error, if any.
pub fn text_field(
    name: &str,
    label: &str,
    kind: &str,
    value: &str,
    errors: &Invalid,
    hint: Option<&str>,
    required: bool,
) -> Markup {
    let error = errors.message_for(name);
    html! {
        div.field.has-error[error.is_some()] {
            label for=(name) { (label) @if required { span.req aria-hidden="true" { " *" } } }
            @if let Some(hint) = hint { p.hint { (hint) } }
            input id=(name) name=(name) type=(kind) value=(value) required[required]
                aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| error_id(name))]
                autocomplete=[(kind == "password").then_some("new-password")];
            @if let Some(error) = error { p.error id=(error_id(name)) { (error) } }
        }
    }
}

/// A labelled textarea (required).
pub fn text_area(
    name: &str,
    label: &str,
    value: &str,
    errors: &Invalid,
    hint: Option<&str>,
) -> Markup {
    text_area_with(name, label, value, errors, hint, true)
}

/// A labelled textarea, required or not.
pub fn text_area_with(
    name: &str,
    label: &str,
    value: &str,
    errors: &Invalid,
    hint: Option<&str>,
    required: bool,
) -> Markup {
    let error = errors.message_for(name);
    html! {
        div.field.has-error[error.is_some()] {
            label for=(name) { (label) @if required { span.req aria-hidden="true" { " *" } } }
            @if let Some(hint) = hint { p.hint { (hint) } }
            textarea id=(name) name=(name) rows="4" required[required]
                aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| error_id(name))] { (value) }
            @if let Some(error) = error { p.error id=(error_id(name)) { (error) } }
        }
    }
}

/// A labelled select from `(value, label)` options (required).
pub fn select(
    name: &str,
    label: &str,
    options: &[(String, String)],
    selected: &str,
    errors: &Invalid,
) -> Markup {
    select_with(
        name,
        label,
        options,
        selected,
        errors,
        &Choice {
            hint: None,
            empty: "请选择",
            required: true,
        },
    )
}

/// How a select or checkbox group presents itself beyond its options.
pub struct Choice<'a> {
    /// Shown above the control.
    pub hint: Option<&'a str>,
    /// The label of the empty first option (selects only).
    pub empty: &'a str,
    pub required: bool,
}

/// A labelled select with a hint and its own empty option.
pub fn select_with(
    name: &str,
    label: &str,
    options: &[(String, String)],
    selected: &str,
    errors: &Invalid,
    choice: &Choice<'_>,
) -> Markup {
    let error = errors.message_for(name);
    html! {
        div.field.has-error[error.is_some()] {
            label for=(name) { (label) @if choice.required { span.req aria-hidden="true" { " *" } } }
            @if let Some(hint) = choice.hint { p.hint { (hint) } }
            select id=(name) name=(name) aria-invalid=[error.map(|_| "true")]
                aria-describedby=[error.map(|_| error_id(name))] {
                option value="" { (choice.empty) }
                @for (value, text) in options {
                    option value=(value) selected[value == selected] { (text) }
                }
            }
            @if let Some(error) = error { p.error id=(error_id(name)) { (error) } }
        }
    }
}

/// A group of checkboxes sharing one name (at least one required).
pub fn checkboxes(
    name: &str,
    legend: &str,
    options: &[(String, String)],
    checked: &[String],
    errors: &Invalid,
) -> Markup {
    checkboxes_with(name, legend, options, checked, errors, None, true)
}

/// A group of checkboxes with a hint, required or not.
pub fn checkboxes_with(
    name: &str,
    legend: &str,
    options: &[(String, String)],
    checked: &[String],
    errors: &Invalid,
    hint: Option<&str>,
    required: bool,
) -> Markup {
    let error = errors.message_for(name);
    html! {
        fieldset.field.has-error[error.is_some()] id=(name) {
            legend { (legend) @if required { span.req aria-hidden="true" { " *" } } }
            @if let Some(hint) = hint { p.hint { (hint) } }
            @for (value, text) in options {
                label.check {
                    input type="checkbox" name=(name) value=(value) checked[checked.contains(value)];
                    " " (text)
                }
            }
            @if let Some(error) = error { p.error { (error) } }
        }
    }
}

/// `(code, label)` pairs of a coded list, for selects and checkboxes.
pub fn coded_options<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|&v| (code(v).to_owned(), label(v).to_owned()))
        .collect()
}

/// The label of each field of one form, `(name, label)`, as its inputs show
/// them: the error summary names the field of each error with it.
pub type FieldLabels = [(&'static str, &'static str)];

/// A summary of every error at the top of a form, so that a screen reader
/// and a hurried reader both learn that something needs fixing: each line
/// names its field (from `labels`) and links to its input (`#name`).
pub fn error_summary(errors: &Invalid, labels: &FieldLabels) -> Markup {
    let label = |field: &str| {
        labels
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, l)| *l)
    };
    html! {
        @if !errors.is_empty() {
            div.error-summary role="alert" {
                p { "提交的内容有 " (errors.errors.len()) " 处需要修改：" }
                ul {
                    @for e in &errors.errors {
                        li { a href={ "#" (e.field) } {
                            @if let Some(label) = label(&e.field) { (label) "：" }
                            (e.message)
                        } }
                    }
                }
            }
        }
    }
}

/// A coloured label in one of the tones states are drawn in (a state
/// itself is drawn with `views::status::status_badge`).
pub fn badge(tone: super::status::Tone, label: &str) -> Markup {
    html! { span class={ "badge " (tone.class()) } { (label) } }
}

/// Previous/next links for a list page.
pub fn pagination(base: &str, total: u64, limit: u64, offset: u64) -> Markup {
    let sep = if base.contains('?') { '&' } else { '?' };
    html! {
        nav.pagination aria-label="翻页" {
            span { "共 " (total) " 条" }
            @if offset > 0 {
                a href={ (base) (sep) "offset=" (offset.saturating_sub(limit)) } { "上一页" }
            }
            @if offset + limit < total {
                a href={ (base) (sep) "offset=" (offset + limit) } { "下一页" }
            }
        }
    }
}

/// China Standard Time: UTC+8 all year (no daylight saving).
const BEIJING_OFFSET_SECONDS: i32 = 8 * 3600;

/// A day as pages show it (e.g. `2026年11月28日`): the one way.
pub fn day(d: NaiveDate) -> String {
    crate::domain::dates::day_text(d)
}

/// A moment as the county reads it, in Beijing time (e.g.
/// `2026年11月29日 00:30`). Stored times stay UTC; only what people read
/// is converted.
pub fn local_time(at: &DateTime<Utc>) -> String {
    match FixedOffset::east_opt(BEIJING_OFFSET_SECONDS) {
        Some(beijing) => {
            let local = at.with_timezone(&beijing);
            format!("{} {}", day(local.date_naive()), local.format("%H:%M"))
        }
        None => at.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

/// A stored RFC 3339 moment (the audit log's) in Beijing time; the text as
/// stored if it is not one.
pub fn local_time_of(stored: &str) -> String {
    match DateTime::parse_from_rfc3339(stored) {
        Ok(at) => local_time(&at.with_timezone(&Utc)),
        Err(_) => stored.to_owned(),
    }
}

/// The Beijing-time calendar day of a moment (e.g. `2026年11月29日`).
pub fn local_date(at: &DateTime<Utc>) -> String {
    match FixedOffset::east_opt(BEIJING_OFFSET_SECONDS) {
        Some(beijing) => day(at.with_timezone(&beijing).date_naive()),
        None => day(at.date_naive()),
    }
}

#[cfg(test)]
mod time_tests {
    use super::*;

    #[test]
    fn times_are_shown_in_beijing_time_across_midnight() {
        let at = DateTime::parse_from_rfc3339("2026-11-28T16:30:00Z")
            .expect("valid time")
            .with_timezone(&Utc);
        assert_eq!(local_time(&at), "2026年11月29日 00:30");
        assert_eq!(local_date(&at), "2026年11月29日");
        assert_eq!(
            local_time_of("2026-11-28T16:30:00.123456Z"),
            "2026年11月29日 00:30"
        );
        assert_eq!(local_time_of("not a time"), "not a time");
    }
}
