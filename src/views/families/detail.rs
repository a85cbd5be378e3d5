//! A family's page for staff: the application, how its approval stands,
//! every home visit (newest first), and the form the viewer may use: the
//! visit for the township officer, the decision for the county.

use crate::views::status::{Tone, status_badge};
use maud::{Markup, html};

use crate::db::entities::family;
use crate::domain::Invalid;
use crate::domain::family::FamilyStatus;
use crate::services::families::{AssessmentInput, AssessmentView, FamilyView};

use super::super::components::{
    DATE_HINT, badge, csrf_field, error_summary, text_area_with, text_field,
};
use super::super::layout::{PageCtx, page};
use super::{Reader, approval_notice, day};

/// What the page shows.
pub struct DetailData<'a> {
    /// The family with its standing and the viewer's actions.
    pub family: &'a FamilyView,
    pub township: &'a str,
    pub assessments: &'a [AssessmentView],
}

/// What was typed into the page's forms, and what was wrong with it.
#[derive(Default)]
pub struct DetailForms {
    pub assessment: AssessmentInput,
    pub assessment_errors: Invalid,
    pub reason: String,
    pub decision_errors: Invalid,
}

fn yes_no(recommend: bool) -> &'static str {
    if recommend { "推荐" } else { "不推荐" }
}

fn assessment_list(items: &[AssessmentView]) -> Markup {
    html! {
        h2 { "走访评估记录" }
        @if items.is_empty() {
            p { "尚未登记走访评估。" }
        } @else {
            ol.visits {
                @for item in items {
                    @let a = &item.assessment;
                    li {
                        p.meta {
                            strong { (day(a.visited_on)) } " · " (item.assessor) " · "
                            (badge(if a.recommend { Tone::Good } else { Tone::Refused }, yes_no(a.recommend)))
                        }
                        dl.facts {
                            @for (label, text) in [("住房", &a.housing), ("收入", &a.income), ("健康", &a.health), ("培训", &a.training)] {
                                @if !text.is_empty() { dt { (label) } dd.text { (text) } }
                            }
                            dt { "评估意见" } dd.text { (a.findings) }
                        }
                    }
                }
            }
        }
    }
}

/// The recommend yes/no radio pair, keeping the choice made.
fn recommend_field(chosen: Option<bool>, errors: &Invalid) -> Markup {
    let error = errors.message_for("recommend");
    html! {
        fieldset.field.has-error[error.is_some()] id="recommend" {
            legend { "是否推荐" span.req aria-hidden="true" { " *" } }
            label.check {
                input type="radio" name="recommend" value="true" checked[chosen == Some(true)];
                " 推荐（报县民政局审批）"
            }
            label.check {
                input type="radio" name="recommend" value="false" checked[chosen == Some(false)];
                " 不推荐（评估意见将作为理由告知家庭）"
            }
            @if let Some(error) = error { p.error { (error) } }
        }
    }
}

fn assessment_form(ctx: &PageCtx<'_>, f: &family::Model, forms: &DetailForms) -> Markup {
    let input = &forms.assessment;
    let errors = &forms.assessment_errors;
    html! {
        section.card {
            h2 { "登记走访评估" }
            @if f.status == FamilyStatus::Approved {
                p.hint { "重新评估后，该家庭需再次经县民政局审批；审批前不能发布服务或被匹配。" }
            }
            (error_summary(errors, &[
                ("visited_on", "走访日期"),
                ("housing", "住房情况"),
                ("income", "收入情况"),
                ("health", "家庭成员健康状况"),
                ("training", "培训情况"),
                ("findings", "评估意见"),
            ]))
            form method="post" action={ "/families/" (f.id) "/assessments" } novalidate {
                (csrf_field(ctx.csrf))
                (text_field("visited_on", "走访日期", "date", &input.visited_on, errors, Some(DATE_HINT), true))
                (text_area_with("housing", "住房情况", &input.housing, errors, None, false))
                (text_area_with("income", "收入情况", &input.income, errors, None, false))
                (text_area_with("health", "家庭成员健康状况", &input.health, errors, None, false))
                (text_area_with("training", "培训情况", &input.training, errors, Some("是否参加过寄养、照料等培训"), false))
                (text_area_with("findings", "评估意见", &input.findings, errors, Some("不超过2000字；不推荐时，家庭会看到这段意见"), true))
                (recommend_field(input.recommend, errors))
                button type="submit" { "保存评估" }
            }
        }
    }
}

fn decision_form(ctx: &PageCtx<'_>, f: &family::Model, forms: &DetailForms) -> Markup {
    let error = forms.decision_errors.message_for("reason");
    html! {
        section.card {
            h2 { "县级审批" }
            p.hint { "批准后有效期一年，到期前需重新走访评估。" }
            (error_summary(&forms.decision_errors, &[("decision", "审批结论"), ("reason", "理由")]))
            form method="post" action={ "/families/" (f.id) "/decision" } novalidate {
                (csrf_field(ctx.csrf))
                div.field.has-error[error.is_some()] {
                    label for="reason" { "审批意见（不予批准时必填，家庭可以看到）" }
                    textarea id="reason" name="reason" rows="3"
                        aria-invalid=[error.map(|_| "true")] { (forms.reason) }
                    @if let Some(e) = error { p.error { (e) } }
                }
                div.actions {
                    button type="submit" name="decision" value="approve" { "批准" }
                    button.secondary type="submit" name="decision" value="reject" { "不予批准" }
                }
            }
        }
    }
}

pub fn detail(ctx: &PageCtx<'_>, data: &DetailData<'_>, forms: &DetailForms) -> Markup {
    let f = &data.family.family;
    let care: Vec<&str> = f.care_types.iter().map(|c| c.label()).collect();
    let waiting_again = f.status == FamilyStatus::Recommended;
    page(
        &f.household_name,
        ctx,
        html! {
            (approval_notice(data.family.standing, Reader::Staff))
            dl.facts {
                dt { "状态" } dd { (status_badge(f.status)) }
                @if let Some(reason) = &f.decision_reason { dt { "说明" } dd.text { (reason) } }
                @if let (true, Some(until)) = (waiting_again, f.approved_until) {
                    dt { "上次审批有效期至" } dd { (day(until)) }
                }
                dt { "乡镇（街道）" } dd { (data.township) }
                dt { "家庭常住人口" } dd { (f.members) }
                dt { "住房情况" } dd { (f.housing) }
                dt { "联系电话" } dd { (f.contact_phone) }
                dt { "愿意提供" } dd { (care.join("、")) }
                dt { "提交时间" } dd { (crate::views::components::local_time(&f.created_at)) }
            }
            @if data.family.actions.decide { (decision_form(ctx, f, forms)) }
            @if data.family.actions.assess { (assessment_form(ctx, f, forms)) }
            (assessment_list(data.assessments))
            p { a href="/families" { "返回列表" } }
        },
    )
}
