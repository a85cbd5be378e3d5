//! The caller's own offers that could serve one published need, for the
//! need page's "用我的服务提出对接": a provider or a family picks one of them
//! and proposes in one submit. Scored as the offer side scores (see
//! [`super::offer`]): from the projection only, so the figure beside each
//! offer is the one the offer's own suggestions show for this need (up to
//! the text part, relative to the best of the candidates ranked here).

use search_index::{DocKind, Ranking};

use crate::db;
use crate::db::suggestions::{Owner, Record};
use crate::domain::Role;
use crate::domain::offer::OfferStatus;
use crate::domain::projection::PublicNeed;
use crate::domain::scoring::{self, Candidate};
use crate::services::offers::{self, OfferView};

use super::super::search::SearchHandle;
use super::super::search::documents::OFFER_KEY_PREFIX;
use super::super::{Paging, Principal, ServiceResult, Store};
use super::{Hits, POOL, Suggested, area_fit, final_statuses, rank};

/// How many of one's own active offers are weighed for a need.
const OWN_OFFERS: u64 = 100;

/// What the caller may propose for a need from its page.
#[derive(Debug, Clone)]
pub enum OwnProposal {
    /// The caller holds no offers (staff): the page offers nothing.
    NotAnOwner,
    /// The caller's active offers with places left that could serve the
    /// need, best first; empty when none fits.
    Offers(Vec<Suggested<OfferView>>),
}

/// The caller's offers that could serve `need` (a projection the caller
/// was allowed to read), best first.
pub async fn own_offers_for_need(
    store: Store<'_>,
    search: &SearchHandle,
    caller: &Principal,
    need: &PublicNeed,
) -> ServiceResult<OwnProposal> {
    if !matches!(caller.role, Role::Provider | Role::Family) {
        return Ok(OwnProposal::NotAnOwner);
    }
    let mine = offers::list_own(
        store.db,
        caller,
        Some(OfferStatus::Active),
        Paging::new(Some(OWN_OFFERS), None),
    )
    .await?
    .items;
    let mine: Vec<OfferView> = mine
        .into_iter()
        .filter(|o| o.offer.remaining > 0 && o.offer.category == need.category)
        .collect();
    let Some(first) = mine.first() else {
        return Ok(OwnProposal::Offers(Vec::new()));
    };
    let ranked = rank(
        search,
        Ranking {
            text: format!("{}\n{}", need.title, need.description),
            kind: DocKind::Offer,
            category: Some(need.category.as_str().to_owned()),
            townships: Vec::new(),
            limit: POOL,
        },
    )
    .await?;
    let hits = Hits::of(&ranked, OFFER_KEY_PREFIX);
    // All of one's offers have one owner, and so one record.
    let record = match Owner::of(&first.offer) {
        Some(owner) => db::suggestions::records(store.db, std::slice::from_ref(&owner))
            .await?
            .remove(&owner)
            .unwrap_or_default(),
        None => Record::default(),
    };
    let open = match db::needs::find_by_code(store.db, &need.code).await? {
        Some(row) => {
            db::suggestions::open_matches_of_need(store.db, &row.id, &final_statuses()).await?
        }
        None => Default::default(),
    };
    let mut scored = Vec::new();
    for view in mine {
        let offer = &view.offer;
        let area = area_fit(offer.county_wide, &view.townships, need.township.as_deref());
        let candidate = Candidate {
            same_category: true,
            area,
            age_fits: scoring::age_fit(Some(need.age_band), offer.age_min, offer.age_max),
            remaining: u32::try_from(offer.remaining).unwrap_or(0),
            text_relevance: hits.relevance(&offer.id),
            completed: record.completed,
            average_rating: record.average_rating(),
            outcomes: super::outcomes_of(&record),
        };
        let Some(score) = scoring::score(&candidate) else {
            continue;
        };
        scored.push(Suggested {
            open_match: open.get(&offer.id).cloned(),
            item: view,
            score,
        });
    }
    scored.sort_by(|a, b| {
        b.score
            .total
            .cmp(&a.score.total)
            .then_with(|| b.item.offer.remaining.cmp(&a.item.offer.remaining))
            .then_with(|| a.item.offer.id.cmp(&b.item.offer.id))
    });
    Ok(OwnProposal::Offers(scored))
}
