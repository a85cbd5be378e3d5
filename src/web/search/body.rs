//! The answer of `GET /api/v1/search`: a page of hits, the facets of all
//! matches, and other searches to try when few or none were found.

use std::collections::BTreeMap;
use std::ops::Range;

use search_index::Hit;
use serde::Serialize;
use utoipa::ToSchema;

use crate::services::search::{self, SearchOutcome, Suggestion};

/// The results of a search.
#[derive(Serialize, ToSchema)]
pub struct SearchBody {
    /// Every match, not only this page.
    total: usize,
    items: Vec<HitBody>,
    facets: FacetsBody,
    /// Searches to try instead (a wider area, another category, …).
    suggestions: Vec<SearchSuggestionBody>,
}

/// One offer or need found.
#[derive(Serialize, ToSchema)]
pub struct HitBody {
    /// `offer` or `need`.
    #[serde(rename = "type")]
    kind: &'static str,
    id: String,
    /// The public code (a need's), if any.
    #[schema(required = true)]
    code: Option<String>,
    title: String,
    /// A passage with the matched words.
    snippet: String,
    /// The matched words in `snippet`, as `[start, end)` character offsets.
    #[schema(value_type = Vec<[u64; 2]>)]
    highlights: Vec<[usize; 2]>,
    category: String,
    /// The one township served; null for several or the whole county.
    #[schema(required = true)]
    township: Option<String>,
    townships: Vec<String>,
    /// The owner's display name, if any.
    #[schema(required = true)]
    owner: Option<String>,
    /// Relevance (BM25); 0 when browsing without text. Widened from the
    /// index's `f32` exactly as the answer has always shown it.
    score: f64,
}

/// How many of all matches fall in each category and township.
#[derive(Serialize, ToSchema)]
pub struct FacetsBody {
    category: BTreeMap<String, u64>,
    township: BTreeMap<String, u64>,
}

/// Another search to try.
#[derive(Serialize, ToSchema)]
pub struct SearchSuggestionBody {
    message: String,
    q: String,
    #[schema(required = true)]
    category: Option<String>,
    #[schema(required = true)]
    township: Option<String>,
}

impl From<Suggestion> for SearchSuggestionBody {
    fn from(s: Suggestion) -> Self {
        Self {
            message: s.message,
            q: s.q,
            category: s.category,
            township: s.township,
        }
    }
}

/// Character offsets of the highlights, for clients that count characters.
fn char_ranges(text: &str, ranges: &[Range<usize>]) -> Vec<[usize; 2]> {
    let at = |byte: usize| text.get(..byte).map_or(0, |s| s.chars().count());
    ranges.iter().map(|r| [at(r.start), at(r.end)]).collect()
}

impl From<Hit> for HitBody {
    fn from(hit: Hit) -> Self {
        // One township names the area; several, or the county, name none.
        let township = match hit.townships.as_slice() {
            [one] if one != search::documents::COUNTY => Some(one.clone()),
            _ => None,
        };
        Self {
            kind: hit.kind.as_str(),
            highlights: char_ranges(&hit.snippet.text, &hit.snippet.highlights),
            snippet: hit.snippet.text,
            id: hit.id,
            code: hit.code,
            title: hit.title,
            category: hit.category,
            township,
            townships: hit.townships,
            owner: hit.provider,
            score: f64::from(hit.score),
        }
    }
}

impl From<SearchOutcome> for SearchBody {
    fn from(outcome: SearchOutcome) -> Self {
        let results = outcome.results;
        Self {
            total: results.total,
            items: results.hits.into_iter().map(HitBody::from).collect(),
            facets: FacetsBody {
                category: results.facets.category,
                township: results.facets.township,
            },
            suggestions: outcome
                .suggestions
                .into_iter()
                .map(SearchSuggestionBody::from)
                .collect(),
        }
    }
}
