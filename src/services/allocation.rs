//! The county allocation plan (分配方案): which offer should serve which
//! open need, most urgent first, so that offers are not double-booked
//! across townships; and how far first come, first served would get with
//! the same offers.
//!
//! The plan is computed county-wide at every request from the database
//! (published needs not yet covered, active offers with places, owners
//! still in good standing, matches already made) and never stored: it is a
//! proposal the officer reviews pair by pair, each pair becoming a match
//! only through `POST /matches`. A township officer sees the pairs and
//! coverage of their own township's needs, from the same county-wide plan.
//!
//! Children's birth dates are opened in memory to place each need in the
//! age band its projection shows, exactly as the projection does; nothing
//! but that band leaves this module, and pairs carry only public fields.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};

use crate::db;
use crate::db::entities::{need, offer};
use crate::domain::Role;
use crate::domain::allocation::fit::{self, NeedFacts, OfferFacts};
use crate::domain::allocation::{Plan, Problem, greedy, plan};
use crate::domain::child::{AgeBand, FileStatus};
use crate::domain::matching::MatchStatus;
use crate::domain::need::{NeedStatus, Urgency};
use crate::domain::offer::{AgeRange, OfferStatus};

use super::families::approval_is_current;
use super::files::identity;
use super::{Page, Paging, Principal, ServiceError, ServiceResult, Store};

/// The open needs and offers with places, in problem order, and the problem.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// Needs still wanting places, first published first.
    pub needs: Vec<need::Model>,
    /// What the plan knows of each need (same order).
    pub facts: Vec<NeedFacts>,
    /// Offers with places whose owner may be matched, oldest first.
    pub offers: Vec<offer::Model>,
    pub problem: Problem,
}

/// Places covered in each urgency.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ByUrgency {
    pub critical: u64,
    pub urgent: u64,
    pub normal: u64,
}

impl ByUrgency {
    fn add(&mut self, urgency: Urgency, n: u64) {
        match urgency {
            Urgency::Critical => self.critical += n,
            Urgency::Urgent => self.urgent += n,
            Urgency::Normal => self.normal += n,
        }
    }

    pub fn total(&self) -> u64 {
        self.critical + self.urgent + self.normal
    }
}

/// How much of the needs in scope a plan covers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Places covered, by the urgency of their need.
    pub places: ByUrgency,
    /// Needs given every place they want.
    pub needs: u64,
}

/// One proposed pair: public fields only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    pub need_id: String,
    pub need_code: String,
    pub need_title: String,
    pub township: String,
    pub urgency: Urgency,
    pub offer_id: String,
    pub offer_title: String,
    pub owner_name: String,
}

/// The plan as one caller sees it.
#[derive(Clone, Debug)]
pub struct Allocation {
    pub computed_at: DateTime<Utc>,
    /// Open needs in scope.
    pub needs: u64,
    /// Places those needs want, by urgency.
    pub wanted: ByUrgency,
    /// Offers with places, county-wide.
    pub offers: u64,
    pub plan: Coverage,
    pub greedy: Coverage,
    /// The plan's pairs in scope, most urgent first: one page.
    pub pairs: Page<Pair>,
}

fn bad(what: &str) -> ServiceError {
    ServiceError::internal(format!("unknown {what} in the allocation data"))
}

/// Statuses of matches that still count: open ones, and those holding a place.
fn live_statuses() -> Vec<&'static str> {
    MatchStatus::codes_where(|s| !s.is_final() || s.holds_capacity())
}

/// Reads everything the plan needs and builds its problem.
pub async fn load(store: Store<'_>, today: NaiveDate) -> ServiceResult<Loaded> {
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
    let mut served: HashMap<String, Vec<String>> = HashMap::new();
    for (offer_id, township) in db::allocation::offer_townships(conn).await? {
        served.entry(offer_id).or_default().push(township);
    }
    let offer_facts = offers
        .iter()
        .map(|o| {
            Ok(OfferFacts {
                category: o.category,
                county_wide: o.county_wide,
                townships: served.remove(&o.id).unwrap_or_default(),
                ages: (o.age_min.is_some() || o.age_max.is_some())
                    .then(|| AgeRange::parse(o.age_min.map(i64::from), o.age_max.map(i64::from)))
                    .and_then(Result::ok),
                remaining: u32::try_from(o.remaining).unwrap_or(0),
            })
        })
        .collect::<ServiceResult<Vec<_>>>()?;

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

    let births: HashMap<String, Vec<u8>> =
        db::children::population_rows(conn, FileStatus::Active.as_str())
            .await?
            .into_iter()
            .map(|(id, _, _, sealed)| (id, sealed))
            .collect();
    let mut needs = Vec::new();
    let mut facts = Vec::new();
    for n in db::allocation::needs_by_publication(conn, NeedStatus::Published.as_str()).await? {
        let category = n.category;
        let wanted = fit::places_wanted(category, n.quantity);
        let places = wanted.saturating_sub(holding.get(&n.id).copied().unwrap_or(0));
        if places == 0 {
            continue;
        }
        // The band the projection shows (a child who turned 18 shows the
        // oldest band); unknown when the file is not active.
        let band = match births.get(&n.child_id) {
            Some(sealed) => {
                let birth = identity::birth_date_sealed(store.vault, &n.child_id, sealed)?;
                Some(AgeBand::of(birth, today).unwrap_or(AgeBand::Senior))
            }
            None => None,
        };
        facts.push(NeedFacts {
            category,
            township: n.township_code.clone(),
            band,
            urgency: n.urgency,
            places,
        });
        needs.push(n);
    }

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
    let problem = fit::problem(&facts, &offer_facts, &taken);
    Ok(Loaded {
        needs,
        facts,
        offers,
        problem,
    })
}

/// The plan and the first-come baseline of a problem, off the async
/// executor (an exact plan of a county is CPU work of a fraction of a second).
pub async fn solve(problem: Problem) -> ServiceResult<(Problem, Plan, Plan)> {
    tokio::task::spawn_blocking(move || {
        let best = plan(&problem);
        let baseline = greedy(&problem);
        (problem, best, baseline)
    })
    .await
    .map_err(|e| ServiceError::caused("allocation", e))
}

fn coverage(loaded: &Loaded, result: &Plan, in_scope: &[bool]) -> Coverage {
    let mut out = Coverage::default();
    let places = result.places_by_need(&loaded.problem);
    for (i, facts) in loaded.facts.iter().enumerate() {
        if !in_scope[i] || places[i] == 0 {
            continue;
        }
        out.places.add(facts.urgency, u64::from(places[i]));
        if places[i] >= facts.places {
            out.needs += 1;
        }
    }
    out
}

/// The plan for the caller: county staff see the county, a township
/// officer their township's needs. Others may not (403).
pub async fn allocation(
    store: Store<'_>,
    caller: &Principal,
    paging: Paging,
) -> ServiceResult<Allocation> {
    caller.require_role(&[Role::CountyAdmin, Role::TownshipOfficer])?;
    let township = caller.township_filter().map(str::to_owned);
    let computed_at = Utc::now();
    let mut loaded = load(store, computed_at.date_naive()).await?;
    let (problem, best, baseline) = solve(std::mem::take(&mut loaded.problem)).await?;
    loaded.problem = problem;

    let in_scope: Vec<bool> = loaded
        .needs
        .iter()
        .map(|n| township.as_deref().is_none_or(|t| n.township_code == t))
        .collect();
    let mut wanted = ByUrgency::default();
    for (facts, _) in loaded.facts.iter().zip(&in_scope).filter(|(_, s)| **s) {
        wanted.add(facts.urgency, u64::from(facts.places));
    }
    let mut assignments: Vec<(usize, usize)> = best
        .assignments
        .iter()
        .copied()
        .filter(|&(_, n)| in_scope[n])
        .collect();
    assignments.sort_by_key(|&(o, n)| (fit::tier(loaded.facts[n].urgency), n, o));
    let total = assignments.len() as u64;
    let items = assignments
        .into_iter()
        .skip(usize::try_from(paging.offset).unwrap_or(usize::MAX))
        .take(usize::try_from(paging.limit).unwrap_or(usize::MAX))
        .map(|(o, n)| {
            let (need, offer) = (&loaded.needs[n], &loaded.offers[o]);
            Pair {
                need_id: need.id.clone(),
                need_code: need.code.clone(),
                need_title: need.title.clone(),
                township: need.township_code.clone(),
                urgency: loaded.facts[n].urgency,
                offer_id: offer.id.clone(),
                offer_title: offer.title.clone(),
                owner_name: offer.owner_name.clone(),
            }
        })
        .collect();
    Ok(Allocation {
        computed_at,
        needs: in_scope.iter().filter(|s| **s).count() as u64,
        wanted,
        offers: loaded.offers.len() as u64,
        plan: coverage(&loaded, &best, &in_scope),
        greedy: coverage(&loaded, &baseline, &in_scope),
        pairs: Page { total, items },
    })
}
