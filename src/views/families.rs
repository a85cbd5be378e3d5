//! The family application form and the staff's list and detail pages.

use maud::{Markup, html};

use crate::db::entities::family;
use crate::domain::Invalid;
use crate::domain::family::{CareType, FamilyStatus};
use crate::services::families::{ApplicationInput, care_types_of};

use super::components::{
    badge, checkboxes, csrf_field, error_summary, pagination, select, text_area, text_field,
};
use super::layout::{PageCtx, page};

fn status_label(status: &str) -> &'static str {
    status
        .parse::<FamilyStatus>()
        .map(|s| s.label())
        .unwrap_or("未知")
}

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
            (error_summary(errors))
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

pub fn list(
    ctx: &PageCtx<'_>,
    items: &[family::Model],
    township_name: &dyn Fn(&str) -> String,
    total: u64,
    limit: u64,
    offset: u64,
) -> Markup {
    page(
        "爱心家庭申请",
        ctx,
        html! {
            @if items.is_empty() {
                p { "目前没有申请。" }
            } @else {
                table {
                    thead { tr { th { "家庭" } th { "乡镇（街道）" } th { "状态" } th { "提交时间" } } }
                    tbody {
                        @for f in items {
                            tr {
                                td { a href={ "/families/" (f.id) } { (f.household_name) } }
                                td { (township_name(&f.township_code)) }
                                td { (badge(&f.status, status_label(&f.status))) }
                                td { (f.created_at.format("%Y-%m-%d")) }
                            }
                        }
                    }
                }
            }
            (pagination("/families", total, limit, offset))
        },
    )
}

pub fn detail(ctx: &PageCtx<'_>, f: &family::Model, township: &str) -> Markup {
    let care: Vec<&str> = care_types_of(f).iter().map(|c| c.label()).collect();
    page(
        &f.household_name,
        ctx,
        html! {
            dl.facts {
                dt { "状态" } dd { (badge(&f.status, status_label(&f.status))) }
                dt { "乡镇（街道）" } dd { (township) }
                dt { "家庭常住人口" } dd { (f.members) }
                dt { "住房情况" } dd { (f.housing) }
                dt { "联系电话" } dd { (f.contact_phone) }
                dt { "愿意提供" } dd { (care.join("、")) }
                dt { "提交时间" } dd { (f.created_at.format("%Y-%m-%d %H:%M")) " (UTC)" }
            }
            p.hint { "上门走访评估和审批将在后续版本开通。" }
            p { a href="/families" { "返回列表" } }
        },
    )
}
