//! The search page: the form, the hits with their highlighted snippets,
//! the facets that narrow the search, paging, and, when nothing is found,
//! what to try instead. Every link carries the search it means, so that
//! the page works without JavaScript and can be bookmarked.

use std::ops::Range;

use maud::{Markup, html};
use search_index::{DocKind, Hit};

use crate::domain::Invalid;
use crate::domain::category::Category;
use crate::services::search::documents::COUNTY;
use crate::services::search::{MAX_QUERY_CHARS, SearchOutcome};

use super::children::label_of;
use super::components::{Choice, error_summary, pagination, select_with};
use super::layout::{PageCtx, page};
use super::needs::area_label;
use super::offers::WHOLE_COUNTY;

/// A search as asked, which every link on the page varies.
#[derive(Clone, Debug, Default)]
pub struct Asked<'a> {
    pub q: &'a str,
    /// `offer` or `need`.
    pub kind: &'a str,
    pub category: Option<&'a str>,
    pub township: Option<&'a str>,
    /// Only when the user asked for one.
    pub limit: Option<u64>,
}

impl<'a> Asked<'a> {
    /// The address of this search (first page).
    pub fn href(&self) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        if !self.q.is_empty() {
            query.append_pair("q", self.q);
        }
        if self.kind == "need" {
            query.append_pair("type", "need");
        }
        if let Some(c) = self.category.filter(|c| !c.is_empty()) {
            query.append_pair("category", c);
        }
        if let Some(t) = self.township.filter(|t| !t.is_empty()) {
            query.append_pair("township", t);
        }
        if let Some(limit) = self.limit {
            query.append_pair("limit", &limit.to_string());
        }
        let query = query.finish();
        if query.is_empty() {
            "/search".to_owned()
        } else {
            format!("/search?{query}")
        }
    }

    fn with_category(&self, category: Option<&'a str>) -> Asked<'a> {
        Asked {
            category,
            ..self.clone()
        }
    }

    fn with_township(&self, township: Option<&'a str>) -> Asked<'a> {
        Asked {
            township,
            ..self.clone()
        }
    }
}

/// Everything the search page shows.
pub struct SearchPage<'a> {
    pub asked: Asked<'a>,
    /// Whether the type select offers needs (verified providers, approved
    /// families and staff).
    pub may_search_needs: bool,
    /// `(code, name)` of every township.
    pub townships: &'a [(String, String)],
    /// The answer; `None` when the search was refused.
    pub outcome: Option<&'a SearchOutcome>,
    pub errors: &'a Invalid,
}

impl SearchPage<'_> {
    fn township_name<'n>(&'n self, code: &'n str) -> &'n str {
        if code == COUNTY {
            return "县域（未显示乡镇）";
        }
        self.townships
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, n)| n.as_str())
            .unwrap_or(code)
    }

    /// Where a hit is: township names; for an offer serving every township
    /// the whole county, for a need generalized to the county the county.
    fn area_of(&self, hit: &Hit) -> String {
        match hit.kind {
            DocKind::Need => match hit.townships.first().map(String::as_str) {
                Some(code) if code != COUNTY => area_label(Some(self.township_name(code))),
                _ => area_label(None),
            },
            DocKind::Offer => {
                let everywhere = !self.townships.is_empty()
                    && self
                        .townships
                        .iter()
                        .all(|(code, _)| hit.townships.contains(code));
                if everywhere || hit.townships.is_empty() {
                    WHOLE_COUNTY.to_owned()
                } else {
                    hit.townships
                        .iter()
                        .map(|c| self.township_name(c))
                        .collect::<Vec<_>>()
                        .join("、")
                }
            }
        }
    }
}

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

fn search_form(ctx_data: &SearchPage<'_>) -> Markup {
    let asked = &ctx_data.asked;
    let errors = ctx_data.errors;
    let any = |label| Choice {
        hint: None,
        empty: label,
        required: false,
    };
    let categories: Vec<(String, String)> = Category::ALL
        .iter()
        .map(|c| (c.as_str().to_owned(), c.label().to_owned()))
        .collect();
    let mut townships = ctx_data.townships.to_vec();
    if ctx_data.may_search_needs {
        townships.push((COUNTY.to_owned(), "县域（仅需求：未显示乡镇的）".to_owned()));
    }
    let q_error = errors.message_for("q");
    let type_error = errors.message_for("type");
    html! {
        form.search-form method="get" action="/search" role="search" {
            div.field.has-error[q_error.is_some()] {
                label for="q" { "关键词" }
                div.search-row {
                    input id="q" name="q" type="search" value=(asked.q) maxlength=(MAX_QUERY_CHARS)
                        placeholder="例如：康复、课业辅导、助学" aria-invalid=[q_error.map(|_| "true")];
                    button type="submit" { "搜索" }
                }
                @if let Some(e) = q_error { p.error { (e) } }
            }
            div.filters {
                @if ctx_data.may_search_needs {
                    div.field.has-error[type_error.is_some()] {
                        label for="type" { "搜索范围" }
                        select id="type" name="type" {
                            option value="offer" selected[asked.kind != "need"] { "服务" }
                            option value="need" selected[asked.kind == "need"] { "需求" }
                        }
                        @if let Some(e) = type_error { p.error { (e) } }
                    }
                }
                (select_with("category", "类别", &categories, asked.category.unwrap_or(""), errors, &any("全部类别")))
                (select_with("township", "乡镇（街道）", &townships, asked.township.unwrap_or(""), errors, &any("全部地区")))
                button.secondary type="submit" { "按条件搜索" }
            }
            @if let Some(limit) = asked.limit {
                input type="hidden" name="limit" value=(limit);
            }
        }
    }
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

fn results(data: &SearchPage<'_>, outcome: &SearchOutcome) -> Markup {
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

pub fn search_page(ctx: &PageCtx<'_>, data: &SearchPage<'_>) -> Markup {
    page(
        "搜索",
        ctx,
        html! {
            @if data.may_search_needs {
                p { "搜索服务机构和爱心家庭发布的服务，或乡镇（街道）发布的匿名化儿童需求。" }
            } @else {
                p { "搜索服务机构和爱心家庭发布的帮扶服务。" }
            }
            (error_summary(data.errors))
            (search_form(data))
            @if let Some(outcome) = data.outcome {
                (results(data, outcome))
            } @else {
                p { "请按提示修改搜索条件后再试。" }
            }
        },
    )
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

    #[test]
    fn links_keep_the_other_parameters() {
        let asked = Asked {
            q: "康复 训练",
            kind: "need",
            category: Some("rehabilitation"),
            township: None,
            limit: Some(5),
        };
        assert_eq!(
            asked.with_township(Some("500235001")).href(),
            "/search?q=%E5%BA%B7%E5%A4%8D+%E8%AE%AD%E7%BB%83&type=need&category=rehabilitation&township=500235001&limit=5"
        );
        assert_eq!(Asked::default().href(), "/search");
    }
}
