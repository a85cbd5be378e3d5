//! One child's file: the personal fields masked (each revealed on an
//! explicit, audited request), the non-personal facts, visits, history,
//! needs, and the officer's actions.

use crate::views::status::status_badge;
use maud::{Markup, html};

use crate::db::entities::child_event;
use crate::domain::Invalid;
use crate::domain::child::Gender;
use crate::services::children::view::FileView;
use crate::services::children::visits::VisitInput;
use crate::services::entitlements::records::ChildEntitlements;

use super::super::components::{DATE_HINT, csrf_field, day, error_summary, text_area, text_field};
use super::super::layout::{PageCtx, page};
use super::label_of;
use super::labels::{action_label, basis_text, difficulty_lines, field_label};

/// The forms of the file page, with what was typed into them.
#[derive(Default)]
pub struct FileForms<'a> {
    /// Shown at the top (e.g. that a reveal was audited).
    pub notice: Option<&'a str>,
    pub visit: VisitInput,
    pub visit_errors: Invalid,
    pub close_reason: &'a str,
    pub close_errors: Invalid,
}

fn identity_table(ctx: &PageCtx<'_>, file: &FileView) -> Markup {
    let any_masked = file.fields.iter().any(|f| f.value.is_some() && !f.revealed);
    html! {
        form method="post" action={ "/children/" (file.child.id) "/reveal" } {
            (csrf_field(ctx.csrf))
            table.fields {
                caption { "个人信息（默认遮挡）" }
                tbody {
                    @for f in &file.fields {
                        tr {
                            th scope="row" { (f.field.label()) }
                            td.value {
                                @match &f.value {
                                    Some(v) => { (v) }
                                    None => { span.hint { "（未填写）" } }
                                }
                            }
                            td.act {
                                @if f.revealed {
                                    span.hint { "已显示" }
                                } @else if f.value.is_some() {
                                    button.small.secondary type="submit" name="field" value=(f.field.as_str()) { "显示" }
                                }
                            }
                        }
                    }
                }
            }
            @if any_masked {
                button.secondary type="submit" name="field" value="all" { "全部显示" }
            }
            p.hint { "每次显示完整信息都会写入审计日志，请仅在工作需要时查看。" }
        }
    }
}

fn facts(file: &FileView, township: &str) -> Markup {
    let c = &file.child;
    let status = c.status;
    html! {
        dl.facts {
            dt { "档案编号" } dd { (c.file_no) }
            dt { "状态" } dd { (status_badge(status)) }
            @if let Some(reason) = &c.closed_reason { dt { "结档原因" } dd { (reason) } }
            dt { "乡镇（街道）" } dd { (township) }
            dt { "性别" } dd { (label_of(&c.gender, Gender::label)) }
            dt { "年龄段" } dd { (file.age_band.map(|b| b.label()).unwrap_or("已满18周岁")) }
            dt { "困境大类" } dd { (file.class.label()) }
            dt { "困境类型" } dd { (difficulty_lines(c).join("；")) }
            dt { "就学状态" } dd { (c.school_status.map(|s| s.label()).unwrap_or("（未填写）")) }
            @if c.suspected_disability { dt { "疑似残疾" } dd { "是（尚未确诊）" } }
            dt { "与监护人关系" } dd { (c.guardian_relation.as_deref().unwrap_or("（未填写）")) }
            dt { "学校" } dd { (c.school.as_deref().unwrap_or("（未填写）")) }
            dt { "法律依据" } dd { (basis_text(c)) }
            dt { "最近走访" }
            dd.overdue[file.overdue] {
                @match c.last_visited_on {
                    Some(d) => { (day(d)) }
                    None => { "从未走访" }
                }
                @if file.overdue {
                    " " strong.overdue-flag { "逾期未走访" }
                }
            }
        }
    }
}

fn actions(ctx: &PageCtx<'_>, file: &FileView) -> Markup {
    let c = &file.child;
    let may = file.actions;
    html! {
        @if may.edit || may.draft_need {
            p.actions {
                @if may.edit { a.button href={ "/children/" (c.id) "/edit" } { "编辑" } " " }
                @if may.draft_need { a.button href={ "/needs/new?child=" (c.id) } { "登记需求" } }
            }
        }
        @if may.complete {
            form.card method="post" action={ "/children/" (c.id) "/complete" } {
                (csrf_field(ctx.csrf))
                p { "该档案由村（居）督导员起草。核实无误后完善档案，档案即为“在档”，其需求方可发布。" }
                button type="submit" { "完善档案" }
            }
        }
    }
}

fn close_form(ctx: &PageCtx<'_>, file: &FileView, forms: &FileForms<'_>) -> Markup {
    let c = &file.child;
    html! {
        @if file.actions.close {
            details.card open[!forms.close_errors.is_empty()] {
                summary { "结档" }
                form method="post" action={ "/children/" (c.id) "/close" } {
                    (csrf_field(ctx.csrf))
                    (error_summary(&forms.close_errors, &[("reason", "结档原因")]))
                    (text_area("reason", "结档原因", forms.close_reason, &forms.close_errors,
                        Some("例如：已满18周岁、已迁出本县、困境情形已消除。结档后该儿童未完成的需求将一并关闭。")))
                    button.secondary type="submit" { "确认结档" }
                }
            }
        }
    }
}

fn visits(ctx: &PageCtx<'_>, file: &FileView, forms: &FileForms<'_>) -> Markup {
    let c = &file.child;
    html! {
        section #visits {
            h2 { "走访记录" }
            @if file.visits.is_empty() {
                p { "尚无走访记录。" }
            } @else {
                ol.visits {
                    @for v in &file.visits {
                        li {
                            p.meta { strong { (day(v.visited_on)) } " · " (v.visitor_name) }
                            p.summary { (v.summary) }
                        }
                    }
                }
            }
            @if file.actions.visit {
                form.card method="post" action={ "/children/" (c.id) "/visits" } novalidate {
                    h3 { "登记走访" }
                    (csrf_field(ctx.csrf))
                    (error_summary(&forms.visit_errors, &[("visited_on", "走访日期"), ("summary", "走访情况")]))
                    (text_field("visited_on", "走访日期", "date", &forms.visit.visited_on, &forms.visit_errors, Some(DATE_HINT), true))
                    (text_area("summary", "走访情况", &forms.visit.summary, &forms.visit_errors,
                        Some("儿童生活、学习、健康和监护情况，发现的问题和需要的帮助")))
                    button type="submit" { "保存走访记录" }
                }
            }
        }
    }
}

fn history(events: &[child_event::Model]) -> Markup {
    html! {
        section #history {
            h2 { "档案变更记录" }
            @if events.is_empty() {
                p { "暂无记录。" }
            } @else {
                table.compact {
                    thead { tr { th { "时间" } th { "操作人" } th { "操作" } th { "涉及项目" } } }
                    tbody {
                        @for e in events {
                            @let fields: Vec<&str> = e.fields.iter().map(|f| field_label(f)).collect();
                            tr {
                                td { (crate::views::components::local_time(&e.at)) }
                                td { (e.actor_name) }
                                td { (action_label(&e.action)) @if let Some(note) = &e.note { "：" (note) } }
                                td { (fields.join("、")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn needs(file: &FileView) -> Markup {
    html! {
        section #needs {
            h2 { "需求" }
            @if file.needs.is_empty() {
                p { "尚未登记需求。" }
            } @else {
                table.compact {
                    thead { tr { th { "需求编号" } th { "标题" } th { "状态" } } }
                    tbody {
                        @for n in &file.needs {
                            tr {
                                td { a href={ "/needs/" (n.id) } { (n.code) } }
                                td { (n.title) }
                                td { (status_badge(n.status)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub fn detail(
    ctx: &PageCtx<'_>,
    file: &FileView,
    township: &str,
    forms: &FileForms<'_>,
    entitlements: Option<&ChildEntitlements>,
) -> Markup {
    let title = format!("儿童档案 {}", file.child.file_no);
    page(
        &title,
        ctx,
        html! {
            @if let Some(notice) = forms.notice {
                p.notice role="status" { (notice) }
            }
            (actions(ctx, file))
            nav.tabs aria-label="档案视图" {
                a href={ "/children/" (file.child.id) "/timeline" } { "成长与帮扶时间线（含重复帮扶、服务中断、逾期走访提醒）" }
            }
            (identity_table(ctx, file))
            h2 { "基本情况" }
            (facts(file, township))
            @if let Some(e) = entitlements {
                (crate::views::entitlements::file_section(ctx, e))
            }
            (visits(ctx, file, forms))
            (needs(file))
            (history(&file.events))
            (close_form(ctx, file, forms))
            p { a href="/children" { "返回档案列表" } }
        },
    )
}
