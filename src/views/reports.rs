//! Mandatory-report pages: the public form, its receipt and the stage
//! lookup (in this file), the township's queue and one report with its
//! step forms ([`staff`]).

pub mod staff;

use maud::{Markup, html};

use crate::domain::Invalid;
use crate::domain::report::{DESCRIPTION_MAX, FilingInput, ReporterKind, Stage};

use super::components::{
    Choice, FieldLabels, coded_options, csrf_field, error_summary, select, select_with,
    text_area_with, text_field,
};
use super::layout::{PageCtx, page};

/// The hotlines, said first on every report page.
pub fn hotlines() -> Markup {
    html! {
        div.notice.danger role="note" {
            p { strong { "儿童正处于危险之中？请立即拨打 110 报警。" } }
            p { "未成年人保护热线 12355 · 妇女儿童维权热线 12338。本表用于向乡镇（街道）报告，不能代替报警。" }
        }
    }
}

const FORM_LABELS: &FieldLabels = &[
    ("form", "提交"),
    ("township", "儿童所在乡镇（街道）"),
    ("village", "村（社区）"),
    ("description", "您看到或了解到的情况"),
    ("child_location", "儿童现在在哪里"),
    ("reporter_kind", "您的身份"),
    ("reporter_name", "您的姓名"),
    ("reporter_contact", "联系方式"),
    ("child_name", "儿童姓名"),
    ("child_id_number", "儿童身份证号码"),
];

/// What the report form offers.
pub struct FormData<'a> {
    pub input: &'a FilingInput,
    pub townships: &'a [(String, String)],
    /// Villages as `township name · village name`.
    pub villages: &'a [(String, String)],
    pub errors: &'a Invalid,
}

/// The public report form (also used by logged-in users).
pub fn form(ctx: &PageCtx<'_>, data: &FormData<'_>) -> Markup {
    let input = data.input;
    let errors = data.errors;
    let optional = Choice {
        hint: Some("知道的话请选择"),
        empty: "不清楚",
        required: false,
    };
    page(
        "报告儿童险情",
        ctx,
        html! {
            (hotlines())
            p { "发现儿童遭受或疑似遭受虐待、遗弃、伤害，或者无人照料、处于危险之中，任何人都可以在这里报告。学校、幼儿园、医疗机构、福利机构和村（居）委会有报告的责任。" }
            p { "报告内容和您的身份加密保存，只有儿童所在乡镇（街道）和县民政部门负责处置的工作人员能看到。带 * 的为必填项。" }
            (error_summary(errors, FORM_LABELS))
            form.card method="post" action="/report" novalidate {
                (csrf_field(ctx.csrf))
                h2 { "儿童在哪里" }
                (select("township", "儿童所在乡镇（街道）", data.townships, &input.township, errors))
                (select_with("village", "村（社区）", data.villages, &input.village, errors, &optional))
                (text_field("child_location", "儿童现在在哪里", "text", &input.child_location, errors, Some("例如：在家、在学校、在医院、在邻居家"), false))
                fieldset.field {
                    legend { "儿童现在是否有危险" }
                    label.check {
                        input type="checkbox" name="urgent" value="true" checked[input.urgent];
                        " 是，儿童现在就有危险（乡镇将在 1 小时内响应；请同时拨打 110）"
                    }
                }
                h2 { "发生了什么" }
                (text_area_with("description", "您看到或了解到的情况", &input.description, errors, Some(&format!("时间、地点、儿童的情况，尽量具体。不超过{DESCRIPTION_MAX}字。")), true))
                (text_field("child_name", "儿童姓名", "text", &input.child_name, errors, Some("知道的话请填写"), false))
                (text_field("child_id_number", "儿童身份证号码", "text", &input.child_id_number, errors, Some("知道的话请填写，只用于查找儿童档案"), false))
                h2 { "您是谁" }
                (select_with("reporter_kind", "您的身份", &coded_options(ReporterKind::ALL, ReporterKind::as_str, ReporterKind::label), &input.reporter_kind, errors, &Choice { hint: None, empty: "不愿说明", required: false }))
                (text_field("reporter_name", "您的姓名", "text", &input.reporter_name, errors, Some("可以不填"), false))
                (text_field("reporter_contact", "联系方式", "text", &input.reporter_contact, errors, Some("愿意的话留下电话，方便工作人员向您了解情况"), false))
                button type="submit" { "提交报告" }
            }
            p { a href="/report/status" { "已经报告过？查询办理进度" } }
        },
    )
}

/// The receipt, shown once after filing: the reference and the code.
pub fn filed(ctx: &PageCtx<'_>, reference: &str, lookup_code: &str) -> Markup {
    page(
        "报告已收到",
        ctx,
        html! {
            div.card {
                p { "您的报告已保存，乡镇（街道）工作人员会尽快处理。请记下下面两项，凭它们可以查询办理进度：" }
                dl {
                    dt { "报告编号" } dd { strong.code-nowrap { (reference) } }
                    dt { "查询码" } dd { strong.code-nowrap { (lookup_code) } }
                }
                p { "查询码只显示这一次，系统不保存它的明文，遗失后无法找回。查询只显示办理阶段，不显示报告内容。" }
            }
            (hotlines())
            p { a href="/report/status" { "查询办理进度" } " · " a href="/report" { "再报告一起" } }
        },
    )
}

const LOOKUP_LABELS: &FieldLabels = &[
    ("form", "查询"),
    ("reference", "报告编号"),
    ("lookup_code", "查询码"),
];

/// The stage lookup form, with the answer when there is one.
pub fn lookup(
    ctx: &PageCtx<'_>,
    reference: &str,
    errors: &Invalid,
    found: Option<(&str, Stage)>,
) -> Markup {
    page(
        "查询报告办理进度",
        ctx,
        html! {
            @if let Some((reference, stage)) = found {
                div.card role="status" {
                    p { "报告 " strong.code-nowrap { (reference) } " 的办理阶段：" }
                    p { (super::status::status_badge(stage)) }
                }
            }
            (error_summary(errors, LOOKUP_LABELS))
            form.card method="post" action="/report/status" novalidate {
                (csrf_field(ctx.csrf))
                (text_field("reference", "报告编号", "text", reference, errors, Some("例如 BG-2026-000123"), true))
                (text_field("lookup_code", "查询码", "text", "", errors, Some("提交报告后显示的 12 位查询码"), true))
                button type="submit" { "查询" }
            }
            (hotlines())
        },
    )
}
