//! Which offer may serve which need in the allocation plan, how many places
//! a need wants, and its tier: the rules that turn needs and offers into a
//! [`Problem`]. An offer serves a need when both are of one category, the
//! offer serves the need's township (or the whole county), and the offer's
//! ages meet the need's age band when both are known.

use std::collections::{HashMap, HashSet};

use super::super::category::Category;
use super::super::child::AgeBand;
use super::super::matching;
use super::super::need::Urgency;
use super::super::offer::AgeRange;
use super::Problem;

/// What the plan knows of an open need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NeedFacts {
    pub category: Category,
    /// The need's own township (staff-side: the plan is for staff).
    pub township: String,
    /// The band the need's projection shows; `None` when it is not known.
    pub band: Option<AgeBand>,
    pub urgency: Urgency,
    /// Places still wanted (see [`places_wanted`]), after the matches that
    /// already hold one.
    pub places: u32,
}

/// What the plan knows of an offer with places left.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfferFacts {
    pub category: Category,
    pub county_wide: bool,
    /// The townships it serves when not county-wide.
    pub townships: Vec<String>,
    /// `None` when the offer names no ages.
    pub ages: Option<AgeRange>,
    pub remaining: u32,
}

/// The tier of an urgency: critical 0, urgent 1, normal 2.
pub fn tier(urgency: Urgency) -> u8 {
    match urgency {
        Urgency::Critical => 0,
        Urgency::Urgent => 1,
        Urgency::Normal => 2,
    }
}

/// The urgency of a tier (the inverse of [`tier`]).
pub fn urgency_of(tier: u8) -> Urgency {
    match tier {
        0 => Urgency::Critical,
        1 => Urgency::Urgent,
        _ => Urgency::Normal,
    }
}

/// Most places one need may want: a need is one child's, so a larger
/// number is a typing slip, not a reason to drain every offer.
pub const MAX_PLACES: u32 = 10;

/// Places a need wants: as many as the matches that cover it
/// ([`matching::matches_wanted`]: people for a service, one for money,
/// goods or medical aid), at most [`MAX_PLACES`].
pub fn places_wanted(category: Category, quantity: Option<i32>) -> u32 {
    matching::matches_wanted(category, quantity).min(MAX_PLACES)
}

/// Whether an offer for `ages` may serve a child of `band`: the ranges
/// overlap. Either unknown: it may (the officer checks when approving).
pub fn ages_fit(band: Option<AgeBand>, ages: Option<AgeRange>) -> bool {
    match (band, ages) {
        (Some(band), Some(ages)) => {
            let (lo, hi) = band.years();
            i16::from(ages.min) <= hi && lo <= i16::from(ages.max)
        }
        _ => true,
    }
}

/// Whether `offer` may serve `need` (places aside).
pub fn serves(offer: &OfferFacts, need: &NeedFacts) -> bool {
    offer.category == need.category
        && (offer.county_wide || offer.townships.contains(&need.township))
        && ages_fit(need.band, offer.ages)
}

/// The problem for these needs and offers, in the order given (the order
/// [`super::greedy`] serves them in). `taken` holds (offer, need) pairs that
/// already have an open match: the plan does not propose them again.
pub fn problem(
    needs: &[NeedFacts],
    offers: &[OfferFacts],
    taken: &HashSet<(usize, usize)>,
) -> Problem {
    let mut by_category: HashMap<Category, Vec<usize>> = HashMap::new();
    for (i, offer) in offers.iter().enumerate() {
        if offer.remaining > 0 {
            by_category.entry(offer.category).or_default().push(i);
        }
    }
    let mut edges = Vec::new();
    for (n, need) in needs.iter().enumerate() {
        if need.places == 0 {
            continue;
        }
        for &o in by_category.get(&need.category).into_iter().flatten() {
            if serves(&offers[o], need) && !taken.contains(&(o, n)) {
                edges.push((o, n));
            }
        }
    }
    Problem {
        capacities: offers.iter().map(|o| o.remaining).collect(),
        tiers: needs.iter().map(|n| tier(n.urgency)).collect(),
        demands: needs.iter().map(|n| n.places).collect(),
        edges,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{greedy, plan};
    use super::*;

    const A: &str = "500235001";
    const B: &str = "500235101";

    fn need(category: Category, township: &str, band: AgeBand, urgency: Urgency) -> NeedFacts {
        NeedFacts {
            category,
            township: township.to_owned(),
            band: Some(band),
            urgency,
            places: 1,
        }
    }

    fn offer(category: Category, townships: &[&str], ages: (u8, u8), remaining: u32) -> OfferFacts {
        OfferFacts {
            category,
            county_wide: townships.is_empty(),
            townships: townships.iter().map(|t| (*t).to_owned()).collect(),
            ages: Some(AgeRange {
                min: ages.0,
                max: ages.1,
            }),
            remaining,
        }
    }

    #[test]
    fn category_area_and_age_decide_who_may_serve() {
        let tutoring = need(Category::Tutoring, A, AgeBand::Primary, Urgency::Normal);
        assert!(serves(
            &offer(Category::Tutoring, &[A], (6, 14), 3),
            &tutoring
        ));
        assert!(serves(
            &offer(Category::Tutoring, &[], (10, 17), 3),
            &tutoring
        ));
        assert!(!serves(
            &offer(Category::Counselling, &[A], (6, 14), 3),
            &tutoring
        ));
        assert!(!serves(
            &offer(Category::Tutoring, &[B], (6, 14), 3),
            &tutoring
        ));
        assert!(!serves(
            &offer(Category::Tutoring, &[A], (12, 17), 3),
            &tutoring
        ));
        let any_age = OfferFacts {
            ages: None,
            ..offer(Category::Tutoring, &[A], (0, 0), 3)
        };
        assert!(serves(&any_age, &tutoring));
        let unknown_band = NeedFacts {
            band: None,
            ..tutoring
        };
        assert!(serves(
            &offer(Category::Tutoring, &[A], (0, 2), 3),
            &unknown_band
        ));
    }

    #[test]
    fn bands_fit_at_their_edges() {
        let range = |min, max| Some(AgeRange { min, max });
        assert!(ages_fit(Some(AgeBand::Junior), range(14, 17)));
        assert!(ages_fit(Some(AgeBand::Junior), range(0, 12)));
        assert!(!ages_fit(Some(AgeBand::Junior), range(15, 17)));
        assert!(!ages_fit(Some(AgeBand::Infant), range(3, 17)));
        assert!(ages_fit(None, range(3, 4)));
    }

    #[test]
    fn services_want_their_people_and_gifts_one_match() {
        assert_eq!(places_wanted(Category::Tutoring, None), 1);
        assert_eq!(places_wanted(Category::Tutoring, Some(2)), 2);
        assert_eq!(places_wanted(Category::Tutoring, Some(0)), 1);
        assert_eq!(places_wanted(Category::Tutoring, Some(-3)), 1);
        assert_eq!(places_wanted(Category::Tutoring, Some(500)), MAX_PLACES);
        assert_eq!(places_wanted(Category::DonationMoney, Some(5000)), 1);
        assert_eq!(places_wanted(Category::DonationGoods, Some(4)), 1);
        assert_eq!(places_wanted(Category::Medical, Some(20000)), 1);
    }

    #[test]
    fn tiers_put_critical_first_and_round_trip() {
        for urgency in [Urgency::Critical, Urgency::Urgent, Urgency::Normal] {
            assert_eq!(urgency_of(tier(urgency)), urgency);
        }
        assert!(tier(Urgency::Critical) < tier(Urgency::Urgent));
        assert!(tier(Urgency::Urgent) < tier(Urgency::Normal));
    }

    #[test]
    fn the_problem_skips_taken_pairs_full_offers_and_covered_needs() {
        let needs = vec![
            need(Category::Tutoring, A, AgeBand::Primary, Urgency::Normal),
            need(Category::Tutoring, B, AgeBand::Primary, Urgency::Critical),
            NeedFacts {
                places: 0,
                ..need(Category::Tutoring, A, AgeBand::Primary, Urgency::Urgent)
            },
        ];
        let offers = vec![
            offer(Category::Tutoring, &[], (6, 11), 1),
            offer(Category::Tutoring, &[A], (6, 11), 0),
            offer(Category::Tutoring, &[A, B], (6, 11), 2),
        ];
        let taken = HashSet::from([(2, 1)]);
        let p = problem(&needs, &offers, &taken);
        assert_eq!(p.edges, vec![(0, 0), (2, 0), (0, 1)]);
        assert_eq!(p.tiers, vec![2, 0, 1]);
        assert_eq!(p.capacities, vec![1, 0, 2]);
        // The critical need may only take the county-wide place. The plan
        // gives it that place and serves the normal need from offer 2;
        // first come spends the county-wide place on the normal need, which
        // came first, and strands the critical one.
        let best = plan(&p);
        assert_eq!(best.assignments, vec![(0, 1), (2, 0)]);
        assert_eq!(greedy(&p).assignments, vec![(0, 0)]);
    }
}
