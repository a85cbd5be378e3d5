//! The class plan against the pair plan (itself checked against brute
//! force) and against brute force directly, on small random counties.

use std::collections::HashSet;

use proptest::prelude::*;

use super::super::super::category::Category;
use super::super::super::child::AgeBand;
use super::super::super::need::Urgency;
use super::super::super::offer::AgeRange;
use super::super::fit::{self, NeedFacts, OfferFacts};
use super::super::{Problem, greedy, plan};
use super::{Solved, solve};

const TOWNSHIPS: [&str; 3] = ["500235001", "500235101", "500235102"];
const CATEGORIES: [Category; 2] = [Category::Tutoring, Category::Counselling];

fn need() -> impl Strategy<Value = NeedFacts> {
    (0usize..2, 0usize..3, 0usize..6, 0usize..3, 0u32..=3).prop_map(
        |(category, township, band, urgency, places)| NeedFacts {
            category: CATEGORIES[category],
            township: TOWNSHIPS[township].to_owned(),
            band: AgeBand::ALL.get(band).copied(),
            urgency: [Urgency::Critical, Urgency::Urgent, Urgency::Normal][urgency],
            places,
        },
    )
}

fn offer() -> impl Strategy<Value = OfferFacts> {
    (
        0usize..2,
        proptest::bool::weighted(0.3),
        proptest::collection::vec(0usize..3, 0..=2),
        proptest::option::weighted(0.8, (0u8..=17, 0u8..=8)),
        0u32..=4,
    )
        .prop_map(
            |(category, county_wide, townships, ages, remaining)| OfferFacts {
                category: CATEGORIES[category],
                county_wide,
                townships: if county_wide {
                    Vec::new()
                } else {
                    townships.iter().map(|&t| TOWNSHIPS[t].to_owned()).collect()
                },
                ages: ages.map(|(min, span)| AgeRange {
                    min,
                    max: (min + span).min(17),
                }),
                remaining,
            },
        )
}

type County = (Vec<NeedFacts>, Vec<OfferFacts>, HashSet<(usize, usize)>);

fn county(max_needs: usize, max_offers: usize) -> impl Strategy<Value = County> {
    (
        proptest::collection::vec(need(), 0..=max_needs),
        proptest::collection::vec(offer(), 0..=max_offers),
    )
        .prop_flat_map(|(needs, offers)| {
            let pairs = (0..offers.len().max(1), 0..needs.len().max(1));
            let taken = proptest::collection::hash_set(pairs, 0..=3);
            (Just(needs), Just(offers), taken)
        })
        .prop_map(|(needs, offers, taken)| {
            let taken = taken
                .into_iter()
                .filter(|&(o, n)| o < offers.len() && n < needs.len())
                .collect();
            (needs, offers, taken)
        })
}

fn run(county: &County) -> (Problem, Solved) {
    let (needs, offers, taken) = county;
    let problem = fit::problem(needs, offers, taken);
    let mut steps = Vec::new();
    let solved = solve(needs, offers, taken, &mut |s| steps.push(s));
    (problem, solved)
}

/// On allowed pairs, each once, within places and places wanted.
fn valid(problem: &Problem, pairs: &[(usize, usize)]) -> Result<(), String> {
    let allowed: HashSet<&(usize, usize)> = problem.edges.iter().collect();
    let mut seen = HashSet::new();
    let mut used = vec![0u32; problem.capacities.len()];
    let mut got = vec![0u32; problem.tiers.len()];
    for pair in pairs {
        if !allowed.contains(pair) {
            return Err(format!("{pair:?} may not be matched"));
        }
        if !seen.insert(*pair) {
            return Err(format!("{pair:?} twice"));
        }
        used[pair.0] += 1;
        got[pair.1] += 1;
    }
    for (o, (u, c)) in used.iter().zip(&problem.capacities).enumerate() {
        if u > c {
            return Err(format!("offer {o} gives {u} of {c}"));
        }
    }
    for (n, &g) in got.iter().enumerate() {
        if g > problem.demand(n) {
            return Err(format!("need {n} gets {g} of {}", problem.demand(n)));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn classes_cover_each_tier_as_the_pair_plan_does(county in county(14, 10)) {
        let (problem, solved) = run(&county);
        let pairs = plan(&problem);
        prop_assert_eq!(&solved.plan.covered, &pairs.covered);
        if let Err(e) = valid(&problem, &solved.plan.assignments) {
            prop_assert!(false, "{}", e);
        }
        // First come on classes makes the very choices it makes on pairs.
        prop_assert_eq!(&solved.greedy, &greedy(&problem));
    }

    #[test]
    fn classes_match_brute_force_on_tiny_counties(county in county(4, 3)) {
        let (problem, solved) = run(&county);
        prop_assume!(problem.edges.len() <= 12);
        prop_assert_eq!(&solved.plan.covered, &super::super::tests::brute_force(&problem));
    }
}

#[test]
fn offers_of_different_places_stay_apart_where_a_need_wants_several() {
    // Two needs want three places each, one wants one; offers with 3, 3
    // and 1 places. A need takes one place per offer, so the first two
    // share the last offer's place: 6 of the 7 places, as on pairs (summing
    // places by class would claim 7).
    let wants = |places, urgency| NeedFacts {
        category: Category::Tutoring,
        township: TOWNSHIPS[0].to_owned(),
        band: Some(AgeBand::Primary),
        urgency,
        places,
    };
    let has = |remaining| OfferFacts {
        category: Category::Tutoring,
        county_wide: true,
        townships: Vec::new(),
        ages: None,
        remaining,
    };
    let needs = vec![
        wants(3, Urgency::Normal),
        wants(3, Urgency::Normal),
        wants(1, Urgency::Normal),
    ];
    let offers = vec![has(3), has(3), has(1)];
    let county = (needs, offers, HashSet::new());
    let (problem, solved) = run(&county);
    assert_eq!(solved.plan.covered, plan(&problem).covered);
    assert_eq!(solved.plan.total(), 6);
    assert!(valid(&problem, &solved.plan.assignments).is_ok());
    // Equal needs and equal offers collapse: one class each here.
    let many = (
        vec![wants(1, Urgency::Urgent); 50],
        vec![has(2), has(9), has(40)],
        HashSet::new(),
    );
    let (problem, solved) = run(&many);
    assert_eq!((solved.need_classes, solved.offer_classes), (1, 1));
    assert_eq!(solved.plan.covered, vec![0, 50]);
    assert!(valid(&problem, &solved.plan.assignments).is_ok());
}
