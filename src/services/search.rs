//! Searching offers and published needs in Chinese: the query as users
//! type it, checked; the index's answer; and, when nothing is found, what
//! to try instead. Building and feeding the index is in [`indexer`].

pub mod documents;
mod handle;
pub mod indexer;
pub mod work;

use search_index::{DocKind, Query, Results};

use crate::domain::Invalid;
use crate::domain::category::Category;
use crate::domain::region::TownshipCode;

use super::{Principal, ServiceError, ServiceResult, Store};
pub use handle::IndexVersion;
pub use indexer::SearchHandle;

/// The directory under the data directory that holds the node's indexes.
pub const INDEX_DIR: &str = "index";

/// The longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 100;

/// A search as asked.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub q: String,
    /// `offer` (default) or `need`.
    pub kind: Option<String>,
    pub category: Option<String>,
    pub township: Option<String>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// Something to try when a search finds nothing, with the search it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub message: String,
    pub q: String,
    pub category: Option<String>,
    pub township: Option<String>,
}

/// The answer: hits, facets, and suggestions when there are no hits.
#[derive(Debug, Clone)]
pub struct SearchOutcome {
    pub kind: DocKind,
    pub query: Query,
    pub results: Results,
    pub suggestions: Vec<Suggestion>,
}

fn clean(q: &str) -> String {
    q.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

fn parse(request: &SearchRequest) -> Result<Query, Invalid> {
    let mut invalid = Invalid::new();
    let text = clean(&request.q);
    if text.chars().count() > MAX_QUERY_CHARS {
        invalid.add("q", format!("搜索词过长，请不超过{MAX_QUERY_CHARS}个字"));
    }
    let kind = match request
        .kind
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        None => Some(DocKind::Offer),
        Some(raw) => match DocKind::parse(raw) {
            Some(kind) => Some(kind),
            None => {
                invalid.add("type", "搜索类型只能是 offer（服务）或 need（需求）");
                None
            }
        },
    };
    let category = match request
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        None => None,
        Some(raw) => invalid
            .check("category", raw.parse::<Category>())
            .map(|c| c.as_str().to_owned()),
    };
    let township = match request
        .township
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        None => None,
        Some(documents::COUNTY) => Some(documents::COUNTY.to_owned()),
        Some(raw) => invalid
            .check("township", TownshipCode::parse(raw))
            .map(|t| t.as_str().to_owned()),
    };
    let limit = request
        .limit
        .unwrap_or(20)
        .clamp(1, search_index::MAX_LIMIT as u64) as usize;
    let offset = request.offset.unwrap_or(0);
    if offset > search_index::MAX_OFFSET as u64 {
        invalid.add("offset", "结果太靠后，请缩小搜索范围");
    }
    invalid.into_result()?;
    Ok(Query {
        text,
        kind,
        category,
        township,
        limit,
        offset: offset as usize,
    })
}

/// A kept answer is a map lookup: it is given at once, without waiting
/// for a permit or moving to the blocking pool; only a search that has to
/// match documents takes its turn there.
async fn run(handle: &SearchHandle, query: Query) -> ServiceResult<Results> {
    let index = handle.index();
    if let Some(kept) = index.kept(&query) {
        return Ok(kept);
    }
    work::run(move || index.search(&query)).await
}

/// How many documents `query` finds (its total), counted only.
async fn count(handle: &SearchHandle, query: Query) -> ServiceResult<usize> {
    let index = handle.index();
    if let Some(kept) = index.kept_count(&query) {
        return Ok(kept);
    }
    work::run(move || index.count(&query)).await
}

/// Searches offers (anyone) or published needs (whoever may see needs).
pub async fn search(
    store: Store<'_>,
    handle: &SearchHandle,
    caller: Option<&Principal>,
    request: &SearchRequest,
) -> ServiceResult<SearchOutcome> {
    let query = parse(request)?;
    let kind = query.kind.unwrap_or(DocKind::Offer);
    if kind == DocKind::Need {
        let caller = caller.ok_or(ServiceError::Unauthenticated)?;
        super::files::projection::require_viewer(store, caller).await?;
    }
    let results = run(handle, query.clone()).await?;
    let suggestions = if results.total == 0 {
        suggest(handle, &query).await?
    } else {
        Vec::new()
    };
    Ok(SearchOutcome {
        kind,
        query,
        results,
        suggestions,
    })
}

/// What to try after a search without hits: without a filter, with fewer
/// words, or a category that has entries.
async fn suggest(handle: &SearchHandle, query: &Query) -> ServiceResult<Vec<Suggestion>> {
    let mut out = Vec::new();
    let counted = |q: Query| count(handle, q);
    if query.category.is_some() {
        let wider = counted(Query {
            category: None,
            ..query.clone()
        })
        .await?;
        if wider > 0 {
            out.push(Suggestion {
                message: format!("去掉类别筛选，在全部类别中有{wider}条结果"),
                q: query.text.clone(),
                category: None,
                township: query.township.clone(),
            });
        }
    }
    if query.township.is_some() {
        let wider = counted(Query {
            township: None,
            ..query.clone()
        })
        .await?;
        if wider > 0 {
            out.push(Suggestion {
                message: format!("去掉乡镇筛选，全县共有{wider}条结果"),
                q: query.text.clone(),
                category: query.category.clone(),
                township: None,
            });
        }
    }
    let words: Vec<&str> = query.text.split_whitespace().collect();
    if words.len() > 1 {
        for word in words {
            let fewer = counted(Query {
                text: word.to_owned(),
                ..query.clone()
            })
            .await?;
            if fewer > 0 {
                out.push(Suggestion {
                    message: format!("减少关键词，只搜“{word}”有{fewer}条结果"),
                    q: word.to_owned(),
                    category: query.category.clone(),
                    township: query.township.clone(),
                });
            }
        }
    }
    if out.is_empty() {
        let browse = run(
            handle,
            Query {
                text: String::new(),
                category: None,
                township: None,
                limit: 1,
                offset: 0,
                ..query.clone()
            },
        )
        .await?;
        let mut categories: Vec<(&String, &u64)> = browse.facets.category.iter().collect();
        categories.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (code, n) in categories.into_iter().take(3) {
            let label = code.parse::<Category>().map(|c| c.label()).unwrap_or(code);
            out.push(Suggestion {
                message: format!("换个类别看看：{label}（{n}条）"),
                q: String::new(),
                category: Some(code.clone()),
                township: None,
            });
        }
    }
    if out.is_empty() {
        out.push(Suggestion {
            message: "换一个更常用的词，例如“辅导”“康复”“捐赠”".into(),
            q: String::new(),
            category: None,
            township: None,
        });
    }
    Ok(out)
}
