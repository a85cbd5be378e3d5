//! Reading what the plan needs: open needs still wanting places, offers
//! with places whose owner may be matched, and the pairs already in an
//! open match. Only the columns the plan uses are read, so that a county of
//! a hundred thousand needs and offers stays small in memory.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};

use crate::db;
use crate::db::allocation::{NeedRow, OfferRow};
use crate::domain::allocation::fit::{self, NeedFacts, OfferFacts};
use crate::domain::child::{AgeBand, FileStatus};
use crate::domain::matching::MatchStatus;
use crate::domain::need::NeedStatus;
use crate::domain::offer::{AgeRange, OfferStatus};

use super::super::families::approval_is_current;
use super::super::files::identity;
use super::super::{ServiceResult, Store};

/// An open need as the plan reads it: its id (township and urgency are in
/// its [`NeedFacts`]). What a pair shows of it (code, title) is read for
/// the page shown (`db::allocation::needs_shown`): a hundred thousand
/// titles would otherwise be read and held while the job runs.
#[derive(Clone, Debug)]
pub struct OpenNeed {
    pub id: String,
}

/// An offer with places as the plan keeps it: its id (title and owner are
/// read for the page shown, `db::allocation::offers_shown`).
#[derive(Clone, Debug)]
pub struct OfferShown {
    pub id: String,
}

/// The open needs and offers with places, in problem order.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// Needs still wanting places, first published first.
    pub needs: Vec<OpenNeed>,
    /// What the plan knows of each need (same order).
    pub facts: Vec<NeedFacts>,
    /// Offers with places whose owner may be matched, oldest first.
    pub offers: Vec<OfferShown>,
    /// What the plan knows of each offer (same order).
    pub offer_facts: Vec<OfferFacts>,
    /// (offer, need) positions already in an open match.
    pub taken: HashSet<(usize, usize)>,
}

/// Rows read at a time.
const PAGE: u64 = 2000;

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
    let (offer_total, need_total) = db::allocation::counts(
        conn,
        OfferStatus::Active.as_str(),
        NeedStatus::Published.as_str(),
    )
    .await?;
    let (offer_total, need_total) = (offer_total as usize, need_total as usize);
    let owner_ok = |o: &OfferRow| match (&o.provider_id, &o.family_id) {
        (Some(p), _) => verified.contains(p),
        (None, Some(f)) => families.contains(f),
        (None, None) => false,
    };
    // A page at a time, by id; then oldest first, the order first come
    // takes them in.
    let mut offers: Vec<(DateTime<Utc>, OfferShown, OfferFacts)> = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let mut page = db::allocation::offers_page(conn, after.as_deref(), PAGE).await?;
        let Some(last) = page.last() else {
            break;
        };
        after = Some(last.id.clone());
        let more = page.len() as u64 == PAGE;
        page.retain(|o| {
            o.status == OfferStatus::Active
                && o.remaining > 0
                && owner_ok(o)
                && o.ends_on.is_none_or(|end| end >= today)
        });
        let local: Vec<String> = page
            .iter()
            .filter(|o| !o.county_wide)
            .map(|o| o.id.clone())
            .collect();
        let mut served: HashMap<String, Vec<String>> = HashMap::new();
        if !local.is_empty() {
            for (offer_id, township) in db::allocation::townships_of(conn, &local).await? {
                served.entry(offer_id).or_default().push(township);
            }
        }
        for o in page {
            let facts = OfferFacts {
                category: o.category,
                county_wide: o.county_wide,
                townships: served.remove(&o.id).unwrap_or_default(),
                ages: (o.age_min.is_some() || o.age_max.is_some())
                    .then(|| AgeRange::parse(o.age_min.map(i64::from), o.age_max.map(i64::from)))
                    .and_then(Result::ok),
                remaining: u32::try_from(o.remaining).unwrap_or(0),
            };
            offers.push((o.created_at, OfferShown { id: o.id }, facts));
        }
        step(
            u8::try_from(offers.len() * 30 / offer_total.max(1))
                .unwrap_or(30)
                .min(30),
        );
        if !more {
            break;
        }
    }
    offers.sort_by(|(a, x, _), (b, y, _)| (a, &x.id).cmp(&(b, &y.id)));
    let (offers, offer_facts): (Vec<OfferShown>, Vec<OfferFacts>) = offers
        .into_iter()
        .map(|(_, shown, facts)| (shown, facts))
        .unzip();

    let mut holding: HashMap<String, u32> = HashMap::new();
    let mut open_pairs: HashSet<(String, String)> = HashSet::new();
    for (need_id, offer_id, status) in db::allocation::matches_in(conn, &live_statuses()).await? {
        if status.holds_capacity() {
            *holding.entry(need_id.clone()).or_default() += 1;
        }
        if !status.is_final() {
            open_pairs.insert((need_id, offer_id));
        }
    }
    step(35);

    // A page at a time, by id, with the birth dates of their files;
    // then first published first, the order first come serves them in.
    let mut open: Vec<(Option<DateTime<Utc>>, OpenNeed, NeedFacts)> = Vec::new();
    let mut after: Option<String> = None;
    let mut read = 0usize;
    loop {
        let page = db::allocation::needs_page(
            conn,
            NeedStatus::Published.as_str(),
            FileStatus::Active.as_str(),
            after.as_deref(),
            PAGE,
        )
        .await?;
        let Some(last) = page.last() else {
            break;
        };
        after = Some(last.id.clone());
        read += page.len();
        let more = page.len() as u64 == PAGE;
        for row in page {
            let NeedRow {
                id,
                township_code: township,
                category,
                urgency,
                quantity,
                child_id,
                published_at: published,
                birth_date_sealed,
            } = row;
            let wanted = fit::places_wanted(category, quantity);
            let places = wanted.saturating_sub(holding.get(&id).copied().unwrap_or(0));
            if places == 0 {
                continue;
            }
            // The band the projection shows (a child who turned 18 shows the
            // oldest band); unknown when the file is not active.
            let band = match &birth_date_sealed {
                Some(sealed) => {
                    let birth = identity::birth_date_sealed(store.vault, &child_id, sealed)?;
                    Some(AgeBand::of(birth, today).unwrap_or(AgeBand::Senior))
                }
                None => None,
            };
            let facts = NeedFacts {
                category,
                township,
                band,
                urgency,
                places,
            };
            let need = OpenNeed { id };
            open.push((published, need, facts));
        }
        step(
            u8::try_from(35 + read * 60 / need_total.max(1))
                .unwrap_or(95)
                .min(95),
        );
        if !more {
            break;
        }
    }
    open.sort_by(|(a, x, _), (b, y, _)| (a, &x.id).cmp(&(b, &y.id)));
    let mut needs = Vec::with_capacity(open.len());
    let mut facts = Vec::with_capacity(open.len());
    for (_, need, f) in open {
        needs.push(need);
        facts.push(f);
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
    Ok(Loaded {
        needs,
        facts,
        offers,
        offer_facts,
        taken,
    })
}
