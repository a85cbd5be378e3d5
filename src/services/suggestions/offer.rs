//! Suggestions for an offer: the published needs it could serve, for the
//! offer's owner only (others: 404), as public projections and nothing else.
//!
//! Everything here is read from the projection: the township it shows, its
//! age band, its texts. A need generalized to the county (its township not
//! shown) is a candidate for a county-wide offer only: for an offer of some
//! townships, telling whether such a need lies in them would need the
//! hidden township, and leaving needs in or out by it would reveal it.
//!
//! The score means the same as on the need side: the same function on the
//! same parts, so an officer and a provider looking at one pair see one
//! figure (up to the text part, which is relative to the best candidate of
//! each list). The capacity and the owner's record are the offer's own and
//! the same for every need, so they move every score alike and the order
//! comes from area, age and text; ties go to the more urgent need, then to
//! the one published earlier.

use std::collections::HashMap;

use search_index::{DocKind, Ranking};

use crate::db;
use crate::db::suggestions::{FilePlace, NeedFacts, Owner, Record};
use crate::domain::need::{NeedStatus, Urgency};
use crate::domain::offer::OfferStatus;
use crate::domain::projection::PublicNeed;
use crate::domain::scoring::{self, Candidate};
use crate::services::offers::OfferView;

use super::super::files::projection::{FileFacts, place_all, public_need};
use super::super::search::SearchHandle;
use super::super::search::documents::NEED_KEY_PREFIX;
use super::super::{Paging, Principal, ServiceError, ServiceResult, Store};
use super::kept::Key;
use super::{Hits, Suggested, area_fit, final_statuses, page_of, pool_for, rank};

/// An offer with the needs it could serve.
#[derive(Debug, Clone)]
pub struct OfferSuggestions {
    pub offer: OfferView,
    /// How many needs were scored.
    pub total: u64,
    pub items: Vec<Suggested<PublicNeed>>,
}

fn urgency_rank(u: Urgency) -> u8 {
    match u {
        Urgency::Critical => 0,
        Urgency::Urgent => 1,
        Urgency::Normal => 2,
    }
}

/// The published needs that offer `offer_id` could serve, best first. An
/// offer that is paused, closed or full has none.
pub async fn for_offer(
    store: Store<'_>,
    search: &SearchHandle,
    caller: &Principal,
    offer_id: &str,
    paging: Paging,
    k: u32,
) -> ServiceResult<OfferSuggestions> {
    let today = chrono::Local::now().date_naive();
    let keeping = super::keeping(store, search, today).await?;
    let offer = db::offers::find(store.db, offer_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    // Who may see them is checked on every request, kept answer or not.
    if !crate::services::offers::owns(caller, &offer) {
        return Err(ServiceError::NotFound);
    }
    // An owner who may no longer see needs (a suspended provider, a
    // family whose approval ran out) is refused like on every need page.
    super::super::files::projection::require_viewer(store, caller).await?;
    let key = Key::new(offer_id, paging, k);
    if let Some((answers, tag)) = &keeping
        && let Some(kept) = answers.offer(&key, tag)
    {
        return Ok(kept);
    }
    let _turn = super::turn().await?;
    let townships = db::offers::townships(store.db, &offer.id).await?;
    let view = OfferView {
        offer: offer.clone(),
        townships: townships.clone(),
    };
    if offer.status != OfferStatus::Active || offer.remaining <= 0 {
        return Ok(OfferSuggestions {
            offer: view,
            total: 0,
            items: Vec::new(),
        });
    }

    let ranked = rank(
        search,
        Ranking {
            text: format!("{}\n{}", offer.title, offer.description),
            kind: DocKind::Need,
            category: Some(offer.category.as_str().to_owned()),
            // A county-wide offer serves every need, shown in a township
            // or generalized; others only needs shown in their townships.
            townships: if offer.county_wide {
                Vec::new()
            } else {
                townships.clone()
            },
            limit: pool_for(paging),
        },
    )
    .await?;
    let hits = Hits::of(&ranked, NEED_KEY_PREFIX);
    let codes = &hits.ids;

    // Score the pool from the few columns that decide it (no texts, no
    // whole files); read whole needs for the page shown only.
    let mut needs: Vec<NeedFacts> = db::suggestions::need_facts(store.db, codes)
        .await?
        .into_iter()
        .filter(|n| n.status == NeedStatus::Published)
        .collect();
    if offer.county_wide {
        // Escalation widened these: offered to every county-wide offer,
        // whatever its category (same-category ones are in the pool
        // already, a county-wide offer filters no township).
        needs.extend(
            db::suggestions::widened_need_facts(
                store.db,
                offer.category.as_str(),
                super::POOL as u64,
            )
            .await?,
        );
    }
    let child_ids: Vec<String> = needs.iter().map(|n| n.child_id.clone()).collect();
    let places: HashMap<String, FilePlace> = db::suggestions::file_places(store.db, &child_ids)
        .await?
        .into_iter()
        .map(|f| (f.id.clone(), f))
        .collect();
    let listed: Vec<(&NeedFacts, FileFacts<'_>)> = needs
        .iter()
        .filter_map(|n| {
            places.get(&n.child_id).map(|f| {
                (
                    n,
                    FileFacts {
                        id: &f.id,
                        township: &f.township_code,
                        class: f.difficulty_class,
                        birth_date_sealed: &f.birth_date_sealed,
                    },
                )
            })
        })
        .collect();
    let files: Vec<FileFacts<'_>> = listed.iter().map(|(_, f)| *f).collect();
    let placed = place_all(store, &files, k, today).await?;
    let owner = Owner::of(&offer);
    let record = match &owner {
        Some(owner) => db::suggestions::records(store.db, std::slice::from_ref(owner))
            .await?
            .remove(owner)
            .unwrap_or_default(),
        None => Record::default(),
    };
    let open =
        db::suggestions::open_matches_of_offer(store.db, &offer.id, &final_statuses()).await?;

    let mut scored = Vec::new();
    for ((need, _), placement) in listed.into_iter().zip(placed) {
        // The placement decides, not what the index filed the need under.
        // A need generalized to the county lies in no listed township.
        let area = area_fit(offer.county_wide, &townships, placement.township.as_deref());
        let candidate = Candidate {
            same_category: need.category == offer.category,
            area,
            age_fits: scoring::age_fit(Some(placement.age_band), offer.age_min, offer.age_max),
            remaining: u32::try_from(offer.remaining).unwrap_or(0),
            text_relevance: hits.relevance(&need.code),
            completed: record.completed,
            average_rating: record.average_rating(),
            outcomes: super::outcomes_of(&record),
        };
        let score = if need.category == offer.category {
            scoring::score(&candidate)
        } else {
            super::widened_score(&candidate)
        };
        let Some(score) = score else {
            continue;
        };
        let score = super::with_outcomes(score, &record);
        scored.push((need, placement, open.get(&need.id).cloned(), score));
    }
    scored.sort_by(|(a, _, _, a_score), (b, _, _, b_score)| {
        b_score
            .total
            .cmp(&a_score.total)
            .then_with(|| urgency_rank(a.urgency).cmp(&urgency_rank(b.urgency)))
            .then_with(|| a.published_at.cmp(&b.published_at))
            .then_with(|| a.code.cmp(&b.code))
    });
    let (total, page) = page_of(scored, paging);
    let page_codes: Vec<String> = page.iter().map(|(n, ..)| n.code.clone()).collect();
    let mut rows: HashMap<String, _> = db::needs::find_by_codes(store.db, &page_codes)
        .await?
        .into_iter()
        .map(|n| (n.code.clone(), n))
        .collect();
    let items = page
        .into_iter()
        .filter_map(|(need, placement, open_match, score)| {
            // A need matched between the two reads is no longer offered.
            let row = rows
                .remove(&need.code)
                .filter(|r| r.status == NeedStatus::Published)?;
            Some(Suggested {
                item: public_need(&row, placement),
                score,
                open_match,
            })
        })
        .collect();
    let found = OfferSuggestions {
        offer: view,
        total,
        items,
    };
    if let Some((answers, tag)) = keeping {
        answers.keep_offer(key, tag, &found);
    }
    Ok(found)
}
