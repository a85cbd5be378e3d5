//! The offer form, for a new offer and for changing one. Numbers are shown
//! back as typed, so that a mistyped value is corrected, not lost.

use maud::{Markup, html};

use crate::domain::Invalid;
use crate::domain::category::Category;
use crate::services::offers::{COUNTY, OfferInput};

use super::super::components::{
    Choice, FieldLabels, checkboxes_with, csrf_field, error_summary, select_with, text_area,
    text_field,
};
use super::super::layout::{PageCtx, page};

/// The fields of the form, for its error summary.
const OFFER_LABELS: &FieldLabels = &[
    ("category", "类别"),
    ("title", "标题"),
    ("description", "服务内容"),
    ("capacity", "名额"),
    ("townships", "服务的乡镇（街道）"),
    ("age_min", "适合年龄"),
    ("age_max", "适合年龄"),
    ("starts_on", "开始日期"),
    ("ends_on", "结束日期"),
    ("schedule", "时间安排"),
];

/// Everything the offer form shows.
pub struct OfferForm<'a> {
    /// The values typed (or, when changing, the stored ones).
    pub input: &'a OfferInput,
    /// The numbers as typed.
    pub capacity: &'a str,
    pub age_min: &'a str,
    pub age_max: &'a str,
    /// `(code, label)` of the categories offered (see [`category_options`]).
    pub categories: &'a [(String, String)],
    /// `(code, name)` of every township.
    pub townships: &'a [(String, String)],
    /// The id of the offer being changed; `None` for a new one.
    pub editing: Option<&'a str>,
    pub errors: &'a Invalid,
}

/// Categories that only an assessed caring family may offer.
fn family_only(c: Category) -> bool {
    matches!(c, Category::FosterCare | Category::EntrustedCare)
}

/// The categories for the select: a family's own care types, or for a
/// provider every category, those reserved to families marked as such.
pub fn category_options(family: Option<&[Category]>) -> Vec<(String, String)> {
    match family {
        Some(own) => own
            .iter()
            .map(|c| (c.as_str().to_owned(), c.label().to_owned()))
            .collect(),
        None => Category::ALL
            .iter()
            .map(|&c| {
                let label = if family_only(c) {
                    format!("{}（仅限评估通过的爱心家庭）", c.label())
                } else {
                    c.label().to_owned()
                };
                (c.as_str().to_owned(), label)
            })
            .collect(),
    }
}

fn capacity_hint(category: &str) -> String {
    let mut hint = format!(
        "服务类填写可服务的儿童人数（{}）；资金捐赠填写金额（{}）；物资捐赠填写件数（{}）。",
        Category::Tutoring.quantity_unit(),
        Category::DonationMoney.quantity_unit(),
        Category::DonationGoods.quantity_unit(),
    );
    if let Ok(c) = category.parse::<Category>() {
        hint.push_str(&format!("当前类别按“{}”计。", c.quantity_unit()));
    }
    hint
}

/// The age range: two numbers on one line, one error (the service reports
/// it under `age_min`).
fn age_fields(form: &OfferForm<'_>) -> Markup {
    let error = form
        .errors
        .message_for("age_min")
        .or_else(|| form.errors.message_for("age_max"));
    html! {
        fieldset.field.has-error[error.is_some()] {
            legend { "适合年龄" }
            p.hint { "0至17岁，不填表示不限" }
            div.range {
                label for="age_min" { "从" }
                input id="age_min" name="age_min" type="number" min="0" max="17" inputmode="numeric"
                    value=(form.age_min) aria-invalid=[error.map(|_| "true")];
                label for="age_max" { "岁 到" }
                input id="age_max" name="age_max" type="number" min="0" max="17" inputmode="numeric"
                    value=(form.age_max) aria-invalid=[error.map(|_| "true")];
                span { "岁" }
            }
            @if let Some(error) = error { p.error { (error) } }
        }
    }
}

fn township_field(form: &OfferForm<'_>) -> Markup {
    let mut options = vec![(COUNTY.to_owned(), "全县（所有乡镇、街道）".to_owned())];
    options.extend(form.townships.iter().cloned());
    checkboxes_with(
        "townships",
        "服务乡镇（街道）",
        &options,
        &form.input.townships,
        form.errors,
        Some("可多选；服务全县的只勾选“全县”"),
        true,
    )
}

pub fn offer_form(ctx: &PageCtx<'_>, form: &OfferForm<'_>) -> Markup {
    let input = form.input;
    let errors = form.errors;
    let (title, action) = match form.editing {
        Some(id) => ("修改服务".to_owned(), format!("/offers/{id}/edit")),
        None => ("发布新服务".to_owned(), "/offers".to_owned()),
    };
    let category = Choice {
        hint: Some("家庭寄养、委托代养只能由评估通过的爱心家庭提供"),
        empty: "请选择",
        required: true,
    };
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    page(
        &title,
        ctx,
        html! {
            p { "带 * 的为必填项。服务发布后任何人都能看到，请不要填写儿童的个人信息。" }
            (error_summary(errors, OFFER_LABELS))
            form.card method="post" action=(action) novalidate {
                (csrf_field(ctx.csrf))
                (select_with("category", "类别", form.categories, &input.category, errors, &category))
                (text_field("title", "标题", "text", &input.title, errors,
                    Some("不超过60个字，例如：孤独症儿童康复训练"), true))
                (text_area("description", "服务内容", &input.description, errors,
                    Some("写明提供什么帮助、怎样提供、对儿童和家庭有什么要求")))
                (text_field("capacity", "名额", "number", form.capacity, errors,
                    Some(&capacity_hint(&input.category)), true))
                (township_field(form))
                (age_fields(form))
                (text_field("starts_on", "开始日期", "date", &text(&input.starts_on), errors, Some("不填表示即日起。格式：年/月/日，如 2026/11/28"), false))
                (text_field("ends_on", "结束日期", "date", &text(&input.ends_on), errors, Some("不填表示长期。格式：年/月/日，如 2026/11/28"), false))
                (text_field("schedule", "时间安排", "text", &text(&input.schedule), errors,
                    Some("例如：每周六上午9:00–11:00"), false))
                button type="submit" { @if form.editing.is_some() { "保存修改" } @else { "发布服务" } }
                @if let Some(id) = form.editing {
                    " " a href={ "/offers/" (id) } { "取消" }
                } @else {
                    " " a href="/offers/mine" { "取消" }
                }
            }
        },
    )
}
