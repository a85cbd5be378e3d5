//! Referral pages: the queue of a department or township, one referral
//! with its thread and the reader's moves, the referral form, one-door
//! intake and the county's per-department figures.

use maud::{Markup, html};

use crate::domain::Invalid;
use crate::domain::department::Department;
use crate::domain::referral::ReferralMove;
use crate::services::referrals::figures::DepartmentFigures;
use crate::services::referrals::intake::IntakeView;
use crate::services::referrals::view::{ListItem, ReferralView};

use super::components::{
    DATE_HINT, csrf_field, day, error_summary, local_time, pagination, text_area, text_field,
};
use super::layout::{PageCtx, page};
use super::status::status_badge;

fn department_options() -> Vec<(String, String)> {
    Department::ALL
        .iter()
        .map(|d| (d.as_str().to_owned(), d.label().to_owned()))
        .collect()
}

fn deadline(item_overdue: bool, escalated: bool, due: chrono::NaiveDate) -> Markup {
    html! {
        (day(due))
        @if escalated { " " strong.overdue-flag { "超两倍时限（县级督办）" } }
        @else if item_overdue { " " strong.overdue-flag { "已逾期" } }
    }
}

/// The queue: open and overdue first.
pub fn list(
    ctx: &PageCtx<'_>,
    items: &[ListItem],
    total: u64,
    limit: u64,
    offset: u64,
    base: &str,
) -> Markup {
    page(
        "部门转介",
        ctx,
        html! {
            p.actions {
                a href="/referrals" { "全部" } " · "
                a href="/referrals?overdue=1" { "仅逾期" } " · "
                a href="/referrals?status=sent" { "待受理" } " · "
                a href="/referrals?status=accepted" { "办理中" }
            }
            @if items.is_empty() {
                p { "没有转介。" }
            } @else {
                table.compact {
                    thead { tr { th { "事项" } th { "部门" } th { "档案" } th { "状态" } th { "办理期限" } th { "已用天数" } } }
                    tbody {
                        @for i in items {
                            @let r = &i.referral;
                            tr {
                                td { a href={ "/referrals/" (r.id) } { (r.matter) } }
                                td { (r.department.label()) }
                                td { (i.file_no) }
                                td { (status_badge(r.status)) @if r.asked_at.is_some() { " 待回复询问" } }
                                td { (deadline(i.overdue, i.escalated, r.due_on)) }
                                td { (i.days) }
                            }
                        }
                    }
                }
            }
            (pagination(base, total, limit, offset))
        },
    )
}

fn event_name(action: &str) -> &str {
    match action {
        "sent" => "发出转介",
        "accepted" => "部门受理",
        "comment" => "留言",
        "granted" => "已落实",
        "refused" => "不予办理",
        "returned" => "退回乡镇",
        "forwarded" => "转其他部门",
        "closed" => "办结",
        other => other,
    }
}

fn side_name(side: &str) -> &str {
    match side {
        "department" => "部门",
        "township" => "乡镇",
        "county" => "县级",
        other => other,
    }
}

fn move_forms(ctx: &PageCtx<'_>, v: &ReferralView, errors: &Invalid) -> Markup {
    let id = &v.referral.id;
    let action = |mv: &str| format!("/referrals/{id}/{mv}");
    html! {
        @for mv in &v.moves {
            @match mv {
                ReferralMove::Accept => {
                    form.card method="post" action=(action("accept")) {
                        (csrf_field(ctx.csrf))
                        button type="submit" { "受理" }
                    }
                }
                ReferralMove::Grant => {
                    details.card open[!errors.is_empty()] { summary { "已落实（登记保障）" }
                        form method="post" action=(action("grant")) novalidate {
                            (csrf_field(ctx.csrf))
                            (error_summary(errors, &[("benefit", "落实的保障"), ("start_on", "开始日期"), ("decision_reference", "审批文号"), ("amount_yuan", "每月金额")]))
                            (text_field("benefit", "落实的保障", "text", "", errors, None, true))
                            (text_field("amount_yuan", "每月金额（元，可不填）", "number", "", errors, None, false))
                            (text_field("start_on", "开始日期", "date", "", errors, Some(DATE_HINT), true))
                            (text_field("decision_reference", "审批文号", "text", "", errors, None, true))
                            button type="submit" { "确认已落实" }
                        }
                    }
                }
                ReferralMove::Refuse => {
                    details.card { summary { "不予办理" }
                        form method="post" action=(action("refuse")) {
                            (csrf_field(ctx.csrf))
                            (text_area("reason", "不予办理的理由", "", errors, None))
                            button.secondary type="submit" { "不予办理" }
                        }
                    }
                }
                ReferralMove::Return => {
                    details.card { summary { "非本部门事项，退回乡镇" }
                        form method="post" action=(action("return")) {
                            (csrf_field(ctx.csrf))
                            (text_area("reason", "退回理由", "", errors, None))
                            button.secondary type="submit" { "退回" }
                        }
                    }
                }
                ReferralMove::Forward => {
                    details.card { summary { "转其他部门" }
                        form method="post" action=(action("forward")) {
                            (csrf_field(ctx.csrf))
                            (super::components::select("department", "转往部门", &department_options(), "", errors))
                            (super::components::text_area_with("reason", "说明", "", errors, None, false))
                            button.secondary type="submit" { "转出" }
                        }
                    }
                }
                ReferralMove::Close => {
                    form.card method="post" action=(action("close")) {
                        (csrf_field(ctx.csrf))
                        p { "部门已答复。核对结果后办结此转介。" }
                        button type="submit" { "办结" }
                    }
                }
            }
        }
    }
}

/// One referral.
pub fn detail(
    ctx: &PageCtx<'_>,
    v: &ReferralView,
    errors: &Invalid,
    notice: Option<&str>,
) -> Markup {
    let r = &v.referral;
    let title = format!("转介：{}", r.matter);
    page(
        &title,
        ctx,
        html! {
            @if let Some(n) = notice { p.notice role="status" { (n) } }
            dl.facts {
                dt { "状态" } dd { (status_badge(r.status)) }
                dt { "部门" } dd { (r.department.label()) }
                dt { "档案编号" } dd { (v.file_no) }
                dt { "发出时间" } dd { (local_time(&r.created_at)) }
                dt { "办理期限" } dd { (deadline(v.overdue, v.escalated, r.due_on)) "（" (r.due_working_days) "个工作日）" }
                @if let Some(a) = &r.answer_text { dt { "答复" } dd { (a) } }
                @if let Some(n) = r.amount_yuan { dt { "每月金额" } dd { (n) "元" } }
                @if let Some(s) = r.start_on { dt { "开始日期" } dd { (day(s)) } }
                @if let Some(d) = &r.decision_reference { dt { "审批文号" } dd { (d) } }
                @if let Some(to) = &v.forwarded_to { dt { "已转至" } dd { a href={ "/referrals/" (to) } { "新的转介" } } }
                @if let Some(from) = &v.forwarded_from { dt { "转自" } dd { a href={ "/referrals/" (from) } { "原转介" } } }
            }
            h2 { "案情摘要" }
            p.summary { (r.summary) }
            h2 { "儿童情况" }
            dl.facts {
                dt { "年龄" } dd { @if let Some(a) = v.age { (a) "岁" } }
                dt { "性别" } dd { (if v.gender == "male" { "男" } else { "女" }) }
                dt { "困境类型" } dd { (v.difficulties.iter().map(|d| d.label()).collect::<Vec<_>>().join("、")) }
                dt { "就学状态" } dd { (v.school_status.map(|s| s.label()).unwrap_or("（未填写）")) }
            }
            form method="post" action={ "/referrals/" (r.id) "/reveal" } {
                (csrf_field(ctx.csrf))
                table.fields {
                    caption { "办理所需的个人信息（默认遮挡）" }
                    tbody {
                        @for f in &v.fields {
                            tr {
                                th scope="row" { (f.field.label()) }
                                td.value { (f.value.as_deref().unwrap_or("")) }
                                td.act {
                                    @if f.revealed { span.hint { "已显示" } }
                                    @else { button.small.secondary type="submit" name="field" value=(f.field.as_str()) { "显示" } }
                                }
                            }
                        }
                    }
                }
                p.hint { "每次显示完整信息都会写入审计日志，请仅在办理需要时查看。" }
            }
            (move_forms(ctx, v, errors))
            h2 { "办理记录与留言" }
            ol.visits {
                @for e in &v.events {
                    li {
                        p.meta { strong { (local_time(&e.at)) } " · " (side_name(&e.side)) " " (e.actor_name) " · " (event_name(&e.action)) }
                        @if let Some(t) = &e.text { p.summary { (t) } }
                    }
                }
            }
            @if v.may_comment {
                form.card method="post" action={ "/referrals/" (r.id) "/comment" } novalidate {
                    (csrf_field(ctx.csrf))
                    (text_area("text", "留言（部门询问或乡镇回复；请勿填写儿童姓名、身份证号、电话等）", "", errors, None))
                    button type="submit" { "发送留言" }
                }
            }
            p { a href="/referrals" { "返回转介列表" } }
        },
    )
}

/// What the referral form was given.
#[derive(Clone, Debug, Default)]
pub struct ReferralForm {
    pub child_id: String,
    pub file_no: String,
    pub entitlement: String,
    pub department: String,
    pub matter: String,
    pub summary: String,
    pub due_in_days: String,
    /// `(rule id, name)` of the rules to choose from.
    pub rules: Vec<(String, String)>,
}

/// The referral form.
pub fn new_form(ctx: &PageCtx<'_>, f: &ReferralForm, errors: &Invalid) -> Markup {
    page(
        "转介部门",
        ctx,
        html! {
            p { "档案 " (f.file_no) "：选择保障项目（自动确定负责部门）或填写其他事项，写明部门办理所需的案情。" }
            (error_summary(errors, &[("entitlement", "保障项目"), ("department", "部门"), ("matter", "事项"), ("summary", "案情摘要"), ("due_in_days", "办理时限")]))
            form.card method="post" action="/referrals" novalidate {
                (csrf_field(ctx.csrf))
                input type="hidden" name="child_id" value=(f.child_id);
                (super::components::select_with("entitlement", "保障项目", &f.rules, &f.entitlement, errors,
                    &super::components::Choice { hint: Some("应享未享的保障；其他事项请留空并填写下面的事项"), empty: "（其他事项）", required: false }))
                (super::components::select_with("department", "部门", &department_options(), &f.department, errors,
                    &super::components::Choice { hint: Some("选择保障项目时可不选，由负责部门办理"), empty: "（按保障项目确定）", required: false }))
                (text_field("matter", "事项（其他事项时填写）", "text", &f.matter, errors, None, false))
                (text_area("summary", "案情摘要", &f.summary, errors,
                    Some("部门只看到办理所需的信息：请勿写儿童和监护人的姓名、身份证号、电话、住址")))
                (text_field("due_in_days", "办理时限（工作日，可不填：按部门默认）", "number", &f.due_in_days, errors, None, false))
                button type="submit" { "发出转介" }
            }
        },
    )
}

/// What the intake form was given.
#[derive(Clone, Debug, Default)]
pub struct IntakeForm {
    pub child_id: String,
    pub file_no: String,
    pub applicant: String,
    pub request: String,
    pub chosen: Vec<String>,
    pub rules: Vec<(String, String)>,
}

/// The one-door intake form.
pub fn intake_form(ctx: &PageCtx<'_>, f: &IntakeForm, errors: &Invalid) -> Markup {
    page(
        "一门受理",
        ctx,
        html! {
            p { "在乡镇（街道）窗口一次登记家庭的申请，平台按保障项目分别转介负责部门，并跟踪每一项的办理。" }
            (error_summary(errors, &[("child_id", "档案"), ("applicant", "申请人"), ("request", "申请内容"), ("entitlements", "申请的保障")]))
            form.card method="post" action="/intakes" novalidate {
                (csrf_field(ctx.csrf))
                (text_field("child_id", "档案（从儿童档案页进入时已填）", "text", &f.child_id, errors, Some(&f.file_no), true))
                (text_field("applicant", "申请人（与儿童的关系，如祖母、父亲）", "text", &f.applicant, errors, None, true))
                (text_area("request", "申请内容", &f.request, errors, Some("家庭申请的事项和情况；请勿填写姓名、身份证号、电话、住址")))
                (super::components::checkboxes("entitlements", "申请的保障", &f.rules, &f.chosen, errors))
                button type="submit" { "登记并转介" }
            }
        },
    )
}

/// An intake with its referrals.
pub fn intake_detail(ctx: &PageCtx<'_>, v: &IntakeView) -> Markup {
    page(
        "一门受理登记",
        ctx,
        html! {
            dl.facts {
                dt { "档案" } dd { a href={ "/children/" (v.intake.child_id) } { (v.file_no) } }
                dt { "申请人" } dd { (v.intake.applicant) }
                dt { "登记时间" } dd { (local_time(&v.intake.created_at)) }
            }
            p.summary { (v.intake.request) }
            h2 { "各部门办理情况" }
            table.compact {
                thead { tr { th { "事项" } th { "部门" } th { "状态" } th { "办理期限" } } }
                tbody {
                    @for r in &v.referrals {
                        tr {
                            td { a href={ "/referrals/" (r.id) } { (r.matter) } }
                            td { (r.department.label()) }
                            td { (status_badge(r.status)) }
                            td { (day(r.due_on)) }
                        }
                    }
                }
            }
        },
    )
}

/// The county's per-department figures.
pub fn figures(ctx: &PageCtx<'_>, items: &[DepartmentFigures]) -> Markup {
    page(
        "部门办理情况",
        ctx,
        html! {
            p { "各部门收到的转介、按期答复和办理结果（督查指标）。" }
            @if items.is_empty() {
                p { "尚无转介。" }
            } @else {
                table.compact {
                    thead { tr {
                        th { "部门" } th { "收到" } th { "已答复" } th { "按期答复" } th { "答复用时中位数（天）" }
                        th { "已落实" } th { "不予办理" } th { "退回" } th { "转出" } th { "办理中" } th { "逾期" }
                    } }
                    tbody {
                        @for f in items {
                            tr {
                                td { (f.department.label()) }
                                td { (f.received) }
                                td { (f.answered) }
                                td { (f.answered_on_time) }
                                td { @match f.median_days { Some(m) => { (format!("{m:.1}")) } None => { "—" } } }
                                td { (f.granted) }
                                td { (f.refused) }
                                td { (f.returned) }
                                td { (f.forwarded) }
                                td { (f.open) }
                                td { (f.overdue) }
                            }
                        }
                    }
                }
            }
        },
    )
}
