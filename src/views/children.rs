//! Child-file pages: the list (and search results), the file form in
//! [`form`], the masked file with its visits and history in [`detail`].
//! Lists never show more than the masked name.

pub mod detail;
pub mod form;
pub mod labels;

use crate::views::status::status_badge;
use std::str::FromStr;

use maud::{Markup, html};

use crate::domain::Role;
use crate::domain::child::FileStatus;
use crate::services::children::view::ListItem;

use super::components::{csrf_field, day, pagination};
use super::layout::{PageCtx, page};

/// The Chinese label of a stored code, or "未知" for a code not in the list.
pub fn label_of<T: FromStr>(code: &str, label: fn(T) -> &'static str) -> &'static str {
    code.parse::<T>().map(label).unwrap_or("未知")
}

/// Whether the logged-in user may open new files (officers and supervisors).
pub fn may_draft(ctx: &PageCtx<'_>) -> bool {
    ctx.user
        .is_some_and(|u| matches!(u.role, Role::TownshipOfficer | Role::VillageSupervisor))
}

/// One page of files, or the result of a search.
pub struct FileList<'a> {
    pub items: &'a [ListItem],
    pub total: u64,
    pub limit: u64,
    pub offset: u64,
    pub status: Option<FileStatus>,
    /// The search as typed, when this is a search result (shown back in the
    /// search box, never put into a link).
    pub query: Option<&'a str>,
}

fn status_tabs(status: Option<FileStatus>) -> Markup {
    html! {
        nav.tabs aria-label="按状态筛选" {
            @for s in FileStatus::ALL {
                a href={ "/children?status=" (s.as_str()) } aria-current=[(status == Some(*s)).then_some("page")] { (s.label()) }
            }
            a href="/children" aria-current=[status.is_none().then_some("page")] { "全部" }
        }
    }
}

fn search_form(ctx: &PageCtx<'_>, query: Option<&str>) -> Markup {
    html! {
        form.search method="post" action="/children/search" role="search" {
            (csrf_field(ctx.csrf))
            label for="q" { "查找档案" }
            p.hint { "输入姓名（或其中几个字）、身份证号码或档案编号" }
            div.search-row {
                input id="q" name="q" type="search" value=(query.unwrap_or("")) autocomplete="off";
                button type="submit" { "查找" }
            }
        }
    }
}

fn rows(items: &[ListItem], township_name: &dyn Fn(&str) -> String) -> Markup {
    html! {
        table.files {
            thead { tr {
                th { "档案编号" } th { "姓名" } th { "乡镇（街道）" } th { "状态" }
                th { "困境大类" } th { "年龄段" } th { "最近走访" }
            } }
            tbody {
                @for item in items {
                    tr.overdue[item.overdue] {
                        td data-label="档案编号" { a href={ "/children/" (item.id) } { (item.file_no) } }
                        td data-label="姓名" { (item.masked_name) }
                        td data-label="乡镇（街道）" { (township_name(&item.township_code)) }
                        td data-label="状态" { (status_badge(item.status)) }
                        td data-label="困境大类" { (item.class.label()) }
                        td data-label="年龄段" { (item.age_band.map(|b| b.label()).unwrap_or("已满18周岁")) }
                        td data-label="最近走访" {
                            @match item.last_visited_on {
                                Some(d) => { (day(d)) }
                                None => { "从未走访" }
                            }
                            @if item.overdue {
                                " " strong.overdue-flag { "逾期未走访" }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub fn list(
    ctx: &PageCtx<'_>,
    data: &FileList<'_>,
    township_name: &dyn Fn(&str) -> String,
) -> Markup {
    let base = match data.status {
        Some(s) => format!("/children?status={}", s.as_str()),
        None => "/children".to_owned(),
    };
    let title = if data.query.is_some() {
        "查找儿童档案"
    } else {
        "儿童档案"
    };
    page(
        title,
        ctx,
        html! {
            @if may_draft(ctx) {
                p { a.button href="/children/new" { "新建档案" } }
            }
            (search_form(ctx, data.query))
            @if data.query.is_none() {
                (status_tabs(data.status))
                p.hint { "建档或上次走访后90天内须走访；最久未走访的档案排在前面。" }
            }
            @if data.items.is_empty() {
                p { @if data.query.is_some() { "没有找到符合条件的档案。" } @else { "没有符合条件的档案。" } }
            } @else {
                (rows(data.items, township_name))
            }
            @if data.query.is_some() {
                p { "共找到 " (data.total) " 份档案" @if data.total > data.items.len() as u64 { "，仅显示前 " (data.items.len()) " 份，请输入更完整的姓名或身份证号码" } "。" }
                p { a href="/children" { "返回档案列表" } }
            } @else {
                (pagination(&base, data.total, data.limit, data.offset))
            }
        },
    )
}
