//! Ranked suggestions (推荐): for a need, the offers that could serve it
//! (staff who reach the need's file); for an offer, the published needs it
//! could serve (the offer's owner, projections only). Both sides score
//! with `domain::scoring::score`; the need side is in [`need`], the offer
//! side in [`offer`]; one's own offers for one need (the need page) in
//! [`own`].
//!
//! How candidates are found: the search index ranks the documents of the
//! other kind that pass the hard filters — same category, serving the area
//! — by how well their text shares *any* word with this side's title and
//! description (`SearchIndex::rank`). Documents that share no word still
//! pass the filters with relevance 0, so when fewer than [`POOL`] share
//! words, the rest of the pool is filled with same-category documents of
//! the area that share none: an offer is never lost for its wording alone.
//! Past [`POOL`] candidates, those sharing no word are left out; the text
//! then decides which [`POOL`] are scored, and the score decides the order.
//! The candidates are then read from the database (one query each for the
//! rows, their townships, their owners and the owners' records), so that
//! what the index may still hold of a paused offer or a matched need does
//! not show. On the need side only the columns that score an offer are read
//! for the pool, and whether it serves the need's township; whole rows and
//! township lists are read for the page shown.
//!
//! An offer or need that already has an open (not final) match with this
//! need or offer is kept in its place and marked (`open_match`), so that
//! the officer sees it is already in hand instead of wondering where the
//! best fit went; the pages offer no second proposal for it.
//!
//! A computed page is kept ([`kept`]) and given again while no change is
//! counted, the index serves the same generation and the day is the same;
//! who may see it is checked on every request before anything kept is
//! looked at.
//!
//! Imports `db`, `domain` and the search index; never `web` or `views`.

pub mod kept;
pub mod need;
pub mod offer;
pub mod own;

pub use need::{NeedSuggestions, for_need};
pub use offer::{OfferSuggestions, for_offer};
pub use own::{OwnProposal, own_offers_for_need};

use std::collections::HashMap;
use std::sync::LazyLock;

use tokio::sync::{Semaphore, SemaphorePermit};

use search_index::{RankedDocs, Ranking};

use crate::db::suggestions::Record;
use crate::domain::matching::MatchStatus;
use crate::domain::scoring::{self, AreaFit, Candidate, Component, Reason, Score};

use super::search::SearchHandle;
use super::{Paging, ServiceResult, Store};

/// How many candidates the index gives for scoring (more when a page
/// reaches further).
pub const POOL: usize = 200;

/// Suggestions computed at once: twice the cores. Each holds its pool of
/// candidates (a few hundred rows read, files placed) while it scores
/// them, and the work is CPU-bound: two hundred started together share
/// the cores out and hold two hundred pools in memory at once, while
/// waiting their turn holds nothing.
static COMPUTING: LazyLock<Semaphore> = LazyLock::new(|| {
    Semaphore::new(2 * std::thread::available_parallelism().map_or(2, std::num::NonZero::get))
});

/// Waits for a turn to compute suggestions (first come, first served).
async fn turn() -> ServiceResult<SemaphorePermit<'static>> {
    COMPUTING
        .acquire()
        .await
        .map_err(|e| super::ServiceError::caused("suggestion permits", e))
}

/// One suggestion: the offer or need, its score with reasons, and the open
/// match it already has with the other side, if any.
#[derive(Debug, Clone)]
pub struct Suggested<T> {
    pub item: T,
    pub score: Score,
    /// The id of an open match between the two, if there is one.
    pub open_match: Option<String>,
}

/// The statuses a match is over in.
fn final_statuses() -> Vec<&'static str> {
    MatchStatus::codes_where(MatchStatus::is_final)
}

/// Where answers are kept and the tag of one computed now, read before it
/// is computed; `None` where nothing is kept (inside a transaction, in
/// commands and jobs).
async fn keeping<'a>(
    store: Store<'a>,
    search: &SearchHandle,
    day: chrono::NaiveDate,
) -> ServiceResult<Option<(&'a kept::Answers, kept::Tag)>> {
    let Some(k) = store.kept else {
        return Ok(None);
    };
    // The index version first: a commit between the two reads then tags
    // the answer with an older version, which only makes it miss sooner.
    let index = search.version();
    let changes = crate::db::allocation::changes_seen(store.db).await?;
    Ok(Some((
        &k.suggestions,
        kept::Tag {
            changes,
            index,
            day,
        },
    )))
}

/// How many candidates to rank for a page.
fn pool_for(paging: Paging) -> usize {
    let reach = usize::try_from(paging.offset.saturating_add(paging.limit)).unwrap_or(usize::MAX);
    reach.clamp(POOL, search_index::MAX_RANKED)
}

/// Ranks in the index, off the async executor.
async fn rank(handle: &SearchHandle, ranking: Ranking) -> ServiceResult<RankedDocs> {
    let index = handle.index();
    super::search::work::run(move || index.rank(&ranking)).await
}

/// The index's ranking of one kind of document: their ids (the key
/// without its `offer:` / `need:` prefix) best first, and each one's
/// relevance relative to the best.
struct Hits {
    ids: Vec<String>,
    relevance: HashMap<String, f32>,
}

impl Hits {
    fn of(ranked: &RankedDocs, prefix: &str) -> Hits {
        let best = ranked.docs.first().map_or(0.0, |d| d.score);
        let mut ids = Vec::with_capacity(ranked.docs.len());
        let mut relevance_of = HashMap::with_capacity(ranked.docs.len());
        for doc in &ranked.docs {
            if let Some(id) = doc.key.strip_prefix(prefix) {
                ids.push(id.to_owned());
                relevance_of.insert(id.to_owned(), relevance(doc.score, best));
            }
        }
        Hits {
            ids,
            relevance: relevance_of,
        }
    }

    /// The relevance of `id` (0 when the index did not rank it).
    fn relevance(&self, id: &str) -> f32 {
        self.relevance.get(id).copied().unwrap_or(0.0)
    }
}

/// Relevance relative to the best of the ranking (0 to 1).
fn relevance(score: f32, best: f32) -> f32 {
    if best > 0.0 && score.is_finite() {
        (score / best).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// Where an offer serves, seen from a township (`None`: the need shows
/// only the county).
fn area_fit(county_wide: bool, townships: &[String], township: Option<&str>) -> AreaFit {
    if county_wide {
        AreaFit::County
    } else if township.is_some_and(|t| townships.iter().any(|x| x == t)) {
        AreaFit::Township
    } else {
        AreaFit::Outside
    }
}

/// The owner's recorded outcomes, as the score reads them.
fn outcomes_of(record: &Record) -> scoring::Outcomes {
    scoring::Outcomes {
        fully_met: record.fully_met,
        partly_met: record.partly_met,
        not_met: record.not_met,
    }
}

/// The owner's recorded outcomes, said beside its record (their small
/// effect on the points, `scoring::outcome_points`, is in the record part).
fn with_outcomes(mut score: Score, record: &Record) -> Score {
    if record.outcomes() > 0 {
        score.reasons.push(Reason {
            component: Component::Record,
            points: 0,
            text: format!(
                "服务成效：完全满足{}次，部分满足{}次，未满足{}次",
                record.fully_met, record.partly_met, record.not_met
            ),
        });
    }
    score
}

/// The score of a widened need for a county-wide offer of another
/// category: escalation offers such a need to every county-wide offer, so
/// it is scored as if the category fit, and says why it is there.
fn widened_score(candidate: &Candidate) -> Option<Score> {
    if candidate.area != AreaFit::County {
        return None;
    }
    let mut score = scoring::score(&Candidate {
        same_category: true,
        ..*candidate
    })?;
    score.reasons.insert(
        0,
        Reason {
            component: Component::Area,
            points: 0,
            text: "该需求长期无人对接，已扩大至全县范围的服务推荐（服务类别不同）".into(),
        },
    );
    Some(score)
}

/// One page of a ranked list.
fn page_of<T>(mut all: Vec<T>, paging: Paging) -> (u64, Vec<T>) {
    let total = all.len() as u64;
    let start = usize::try_from(paging.offset)
        .unwrap_or(usize::MAX)
        .min(all.len());
    let items: Vec<T> = all
        .drain(start..)
        .take(usize::try_from(paging.limit).unwrap_or(usize::MAX))
        .collect();
    (total, items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relevance_is_relative_to_the_best_and_bounded() {
        assert_eq!(relevance(4.0, 8.0), 0.5);
        assert_eq!(relevance(8.0, 8.0), 1.0);
        assert_eq!(relevance(0.0, 0.0), 0.0);
        assert_eq!(relevance(f32::NAN, 8.0), 0.0);
    }

    #[test]
    fn area_is_the_township_the_county_or_outside() {
        let towns = vec!["500235001".to_owned()];
        assert_eq!(
            area_fit(false, &towns, Some("500235001")),
            AreaFit::Township
        );
        assert_eq!(area_fit(false, &towns, Some("500235002")), AreaFit::Outside);
        assert_eq!(area_fit(false, &towns, None), AreaFit::Outside);
        assert_eq!(area_fit(true, &[], Some("500235002")), AreaFit::County);
        assert_eq!(area_fit(true, &[], None), AreaFit::County);
    }

    #[test]
    fn pages_cut_the_ranked_list_and_pools_reach_the_page() {
        let (total, items) = page_of((0..30).collect(), Paging::new(Some(20), Some(20)));
        assert_eq!(total, 30);
        assert_eq!(items, (20..30).collect::<Vec<_>>());
        let (_, none) = page_of((0..3).collect::<Vec<i32>>(), Paging::new(None, Some(50)));
        assert!(none.is_empty());
        assert_eq!(pool_for(Paging::default()), POOL);
        assert_eq!(pool_for(Paging::new(Some(100), Some(400))), 500);
        assert_eq!(
            pool_for(Paging::new(Some(100), Some(u64::MAX))),
            search_index::MAX_RANKED
        );
    }

    #[test]
    fn final_statuses_are_the_four_ends() {
        let over = final_statuses();
        assert_eq!(over.len(), 4);
        assert!(over.contains(&"completed") && !over.contains(&"proposed"));
    }
}
