//! Provider registration form, the county's verification queue and a provider's page.

use crate::views::status::status_badge;
use maud::{Markup, html};

use crate::domain::Invalid;
use crate::domain::provider::ProviderKind;
use crate::services::providers::{ProviderActions, ProviderView, RegistrationInput};

use super::components::{
    FieldLabels, checkboxes, csrf_field, error_summary, pagination, select, text_area, text_field,
};
use super::layout::{PageCtx, page};

/// The fields of the form, for its error summary.
const REGISTRATION_LABELS: &FieldLabels = &[
    ("kind", "机构类型"),
    ("name", "机构名称"),
    ("credit_code", "统一社会信用代码"),
    ("contact_name", "联系人"),
    ("contact_phone", "联系电话"),
    ("townships", "服务的乡镇（街道）"),
    ("description", "机构简介与可提供的服务"),
    ("username", "用户名"),
    ("password", "密码"),
    ("password_confirm", "再次输入密码"),
];

pub fn registration_form(
    ctx: &PageCtx<'_>,
    input: &RegistrationInput,
    townships: &[(String, String)],
    errors: &Invalid,
) -> Markup {
    let kinds: Vec<(String, String)> = ProviderKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), k.label().to_owned()))
        .collect();
    page(
        "服务机构注册",
        ctx,
        html! {
            p { "注册后由县民政局审核。审核通过后，机构可以发布帮扶项目、查看匿名化的儿童需求。" }
            (error_summary(errors, REGISTRATION_LABELS))
            form.card method="post" action="/register/provider" novalidate {
                (csrf_field(ctx.csrf))
                (select("kind", "机构类型", &kinds, &input.kind, errors))
                (text_field("name", "机构名称", "text", &input.name, errors, None, true))
                (text_field("credit_code", "统一社会信用代码", "text", input.credit_code.as_deref().unwrap_or(""), errors,
                    Some("18位，慈善组织、社工机构和企业必填；工会、共青团志愿服务队等没有的可不填"), false))
                (text_field("contact_name", "联系人", "text", &input.contact_name, errors, None, true))
                (text_field("contact_phone", "联系电话", "tel", &input.contact_phone, errors, None, true))
                (checkboxes("townships", "服务的乡镇（街道）", townships, &input.townships, errors))
                (text_area("description", "机构简介与可提供的服务", &input.description, errors, None))
                h2 { "登录账号" }
                (text_field("username", "用户名", "text", &input.username, errors, Some("3至32位英文字母、数字或 _ . -"), true))
                (text_field("password", "密码", "password", "", errors, Some("至少8位，不能是常见密码；可以用一句好记的话"), true))
                (text_field("password_confirm", "再次输入密码", "password", "", errors, None, true))
                button type="submit" { "提交注册" }
            }
        },
    )
}

pub fn queue(
    ctx: &PageCtx<'_>,
    status: Option<&str>,
    items: &[ProviderView],
    total: u64,
    limit: u64,
    offset: u64,
) -> Markup {
    let base = match status {
        Some(s) => format!("/providers?status={s}"),
        None => "/providers".to_owned(),
    };
    page(
        "服务机构",
        ctx,
        html! {
            nav.tabs aria-label="按状态筛选" {
                a href="/providers?status=pending" aria-current=[(status == Some("pending")).then_some("page")] { "待审核" }
                a href="/providers?status=verified" aria-current=[(status == Some("verified")).then_some("page")] { "已认证" }
                a href="/providers?status=rejected" aria-current=[(status == Some("rejected")).then_some("page")] { "未通过" }
                a href="/providers" aria-current=[status.is_none().then_some("page")] { "全部" }
            }
            @if items.is_empty() {
                p { "没有符合条件的机构。" }
            } @else {
                table {
                    thead { tr { th { "机构名称" } th { "类型" } th { "状态" } th { "注册时间" } } }
                    tbody {
                        @for item in items {
                            tr {
                                td { a href={ "/providers/" (item.provider.id) } { (item.provider.name) } }
                                td { (item.provider.kind.label()) }
                                td { (status_badge(item.provider.status)) }
                                td { (crate::views::components::local_date(&item.provider.created_at)) }
                            }
                        }
                    }
                }
            }
            (pagination(&base, total, limit, offset))
        },
    )
}

pub fn detail(
    ctx: &PageCtx<'_>,
    view: &ProviderView,
    township_names: &[String],
    may: ProviderActions,
    errors: &Invalid,
) -> Markup {
    let p = &view.provider;
    page(
        &p.name,
        ctx,
        html! {
            dl.facts {
                dt { "状态" } dd { (status_badge(p.status)) }
                dt { "类型" } dd { (p.kind.label()) }
                dt { "统一社会信用代码" } dd { (p.credit_code.as_deref().unwrap_or("（无）")) }
                dt { "联系人" } dd { (p.contact_name) }
                dt { "联系电话" } dd { (p.contact_phone) }
                dt { "服务乡镇（街道）" } dd { (township_names.join("、")) }
                dt { "简介" } dd { (p.description) }
                @if let Some(reason) = &p.decision_reason { dt { "审核意见" } dd { (reason) } }
            }
            @if may.verify_or_reject || may.suspend {
                (error_summary(errors, &[("reason", "审核意见"), ("decision", "审核结论")]))
                @if may.verify_or_reject {
                    form.card method="post" action={ "/providers/" (p.id) "/decision" } {
                        (csrf_field(ctx.csrf))
                        div.field.has-error[errors.message_for("reason").is_some()] {
                            label for="reason" { "审核意见（不通过时必填，机构可以看到）" }
                            textarea id="reason" name="reason" rows="3" {}
                            @if let Some(e) = errors.message_for("reason") { p.error { (e) } }
                        }
                        button type="submit" name="decision" value="verify" { "审核通过" }
                        " "
                        button.secondary type="submit" name="decision" value="reject" { "不予通过" }
                    }
                }
                @if may.suspend {
                    form.card method="post" action={ "/providers/" (p.id) "/decision" } {
                        (csrf_field(ctx.csrf))
                        div.field {
                            label for="reason" { "暂停理由（必填，机构可以看到）" }
                            textarea id="reason" name="reason" rows="3" required {}
                        }
                        button.secondary type="submit" name="decision" value="suspend" { "暂停该机构" }
                    }
                }
            }
            p { a href="/providers" { "返回机构列表" } }
        },
    )
}
