//! The need form. When the text check finds personal information, the form
//! comes back with the texts as typed, a preview marking each finding, and
//! what to do about it: the officer removes it knowingly.

use maud::{Markup, html};

use crate::domain::Invalid;
use crate::domain::category::Category;
use crate::domain::need::Urgency;
use crate::domain::text_check::{Finding, segments};
use crate::services::TextFinding;
use crate::services::needs::NeedInput;

use super::super::components::{
    FieldLabels, coded_options, csrf_field, error_summary, select, text_area, text_field,
};
use super::super::layout::{PageCtx, page};

/// The fields of the form, for its error summary.
const NEED_LABELS: &FieldLabels = &[
    ("category", "类别"),
    ("title", "标题"),
    ("description", "描述"),
    ("quantity", "数量"),
    ("urgency", "紧急程度"),
];

/// Everything the need form shows.
pub struct NeedForm<'a> {
    pub input: &'a NeedInput,
    /// The quantity as typed.
    pub quantity: &'a str,
    /// The number of the child's file, for orientation.
    pub file_no: &'a str,
    /// The need being changed (its id); `None` for a new one.
    pub editing: Option<&'a str>,
    pub errors: &'a Invalid,
    pub findings: &'a [TextFinding],
}

fn field_label(field: &str) -> &'static str {
    match field {
        "title" => "标题",
        _ => "描述",
    }
}

/// `text` with each finding of `field` wrapped in a `<mark>` naming its kind.
pub fn highlighted(text: &str, field: &str, findings: &[TextFinding]) -> Markup {
    let own: Vec<Finding> = findings
        .iter()
        .filter(|f| f.field == field)
        .map(|f| Finding {
            kind: f.kind,
            start: f.start,
            end: f.end,
        })
        .collect();
    html! {
        @for (part, kind) in segments(text, &own) {
            @match kind {
                Some(kind) => {
                    mark class={ "finding finding-" (kind.code()) } title=(kind.label()) {
                        (part) span.finding-label { "〔" (kind.label()) "〕" }
                    }
                }
                None => { (part) }
            }
        }
    }
}

fn findings_report(input: &NeedInput, findings: &[TextFinding]) -> Markup {
    html! {
        section.findings role="alert" {
            h2 { "公开内容中含有个人信息" }
            p { "服务机构和爱心家庭会看到标题和描述。下面标出的内容可能让人认出这名儿童，请删除或改写后再提交。" }
            @for (field, text) in [("title", input.title.as_str()), ("description", input.description.as_str())] {
                @if findings.iter().any(|f| f.field == field) {
                    div.preview {
                        p.preview-label { (field_label(field)) "：" }
                        p.preview-text { (highlighted(text, field, findings)) }
                    }
                }
            }
            ol {
                @for f in findings {
                    @let source = if f.field == "title" { &input.title } else { &input.description };
                    li {
                        (field_label(f.field)) "中的" strong { (f.kind.label()) }
                        @if let Some(found) = source.get(f.start..f.end) { "「" (found) "」" }
                        "：" (f.kind.advice())
                    }
                }
            }
        }
    }
}

pub fn need_form(ctx: &PageCtx<'_>, form: &NeedForm<'_>) -> Markup {
    let input = form.input;
    let mut errors = form.errors.clone();
    for f in form.findings {
        errors.add(
            f.field,
            format!(
                "{}中含有{}：{}",
                field_label(f.field),
                f.kind.label(),
                f.kind.advice()
            ),
        );
    }
    let (title, action) = match form.editing {
        Some(id) => ("修改需求".to_owned(), format!("/needs/{id}/edit")),
        None => ("登记需求".to_owned(), "/needs".to_owned()),
    };
    page(
        &title,
        ctx,
        html! {
            p { "儿童档案：" (form.file_no) }
            p.hint { "需求保存为草稿，由乡镇（街道）民政干部发布。发布后，经认证的服务机构和爱心家庭只能看到类别、标题、描述、数量、乡镇（人数过少时只显示到县）、年龄段、困境大类和紧急程度。标题和描述中不要写姓名、身份证号码、电话、村（社区）或详细地址。" }
            (error_summary(&errors, NEED_LABELS))
            @if !form.findings.is_empty() { (findings_report(input, form.findings)) }
            form.card method="post" action=(action) novalidate {
                (csrf_field(ctx.csrf))
                input type="hidden" name="child_id" value=(input.child_id);
                @if let Some(e) = errors.message_for("child_id") { p.error { (e) } }
                (select("category", "类别", &coded_options(Category::ALL, Category::as_str, Category::label), &input.category, &errors))
                (text_field("title", "标题", "text", &input.title, &errors, Some("60字以内，如：需要课后作业辅导"), true))
                (text_area("description", "描述", &input.description, &errors, Some("说明需要什么帮助、频次和时间；不要写可识别儿童身份的信息")))
                (text_field("quantity", "数量（选填）", "number", form.quantity, &errors, Some("资金填金额（元），物资填件数，服务填人数；不限可不填"), false))
                (select("urgency", "紧急程度", &coded_options(Urgency::ALL, Urgency::as_str, Urgency::label), &input.urgency, &errors))
                button type="submit" { "保存草稿" }
            }
        },
    )
}
