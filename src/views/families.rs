//! The family application form, the staff's list, and how an approval
//! stands. The detail page with the visit and decision forms is in `detail`.

mod detail;

use crate::views::status::status_badge;
use chrono::NaiveDate;
use maud::{Markup, html};

use crate::domain::Invalid;
use crate::domain::family::{ApprovalStanding, CareType, FamilyStatus, REASSESSMENT_NOTICE_DAYS};
use crate::services::families::{ApplicationInput, FamilyView, ListFilter};

use super::components::{
    FieldLabels, checkboxes, csrf_field, error_summary, pagination, select, text_area, text_field,
};
use super::layout::{PageCtx, page};

/// The fields of the form, for its error summary.
const APPLICATION_LABELS: &FieldLabels = &[
    ("household_name", "家庭称呼"),
    ("township", "所在乡镇（街道）"),
    ("members", "家庭常住人口"),
    ("housing", "住房情况"),
    ("contact_phone", "联系电话"),
    ("care_types", "愿意提供的照料方式"),
    ("username", "用户名"),
    ("password", "密码"),
    ("password_confirm", "再次输入密码"),
];

pub use detail::{DetailData, DetailForms, detail};

pub fn application_form(
    ctx: &PageCtx<'_>,
    input: &ApplicationInput,
    members: &str,
    townships: &[(String, String)],
    errors: &Invalid,
) -> Markup {
    let care: Vec<(String, String)> = CareType::ALL
        .iter()
        .map(|c| (c.as_str().to_owned(), c.label().to_owned()))
        .collect();
    page(
        "爱心家庭申请",
        ctx,
        html! {
            p { "提交后，乡镇（街道）民政干部将上门走访评估，县民政局审批。您可以随时登录查看进度。" }
            (error_summary(errors, APPLICATION_LABELS))
            form.card method="post" action="/register/family" novalidate {
                (csrf_field(ctx.csrf))
                (text_field("household_name", "家庭称呼", "text", &input.household_name, errors, Some("例如：王家"), true))
                (select("township", "所在乡镇（街道）", townships, &input.township, errors))
                (text_field("members", "家庭常住人口", "number", members, errors, None, true))
                (text_area("housing", "住房情况", &input.housing, errors, Some("住房面积、是否有儿童单独的房间等")))
                (text_field("contact_phone", "联系电话", "tel", &input.contact_phone, errors, None, true))
                (checkboxes("care_types", "愿意提供的照料方式", &care, &input.care_types, errors))
                h2 { "登录账号" }
                (text_field("username", "用户名", "text", &input.username, errors, Some("3至32位英文字母、数字或 _ . -"), true))
                (text_field("password", "密码", "password", "", errors, Some("至少8位，不能是常见密码"), true))
                (text_field("password_confirm", "再次输入密码", "password", "", errors, None, true))
                button type="submit" { "提交申请" }
            }
        },
    )
}

/// Who reads an approval notice: the family learns what to do, staff what
/// is due.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    Family,
    Staff,
}

fn day(d: NaiveDate) -> String {
    super::components::day(d)
}

/// How the approval stands, in a sentence; nothing when not approved.
pub fn approval_notice(standing: ApprovalStanding, reader: Reader) -> Markup {
    html! {
        @match standing {
            ApprovalStanding::NotApproved => {},
            ApprovalStanding::Current { until, reassessment_due: false } => {
                p.approval { "审批有效期至 " (day(until)) "。" }
            },
            ApprovalStanding::Current { until, reassessment_due: true } => {
                p.notice.approval role="status" {
                    "审批有效期至 " (day(until)) "，距到期不足" (REASSESSMENT_NOTICE_DAYS) "天，需重新评估。"
                    @if reader == Reader::Family {
                        "请联系所在乡镇（街道）民政办预约上门走访；到期前重新评估并经县民政局批准，即可继续提供服务。"
                    } @else {
                        "请在到期前上门走访，登记新的评估。"
                    }
                }
            },
            ApprovalStanding::Expired { until } => {
                p.notice.approval role="status" {
                    "审批已过期，需重新评估"
                    @if let Some(until) = until { "（有效期至 " (day(until)) "）" }
                    "。"
                    @if reader == Reader::Family {
                        "重新评估并经县民政局批准前，不能发布新的服务，已发布的服务也不能对接。请联系所在乡镇（街道）民政办。"
                    } @else {
                        "重新评估并经县级批准前，该家庭不能发布服务或被匹配。"
                    }
                }
            },
        }
    }
}

/// The short approval column of the list.
fn approval_cell(standing: ApprovalStanding) -> Markup {
    html! {
        @match standing {
            ApprovalStanding::NotApproved => "—",
            ApprovalStanding::Current { until, reassessment_due } => {
                "至 " (day(until))
                @if reassessment_due { " " span.overdue-flag { "需重新评估" } }
            },
            ApprovalStanding::Expired { until } => {
                span.overdue-flag { "审批已过期，需重新评估" }
                @if let Some(until) = until { "（至 " (day(until)) "）" }
            },
        }
    }
}

fn filter_tabs(filter: ListFilter) -> Markup {
    let on =
        |status: FamilyStatus| (!filter.due && filter.status == Some(status)).then_some("page");
    html! {
        nav.tabs aria-label="按状态筛选" {
            a href="/families?status=submitted" aria-current=[on(FamilyStatus::Submitted)] { "待走访评估" }
            a href="/families?status=recommended" aria-current=[on(FamilyStatus::Recommended)] { "待县级审批" }
            a href="/families?status=approved" aria-current=[on(FamilyStatus::Approved)] { "已批准" }
            a href="/families?due=1" aria-current=[filter.due.then_some("page")] { "需重新评估" }
            a href="/families?status=rejected" aria-current=[on(FamilyStatus::Rejected)] { "未通过" }
            a href="/families" aria-current=[(!filter.due && filter.status.is_none()).then_some("page")] { "全部" }
        }
    }
}

/// The list's address for `filter`, for paging.
fn list_url(filter: ListFilter) -> String {
    match (filter.due, filter.status) {
        (true, _) => "/families?due=1".to_owned(),
        (false, Some(status)) => format!("/families?status={}", status.as_str()),
        (false, None) => "/families".to_owned(),
    }
}

/// One page of the staff's list of applications.
pub struct ListData<'a> {
    pub items: &'a [FamilyView],
    pub filter: ListFilter,
    pub today: NaiveDate,
    pub total: u64,
    pub limit: u64,
    pub offset: u64,
}

pub fn list(
    ctx: &PageCtx<'_>,
    data: &ListData<'_>,
    township_name: &dyn Fn(&str) -> String,
) -> Markup {
    page(
        "爱心家庭",
        ctx,
        html! {
            (filter_tabs(data.filter))
            @if data.filter.due {
                p.hint { "审批将在" (REASSESSMENT_NOTICE_DAYS) "天内到期或已过期的家庭，到期早的在前；请上门走访并登记新的评估。" }
            }
            @if data.items.is_empty() {
                p { "没有符合条件的申请。" }
            } @else {
                table.compact {
                    thead { tr { th { "家庭" } th { "乡镇（街道）" } th { "状态" } th { "审批有效期" } th { "提交时间" } } }
                    tbody {
                        @for view in data.items {
                            @let f = &view.family;
                            tr {
                                td { a href={ "/families/" (f.id) } { (f.household_name) } }
                                td { (township_name(&f.township_code)) }
                                td { (status_badge(f.status)) }
                                td { (approval_cell(view.standing)) }
                                td { (crate::views::components::local_date(&f.created_at)) }
                            }
                        }
                    }
                }
            }
            (pagination(&list_url(data.filter), data.total, data.limit, data.offset))
        },
    )
}
