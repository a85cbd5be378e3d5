//! The child's timeline page (a kind filter as a GET form, paged), the
//! township's warning list, and a provider's volunteer list. Lines name
//! file numbers, need codes, offers and organisations, never a vault field.

use maud::{Markup, html};

use crate::db::entities::volunteer;
use crate::domain::Invalid;
use crate::domain::timeline::{EntryKind, WarningKind};
use crate::services::Page;
use crate::services::timeline::warnings::Line;
use crate::services::timeline::{Timeline, Warning};

use super::components::{csrf_field, day, pagination, text_field};
use super::layout::{PageCtx, page};

fn warning_text(w: &Warning) -> String {
    match w.kind {
        WarningKind::DuplicateSupport => {
            format!("重复帮扶：同一类别的两项对接自 {} 起同时进行", day(w.since))
        }
        WarningKind::ServiceGap => format!("服务中断：自 {} 起没有服务记录", day(w.since)),
        WarningKind::VisitOverdue => format!("逾期未走访：上次走访（或建档）为 {}", day(w.since)),
    }
}

fn kind_options(selected: Option<EntryKind>) -> Markup {
    html! {
        option value="" selected[selected.is_none()] { "全部" }
        @for k in EntryKind::ALL {
            option value=(k.as_str()) selected[selected == Some(*k)] { (k.label()) }
        }
    }
}

/// The timeline of one file.
pub fn timeline_page(
    ctx: &PageCtx<'_>,
    t: &Timeline,
    kind: Option<EntryKind>,
    limit: u64,
    offset: u64,
) -> Markup {
    let base = match kind {
        Some(k) => format!("/children/{}/timeline?kind={}", t.child_id, k.as_str()),
        None => format!("/children/{}/timeline", t.child_id),
    };
    page(
        &format!("成长与帮扶时间线 {}", t.file_no),
        ctx,
        html! {
            p { a href={ "/children/" (t.child_id) } { "返回档案" } }
            section #warnings {
                h2 { "提醒" }
                @if t.warnings.is_empty() {
                    p { "目前没有提醒。" }
                } @else {
                    ul {
                        @for w in &t.warnings {
                            li {
                                strong { (warning_text(w)) }
                                @for m in &w.match_ids {
                                    " " a href={ "/matches/" (m) } { "查看对接" }
                                }
                            }
                        }
                    }
                }
            }
            form method="get" action={ "/children/" (t.child_id) "/timeline" } {
                div.field {
                    label for="kind" { "类型" }
                    select id="kind" name="kind" { (kind_options(kind)) }
                }
                button type="submit" { "筛选" }
            }
            @if t.entries.items.is_empty() {
                p { "没有记录。" }
            } @else {
                ol.timeline {
                    @for e in &t.entries.items {
                        li {
                            time datetime=(e.at.to_rfc3339()) { (day(crate::domain::referral::office_day(e.at))) }
                            " · " (e.kind.label()) " · " (e.title)
                            @if let Some(h) = e.hours { " · " (h) " 小时" }
                            @if let Some(a) = e.amount { " · 数额 " (a) }
                            @if let Some(m) = &e.match_id { " " a href={ "/matches/" (m) } { "对接详情" } }
                        }
                    }
                }
            }
            (pagination(&base, t.entries.total, limit, offset))
        },
    )
}

/// The township's (or the county's) warning list of one kind.
pub fn warnings_page(
    ctx: &PageCtx<'_>,
    kind: WarningKind,
    page_of: &Page<Line>,
    township: Option<&str>,
    township_name: &dyn Fn(&str) -> String,
    limit: u64,
    offset: u64,
) -> Markup {
    let mut base = format!("/warnings?kind={}", kind.as_str());
    if let Some(t) = township {
        base.push_str(&format!("&township={t}"));
    }
    page(
        "跟进提醒",
        ctx,
        html! {
            nav aria-label="提醒类型" {
                @for k in WarningKind::ALL {
                    @if *k == kind { strong { (k.label()) } } @else {
                        a href={ "/warnings?kind=" (k.as_str()) @if let Some(t) = township { "&township=" (t) } } { (k.label()) }
                    }
                    " "
                }
            }
            @if page_of.items.is_empty() {
                p { "没有" (kind.label()) "的档案。" }
            } @else {
                table.compact {
                    thead { tr { th { "档案" } th { "乡镇（街道）" } th { "自" } th { "对接" } } }
                    tbody {
                        @for l in &page_of.items {
                            tr {
                                td { a href={ "/children/" (l.child_id) "/timeline" } { (l.file_no) } }
                                td { (township_name(&l.township_code)) }
                                td { (day(l.since)) }
                                td { @for m in &l.match_ids { a href={ "/matches/" (m) } { "查看" } " " } }
                            }
                        }
                    }
                }
            }
            (pagination(&base, page_of.total, limit, offset))
        },
    )
}

/// A provider's volunteers, the form to add one, and the hours export.
pub fn volunteers_page(
    ctx: &PageCtx<'_>,
    list: &[volunteer::Model],
    errors: &Invalid,
    name: &str,
    reference: &str,
) -> Markup {
    page(
        "志愿者",
        ctx,
        html! {
            p { "服务记录只能选择名单中在册的志愿者。" a href="/api/v1/exports/volunteer-hours.csv" { "导出志愿服务时长（CSV）" } }
            @if list.is_empty() {
                p { "还没有志愿者。" }
            } @else {
                table.compact {
                    thead { tr { th { "姓名" } th { "编号" } th { "状态" } th { "" } } }
                    tbody {
                        @for v in list {
                            tr {
                                td { (v.name) }
                                td { (v.reference) }
                                td { @if v.active { "在册" } @else { "已退出" } }
                                td {
                                    @if v.active {
                                        form method="post" action={ "/volunteers/" (v.id) "/retire" } {
                                            (csrf_field(ctx.csrf))
                                            button type="submit" { "退出名单" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h2 { "添加志愿者" }
            form method="post" action="/volunteers" {
                (csrf_field(ctx.csrf))
                (text_field("name", "姓名", "text", name, errors, None, true))
                (text_field("reference", "编号", "text", reference, errors, Some("本机构对该志愿者的编号，如志愿服务信息系统中的注册编号"), true))
                button type="submit" { "添加" }
            }
        },
    )
}
