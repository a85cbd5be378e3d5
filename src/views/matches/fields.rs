//! The fields of the move forms on a match page. Several forms share field
//! names (`reason`, `note`), so each field's id carries its form's action;
//! errors and findings show only beside the fields of the form that failed.

use maud::{Markup, html};

use crate::domain::Invalid;
use crate::domain::matching::Action;
use crate::services::TextFinding;
use crate::views::needs::form::highlighted;

/// A refused move form: what was typed, and why.
pub struct Failed<'a> {
    pub action: Action,
    pub typed: &'a [(String, String)],
    pub errors: &'a Invalid,
    pub findings: &'a [TextFinding],
}

impl Failed<'_> {
    fn value(&self, name: &str) -> &str {
        self.typed
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// Every value typed under `name` (a group of checkboxes).
    fn values(&self, name: &str) -> Vec<&String> {
        self.typed
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v)
            .collect()
    }
}

/// The kind of control a field is.
pub enum Control<'a> {
    /// An input of this type (`"integer"`: a number in whole steps).
    Input(&'static str),
    Area,
    Select(&'a [(String, String)]),
    /// Any number of the options (a multi-select that works without
    /// JavaScript and on a phone).
    Checkboxes(&'a [(String, String)]),
}

/// One field of the form of `action`.
pub struct Field<'a> {
    pub name: &'static str,
    pub label: &'static str,
    pub control: Control<'a>,
    /// The value shown when the form did not fail.
    pub value: &'a str,
    pub hint: Option<&'static str>,
    pub required: bool,
}

/// The field, with the typed value, its error and its findings when the
/// form of `action` is the one that failed.
pub fn field(action: Action, f: &Field<'_>, failed: Option<&Failed<'_>>) -> Markup {
    let failed = failed.filter(|x| x.action == action);
    let id = format!("{}-{}", action.as_str(), f.name);
    let error_id = format!("{id}-error");
    let value = failed.map_or(f.value, |x| x.value(f.name));
    let error = failed.and_then(|x| x.errors.message_for(f.name));
    let findings: Vec<&TextFinding> = failed
        .map(|x| x.findings.iter().filter(|t| t.field == f.name).collect())
        .unwrap_or_default();
    let flagged = error.is_some() || !findings.is_empty();
    html! {
        div.field.has-error[flagged] {
            label for=(id) { (f.label) @if f.required { span.req aria-hidden="true" { " *" } } }
            @if let Some(hint) = f.hint { p.hint { (hint) } }
            @match f.control {
                Control::Input(kind) => {
                    // "integer" is a number input in whole steps.
                    input id=(id) name=(f.name) type=(if kind == "integer" { "number" } else { kind })
                        value=(value) required[f.required]
                        step=[match kind { "number" => Some("0.5"), "integer" => Some("1"), _ => None }]
                        aria-invalid=[flagged.then_some("true")] aria-describedby=[flagged.then_some(&error_id)];
                }
                Control::Area => {
                    textarea id=(id) name=(f.name) rows="3" required[f.required]
                        aria-invalid=[flagged.then_some("true")] aria-describedby=[flagged.then_some(&error_id)] { (value) }
                }
                Control::Checkboxes(options) => {
                    @for (v, text) in options {
                        label.check {
                            input type="checkbox" name=(f.name) value=(v)
                                checked[failed.is_some_and(|x| x.values(f.name).contains(&v))];
                            " " (text)
                        }
                    }
                }
                Control::Select(options) => {
                    select id=(id) name=(f.name) aria-invalid=[flagged.then_some("true")] aria-describedby=[flagged.then_some(&error_id)] {
                        option value="" { "请选择" }
                        @for (v, text) in options {
                            option value=(v) selected[v == value] { (text) }
                        }
                    }
                }
            }
            @if let Some(error) = error { p.error id=(error_id) { (error) } }
            @if !findings.is_empty() {
                div.findings id=(error_id) role="alert" {
                    p.error { "这段文字含有可识别儿童身份的信息，服务方会看到，请删除后再提交：" }
                    p.preview-text { (highlighted(value.trim(), f.name, failed.map_or(&[], |x| x.findings))) }
                    ul { @for t in &findings { li { (t.kind.label()) "：" (t.kind.advice()) } } }
                }
            }
        }
    }
}
