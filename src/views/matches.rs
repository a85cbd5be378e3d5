//! Match pages: the list of the viewer's matches, the page of one match
//! with its timeline and the forms of the moves the viewer may make (in
//! [`detail`]), and the proposal form that the offer and need pages carry.
//! An owner's pages show the need only as its public projection.

pub mod detail;
mod fields;

use maud::{Markup, html};

use crate::domain::Invalid;
use crate::domain::matching::MatchStatus;
use crate::services::matches::MatchSummary;

use super::components::{
    FieldLabels, csrf_field, error_summary, pagination, text_area_with, text_field,
};
use super::layout::{PageCtx, page};

/// The fields of the form, for its error summary.
const PROPOSAL_LABELS: &FieldLabels = &[
    ("need_code", "需求编号"),
    ("offer_id", "服务编号"),
    ("note", "说明"),
];

/// A match's status as a coloured label.
pub use super::status::status_badge;

/// One page of the viewer's matches.
pub struct MatchList<'a> {
    pub items: &'a [MatchSummary],
    pub status: Option<MatchStatus>,
    /// Other filters of the list (`need=…`, `offer=…`), already encoded.
    pub filters: &'a str,
    pub total: u64,
    pub limit: u64,
    pub offset: u64,
}

fn list_url(filters: &str, status: Option<MatchStatus>) -> String {
    let mut query: Vec<String> = Vec::new();
    if !filters.is_empty() {
        query.push(filters.to_owned());
    }
    if let Some(s) = status {
        query.push(format!("status={}", s.as_str()));
    }
    if query.is_empty() {
        "/matches".to_owned()
    } else {
        format!("/matches?{}", query.join("&"))
    }
}

fn status_tabs(data: &MatchList<'_>) -> Markup {
    html! {
        nav.tabs aria-label="按状态筛选" {
            @for s in MatchStatus::ALL {
                a href=(list_url(data.filters, Some(*s))) aria-current=[(data.status == Some(*s)).then_some("page")] { (s.label()) }
            }
            a href=(list_url(data.filters, None)) aria-current=[data.status.is_none().then_some("page")] { "全部" }
        }
    }
}

pub fn list(ctx: &PageCtx<'_>, data: &MatchList<'_>) -> Markup {
    page(
        "对接",
        ctx,
        html! {
            p.hint { "服务与儿童需求的对接由乡镇（街道）民政干部审批；家庭寄养、委托代养和爱心助养还需县级审批。" }
            @if !data.filters.is_empty() {
                p { "只显示某一需求或服务的对接。" a href="/matches" { "显示全部" } }
            }
            (status_tabs(data))
            @if data.items.is_empty() {
                p { "没有符合条件的对接。" }
            } @else {
                table.listing {
                    thead { tr { th { "需求" } th { "服务" } th { "类别" } th { "状态" } th { "更新时间" } } }
                    tbody {
                        @for m in data.items {
                            tr {
                                td data-label="需求" { a href={ "/matches/" (m.record.id) } { (m.need_code) " " (m.need_title) } }
                                td data-label="服务" { (m.offer_title) "（" (m.offer_owner) "）" }
                                td data-label="类别" { (m.record.category.label()) }
                                td data-label="状态" { (status_badge(m.status)) }
                                td data-label="更新时间" { (crate::views::components::local_time(&m.record.status_changed_at)) }
                            }
                        }
                    }
                }
            }
            (pagination(&list_url(data.filters, data.status), data.total, data.limit, data.offset))
        },
    )
}

/// Where a proposal starts: the owner's offer page (the need is typed) or
/// the officer's need page (the offer is typed).
#[derive(Clone, Copy)]
pub enum ProposeFrom<'a> {
    Offer { id: &'a str, title: &'a str },
    Need { code: &'a str, title: &'a str },
}

/// The proposal's fields as typed.
#[derive(Default)]
pub struct ProposeTyped<'a> {
    pub need_code: &'a str,
    pub offer_id: &'a str,
    pub note: &'a str,
}

fn propose_form(
    ctx: &PageCtx<'_>,
    from: ProposeFrom<'_>,
    typed: &ProposeTyped<'_>,
    errors: &Invalid,
) -> Markup {
    html! {
        form method="post" action="/matches" {
            (csrf_field(ctx.csrf))
            (error_summary(errors, PROPOSAL_LABELS))
            @match from {
                ProposeFrom::Offer { id, title } => {
                    input type="hidden" name="offer_id" value=(id);
                    p { "用服务“" (title) "”对接：" }
                    @if let Some(e) = errors.message_for("offer_id") { p.error { (e) } }
                    (text_field("need_code", "需求编号", "text", typed.need_code, errors,
                        Some("需求页面上的编号，如 XQ 开头的12位编号"), true))
                }
                ProposeFrom::Need { code, title } => {
                    input type="hidden" name="need_code" value=(code);
                    p { "为需求 " (code) @if !title.is_empty() { "（" (title) "）" } "推荐服务：" }
                    @if let Some(e) = errors.message_for("need_code") { p.error { (e) } }
                    (text_field("offer_id", "服务编号", "text", typed.offer_id, errors,
                        Some("服务页面地址中 /offers/ 之后的编号；推荐后须由服务方确认"), true))
                }
            }
            (text_area_with("note", "说明", typed.note, errors,
                Some("可不填，例如服务安排、可以开始的时间。请勿填写儿童的姓名、住址等个人信息。"), false))
            button type="submit" { "提出对接" }
        }
    }
}

/// The proposal form as a card of the offer or need page.
pub fn propose_card(ctx: &PageCtx<'_>, from: ProposeFrom<'_>) -> Markup {
    let (summary, link) = match from {
        ProposeFrom::Offer { id, .. } => ("提出对接", format!("/matches?offer={id}")),
        ProposeFrom::Need { code, .. } => ("推荐服务（提出对接）", format!("/matches?need={code}")),
    };
    html! {
        details.card {
            summary { (summary) }
            (propose_form(ctx, from, &ProposeTyped::default(), &Invalid::new()))
        }
        p { a href=(link) { "查看相关的对接" } }
    }
}

/// The proposal form again, with what was typed and why it was refused.
pub fn propose_page(
    ctx: &PageCtx<'_>,
    from: ProposeFrom<'_>,
    typed: &ProposeTyped<'_>,
    errors: &Invalid,
) -> Markup {
    let back = match from {
        ProposeFrom::Offer { id, .. } => format!("/offers/{id}"),
        ProposeFrom::Need { code, .. } => format!("/needs/{code}"),
    };
    page(
        "提出对接",
        ctx,
        html! {
            section.card { (propose_form(ctx, from, typed, errors)) }
            p { a href=(back) { "返回" } }
        },
    )
}
