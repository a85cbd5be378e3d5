//! The results part of the search page: facets, hits with their
//! highlighted snippets, paging, and the suggestions when nothing is found.

use std::ops::Range;

use maud::{Markup, html};
use search_index::{DocKind, Hit};

use crate::domain::category::Category;
use crate::services::search::SearchOutcome;

use super::super::children::label_of;
use super::super::components::pagination;
use super::{Asked, SearchPage};

/// The passage with each highlighted byte range wrapped in `<mark>`; maud
/// escapes every piece. A range that is out of order, out of bounds or not
/// on a character boundary is shown unmarked rather than trusted.
pub fn highlighted(text: &str, highlights: &[Range<usize>]) -> Markup {
    let mut pieces: Vec<(&str, bool)> = Vec::new();
    let mut at = 0;
    for range in highlights {
        if range.start < at || range.start >= range.end {
            continue;
        }
        let (Some(before), Some(marked)) = (text.get(at..range.start), text.get(range.clone()))
        else {
            continue;
        };
        pieces.push((before, false));
        pieces.push((marked, true));
        at = range.end;
    }
    pieces.push((text.get(at..).unwrap_or(""), false));
    html! {
        @for (piece, marked) in pieces {
            @if marked { mark { (piece) } } @else { (piece) }
        }
    }
}

fn category_name(code: &str) -> &'static str {
    label_of(code, Category::label)
}

/// One facet: each value with its count as a link narrowing the search,
/// the active value marked, and a link that removes it.
fn facet(
    title: &str,
    values: &[(String, String, u64)],
    active: Option<&str>,
    link: &dyn Fn(Option<&str>) -> String,
) -> Markup {
    html! {
        section.facet {
            h2 { (title) }
            ul {
                @for (code, label, count) in values {
                    li {
                        @if active == Some(code.as_str()) {
                            strong aria-current="true" { (label) " (" (count) ")" }
                        } @else {
                            a href=(link(Some(code))) { (label) " (" (count) ")" }
                        }
                    }
                }
            }
            @if active.is_some() {
                p { a.remove href=(link(None)) { "× 不限" (title) } }
            }
        }
    }
}

/// The facets, or `None` when there is nothing to narrow or remove.
fn facets(data: &SearchPage<'_>, outcome: &SearchOutcome) -> Option<Markup> {
    let asked = &data.asked;
    let counts = &outcome.results.facets;
    let mut categories: Vec<(String, String, u64)> = Category::ALL
        .iter()
        .filter_map(|c| {
            let n = counts.category.get(c.as_str()).copied().unwrap_or(0);
            let shown = n > 0 || asked.category == Some(c.as_str());
            shown.then(|| (c.as_str().to_owned(), c.label().to_owned(), n))
        })
        .collect();
    for (code, n) in &counts.category {
        if code.parse::<Category>().is_err() && *n > 0 {
            categories.push((code.clone(), code.clone(), *n));
        }
    }
    let townships: Vec<(String, String, u64)> = counts
        .township
        .iter()
        .filter(|(code, n)| **n > 0 || asked.township == Some(code.as_str()))
        .map(|(code, n)| (code.clone(), data.township_name(code).to_owned(), *n))
        .collect();
    let by_category = |c: Option<&str>| asked.with_category(c).href();
    let by_township = |t: Option<&str>| asked.with_township(t).href();
    let show_categories = !categories.is_empty() || asked.category.is_some();
    let show_townships = !townships.is_empty() || asked.township.is_some();
    if !show_categories && !show_townships {
        return None;
    }
    Some(html! {
        aside.facets aria-label="按类别和地区缩小范围" {
            @if show_categories {
                (facet("类别", &categories, asked.category, &by_category))
            }
            @if show_townships {
                (facet("乡镇（街道）", &townships, asked.township, &by_township))
            }
        }
    })
}

fn hit_item(data: &SearchPage<'_>, hit: &Hit) -> Markup {
    let href = match (hit.kind, &hit.code) {
        (DocKind::Need, Some(code)) => format!("/needs/{code}"),
        (DocKind::Need, None) => format!("/needs/{}", hit.id),
        (DocKind::Offer, _) => format!("/offers/{}", hit.id),
    };
    html! {
        li {
            h3 { a href=(href) { (hit.title) } }
            p.meta {
                span { (category_name(&hit.category)) }
                span { (data.area_of(hit)) }
                @if let Some(owner) = &hit.provider { span { (owner) } }
                @if let Some(code) = &hit.code { span { "需求编号 " (code) } }
            }
            @if !hit.snippet.text.is_empty() {
                p.snippet { (highlighted(&hit.snippet.text, &hit.snippet.highlights)) }
            }
        }
    }
}

fn no_results(data: &SearchPage<'_>, outcome: &SearchOutcome) -> Markup {
    let asked = &data.asked;
    html! {
        section.no-results {
            p { "没有找到符合条件的" (if asked.kind == "need" { "需求" } else { "服务" }) "。可以试试：" }
            ul.suggestions {
                @for s in &outcome.suggestions {
                    @let link = Asked {
                        q: &s.q,
                        kind: asked.kind,
                        category: s.category.as_deref(),
                        township: s.township.as_deref(),
                        limit: asked.limit,
                    };
                    li { a href=(link.href()) { (s.message) } }
                }
            }
            p.hint { "小提示：用更短、更常用的词（如“康复”“辅导”“助学”），少用筛选条件；暂停或已结束的服务不会出现在结果中。" }
        }
    }
}

pub fn results(data: &SearchPage<'_>, outcome: &SearchOutcome) -> Markup {
    let total = outcome.results.total as u64;
    let query = &outcome.query;
    let what = if data.asked.kind == "need" {
        "需求"
    } else {
        "服务"
    };
    let facets = facets(data, outcome);
    html! {
        div.search-results.with-facets[facets.is_some()] {
            @if let Some(facets) = facets { (facets) }
            section.hits aria-label="搜索结果" {
                @if total == 0 {
                    (no_results(data, outcome))
                } @else {
                    p.count {
                        @if data.asked.q.is_empty() { "共 " (total) " 条" (what) } @else { "“" (data.asked.q) "”共找到 " (total) " 条" (what) }
                    }
                    ol.results {
                        @for hit in &outcome.results.hits { (hit_item(data, hit)) }
                    }
                    (pagination(&data.asked.href(), total, query.limit as u64, query.offset as u64))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_are_marked_and_everything_is_escaped() {
        let text = "<b>孤独症</b>儿童康复";
        let start = text.find("孤独症").expect("word");
        let rehab = text.find("康复").expect("word");
        let html = highlighted(text, &[start..start + 9, rehab..rehab + 6]).into_string();
        assert_eq!(
            html,
            "&lt;b&gt;<mark>孤独症</mark>&lt;/b&gt;儿童<mark>康复</mark>"
        );
    }

    #[test]
    fn ranges_off_a_character_boundary_or_overlapping_are_not_trusted() {
        let text = "康复训练";
        let html = highlighted(text, &[1..4, 0..6, 3..9, 20..30]).into_string();
        assert_eq!(html, "<mark>康复</mark>训练");
    }
}
