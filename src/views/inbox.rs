//! The inbox page (待办): counts by kind, then every waiting item oldest
//! first, overdue ones marked in words and by a class.

use maud::{Markup, html};

use crate::services::inbox::Inbox;

use super::components::pagination;
use super::layout::{PageCtx, page};

pub fn inbox(ctx: &PageCtx<'_>, inbox: &Inbox, limit: u64, offset: u64) -> Markup {
    let total = inbox.counts.total();
    let overdue = inbox.counts.overdue();
    page(
        "待办",
        ctx,
        html! {
            @if total == 0 {
                p { "目前没有待办事项。" }
            } @else {
                p.summary {
                    "共 " (total) " 项待办"
                    @if overdue > 0 {
                        "，其中 " strong { (overdue) } " 项已等待超过 " (inbox.overdue_days) " 天"
                    }
                    "。"
                }
                ul.inbox-counts {
                    @for k in inbox.counts.kinds.iter().filter(|k| k.waiting > 0) {
                        li {
                            (k.kind.label()) "：" (k.waiting)
                            @if k.overdue > 0 { "（超期 " (k.overdue) "）" }
                        }
                    }
                }
                table.listing.inbox {
                    thead { tr { th { "事项" } th { "开始等待" } th { "状态" } } }
                    tbody {
                        @for item in &inbox.items {
                            tr.overdue[item.overdue] {
                                td data-label="事项" { a href=(item.url) { (item.label) } }
                                td data-label="开始等待" {
                                    (crate::views::components::local_date(&item.since)) "（已等待 " (item.waiting_days) " 天）"
                                }
                                td data-label="状态" {
                                    @if item.overdue {
                                        span.badge.badge-overdue { "已超过" (inbox.overdue_days) "天" }
                                    } @else {
                                        span.badge { "待处理" }
                                    }
                                }
                            }
                        }
                    }
                }
                (pagination("/inbox", total, limit, offset))
            }
        },
    )
}
