//! Reading what the plan needs: open needs still wanting places, offers
//! with places whose owner may be matched, and the pairs already in an
//! open match. Only the columns the plan uses are read, so that a county of
//! a hundred thousand needs and offers stays small in memory.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use crate::db;
use crate::db::allocation::OfferRow;
use crate::domain::allocation::fit::{self, NeedFacts, OfferFacts};
use crate::domain::category::Category;
use crate::domain::child::{AgeBand, FileStatus};
use crate::domain::matching::MatchStatus;
use crate::domain::need::{NeedStatus, Urgency};
use crate::domain::offer::{AgeRange, OfferStatus};

use super::super::families::approval_is_current;
use super::super::files::identity;
use super::super::{ServiceError, ServiceResult, Store};

/// The public fields of an open need that a proposed pair shows.
#[derive(Clone, Debug)]
pub struct OpenNeed {
    pub id: String,
    pub code: String,
    pub title: String,
    pub township: String,
    pub urgency: Urgency,
}

/// The open needs and offers with places, in problem order.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// Needs still wanting places, first published first.
    pub needs: Vec<OpenNeed>,
    /// What the plan knows of each need (same order).
    pub facts: Vec<NeedFacts>,
    /// Offers with places whose owner may be matched, oldest first.
    pub offers: Vec<OfferRow>,
    /// What the plan knows of each offer (same order).
    pub offer_facts: Vec<OfferFacts>,
    /// (offer, need) positions already in an open match.
    pub taken: HashSet<(usize, usize)>,
}

fn bad(what: &str) -> ServiceError {
    ServiceError::internal(format!("unknown {what} in the allocation data"))
}

/// Statuses of matches that still count: open ones, and those holding a place.
fn live_statuses() -> Vec<&'static str> {
    MatchStatus::codes_where(|s| !s.is_final() || s.holds_capacity())
}

/// Reads everything the plan needs, as it stands on `today`. `step` is told
/// how far it got, in percent of the reading.
pub async fn load(
    store: Store<'_>,
    today: NaiveDate,
    step: &(dyn Fn(u8) + Sync),
) -> ServiceResult<Loaded> {
    let conn = store.db;
    let verified: HashSet<String> = db::allocation::provider_ids(conn, "verified")
        .await?
        .into_iter()
        .collect();
    let families: HashSet<String> = db::allocation::families_of_status(conn, "approved")
        .await?
        .into_iter()
        .filter(approval_is_current)
        .map(|f| f.id)
        .collect();
    let mut offers = db::allocation::offers_with_places(conn, OfferStatus::Active.as_str()).await?;
    offers.retain(|o| {
        let owner_ok = match (&o.provider_id, &o.family_id) {
            (Some(p), _) => verified.contains(p),
            (None, Some(f)) => families.contains(f),
            (None, None) => false,
        };
        owner_ok && o.ends_on.is_none_or(|end| end >= today)
    });
    step(10);
    let mut served: HashMap<String, Vec<String>> = HashMap::new();
    for (offer_id, township) in db::allocation::offer_townships(conn).await? {
        served.entry(offer_id).or_default().push(township);
    }
    let offer_facts = offers
        .iter()
        .map(|o| {
            Ok(OfferFacts {
                category: o.category.parse().map_err(|_| bad("offer category"))?,
                county_wide: o.county_wide,
                townships: served.remove(&o.id).unwrap_or_default(),
                ages: (o.age_min.is_some() || o.age_max.is_some())
                    .then(|| AgeRange::parse(o.age_min.map(i64::from), o.age_max.map(i64::from)))
                    .and_then(Result::ok),
                remaining: u32::try_from(o.remaining).unwrap_or(0),
            })
        })
        .collect::<ServiceResult<Vec<_>>>()?;
    drop(served);
    step(20);

    let mut holding: HashMap<String, u32> = HashMap::new();
    let mut open_pairs: HashSet<(String, String)> = HashSet::new();
    for (need_id, offer_id, status) in db::allocation::matches_in(conn, &live_statuses()).await? {
        let status: MatchStatus = status.parse().map_err(|_| bad("match status"))?;
        if status.holds_capacity() {
            *holding.entry(need_id.clone()).or_default() += 1;
        }
        if !status.is_final() {
            open_pairs.insert((need_id, offer_id));
        }
    }
    step(30);

    let births: HashMap<String, Vec<u8>> =
        db::children::population_rows(conn, FileStatus::Active.as_str())
            .await?
            .into_iter()
            .map(|(id, _, _, sealed)| (id, sealed))
            .collect();
    step(45);
    let rows = db::allocation::needs_by_publication(conn, NeedStatus::Published.as_str()).await?;
    step(60);
    let mut needs = Vec::new();
    let mut facts = Vec::new();
    for (id, code, title, township, category, urgency, quantity, child_id) in rows {
        let category: Category = category.parse().map_err(|_| bad("need category"))?;
        let wanted = fit::places_wanted(category, quantity);
        let places = wanted.saturating_sub(holding.get(&id).copied().unwrap_or(0));
        if places == 0 {
            continue;
        }
        // The band the projection shows (a child who turned 18 shows the
        // oldest band); unknown when the file is not active.
        let band = match births.get(&child_id) {
            Some(sealed) => {
                let birth = identity::birth_date_sealed(store.vault, &child_id, sealed)?;
                Some(AgeBand::of(birth, today).unwrap_or(AgeBand::Senior))
            }
            None => None,
        };
        let urgency: Urgency = urgency.parse().map_err(|_| bad("urgency"))?;
        facts.push(NeedFacts {
            category,
            township: township.clone(),
            band,
            urgency,
            places,
        });
        needs.push(OpenNeed {
            id,
            code,
            title,
            township,
            urgency,
        });
    }
    drop(births);
    step(95);

    let need_index: HashMap<&str, usize> = needs
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let offer_index: HashMap<&str, usize> = offers
        .iter()
        .enumerate()
        .map(|(i, o)| (o.id.as_str(), i))
        .collect();
    let taken: HashSet<(usize, usize)> = open_pairs
        .iter()
        .filter_map(|(n, o)| Some((*offer_index.get(o.as_str())?, *need_index.get(n.as_str())?)))
        .collect();
    Ok(Loaded {
        needs,
        facts,
        offers,
        offer_facts,
        taken,
    })
}
