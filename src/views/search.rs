//! The search page: the form and the search as asked; the hits, facets,
//! paging and suggestions are in [`results`]. Every link carries the search
//! it means, so that the page works without JavaScript and can be
//! bookmarked.

pub mod results;

use maud::{Markup, html};
use search_index::{DocKind, Hit};

use crate::domain::Invalid;
use crate::domain::category::Category;
use crate::services::search::documents::COUNTY;
use crate::services::search::{MAX_QUERY_CHARS, SearchOutcome};

use self::results::results;

use super::components::{Choice, FieldLabels, error_summary, select_with};
use super::layout::{PageCtx, page};
use super::needs::area_label;
use super::offers::WHOLE_COUNTY;

/// The fields of the form, for its error summary.
const SEARCH_LABELS: &FieldLabels = &[
    ("q", "搜索词"),
    ("category", "类别"),
    ("township", "乡镇（街道）"),
];

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
            (error_summary(data.errors, SEARCH_LABELS))
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
