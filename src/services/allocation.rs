//! The county allocation plan (分配方案): which offer should serve which
//! open need, most urgent first, so that offers are not double-booked
//! across townships; and how far first come, first served would get with
//! the same offers.
//!
//! The plan is computed county-wide from the database (published needs not
//! yet covered, active offers with places, owners still in good standing,
//! matches already made) by a background job ([`job`]), off the request
//! path, and kept in memory until the data it depends on changes; a
//! request answers at once with the plan or with the job's progress. It is
//! a proposal the officer reviews pair by pair, each pair becoming a match
//! only through `POST /matches`. A township officer sees the pairs and
//! coverage of their own township's needs, from the same county-wide plan.
//!
//! Children's birth dates are opened in memory to place each need in the
//! age band its projection shows, exactly as the projection does; nothing
//! but that band leaves this module, and pairs carry only public fields.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use crate::domain::Role;
use crate::domain::allocation::Plan;
use crate::domain::allocation::classes::Solved;
use crate::domain::allocation::fit;
use crate::domain::need::Urgency;
use crate::vault::Vault;

use super::{Page, Paging, Principal, ServiceResult};

pub mod job;
pub mod load;
mod named;

pub use job::{Jobs, Phase, Progress, Version};
pub use load::{Loaded, OfferShown, OpenNeed};

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
    /// How long the job took.
    pub duration: Duration,
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

/// A running job as a caller sees it.
#[derive(Clone, Debug)]
pub struct Pending {
    pub started_at: DateTime<Utc>,
    pub phase: Phase,
    pub percent: u8,
    /// The job before this one failed (it is being tried again).
    pub retrying: bool,
}

/// What a request for the plan gets.
#[derive(Clone, Debug)]
pub enum Answer {
    Ready(Allocation),
    Pending(Pending),
}

/// Needs, places wanted and coverage of one scope.
#[derive(Clone, Copy, Debug, Default)]
struct Summary {
    needs: u64,
    wanted: ByUrgency,
    plan: Coverage,
    greedy: Coverage,
}

/// A computed plan, kept until the data changes.
#[derive(Debug)]
pub struct Computed {
    version: Version,
    computed_at: DateTime<Utc>,
    duration: Duration,
    offers: u64,
    county: Summary,
    townships: HashMap<String, Summary>,
    /// Needs and offers that appear in pairs.
    needs: named::Needs,
    shown_offers: named::Offers,
    /// (need, offer) positions in the two lists above, most urgent first,
    /// then in publication order.
    pairs: Vec<(u32, u32)>,
}

fn add_coverage(summary: &mut Coverage, urgency: Urgency, got: u32, wanted: u32) {
    if got > 0 {
        summary.places.add(urgency, u64::from(got));
        if got >= wanted {
            summary.needs += 1;
        }
    }
}

impl Computed {
    fn new(
        loaded: Loaded,
        solved: Solved,
        version: Version,
        computed_at: DateTime<Utc>,
        duration: Duration,
    ) -> Computed {
        let Loaded {
            needs,
            facts,
            offers,
            ..
        } = loaded;
        let planned = solved.plan.places_of(needs.len());
        let baseline = solved.greedy.places_of(needs.len());
        let mut county = Summary::default();
        let mut townships: HashMap<String, Summary> = HashMap::new();
        for (i, f) in facts.iter().enumerate() {
            let here = townships.entry(f.township.clone()).or_default();
            for s in [&mut county, here] {
                s.needs += 1;
                s.wanted.add(f.urgency, u64::from(f.places));
                add_coverage(&mut s.plan, f.urgency, planned[i], f.places);
                add_coverage(&mut s.greedy, f.urgency, baseline[i], f.places);
            }
        }
        let offer_count = offers.len() as u64;
        let (shown_needs, shown_offers, pairs) = shown(&solved.plan, &facts, &needs, &offers);
        Computed {
            version,
            computed_at,
            duration,
            offers: offer_count,
            county,
            townships,
            needs: shown_needs,
            shown_offers,
            pairs,
        }
    }

    /// The plan for `township` (`None`: the county), with the kept needs
    /// and offers of one page of pairs (the page's items are left empty:
    /// [`shown_pairs`] reads what they show).
    fn scoped(
        &self,
        township: Option<&str>,
        paging: Paging,
    ) -> (Allocation, Vec<(named::Need<'_>, &str)>) {
        let summary = match township {
            None => self.county,
            Some(t) => self.townships.get(t).copied().unwrap_or_default(),
        };
        let pairs = self.pairs.iter().filter_map(|&(n, o)| {
            let need = self.needs.get(n as usize)?;
            township
                .is_none_or(|t| need.township == t)
                .then(|| (need, self.shown_offers.id(o as usize)))
        });
        let total = pairs.clone().count() as u64;
        let page = pairs
            .skip(usize::try_from(paging.offset).unwrap_or(usize::MAX))
            .take(usize::try_from(paging.limit).unwrap_or(usize::MAX))
            .collect();
        let allocation = Allocation {
            computed_at: self.computed_at,
            duration: self.duration,
            needs: summary.needs,
            wanted: summary.wanted,
            offers: self.offers,
            plan: summary.plan,
            greedy: summary.greedy,
            pairs: Page {
                total,
                items: Vec::new(),
            },
        };
        (allocation, page)
    }
}

/// The pairs of one page as they show: the needs' codes and titles and the
/// offers' titles and owners, read in one statement each. A need or offer
/// whose row is gone (nothing is deleted, but a restore could take it) is
/// shown by its id, with empty texts, rather than dropped from the page.
async fn shown_pairs(
    db: &DatabaseConnection,
    page: &[(named::Need<'_>, &str)],
) -> ServiceResult<Vec<Pair>> {
    let need_ids: Vec<String> = page.iter().map(|(n, _)| n.id.to_owned()).collect();
    let offer_ids: Vec<String> = page.iter().map(|(_, o)| (*o).to_owned()).collect();
    let needs: HashMap<String, (String, String)> =
        crate::db::allocation::needs_shown(db, &need_ids)
            .await?
            .into_iter()
            .map(|(id, code, title)| (id, (code, title)))
            .collect();
    let offers: HashMap<String, (String, String)> =
        crate::db::allocation::offers_shown(db, &offer_ids)
            .await?
            .into_iter()
            .map(|(id, title, owner)| (id, (title, owner)))
            .collect();
    Ok(page
        .iter()
        .map(|&(need, offer_id)| {
            let (need_code, need_title) = needs.get(need.id).cloned().unwrap_or_default();
            let (offer_title, owner_name) = offers.get(offer_id).cloned().unwrap_or_default();
            Pair {
                need_id: need.id.to_owned(),
                need_code,
                need_title,
                township: need.township.to_owned(),
                urgency: need.urgency,
                offer_id: offer_id.to_owned(),
                offer_title,
                owner_name,
            }
        })
        .collect())
}

type Shown = (named::Needs, named::Offers, Vec<(u32, u32)>);

/// The needs and offers the plan's pairs name, packed (see [`named`]),
/// and the pairs as positions in them, most urgent first, then in
/// publication order.
fn shown(
    plan: &Plan,
    facts: &[fit::NeedFacts],
    needs: &[OpenNeed],
    offers: &[OfferShown],
) -> Shown {
    let mut need_at = vec![u32::MAX; needs.len()];
    let mut offer_at = vec![u32::MAX; offers.len()];
    for &(o, n) in &plan.assignments {
        need_at[n] = 0;
        offer_at[o] = 0;
    }
    let mut kept_needs = named::Needs::default();
    for ((at, need), f) in need_at.iter_mut().zip(needs).zip(facts) {
        if *at == 0 {
            *at = u32::try_from(kept_needs.len()).unwrap_or(u32::MAX);
            kept_needs.push(&need.id, &f.township, f.urgency);
        }
    }
    let mut kept_offers = named::Offers::default();
    for (at, offer) in offer_at.iter_mut().zip(offers) {
        if *at == 0 {
            *at = u32::try_from(kept_offers.len()).unwrap_or(u32::MAX);
            kept_offers.push(&offer.id);
        }
    }
    kept_needs.shrink_to_fit();
    kept_offers.shrink_to_fit();
    let mut order: Vec<(usize, usize)> = plan.assignments.clone();
    order.sort_by_key(|&(o, n)| (fit::tier(facts[n].urgency), n, o));
    let pairs = order
        .into_iter()
        .map(|(o, n)| (need_at[n], offer_at[o]))
        .collect();
    (kept_needs, kept_offers, pairs)
}

/// The plan for the caller: county staff see the county, a township
/// officer their township's needs. Others may not (403). Answers at once:
/// the plan of the data as it is now, or the progress of the job that
/// computes it (started here when none runs).
pub async fn allocation(
    jobs: &Arc<Jobs>,
    db: &DatabaseConnection,
    vault: &Arc<Vault>,
    caller: &Principal,
    paging: Paging,
) -> ServiceResult<Answer> {
    caller.require_role(&[Role::CountyAdmin, Role::TownshipOfficer])?;
    Ok(match jobs.find(db, vault).await? {
        job::Found::Fresh(computed) => {
            let (mut allocation, page) = computed.scoped(caller.township_filter(), paging);
            allocation.pairs.items = shown_pairs(db, &page).await?;
            Answer::Ready(allocation)
        }
        job::Found::Running { progress, failed } => Answer::Pending(Pending {
            started_at: progress.started_at,
            phase: progress.phase(),
            percent: progress.percent(),
            retrying: failed,
        }),
    })
}
