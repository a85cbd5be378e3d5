//! The plan on classes: needs that every offer treats alike are one node,
//! offers likewise, so that the flow network of a county has thousands of
//! nodes instead of one edge per compatible (offer, need) pair.
//!
//! A need class holds the needs of one category, township, age band (as the
//! projection shows it), tier and number of places wanted, with the same
//! offers excluded (those already in an open match with them; almost always
//! none). An offer class holds the offers of one category, area, set of
//! fitting age bands and excluded needs, and, where it matters, one number
//! of places (below).
//!
//! Why the class network has the pair network's maximum flow. In the pair
//! network (source → offer, capacity its places; offer → need, capacity 1;
//! need → sink, its places wanted) take a minimum cut. Members of a class
//! have the same neighbours, so in every class the cut can be moved, class
//! by class, to "all members on the source side" or "none" without raising
//! its value: for a class of needs wanting `d` places each, or of offers
//! with `c` places each, the cut is linear in how many members are on the
//! source side, so an end is at least as good. Offers whose places differ
//! are still alike when every one of them has at least `T` places, `T`
//! being the number of needs wanting several places that they may serve: a
//! need wanting one place never takes two from one offer, so once one member
//! is on the source side (and the needs wanting one place next to it with
//! it, which costs nothing more), each further member costs at most `T`
//! instead of its places. A cut with whole classes on each side is a cut
//! of the class network of the same value (source → offer class: the sum
//! of places; offer class → need class: members × members; need class →
//! sink: members × places wanted). So the minimum cuts, hence the maximum
//! flows, are equal; with sink edges added tier by tier, so is every tier's
//! coverage. Offer classes whose offers have fewer than `T` places are
//! split by their number of places.
//!
//! The class flows are then split into pairs, deterministically: flows to
//! needs wanting several places first, each offer of the class taking a
//! contiguous run of at most as many units as the need class has members
//! (so no pair repeats) and the runs rotating over the offers (so no offer
//! gives more than its places); needs of a class taking the units in turn.
//! Flows to needs wanting one place then fill the offers' remaining places.

use std::collections::{HashMap, HashSet};

use super::super::category::Category;
use super::super::child::AgeBand;
use super::Plan;
use super::fit::{NeedFacts, OfferFacts, ages_fit, tier};
use super::flow::Network;

mod greedy;
mod split;

/// The steps of [`solve`], reported as they begin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Grouping needs and offers into classes.
    Classes,
    /// The maximum flow of one tier (0: critical).
    Tier(u8),
    /// The first-come baseline.
    Baseline,
    /// Splitting class flows into pairs.
    Pairs,
}

/// The exact plan and the first-come baseline.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Solved {
    pub plan: Plan,
    pub greedy: Plan,
    /// Need classes and offer classes of the network.
    pub need_classes: usize,
    pub offer_classes: usize,
    /// Class edges of the network.
    pub edges: usize,
}

#[derive(Hash, PartialEq, Eq)]
struct NeedKey {
    category: Category,
    township: u32,
    band: Option<AgeBand>,
    tier: u8,
    demand: u32,
    excluded: Vec<u32>,
}

#[derive(Hash, PartialEq, Eq)]
struct OfferKey {
    category: Category,
    /// `None`: the whole county.
    townships: Option<Vec<u32>>,
    /// Bit `i`: the offer's ages fit `AgeBand::ALL[i]`.
    bands: u8,
    excluded: Vec<u32>,
}

struct NeedClass {
    members: Vec<u32>,
    demand: u32,
    tier: u8,
    band: Option<AgeBand>,
}

struct OfferClass {
    members: Vec<u32>,
    /// Where the need classes it may serve are listed in `Classes::serves`.
    serves: usize,
}

/// Needs and offers grouped into classes, with who may serve whom.
struct Classes {
    needs: Vec<NeedClass>,
    offers: Vec<OfferClass>,
    /// Need classes (ascending) the offers of one key may serve, shared by
    /// the offer classes split from that key.
    serves: Vec<Vec<u32>>,
}

fn band_bit(band: AgeBand) -> u8 {
    let at = AgeBand::ALL.iter().position(|b| *b == band).unwrap_or(0);
    1 << at
}

fn group<'a>(
    needs: &'a [NeedFacts],
    offers: &'a [OfferFacts],
    taken: &HashSet<(usize, usize)>,
) -> Classes {
    let mut townships: HashMap<&str, u32> = HashMap::new();
    let mut township = |name: &'a str| -> u32 {
        let next = u32::try_from(townships.len()).unwrap_or(u32::MAX);
        *townships.entry(name).or_insert(next)
    };
    let mut need_excluded: HashMap<usize, Vec<u32>> = HashMap::new();
    let mut offer_excluded: HashMap<usize, Vec<u32>> = HashMap::new();
    for &(o, n) in taken {
        let live = needs.get(n).is_some_and(|f| f.places > 0)
            && offers.get(o).is_some_and(|f| f.remaining > 0);
        if live {
            need_excluded.entry(n).or_default().push(o as u32);
            offer_excluded.entry(o).or_default().push(n as u32);
        }
    }
    for list in need_excluded
        .values_mut()
        .chain(offer_excluded.values_mut())
    {
        list.sort_unstable();
    }

    let mut need_classes: Vec<NeedClass> = Vec::new();
    let mut need_keys: HashMap<NeedKey, usize> = HashMap::new();
    // Need classes by (category, township), and by category.
    let mut by_place: HashMap<(Category, u32), Vec<u32>> = HashMap::new();
    let mut by_category: HashMap<Category, Vec<u32>> = HashMap::new();
    for (n, facts) in needs.iter().enumerate() {
        if facts.places == 0 {
            continue;
        }
        let key = NeedKey {
            category: facts.category,
            township: township(&facts.township),
            band: facts.band,
            tier: tier(facts.urgency),
            demand: facts.places,
            excluded: need_excluded.remove(&n).unwrap_or_default(),
        };
        let (category, place) = (key.category, key.township);
        let class = *need_keys.entry(key).or_insert_with(|| {
            let class = need_classes.len();
            need_classes.push(NeedClass {
                members: Vec::new(),
                demand: facts.places,
                tier: tier(facts.urgency),
                band: facts.band,
            });
            by_place
                .entry((category, place))
                .or_default()
                .push(class as u32);
            by_category.entry(category).or_default().push(class as u32);
            class
        });
        need_classes[class].members.push(n as u32);
    }
    drop(need_keys);

    // Offers by key, in offer order.
    let mut keys: HashMap<OfferKey, usize> = HashMap::new();
    let mut groups: Vec<(Vec<u32>, Vec<u32>)> = Vec::new();
    for (o, facts) in offers.iter().enumerate() {
        if facts.remaining == 0 {
            continue;
        }
        let townships = (!facts.county_wide).then(|| {
            let mut list: Vec<u32> = facts.townships.iter().map(|t| township(t)).collect();
            list.sort_unstable();
            list.dedup();
            list
        });
        let bands = AgeBand::ALL
            .iter()
            .filter(|b| ages_fit(Some(**b), facts.ages))
            .fold(0u8, |mask, b| mask | band_bit(*b));
        let key = OfferKey {
            category: facts.category,
            townships,
            bands,
            excluded: offer_excluded.remove(&o).unwrap_or_default(),
        };
        let at = match keys.get(&key) {
            Some(&at) => at,
            None => {
                let served = served_by(&key, &by_place, &by_category, &need_classes);
                groups.push((Vec::new(), served));
                keys.insert(key, groups.len() - 1);
                groups.len() - 1
            }
        };
        groups[at].0.push(o as u32);
    }
    drop(keys);

    // Split each group by places where they differ below T.
    let mut offer_classes = Vec::new();
    let mut serves = Vec::with_capacity(groups.len());
    for (members, served) in groups {
        let threshold: u64 = served
            .iter()
            .map(|&a| &need_classes[a as usize])
            .filter(|a| a.demand > 1)
            .map(|a| a.members.len() as u64)
            .sum();
        let mut by_places: HashMap<u64, usize> = HashMap::new();
        for o in members {
            let places = u64::from(offers[o as usize].remaining).min(threshold);
            let class = *by_places.entry(places).or_insert_with(|| {
                offer_classes.push(OfferClass {
                    members: Vec::new(),
                    serves: serves.len(),
                });
                offer_classes.len() - 1
            });
            offer_classes[class].members.push(o);
        }
        serves.push(served);
    }
    Classes {
        needs: need_classes,
        offers: offer_classes,
        serves,
    }
}

/// The need classes offers of `key` may serve, ascending.
fn served_by(
    key: &OfferKey,
    by_place: &HashMap<(Category, u32), Vec<u32>>,
    by_category: &HashMap<Category, Vec<u32>>,
    need_classes: &[NeedClass],
) -> Vec<u32> {
    let candidates: Vec<u32> = match &key.townships {
        None => by_category.get(&key.category).cloned().unwrap_or_default(),
        Some(list) => list
            .iter()
            .filter_map(|t| by_place.get(&(key.category, *t)))
            .flatten()
            .copied()
            .collect(),
    };
    let mut served: Vec<u32> = candidates
        .into_iter()
        .filter(|&a| {
            let class = &need_classes[a as usize];
            let fits = class.band.is_none_or(|b| key.bands & band_bit(b) != 0);
            // Excluded all together or not at all: a need of the class is
            // excluded by these offers exactly when every need of it is, since
            // the class shares one list of excluded offers.
            let first = class.members.first().copied().unwrap_or(0);
            fits && key.excluded.binary_search(&first).is_err()
        })
        .collect();
    served.sort_unstable();
    served.dedup();
    served
}

/// The exact tiered plan and the first-come baseline of these needs and
/// offers (as [`super::fit::problem`] would state them: `taken` holds the
/// (offer, need) pairs not to propose), computed on classes. `step` is
/// told as each step begins.
pub fn solve(
    needs: &[NeedFacts],
    offers: &[OfferFacts],
    taken: &HashSet<(usize, usize)>,
    step: &mut dyn FnMut(Step),
) -> Solved {
    step(Step::Classes);
    let classes = group(needs, offers, taken);
    let (flows, edges) = class_flows(&classes, offers, step);
    step(Step::Baseline);
    let baseline = greedy::first_come(&classes, needs, offers);
    step(Step::Pairs);
    let assignments = split::pairs(&classes, offers, &flows);
    let tiers: Vec<u8> = needs.iter().map(|n| tier(n.urgency)).collect();
    Solved {
        plan: Plan::from_tiers(&tiers, assignments),
        greedy: Plan::from_tiers(&tiers, baseline),
        need_classes: classes.needs.len(),
        offer_classes: classes.offers.len(),
        edges,
    }
}

/// Flow on each (offer class, need class) edge that carries some, in offer
/// class order then need class order; and the number of class edges.
fn class_flows(
    classes: &Classes,
    offers: &[OfferFacts],
    step: &mut dyn FnMut(Step),
) -> (Vec<(u32, u32, u64)>, usize) {
    let offer_nodes = classes.offers.len();
    let source = 0;
    let sink = 1;
    let need_node = |a: usize| 2 + offer_nodes + a;
    let mut network = Network::new(2 + offer_nodes + classes.needs.len());
    let mut edges = Vec::new();
    for (b, class) in classes.offers.iter().enumerate() {
        let places: u64 = class
            .members
            .iter()
            .map(|&o| u64::from(offers[o as usize].remaining))
            .sum();
        network.add(source, 2 + b, places);
        let k = class.members.len() as u64;
        for &a in &classes.serves[class.serves] {
            let m = classes.needs[a as usize].members.len() as u64;
            let at = network.add(2 + b, need_node(a as usize), k * m);
            edges.push((b as u32, a, at, k * m));
        }
    }
    let max_tier = classes.needs.iter().map(|a| a.tier).max();
    for t in 0..=max_tier.unwrap_or(0) {
        if max_tier.is_none() {
            break;
        }
        step(Step::Tier(t));
        for (a, class) in classes.needs.iter().enumerate() {
            if class.tier == t {
                let wanted = class.members.len() as u64 * u64::from(class.demand);
                network.add(need_node(a), sink, wanted);
            }
        }
        network.max_flow(source, sink);
    }
    let count = edges.len();
    let flows = edges
        .into_iter()
        .filter_map(|(b, a, at, cap)| {
            let left = network.graph[2 + b as usize][at].cap;
            (left < cap).then_some((b, a, cap - left))
        })
        .collect();
    (flows, count)
}

#[cfg(test)]
mod tests;
