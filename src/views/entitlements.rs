//! Entitlements: the section of a child's file (each guarantee: eligible,
//! received, the gap, with forms to record one and to refer a gap), and
//! the gap list (应享未享) of a township or the county.

use maud::{Markup, html};

use crate::domain::entitlement::Severity;
use crate::services::entitlements::gaps::GapItem;
use crate::services::entitlements::records::ChildEntitlements;

use super::components::{DATE_HINT, badge, csrf_field, day, pagination};
use super::layout::{PageCtx, page};
use super::status::Tone;

/// A severity as a badge (in words, not by colour alone).
pub fn severity_badge(s: Severity) -> Markup {
    let tone = match s.value() {
        3 => Tone::Refused,
        2 => Tone::Urgent,
        _ => Tone::Waiting,
    };
    badge(tone, s.label())
}

/// The entitlements section of a file page.
pub fn file_section(ctx: &PageCtx<'_>, e: &ChildEntitlements) -> Markup {
    let id = &e.child.id;
    let gaps = e.lines.iter().filter(|l| l.gap).count();
    html! {
        section #entitlements {
            h2 { "保障待遇（分类保障）" }
            p.hint {
                "按县政府云阳府发〔2017〕6号第三部分的规则，根据档案中的困境类型、年龄和就学状态判断。"
                @if gaps > 0 { strong { "应享未享 " (gaps) " 项。" } }
            }
            table.compact {
                thead { tr { th { "保障项目" } th { "负责部门" } th { "符合条件" } th { "享受情况" } th { "" } } }
                tbody {
                    @for l in e.lines.iter().filter(|l| l.eligible || l.received.is_some()) {
                        tr {
                            td { (l.name) br; span.hint { "依据 " (l.clause) } }
                            td { (l.department.label()) }
                            td { @if l.eligible { "符合" } @else { "不符合" } }
                            td {
                                @if let Some(r) = &l.received {
                                    "已享受"
                                    @if let Some(since) = r.since { "，自" (day(since)) }
                                    @if let Some(n) = r.amount_yuan { "，每月" (n) "元" }
                                    @if let Some(re) = &r.reference { "（" (re) "）" }
                                } @else if l.gap {
                                    (severity_badge(l.severity)) " 应享未享"
                                }
                            }
                            td {
                                @if let Some(rid) = &l.referral_id {
                                    a href={ "/referrals/" (rid) } { "转介办理中" }
                                } @else if l.gap && e.may_record {
                                    a.button.small href={ "/referrals/new?child=" (id) "&entitlement=" (l.rule_id) } { "转介" }
                                }
                            }
                        }
                    }
                }
            }
            @if e.lines.iter().all(|l| !l.eligible && l.received.is_none()) {
                p { "按现有档案信息，暂无符合条件的保障项目。" }
            }
            @let ended: Vec<_> = e.records.iter().filter(|r| r.ended_on.is_some()).collect();
            @if !ended.is_empty() {
                details { summary { "已停止的保障（" (ended.len()) "）" }
                    ul { @for r in ended {
                        li { (r.name) @if let Some(s) = r.since { "，" (day(s)) } @if let Some(end) = r.ended_on { " 至 " (day(end)) } }
                    } }
                }
            }
            @if e.may_record {
                @let open: Vec<_> = e.records.iter().filter(|r| r.ended_on.is_none()).collect();
                @if !open.is_empty() {
                    details.card { summary { "登记停止享受" }
                        @for r in open {
                            form.inline method="post" action={ "/children/" (id) "/entitlements/" (r.id) "/end" } {
                                (csrf_field(ctx.csrf))
                                button.small.secondary type="submit" { "停止：" (r.name) }
                            }
                        }
                    }
                }
                details.card { summary { "登记已享受的保障" }
                    form method="post" action={ "/children/" (id) "/entitlements" } novalidate {
                        (csrf_field(ctx.csrf))
                        div.field {
                            label for="benefit" { "保障项目" span.req aria-hidden="true" { " *" } }
                            select #benefit name="benefit" {
                                option value="" { "请选择" }
                                @for l in &e.lines { @if l.received.is_none() { option value=(l.rule_id) { (l.name) } } }
                            }
                        }
                        div.field {
                            label for="since" { "开始享受日期" span.req aria-hidden="true" { " *" } }
                            p.hint { (DATE_HINT) }
                            input #since name="since" type="date" required;
                        }
                        div.field {
                            label for="amount_yuan" { "每月金额（元，非现金保障可不填）" }
                            input #amount_yuan name="amount_yuan" type="number" min="0" inputmode="numeric";
                        }
                        div.field {
                            label for="reference" { "审批文号" }
                            input #reference name="reference" type="text";
                        }
                        button type="submit" { "登记" }
                    }
                }
                p.actions {
                    a.button href={ "/referrals/new?child=" (id) } { "转介部门（其他事项）" } " "
                    a.button href={ "/intakes/new?child=" (id) } { "一门受理登记" }
                }
            }
        }
    }
}

/// The gap list page.
pub fn gap_list(
    ctx: &PageCtx<'_>,
    items: &[GapItem],
    total: u64,
    limit: u64,
    offset: u64,
    township_name: &dyn Fn(&str) -> String,
    base: &str,
) -> Markup {
    page(
        "应享未享",
        ctx,
        html! {
            p { "符合政策保障条件、尚未登记享受的儿童，按缺口的紧急程度、项数和持续时间排列。共 " (total) " 人。" }
            @if items.is_empty() {
                p { "没有应享未享的儿童。" }
            } @else {
                table.compact {
                    thead { tr { th { "档案" } th { "儿童" } th { "乡镇（街道）" } th { "应享未享的保障" } th { "始于" } } }
                    tbody {
                        @for i in items {
                            tr {
                                td { a href={ "/children/" (i.child_id) } { (i.file_no) } }
                                td { (i.masked_name) }
                                td { (township_name(&i.township_code)) }
                                td {
                                    ul.plain {
                                        @for g in &i.gaps {
                                            li {
                                                (severity_badge(g.severity)) " " (g.name) "（" (g.department.short()) "）"
                                                @if g.referred { " · 已转介" }
                                                @else { " · " a href={ "/referrals/new?child=" (i.child_id) "&entitlement=" (g.rule_id) } { "转介" } }
                                            }
                                        }
                                    }
                                }
                                td { (day(i.since)) }
                            }
                        }
                    }
                }
            }
            (pagination(base, total, limit, offset))
        },
    )
}
