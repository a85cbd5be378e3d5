//! Offer pages: the owner's list, the public page of one offer with the
//! owner's actions, and the form in [`form`]. An offer is public: these
//! pages show what its owner typed and nothing of any child.

pub mod form;

use maud::{Markup, html};

use crate::db::entities::offer;
use crate::domain::Invalid;
use crate::domain::offer::OfferStatus;
use crate::services::offers::{OfferActions, OfferView};

use super::components::{csrf_field, error_summary, pagination, text_area_with};
use super::layout::{PageCtx, page};

/// How an offer serving every township shows its area.
pub const WHOLE_COUNTY: &str = "全县";

/// "剩余 3 / 共 10 人".
pub fn remaining_text(o: &offer::Model) -> String {
    format!(
        "剩余 {} / 共 {} {}",
        o.remaining,
        o.capacity,
        o.category.quantity_unit()
    )
}

pub fn ages_text(o: &offer::Model) -> String {
    let min = o.age_min.unwrap_or(0);
    let max = o.age_max.unwrap_or(17);
    if min == 0 && max == 17 {
        "0–17岁（不限）".to_owned()
    } else {
        format!("{min}–{max}岁")
    }
}

fn dates_text(o: &offer::Model) -> String {
    use super::components::day;
    match (o.starts_on, o.ends_on) {
        (Some(s), Some(e)) => format!("{} 至 {}", day(s), day(e)),
        (Some(s), None) => format!("{} 起，长期", day(s)),
        (None, Some(e)) => format!("即日起至 {}", day(e)),
        (None, None) => "长期".to_owned(),
    }
}

use super::status::status_badge;

/// The state buttons an owner has (pause or resume), as allowed.
fn move_buttons(ctx: &PageCtx<'_>, id: &str, actions: OfferActions) -> Markup {
    html! {
        @if actions.pause {
            form.inline method="post" action={ "/offers/" (id) "/pause" } {
                (csrf_field(ctx.csrf))
                button.secondary.small type="submit" { "暂停" }
            }
        }
        @if actions.resume {
            form.inline method="post" action={ "/offers/" (id) "/resume" } {
                (csrf_field(ctx.csrf))
                button.small type="submit" { "恢复" }
            }
        }
    }
}

/// One page of the owner's offers, each with what the owner may do.
pub struct MyOffers<'a> {
    pub items: &'a [(OfferView, OfferActions)],
    pub status: Option<OfferStatus>,
    pub total: u64,
    pub limit: u64,
    pub offset: u64,
}

fn status_tabs(status: Option<OfferStatus>) -> Markup {
    html! {
        nav.tabs aria-label="按状态筛选" {
            @for s in OfferStatus::ALL {
                a href={ "/offers/mine?status=" (s.as_str()) } aria-current=[(status == Some(*s)).then_some("page")] { (s.label()) }
            }
            a href="/offers/mine" aria-current=[status.is_none().then_some("page")] { "全部" }
        }
    }
}

pub fn mine(ctx: &PageCtx<'_>, data: &MyOffers<'_>, area: &dyn Fn(&OfferView) -> String) -> Markup {
    let base = match data.status {
        Some(s) => format!("/offers/mine?status={}", s.as_str()),
        None => "/offers/mine".to_owned(),
    };
    page(
        "我的服务",
        ctx,
        html! {
            p.actions {
                a.button href="/offers/new" { "发布新服务" }
                a href="/search" { "搜索服务和需求" }
            }
            (status_tabs(data.status))
            @if data.items.is_empty() {
                p { @if data.status.is_some() { "没有这个状态的服务。" } @else { "您还没有发布服务。点击“发布新服务”，写明能为困境儿童提供什么帮助。" } }
            } @else {
                table.listing {
                    thead { tr { th { "服务" } th { "类别" } th { "状态" } th { "名额" } th { "服务地区" } th { "操作" } } }
                    tbody {
                        @for (v, actions) in data.items {
                            @let o = &v.offer;
                            @let status = v.status();
                            tr {
                                td data-label="服务" { a href={ "/offers/" (o.id) } { (o.title) } }
                                td data-label="类别" { (o.category.label()) }
                                td data-label="状态" { (status_badge(status)) }
                                td data-label="名额" { (remaining_text(o)) }
                                td data-label="服务地区" { (area(v)) }
                                td data-label="操作" {
                                    div.actions {
                                        @if actions.edit {
                                            a href={ "/offers/" (o.id) "/edit" } { "编辑" }
                                        }
                                        (move_buttons(ctx, &o.id, *actions))
                                    }
                                }
                            }
                        }
                    }
                }
            }
            (pagination(&base, data.total, data.limit, data.offset))
        },
    )
}

/// The public page of one offer; the owner also gets the actions.
pub struct OfferPage<'a> {
    pub view: &'a OfferView,
    /// Township names, or [`WHOLE_COUNTY`].
    pub area: &'a str,
    /// What the viewer may do (nothing unless it owns the offer).
    pub actions: OfferActions,
    /// The closing reason as typed, when closing was refused.
    pub reason: &'a str,
    pub close_errors: &'a Invalid,
}

fn owner_actions(ctx: &PageCtx<'_>, data: &OfferPage<'_>) -> Markup {
    let o = &data.view.offer;
    let actions = data.actions;
    html! {
        @if actions.edit {
            section.card aria-label="管理服务" {
                h2 { "管理服务" }
                p.hint { "暂停后服务不会出现在搜索结果中，也不接受新的对接，随时可以恢复；结束后不能再修改或恢复。" }
                div.actions {
                    a.button href={ "/offers/" (o.id) "/edit" } { "编辑" }
                    (move_buttons(ctx, &o.id, actions))
                }
            }
        }
        @if actions.close {
            details.card open[!data.close_errors.is_empty()] {
                summary { "结束服务" }
                form method="post" action={ "/offers/" (o.id) "/close" } {
                    (csrf_field(ctx.csrf))
                    (error_summary(data.close_errors, &[("reason", "结束原因")]))
                    (text_area_with("reason", "结束原因", data.reason, data.close_errors,
                        Some("可不填，例如：名额已满、项目期满"), false))
                    button.secondary type="submit" { "确认结束" }
                }
            }
        }
        @if actions.propose {
            p { a href={ "/offers/" (o.id) "/suggestions" } { "查看适合的需求" } }
            (super::matches::propose_card(ctx, super::matches::ProposeFrom::Offer { id: &o.id, title: &o.title }))
        }
        p { a href="/offers/mine" { "返回我的服务" } }
    }
}

pub fn detail(ctx: &PageCtx<'_>, data: &OfferPage<'_>) -> Markup {
    let o = &data.view.offer;
    let status = data.view.status();
    page(
        &o.title,
        ctx,
        html! {
            dl.facts {
                dt { "发布方" } dd { (o.owner_name) }
                dt { "类别" } dd { (o.category.label()) }
                dt { "状态" } dd { (status_badge(status)) }
                dt { "服务内容" } dd.text { (o.description) }
                dt { "名额" } dd { (remaining_text(o)) }
                dt { "服务地区" } dd { (data.area) }
                dt { "适合年龄" } dd { (ages_text(o)) }
                dt { "服务期限" } dd { (dates_text(o)) }
                @if let Some(schedule) = &o.schedule { dt { "时间安排" } dd.text { (schedule) } }
                @if let Some(reason) = &o.closed_reason { dt { "结束原因" } dd { (reason) } }
            }
            @if data.actions.mine {
                (owner_actions(ctx, data))
            } @else {
                p.hint { "服务与儿童需求的对接，由乡镇（街道）民政干部审核；儿童的身份信息不会公开。" }
                p { a href="/search" { "搜索更多服务" } }
            }
        },
    )
}
