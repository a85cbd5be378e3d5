//! Suggestions for a need: the offers that could serve it, for staff who
//! reach the need's file (others, and needs outside their scope: 404).
//!
//! The area is the need's own township (staff know it); the age band is the
//! child's, as the projection shows it; the record is the offer owner's
//! completed matches and their average rating over all its offers. Offers
//! of providers that are not verified (any more), of families whose
//! approval is not current, paused or closed offers and full offers are
//! never suggested.

use search_index::{DocKind, Ranking};

use crate::db;
use crate::db::entities::need;
use crate::db::suggestions::{OfferFacts, Owner, Record};
use crate::domain::child::{AgeBand, DifficultyClass};
use crate::domain::offer::OfferStatus;
use crate::domain::provider::ProviderStatus;
use crate::domain::scoring::{self, Candidate};
use crate::services::offers::OfferView;

use super::super::files::{self, population};
use super::super::search::SearchHandle;
use super::super::search::documents::OFFER_KEY_PREFIX;
use super::super::{Paging, Principal, ServiceError, ServiceResult, Store};
use super::kept::Key;
use super::{Hits, Suggested, area_fit, final_statuses, page_of, pool_for, rank};

/// A need as staff see it here, with the ranked offers.
#[derive(Debug, Clone)]
pub struct NeedSuggestions {
    pub need: need::Model,
    /// The child's age band today (`None` from 18).
    pub age_band: Option<AgeBand>,
    pub difficulty_class: DifficultyClass,
    /// How many offers were scored.
    pub total: u64,
    pub items: Vec<Suggested<OfferView>>,
}

/// The offers that could serve need `need_id`, best first: score, then
/// more places left, then the older offer.
pub async fn for_need(
    store: Store<'_>,
    search: &SearchHandle,
    caller: &Principal,
    need_id: &str,
    paging: Paging,
) -> ServiceResult<NeedSuggestions> {
    let today = chrono::Local::now().date_naive();
    let keeping = super::keeping(store, search, today).await?;
    let need = db::needs::find(store.db, need_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    // Who may see them is checked on every request, kept answer or not.
    let child = files::find_in_scope(store, caller, &need.child_id).await?;
    let key = Key::new(need_id, paging, 0);
    if let Some((answers, tag)) = &keeping
        && let Some(kept) = answers.need(&key, tag)
    {
        return Ok(kept);
    }
    let _turn = super::turn().await?;
    let (age_band, difficulty_class) = population::band_and_class(store.vault, &child, today)?;

    let ranked = rank(
        search,
        Ranking {
            text: format!("{}\n{}", need.title, need.description),
            kind: DocKind::Offer,
            category: Some(need.category.as_str().to_owned()),
            townships: vec![need.township_code.clone()],
            limit: pool_for(paging),
        },
    )
    .await?;
    let hits = Hits::of(&ranked, OFFER_KEY_PREFIX);
    let ids = &hits.ids;

    // Score the pool from the few columns that decide it; read whole rows
    // and township lists only for the page shown.
    let offers = db::suggestions::offer_facts_with_places(
        store.db,
        ids,
        &need.township_code,
        OfferStatus::Active.as_str(),
        today,
    )
    .await?;
    // Offers of providers that are not verified (any more) and of families
    // whose approval is not current are never suggested.
    let in_good_standing = |o: &OfferFacts| match (&o.provider_id, &o.family_id) {
        (Some(_), _) => o.provider_status == Some(ProviderStatus::Verified),
        (None, Some(_)) => o.family_status.is_some_and(|status| {
            crate::domain::family::approval_current(status, o.family_approved_until, today)
        }),
        (None, None) => false,
    };
    let owner_of = |o: &OfferFacts| Owner::from_ids(o.provider_id.as_ref(), o.family_id.as_ref());
    let owners: Vec<Owner> = offers
        .iter()
        .filter(|o| in_good_standing(o))
        .filter_map(owner_of)
        .collect::<std::collections::HashSet<_>>()
        .into_iter()
        .collect();
    let records = db::suggestions::records(store.db, &owners).await?;
    let open = db::suggestions::open_matches_of_need(store.db, &need.id, &final_statuses()).await?;

    let mut scored = Vec::new();
    for offer in offers {
        let Some(owner) = owner_of(&offer) else {
            continue;
        };
        if !in_good_standing(&offer) {
            continue;
        }
        let record = records.get(&owner).copied().unwrap_or(Record::default());
        // Whether the offer serves the need's township is all the area
        // part asks of its townships.
        let served: &[String] = if offer.serves_township {
            std::slice::from_ref(&need.township_code)
        } else {
            &[]
        };
        let candidate = Candidate {
            same_category: offer.category == need.category,
            area: area_fit(offer.county_wide, served, Some(&need.township_code)),
            age_fits: scoring::age_fit(age_band, offer.age_min, offer.age_max),
            remaining: u32::try_from(offer.remaining).unwrap_or(0),
            text_relevance: hits.relevance(&offer.id),
            completed: record.completed,
            average_rating: record.average_rating(),
            outcomes: super::outcomes_of(&record),
        };
        let Some(score) = scoring::score(&candidate) else {
            continue;
        };
        let score = super::with_outcomes(score, &record);
        scored.push(Suggested {
            open_match: open.get(&offer.id).cloned(),
            item: offer,
            score,
        });
    }
    scored.sort_by(|a, b| {
        b.score
            .total
            .cmp(&a.score.total)
            .then_with(|| b.item.remaining.cmp(&a.item.remaining))
            .then_with(|| a.item.created_at.cmp(&b.item.created_at))
            .then_with(|| a.item.id.cmp(&b.item.id))
    });
    let (total, page) = page_of(scored, paging);
    let page_ids: Vec<String> = page.iter().map(|s| s.item.id.clone()).collect();
    let mut rows = db::suggestions::offers_by_id(store.db, &page_ids).await?;
    let mut townships = db::offers::townships_of(store.db, &page_ids).await?;
    let items = page
        .into_iter()
        .filter_map(|s| {
            let offer = rows.remove(&s.item.id)?;
            Some(Suggested {
                item: OfferView {
                    townships: townships.remove(&offer.id).unwrap_or_default(),
                    offer,
                },
                score: s.score,
                open_match: s.open_match,
            })
        })
        .collect();
    let found = NeedSuggestions {
        need,
        age_band,
        difficulty_class,
        total,
        items,
    };
    if let Some((answers, tag)) = keeping {
        answers.keep_need(key, tag, &found);
    }
    Ok(found)
}
