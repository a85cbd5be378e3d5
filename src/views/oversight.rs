//! Oversight pages: the dashboard of a scope (figures with the county
//! median, indicators, ranking, charts), the printable monthly bulletin,
//! the ledger export form; the public statistics are in [`public`].

pub mod public;

use maud::{Markup, html};

use crate::domain::indicator::Light;
use crate::domain::period::Period;
use crate::services::oversight::dashboard::{
    Bulletin, Change, Dashboard, IndicatorRow, RankRow, TREND_CHARTS,
};
use crate::services::oversight::snapshot::ClassBasis;
use crate::services::regions::Township;

use super::charts::{self, Line, number};
use super::components::{badge, csrf_field, local_time};
use super::layout::{PageCtx, page, page_refreshing};
use super::status::Tone;

/// A light as a badge: in words and with a shape, never by colour alone.
pub fn light_badge(light: Light) -> Markup {
    let (tone, mark) = match light {
        Light::Green => (Tone::Good, "●"),
        Light::Amber => (Tone::Urgent, "▲"),
        Light::Red => (Tone::Refused, "■"),
        Light::NoData => (Tone::Ended, "○"),
    };
    badge(tone, &format!("{mark} {}", light.label()))
}

fn value_text(value: Option<f64>, unit: &str) -> String {
    match value {
        Some(v) => format!("{}{unit}", number(v)),
        None => "暂无记录".to_owned(),
    }
}

fn indicator_table(rows: &[IndicatorRow]) -> Markup {
    html! {
        table.compact {
            thead { tr { th { "督查指标" } th { "目标" } th { "本期" } th { "评价" } } }
            tbody {
                @for r in rows {
                    tr {
                        td { (r.indicator.measure.label()) }
                        td { (r.indicator.target_text()) }
                        td.num { (value_text(r.value, r.indicator.measure.unit())) }
                        td { (light_badge(r.light)) }
                    }
                }
            }
        }
    }
}

fn ranking_table(rows: &[RankRow]) -> Markup {
    let measures: Vec<_> = rows
        .first()
        .map(|r| r.rows.iter().map(|i| i.indicator.measure).collect())
        .unwrap_or_default();
    html! {
        table.compact.ranking {
            thead {
                tr {
                    th { "名次" } th { "乡镇（街道）" } th { "得分" }
                    @for m in &measures { th { (m.label()) } }
                }
            }
            tbody {
                @for r in rows {
                    tr {
                        td.num { (r.rank) }
                        td { (r.name) }
                        td.num { (r.points) }
                        @for i in &r.rows {
                            td { (value_text(i.value, i.indicator.measure.unit())) " " (light_badge(i.light)) }
                        }
                    }
                }
            }
        }
    }
}

fn period_form(d: &Dashboard, townships: &[Township], county: bool) -> Markup {
    html! {
        form.filters method="get" action="/oversight" {
            label for="period" { "统计期" }
            input #period name="period" value=(d.period.code()) placeholder="2026-11、2026-Q3 或 2026";
            @if county {
                label for="township" { "范围" }
                select #township name="township" {
                    option value="" selected[d.scope.township().is_none()] { "全县" }
                    @for t in townships {
                        option value=(t.code) selected[d.scope.township() == Some(t.code.as_str())] { (t.name) }
                    }
                }
            }
            button type="submit" { "查看" }
            p.hint { "按月（如 2026-11）、按季度（如 2026-Q3）或按年（如 2026）统计。" }
        }
    }
}

/// The dashboard page.
pub fn dashboard(ctx: &PageCtx<'_>, d: &Dashboard, townships: &[Township], county: bool) -> Markup {
    let township_scope = d.scope.township().is_some();
    let months: Vec<String> = d
        .trend_months
        .iter()
        .map(|m| match m {
            Period::Month { month, .. } => format!("{month}月"),
            other => other.label(),
        })
        .collect();
    // One chart per group of series that share a unit and a scale.
    let trend_charts: Vec<(&str, &str, &str, Vec<Line<'_>>)> = TREND_CHARTS
        .iter()
        .map(|(id, title, unit)| {
            let lines = d
                .trend
                .iter()
                .filter(|s| s.chart == *id)
                .map(|s| Line {
                    label: s.label,
                    values: &s.values,
                })
                .collect();
            (*id, *title, *unit, lines)
        })
        .collect();
    page(
        "督查看板",
        ctx,
        html! {
            p.lead { strong { (d.scope_name) } " · " (d.period.label()) }
            p.hint { "数据截至 " (local_time(&d.computed_at)) "（后台定时统计，数据变动后至多10分钟更新）" }
            (period_form(d, townships, county))
            p.actions {
                @if county { a href={ "/oversight/bulletin?period=" (Period::month_of(d.period.start()).code()) } { "月度通报" } " · " }
                a href="/oversight/ledger" { "导出台账" }
                " · " a href={ "/api/v1/dashboard?period=" (d.period.code()) @if let Some(t) = d.scope.township() { "&township=" (t) } } { "数据（JSON）" }
            }
            section {
                h2 { "主要数据" }
                table.compact {
                    thead { tr { th { "项目" } th { (d.scope_name) } @if township_scope { th { "全县各乡镇中位数" } } } }
                    tbody {
                        @for h in &d.headline {
                            tr {
                                td { (h.figure.label) }
                                td.num { (value_text(h.figure.value, h.figure.unit)) }
                                @if township_scope { td.num { (value_text(h.county_median, h.figure.unit)) } }
                            }
                        }
                    }
                }
                p.hint { "在档儿童和走访覆盖率为统计期末的数据（本期未结束时为当前）；超期、待审批、应享未享、爱心家庭为当前数据；其余为所选统计期内的数据。“暂无记录”表示本期没有可统计的事项。" }
            }
            section {
                h2 { "督查指标" }
                (indicator_table(&d.indicators))
                @if !d.ranking.is_empty() {
                    h3 { @if township_scope { "本乡镇名次" } @else { "乡镇排名" } }
                    (ranking_table(&d.ranking))
                    p.hint { "达标得2分，预警得1分，未达标或无数据不得分。" }
                }
            }
            section.charts {
                h2 { "图表" }
                (charts::bars("by-class", "在档儿童（按困境大类）", "人",
                    &d.by_class.iter().map(|(c, n)| (c.label().to_owned(), *n as f64)).collect::<Vec<_>>()))
                (charts::bars("by-band", "在档儿童（按年龄段）", "人",
                    &d.by_band.iter().map(|(b, n)| (b.map_or("待核定", |b| b.label()).to_owned(), *n as f64)).collect::<Vec<_>>()))
                p.hint { (class_basis_text(d.class_basis)) }
                (charts::bars("providers", "服务机构（按状态，全县）", "家",
                    &d.providers.iter().map(|(s, n)| (s.label().to_owned(), *n as f64)).collect::<Vec<_>>()))
            }
            section.charts {
                h2 { "近12个月趋势" }
                p.hint { "在档儿童和走访覆盖率按各月末（当月未结束时按当前）统计；需求按发布月份统计其当前状态；其余按发生月份统计。“—”表示当月没有可统计的事项。" }
                @for (id, title, unit, lines) in &trend_charts {
                    (charts::lines(id, title, unit, &months, lines))
                }
            }
        },
    )
}

/// What the children by class and band were counted by, in words.
fn class_basis_text(basis: ClassBasis) -> String {
    match basis {
        ClassBasis::Running => "按档案当前的困境类别和年龄段统计（本期尚未结束）。".to_owned(),
        ClassBasis::Snapshot { taken_at } => format!(
            "按期末留存的统计快照（{}）中各档案当时的困境类别和月末年龄统计。",
            local_time(&taken_at)
        ),
        ClassBasis::Current => "本期末未留存统计快照：期末在档的儿童按其档案当前的困境类别和年龄段统计，与当时可能有出入。".to_owned(),
    }
}

fn change_line(c: &Change) -> Markup {
    let unit = c.indicator.measure.unit();
    html! {
        li {
            (c.name) "：" (c.indicator.measure.label()) " 由 " (value_text(c.before, unit))
            " 变为 " (value_text(c.after, unit)) " " (light_badge(c.light))
        }
    }
}

/// The monthly bulletin (A4 print stylesheet: `.bulletin`).
pub fn bulletin(ctx: &PageCtx<'_>, b: &Bulletin) -> Markup {
    let title = format!("困境儿童关爱服务工作通报（{}）", b.period.label());
    page(
        &title,
        ctx,
        html! {
            article.bulletin {
                form.filters.no-print method="get" action="/oversight/bulletin" {
                    label for="period" { "月份" }
                    input #period name="period" value=(b.period.code()) placeholder="2026-11";
                    button type="submit" { "查看" }
                    " 打印本页即得A4通报。"
                }
                p.hint { "数据截至 " (local_time(&b.computed_at)) }
                p { "云阳县民政局 " (b.period.label()) " 督查通报。以下按县定督查指标对各乡镇（街道）本月工作进行评价，并与上月比较。" }
                h2 { "一、全县情况" }
                (indicator_table(&b.county))
                h2 { "二、乡镇（街道）排名" }
                (ranking_table(&b.ranking))
                h2 { "三、进步情况" }
                @if b.improved.is_empty() { p { "本月无评价等级提升的指标。" } }
                @else { ul { @for c in &b.improved { (change_line(c)) } } }
                h2 { "四、退步情况" }
                @if b.slipped.is_empty() { p { "本月无评价等级下降的指标。" } }
                @else { ul { @for c in &b.slipped { (change_line(c)) } } }
                p.hint { "评价：● 达标，▲ 预警，■ 未达标，○ 无数据。" }
            }
        },
    )
}

/// The ledger export form; `county`: the identity option is offered.
pub fn ledger_form(
    ctx: &PageCtx<'_>,
    townships: &[Township],
    county: bool,
    error: Option<&str>,
) -> Markup {
    page(
        "导出信息台账",
        ctx,
        html! {
            p { "台账每个儿童档案一行：档案编号、乡镇、困境类型及详情、监护与就学情况、享受保障、需求与对接、最近走访。导出会记入审计日志。" }
            @if let Some(e) = error { p.error role="alert" { (e) } }
            form method="post" action="/oversight/ledger" {
                (csrf_field(ctx.csrf))
                @if county {
                    label for="township" { "范围" }
                    select #township name="township" {
                        option value="" { "全县" }
                        @for t in townships { option value=(t.code) { (t.name) } }
                    }
                }
                fieldset {
                    legend { "格式" }
                    label { input type="radio" name="format" value="csv" checked; " CSV（Excel 可直接打开）" }
                    label { input type="radio" name="format" value="xlsx"; " Excel 工作簿（.xlsx）" }
                }
                @if county {
                    fieldset {
                        legend { "身份信息" }
                        label { input type="checkbox" name="include_identity" value="1"; " 包含姓名、身份证号码等身份信息" }
                        label for="purpose" { "用途（包含身份信息时必填）" }
                        input #purpose name="purpose" maxlength="200";
                        p.hint { "默认不含身份信息。包含身份信息的导出须写明用途，连同行数记入审计日志。" }
                    }
                }
                button type="submit" { "导出" }
            }
        },
    )
}

/// The figures of a page are still being computed: a page that reloads
/// itself (no JavaScript).
pub fn computing(ctx: &PageCtx<'_>, title: &str) -> Markup {
    page_refreshing(
        title,
        ctx,
        Some(3),
        html! {
            p.lead { "正在统计，请稍候……" }
            p.hint { "首次查看该统计期时需要汇总全县数据，本页会自动刷新。" }
        },
    )
}
