//! Charts drawn on the server as SVG (no JavaScript, no chart crate: a few
//! bars and lines need only rectangles, polylines and text, and maud
//! writes those). Each chart sits in a `<figure>` with its numbers in a
//! table beside it, for screen readers and for copying.
//!
//! Greyscale-safe: series differ by lightness step, dash pattern and
//! marker shape, bars by hatching, never by hue alone; every bar carries
//! its value as text.

use maud::{Markup, html};

/// Lightness steps (dark to light) that stay distinct when printed grey.
const INKS: &[&str] = &["#1b1b1b", "#555555", "#8a8a8a", "#b5b5b5"];
/// Dash patterns of successive lines.
const DASHES: &[&str] = &["", "6 3", "2 3", "8 3 2 3"];

/// One series of a line chart; a `None` month has nothing to draw (the
/// line breaks there and the table says "—").
pub struct Line<'a> {
    pub label: &'a str,
    pub values: &'a [Option<f64>],
}

/// The runs of consecutive months with a value: (index, value) each.
fn runs(values: &[Option<f64>]) -> Vec<Vec<(usize, f64)>> {
    let mut out: Vec<Vec<(usize, f64)>> = Vec::new();
    let mut current = Vec::new();
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(v) if v.is_finite() => current.push((i, *v)),
            _ => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// A number as charts and tables show it: whole numbers without a point,
/// others with one decimal.
pub fn number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}

/// A rounded upper bound for an axis (1, 2 or 5 times a power of ten).
fn nice_max(max: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let power = 10f64.powf(max.log10().floor());
    for step in [1.0, 2.0, 5.0, 10.0] {
        if step * power >= max {
            return step * power;
        }
    }
    10.0 * power
}

/// The SVG hatch patterns of the bars (defined once per chart).
fn patterns(id: &str) -> Markup {
    html! {
        defs {
            pattern id={ (id) "-hatch" } width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)" {
                rect width="6" height="6" fill="#d9d9d9" {}
                line x1="0" y1="0" x2="0" y2="6" stroke="#1b1b1b" stroke-width="2" {}
            }
        }
    }
}

/// A horizontal bar chart of `rows` (label, value) with a table of the
/// same numbers. `id` must be unique on the page.
pub fn bars(id: &str, title: &str, unit: &str, rows: &[(String, f64)]) -> Markup {
    let max = nice_max(rows.iter().map(|(_, v)| *v).fold(0.0, f64::max));
    let (label_w, bar_w, row_h) = (130.0, 300.0, 26.0);
    let height = row_h * rows.len() as f64 + 24.0;
    let width = label_w + bar_w + 60.0;
    html! {
        figure.chart {
            figcaption #{ (id) "-title" } { (title) "（" (unit) "）" }
            svg role="img" aria-labelledby={ (id) "-title" } viewBox={ "0 0 " (width) " " (height) }
                width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" {
                (patterns(id))
                @for (i, (label, value)) in rows.iter().enumerate() {
                    @let y = row_h * i as f64 + 4.0;
                    @let w = if max > 0.0 { bar_w * value / max } else { 0.0 };
                    text x=(label_w - 6.0) y=(y + 15.0) text-anchor="end" font-size="12" { (label) }
                    rect x=(label_w) y=(y) width=(w) height=(row_h - 8.0)
                        fill={ "url(#" (id) "-hatch)" } stroke="#1b1b1b" stroke-width="1" {}
                    text x=(label_w + w + 4.0) y=(y + 15.0) font-size="12" { (number(*value)) }
                }
                line x1=(label_w) y1="0" x2=(label_w) y2=(height - 20.0) stroke="#1b1b1b" {}
                text x=(label_w) y=(height - 6.0) font-size="10" { "0" }
                text x=(label_w + bar_w) y=(height - 6.0) font-size="10" text-anchor="end" { (number(max)) }
            }
            table.chart-data.compact {
                caption.visually-hidden { (title) }
                thead { tr { th scope="col" { "项目" } th scope="col" { (unit) } } }
                tbody {
                    @for (label, value) in rows {
                        tr { th scope="row" { (label) } td.num { (number(*value)) } }
                    }
                }
            }
        }
    }
}

/// A line chart of `lines` over `labels` (months), with a table of the
/// same numbers. `id` must be unique on the page.
pub fn lines(id: &str, title: &str, unit: &str, labels: &[String], lines: &[Line<'_>]) -> Markup {
    let max = nice_max(
        lines
            .iter()
            .flat_map(|l| l.values.iter().flatten().copied())
            .fold(0.0, f64::max),
    );
    let (left, top, plot_w, plot_h) = (40.0, 10.0, 420.0, 160.0);
    let n = labels.len().max(1);
    let step = if n > 1 { plot_w / (n - 1) as f64 } else { 0.0 };
    let x = |i: usize| left + step * i as f64;
    let y = |v: f64| top + plot_h - plot_h * (v / max);
    let legend_y = top + plot_h + 34.0;
    let height = legend_y + 18.0 * lines.len() as f64 + 4.0;
    html! {
        figure.chart {
            figcaption #{ (id) "-title" } { (title) "（" (unit) "）" }
            svg role="img" aria-labelledby={ (id) "-title" } viewBox={ "0 0 " (left + plot_w + 20.0) " " (height) }
                width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" {
                // Axes and the top of the scale.
                line x1=(left) y1=(top) x2=(left) y2=(top + plot_h) stroke="#1b1b1b" {}
                line x1=(left) y1=(top + plot_h) x2=(left + plot_w) y2=(top + plot_h) stroke="#1b1b1b" {}
                line x1=(left) y1=(top) x2=(left + plot_w) y2=(top) stroke="#cccccc" stroke-dasharray="2 4" {}
                text x=(left - 4.0) y=(top + 4.0) text-anchor="end" font-size="10" { (number(max)) }
                text x=(left - 4.0) y=(top + plot_h) text-anchor="end" font-size="10" { "0" }
                @for (i, label) in labels.iter().enumerate() {
                    @if i % 2 == 0 || i + 1 == labels.len() {
                        text x=(x(i)) y=(top + plot_h + 14.0) text-anchor="middle" font-size="10" { (label) }
                    }
                }
                @for (s, line) in lines.iter().enumerate() {
                    @let ink = INKS[s % INKS.len()];
                    @let dash = DASHES[s % DASHES.len()];
                    @for run in runs(line.values) {
                        @let points = run.iter().map(|(i, v)| format!("{:.1},{:.1}", x(*i), y(*v))).collect::<Vec<_>>().join(" ");
                        polyline points=(points) fill="none" stroke=(ink) stroke-width="2" stroke-dasharray=(dash) {}
                        @for (i, v) in &run {
                            (marker(s, x(*i), y(*v), ink))
                        }
                    }
                    @let ly = legend_y + 18.0 * s as f64;
                    line x1=(left) y1=(ly) x2=(left + 30.0) y2=(ly) stroke=(ink) stroke-width="2" stroke-dasharray=(dash) {}
                    (marker(s, left + 15.0, ly, ink))
                    text x=(left + 38.0) y=(ly + 4.0) font-size="11" { (line.label) }
                }
            }
            table.chart-data.compact {
                caption.visually-hidden { (title) }
                thead {
                    tr {
                        th scope="col" { "月份" }
                        @for line in lines { th scope="col" { (line.label) } }
                    }
                }
                tbody {
                    @for (i, label) in labels.iter().enumerate() {
                        tr {
                            th scope="row" { (label) }
                            @for line in lines {
                                td.num { (line.values.get(i).copied().flatten().map(number).unwrap_or_else(|| "—".to_owned())) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The marker of series `s`: circle, square, triangle, diamond.
fn marker(s: usize, x: f64, y: f64, ink: &str) -> Markup {
    match s % 4 {
        0 => html! { circle cx=(x) cy=(y) r="3.5" fill=(ink) {} },
        1 => {
            html! { rect x=(x - 3.5) y=(y - 3.5) width="7" height="7" fill="#ffffff" stroke=(ink) stroke-width="1.5" {} }
        }
        2 => {
            html! { polygon points=(format!("{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}", x, y - 4.5, x - 4.0, y + 3.5, x + 4.0, y + 3.5)) fill=(ink) {} }
        }
        _ => {
            html! { polygon points=(format!("{:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1}", x, y - 4.5, x + 4.5, y, x, y + 4.5, x - 4.5, y)) fill="#ffffff" stroke=(ink) stroke-width="1.5" {} }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_rounds_up_to_one_two_or_five() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(7.0), 10.0);
        assert_eq!(nice_max(13.0), 20.0);
        assert_eq!(nice_max(41.0), 50.0);
        assert_eq!(nice_max(100.0), 100.0);
    }

    #[test]
    fn bars_carry_their_numbers_in_the_svg_and_in_the_table() {
        let out = bars(
            "t",
            "在档儿童",
            "人",
            &[("甲镇".into(), 12.0), ("乙镇".into(), 3.5)],
        )
        .into_string();
        assert!(out.contains("<svg"));
        assert!(out.contains(">12</text>"));
        assert!(out.contains("<td class=\"num\">3.5</td>"));
        assert!(!out.contains("<script"));
    }

    #[test]
    fn lines_differ_by_dash_and_marker_not_only_by_ink() {
        let a = [Some(1.0), Some(2.0)];
        let b = [Some(2.0), Some(1.0)];
        let out = lines(
            "l",
            "趋势",
            "项",
            &["1月".into(), "2月".into()],
            &[
                Line {
                    label: "甲",
                    values: &a,
                },
                Line {
                    label: "乙",
                    values: &b,
                },
            ],
        )
        .into_string();
        assert!(out.contains("stroke-dasharray=\"6 3\""));
        assert!(out.contains("<circle"));
        assert!(out.contains("<rect"));
    }

    #[test]
    fn a_month_without_a_value_breaks_the_line_and_reads_as_a_dash() {
        let a = [Some(1.0), None, Some(3.0), Some(4.0)];
        let labels: Vec<String> = ["1月", "2月", "3月", "4月"].map(String::from).to_vec();
        let out = lines(
            "g",
            "覆盖率",
            "%",
            &labels,
            &[Line {
                label: "甲",
                values: &a,
            }],
        )
        .into_string();
        assert_eq!(out.matches("<polyline").count(), 2, "{out}");
        assert!(out.contains("<td class=\"num\">—</td>"), "{out}");
        assert_eq!(runs(&a), vec![vec![(0, 1.0)], vec![(2, 3.0), (3, 4.0)]]);
    }
}
