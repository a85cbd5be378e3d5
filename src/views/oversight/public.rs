//! The public statistics page (公开统计): figures under k shown as "<k",
//! figures hidden to protect them as "*", for one fixed quarter.

use chrono::{DateTime, Utc};
use maud::{Markup, html};

use crate::domain::disclosure::Figure;
use crate::services::oversight::stats::PublicStats;

use super::super::charts::{self, number};
use super::super::components::local_time;
use super::super::layout::{PageCtx, page};

/// The public statistics page.
pub fn stats_page(ctx: &PageCtx<'_>, s: &PublicStats, computed_at: &DateTime<Utc>) -> Markup {
    let k = s.k;
    let shown = |f: Figure| f.display(k);
    // The chart draws only what the table shows: hidden figures are left out.
    let bars: Vec<(String, f64)> = s
        .townships
        .iter()
        .zip(&s.children.row_totals)
        .filter_map(|((_, name), f)| f.value().map(|v| (name.clone(), v as f64)))
        .collect();
    page(
        &format!("公开统计 · {}", s.period.label()),
        ctx,
        html! {
            p { "本页公布全县困境儿童关爱服务的汇总数据，统计期为最近一个完整季度（" (s.period.label()) "）。" }
            p.hint { "数据截至 " (local_time(computed_at)) }
            p.hint {
                "为保护儿童隐私，少于" (k) "人的数字显示为“<" (k) "”；"
                "为防止由合计倒推出被隐去的数字，另有部分数字显示为“*”。"
            }
            section {
                h2 { "服务概况" }
                table.compact {
                    tbody {
                        tr { th scope="row" { "完成对接（满足需求）" } td.num { (shown(s.needs_met)) " 项" } }
                        tr { th scope="row" { "结案需求：完全满足" } td.num { (shown(s.needs_fully_met)) " 项" } }
                        tr { th scope="row" { "结案需求：部分满足" } td.num { (shown(s.needs_partly_met)) " 项" } }
                        tr { th scope="row" { "服务记录" } td.num { (s.services) " 次" } }
                        tr { th scope="row" { "志愿服务时长" } td.num { (number(s.volunteer_hours)) " 小时" } }
                        tr { th scope="row" { "合作服务机构" } td.num { (s.partner_organisations) " 家" } }
                    }
                }
            }
            section {
                h2 { "在档困境儿童（按乡镇和困境大类）" }
                table.stats {
                    thead {
                        tr {
                            th scope="col" { "乡镇（街道）" }
                            @for c in &s.classes { th scope="col" { (c.label()) } }
                            th scope="col" { "合计" }
                        }
                    }
                    tbody {
                        @for (r, (_, name)) in s.townships.iter().enumerate() {
                            tr {
                                th scope="row" { (name) }
                                @for f in &s.children.cells[r] { td.num { (shown(*f)) } }
                                td.num { (shown(s.children.row_totals[r])) }
                            }
                        }
                    }
                    tfoot {
                        tr {
                            th scope="row" { "全县" }
                            @for f in &s.children.column_totals { td.num { (shown(*f)) } }
                            td.num { (shown(s.children.grand_total)) }
                        }
                    }
                }
                (charts::bars("public-townships", "在档困境儿童（按乡镇，仅列公开的合计）", "人", &bars))
            }
            p { a href="/api/v1/stats" { "以 JSON 格式获取本页数据" } }
        },
    )
}
