//! The allocation plan page (分配方案): how far the plan and first come,
//! first served get, and the proposed pairs, each with a form that proposes
//! it as a match for the officer to review one by one.

use crate::views::status::status_badge;
use maud::{Markup, html};

use crate::services::allocation::{Allocation, ByUrgency, Pending};

use super::components::{csrf_field, local_time, pagination};
use super::layout::{PageCtx, page, page_refreshing};

/// Seconds before the progress page reloads itself.
const REFRESH: u32 = 2;

/// The plan is being computed: how far, reloading until it is ready.
pub fn pending(ctx: &PageCtx<'_>, p: &Pending) -> Markup {
    page_refreshing(
        "分配方案",
        ctx,
        Some(REFRESH),
        html! {
            p role="status" {
                "正在按最新数据计算全县分配方案（" (local_time(&p.started_at)) " 开始），"
                "本页每 " (REFRESH) " 秒自动刷新，完成后显示结果。"
            }
            @if p.retrying {
                p.flash { "上次计算未能完成，正在重新计算。" }
            }
            p {
                label for="allocation-progress" { "当前步骤：" (p.phase.label()) " " }
                progress #allocation-progress max="100" value=(p.percent) { (p.percent) "%" }
                " " (p.percent) "%"
            }
            p.hint { a href="/allocation" { "立即刷新" } }
        },
    )
}

/// The note a match proposed from the plan carries.
pub const NOTE: &str = "分配方案建议";

fn row(label: &str, wanted: u64, plan: u64, greedy: u64) -> Markup {
    html! {
        tr {
            th scope="row" { (label) }
            td { (wanted) }
            td { (plan) }
            td { (greedy) }
        }
    }
}

fn rows(wanted: &ByUrgency, plan: &ByUrgency, greedy: &ByUrgency) -> Markup {
    html! {
        (row("特别紧急", wanted.critical, plan.critical, greedy.critical))
        (row("紧急", wanted.urgent, plan.urgent, greedy.urgent))
        (row("一般", wanted.normal, plan.normal, greedy.normal))
        (row("合计", wanted.total(), plan.total(), greedy.total()))
    }
}

pub fn allocation(
    ctx: &PageCtx<'_>,
    a: &Allocation,
    township_name: &dyn Fn(&str) -> String,
    limit: u64,
    offset: u64,
) -> Markup {
    page(
        "分配方案",
        ctx,
        html! {
            p {
                "按“特别紧急优先、再尽量多覆盖”的原则，在全县范围内为尚未对接的需求统筹分配服务名额，避免同一名额被多个乡镇重复安排。"
                "方案仅为建议：请逐条核对，点击“推荐该对接”后才会生成对接，仍需按流程审批。"
            }
            p.hint {
                "计算时间 " (local_time(&a.computed_at)) "；"
                "范围内待对接需求 " (a.needs) " 项，可用服务 " (a.offers) " 项（全县）；"
                "数据有变动时自动重新计算。"
            }
            table.coverage {
                caption { "覆盖名额对比：分配方案与先到先得" }
                thead { tr { th scope="col" { "紧急程度" } th scope="col" { "待覆盖" } th scope="col" { "分配方案" } th scope="col" { "先到先得" } } }
                tbody { (rows(&a.wanted, &a.plan.places, &a.greedy.places)) }
            }
            p.hint {
                "完全满足的需求：分配方案 " (a.plan.needs) " 项，先到先得 " (a.greedy.needs) " 项。"
            }
            h2 { "建议的对接（" (a.pairs.total) "）" }
            @if a.pairs.items.is_empty() {
                p { "目前没有可建议的对接。" }
            } @else {
                table.listing.pairs {
                    thead { tr { th { "需求" } th { "乡镇（街道）" } th { "紧急程度" } th { "服务" } th { "操作" } } }
                    tbody {
                        @for p in &a.pairs.items {
                            tr {
                                td data-label="需求" { a href={ "/needs/" (p.need_id) } { (p.need_title) } " " span.code { (p.need_code) } }
                                td data-label="乡镇（街道）" { (township_name(&p.township)) }
                                td data-label="紧急程度" { (status_badge(p.urgency)) }
                                td data-label="服务" { a href={ "/offers/" (p.offer_id) } { (p.offer_title) } "（" (p.owner_name) "）" }
                                td data-label="操作" {
                                    form.inline method="post" action="/matches" {
                                        (csrf_field(ctx.csrf))
                                        input type="hidden" name="need_code" value=(p.need_code);
                                        input type="hidden" name="offer_id" value=(p.offer_id);
                                        input type="hidden" name="note" value=(NOTE);
                                        button type="submit" { "推荐该对接" }
                                    }
                                }
                            }
                        }
                    }
                }
                (pagination("/allocation", a.pairs.total, limit, offset))
            }
        },
    )
}
