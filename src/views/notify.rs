//! The account page (账户设置): notification settings — the e-mail
//! address and whether it is confirmed, the SMS phone, the channels per
//! inbox kind, and the daily digest — and the e-mail confirmation page.

use maud::{Markup, html};

use crate::domain::Invalid;
use crate::domain::notification::{Channel, Digest};
use crate::services::notify::Preferences;

use super::components::{FieldLabels, csrf_field, error_summary, text_field};
use super::layout::{PageCtx, page};

const LABELS: &FieldLabels = &[
    ("email", "电子邮件地址"),
    ("sms", "接收短信的手机号码"),
    ("channels", "提醒方式"),
    ("digest", "汇总方式"),
    ("token", "确认链接"),
];

/// What the form shows: the settings, or what was typed when refused.
pub struct AccountForm<'a> {
    pub prefs: &'a Preferences,
    pub email: &'a str,
    pub sms: &'a str,
    pub errors: &'a Invalid,
}

pub fn account_page(ctx: &PageCtx<'_>, form: &AccountForm<'_>) -> Markup {
    let prefs = form.prefs;
    page(
        "账户设置",
        ctx,
        html! {
            h2 { "待办提醒" }
            p { "有新的待办时，童心桥可以通过电子邮件或短信提醒您。提醒中只写需求编号、服务名称、机构或家庭名称，从不写儿童的任何身份信息。" }
            (error_summary(form.errors, LABELS))
            form.card method="post" action="/account/notifications" novalidate {
                (csrf_field(ctx.csrf))
                (text_field("email", "电子邮件地址", "email", form.email, form.errors,
                    Some("填写或更换后，我们会发送一封确认邮件；确认前不会向该地址发送提醒。"), false))
                @if let Some(address) = &prefs.email {
                    p.status {
                        "当前地址 " (address) "："
                        @if prefs.email_confirmed { strong { "已确认" } } @else { strong { "待确认（请查收确认邮件）" } }
                    }
                }
                (text_field("sms", "接收短信的手机号码", "tel", form.sms, form.errors,
                    Some("选择“短信”方式的待办会发送到这个号码。"), false))
                fieldset.field.has-error[form.errors.message_for("channels").is_some()] id="channels" {
                    legend { "每类待办的提醒方式" }
                    @if let Some(error) = form.errors.message_for("channels") { p.error { (error) } }
                    table.listing {
                        thead { tr { th { "待办类型" } @for c in Channel::ALL { th { (c.label()) } } } }
                        tbody {
                            @for kind in prefs.kinds {
                                @let chosen = prefs.channels.for_kind(*kind);
                                tr {
                                    td data-label="待办类型" { (kind.label()) }
                                    @for c in Channel::ALL {
                                        td data-label=(c.label()) {
                                            label.check {
                                                input type="checkbox" name={ "ch_" (kind.as_str()) } value=(c.as_str()) checked[chosen.contains(&c)];
                                                " " (c.label())
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                fieldset.field id="digest" {
                    legend { "汇总方式" }
                    label.check {
                        input type="radio" name="digest" value="none" checked[prefs.digest == Digest::None];
                        " 每有新待办即时提醒"
                    }
                    label.check {
                        input type="radio" name="digest" value="daily" checked[prefs.digest == Digest::Daily];
                        " 每天汇总发送一次"
                    }
                }
                button type="submit" { "保存提醒设置" }
            }
        },
    )
}

/// The page the confirmation link opens: one button that confirms.
pub fn confirm_page(ctx: &PageCtx<'_>, token: &str, errors: &Invalid) -> Markup {
    page(
        "确认电子邮件地址",
        ctx,
        html! {
            (error_summary(errors, LABELS))
            @if errors.is_empty() {
                p { "请点击下面的按钮，确认用这个电子邮件地址接收童心桥的待办提醒。" }
            }
            form.card method="post" action="/account/email/confirm" {
                (csrf_field(ctx.csrf))
                input type="hidden" name="token" value=(token);
                button type="submit" { "确认电子邮件地址" }
            }
            p { a href="/account" { "返回账户设置" } }
        },
    )
}
