//! The county-wide allocation plan: given open needs (each wanting one
//! place or a few, in urgency tiers) and offers (each with places left),
//! which offer should serve which need so that the most urgent needs are
//! covered first and the most places overall within every offer's capacity
//! and area. An offer gives one need at most one place (one match per pair).
//!
//! The needs that can be covered together form a matroid (a gammoid: the
//! endpoints of disjoint paths in a flow network), so covering tier by
//! tier with maximum flow is exact: augmenting paths end at the sink and
//! never lower the flow into it through a need, so no covered place is
//! lost; each tier's count is the largest possible given the tiers above
//! it, and the final flow is a maximum flow over all needs. Flows are found
//! with Dinic's algorithm. [`greedy`] is the first-come baseline the plan
//! is compared with. Which offer may serve which need is [`fit`]'s rule.

pub mod classes;
pub mod fit;
mod flow;

/// An allocation problem. Which offer may serve which need (category, area,
/// age, dates) is decided by the caller and given as `edges`.
#[derive(Clone, Debug, Default)]
pub struct Problem {
    /// Places left on each offer.
    pub capacities: Vec<u32>,
    /// Each need's tier: 0 is the most urgent.
    pub tiers: Vec<u8>,
    /// Places each need wants; a need without an entry wants one.
    pub demands: Vec<u32>,
    /// Distinct (offer, need) pairs that may be matched.
    pub edges: Vec<(usize, usize)>,
}

impl Problem {
    /// Places `need` wants.
    pub fn demand(&self, need: usize) -> u32 {
        self.demands.get(need).copied().unwrap_or(1)
    }
}

/// Which offer serves which need, and how many places of each tier are covered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// (offer, need) pairs, sorted.
    pub assignments: Vec<(usize, usize)>,
    /// Covered places per tier, indexed by tier (a need wanting one place,
    /// the usual case, counts once).
    pub covered: Vec<usize>,
}

impl Plan {
    fn from_assignments(problem: &Problem, assignments: Vec<(usize, usize)>) -> Plan {
        Plan::from_tiers(&problem.tiers, assignments)
    }

    /// The plan of these pairs, `tiers` giving each need's tier.
    fn from_tiers(tiers: &[u8], mut assignments: Vec<(usize, usize)>) -> Plan {
        assignments.sort_unstable();
        let count = tiers.iter().map(|&t| usize::from(t) + 1).max().unwrap_or(0);
        let mut covered = vec![0; count];
        for &(_, need) in &assignments {
            if let Some(&tier) = tiers.get(need) {
                covered[usize::from(tier)] += 1;
            }
        }
        Plan {
            assignments,
            covered,
        }
    }

    /// All covered places.
    pub fn total(&self) -> usize {
        self.covered.iter().sum()
    }

    /// Places given to each need, indexed by need.
    pub fn places_by_need(&self, problem: &Problem) -> Vec<u32> {
        self.places_of(problem.tiers.len())
    }

    /// Places given to each of `needs` needs, indexed by need.
    pub fn places_of(&self, needs: usize) -> Vec<u32> {
        let mut places = vec![0; needs];
        for &(_, need) in &self.assignments {
            if let Some(p) = places.get_mut(need) {
                *p += 1;
            }
        }
        places
    }
}

/// The exact plan: tier by tier, as much coverage as capacity and areas allow.
pub fn plan(problem: &Problem) -> Plan {
    let offers = problem.capacities.len();
    let needs = problem.tiers.len();
    let source = offers + needs;
    let sink = source + 1;
    let mut network = flow::Network::new(sink + 1);
    for (offer, &capacity) in problem.capacities.iter().enumerate() {
        network.add(source, offer, u64::from(capacity));
    }
    let mut pair_edges = Vec::with_capacity(problem.edges.len());
    for &(offer, need) in &problem.edges {
        if offer < offers && need < needs {
            pair_edges.push((offer, need, network.add(offer, offers + need, 1)));
        }
    }
    let max_tier = problem.tiers.iter().copied().max();
    if let Some(max_tier) = max_tier {
        for tier in 0..=max_tier {
            for (need, _) in problem
                .tiers
                .iter()
                .enumerate()
                .filter(|(_, t)| **t == tier)
            {
                network.add(offers + need, sink, u64::from(problem.demand(need)));
            }
            network.max_flow(source, sink);
        }
    }
    let assignments = pair_edges
        .into_iter()
        .filter(|&(offer, _, at)| network.graph[offer][at].cap == 0)
        .map(|(offer, need, _)| (offer, need))
        .collect();
    Plan::from_assignments(problem, assignments)
}

/// The baseline: needs in the order given (first come, first served), each
/// taking the first listed offers that serve it and still have a place.
pub fn greedy(problem: &Problem) -> Plan {
    let mut left = problem.capacities.clone();
    let mut by_need: Vec<Vec<usize>> = vec![Vec::new(); problem.tiers.len()];
    for &(offer, need) in &problem.edges {
        if offer < left.len() && need < by_need.len() {
            by_need[need].push(offer);
        }
    }
    let mut assignments = Vec::new();
    for (need, offers) in by_need.iter().enumerate() {
        let mut wanted = problem.demand(need);
        for &offer in offers {
            if wanted == 0 {
                break;
            }
            if left[offer] > 0 {
                left[offer] -= 1;
                wanted -= 1;
                assignments.push((offer, need));
            }
        }
    }
    Plan::from_assignments(problem, assignments)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn problem(capacities: &[u32], tiers: &[u8], edges: &[(usize, usize)]) -> Problem {
        Problem {
            capacities: capacities.to_vec(),
            tiers: tiers.to_vec(),
            demands: Vec::new(),
            edges: edges.to_vec(),
        }
    }

    /// Within capacities and demands, on allowed pairs, each pair once.
    fn valid(problem: &Problem, plan: &Plan) -> bool {
        let mut used = vec![0u32; problem.capacities.len()];
        let mut pairs = std::collections::HashSet::new();
        plan.assignments.iter().all(|&(o, n)| {
            used[o] += 1;
            problem.edges.contains(&(o, n)) && pairs.insert((o, n))
        }) && used.iter().zip(&problem.capacities).all(|(u, c)| u <= c)
            && plan
                .places_by_need(problem)
                .iter()
                .enumerate()
                .all(|(n, &p)| p <= problem.demand(n))
    }

    #[test]
    fn reroutes_where_first_come_gets_stuck() {
        // Offer 0 serves needs 0 and 1; offer 1 serves need 0 only.
        let p = problem(&[1, 1], &[0, 0], &[(0, 0), (0, 1), (1, 0)]);
        assert_eq!(greedy(&p).total(), 1);
        let best = plan(&p);
        assert_eq!(best.assignments, vec![(0, 1), (1, 0)]);
    }

    #[test]
    fn the_most_urgent_come_first_even_at_the_cost_of_count() {
        // One place: the critical need (tier 0) wins over the normal one.
        let p = problem(&[1], &[2, 0], &[(0, 0), (0, 1)]);
        assert_eq!(plan(&p).assignments, vec![(0, 1)]);
        // Offer 0 can serve the critical need or two normal ones: one
        // critical need beats two normal needs.
        let p = problem(
            &[1, 1],
            &[0, 2, 2],
            &[(0, 0), (0, 1), (1, 1), (1, 2), (1, 0)],
        );
        let best = plan(&p);
        assert_eq!(best.covered, vec![1, 0, 1]);
        assert!(valid(&p, &best));
    }

    #[test]
    fn first_come_gives_the_place_to_whoever_came_first() {
        // The normal need (tier 2) was published before the urgent one
        // (tier 1); both want the only place.
        let p = problem(&[1], &[2, 1], &[(0, 0), (0, 1)]);
        let baseline = greedy(&p);
        assert_eq!(baseline.assignments, vec![(0, 0)]);
        assert_eq!(baseline.covered, vec![0, 0, 1]);
        let best = plan(&p);
        assert_eq!(best.assignments, vec![(0, 1)]);
        assert_eq!(best.covered, vec![0, 1, 0]);
    }

    #[test]
    fn greedy_covers_fewer_where_it_spends_a_wide_offer_first() {
        // Three needs of one tier. Offer 0 serves all three, offers 1 and 2
        // one each; first come takes offer 0 for need 0 and strands need 2.
        let p = problem(
            &[1, 1, 1],
            &[0, 0, 0],
            &[(0, 0), (0, 1), (0, 2), (1, 0), (2, 1)],
        );
        assert_eq!(greedy(&p).total(), 2);
        let best = plan(&p);
        assert_eq!(best.total(), 3);
        assert!(valid(&p, &best));
    }

    #[test]
    fn a_need_wanting_two_places_takes_them_from_two_offers() {
        // Offer 0 has five places but may give the need only one.
        let mut p = problem(&[5, 1], &[0], &[(0, 0), (1, 0)]);
        p.demands = vec![2];
        let best = plan(&p);
        assert_eq!(best.assignments, vec![(0, 0), (1, 0)]);
        assert_eq!(best.places_by_need(&p), vec![2]);
        assert_eq!(greedy(&p).assignments, vec![(0, 0), (1, 0)]);
        let only_one = problem(&[5], &[0], &[(0, 0)]);
        let mut only_one = Problem {
            demands: vec![2],
            ..only_one
        };
        assert_eq!(plan(&only_one).total(), 1);
        only_one.demands = vec![0];
        assert_eq!(plan(&only_one).total(), 0);
        assert_eq!(greedy(&only_one).total(), 0);
    }

    #[test]
    fn capacity_and_areas_bound_the_plan() {
        let p = problem(&[2, 0], &[1, 1, 1, 1], &[(0, 0), (0, 1), (0, 2), (1, 3)]);
        let best = plan(&p);
        assert_eq!(best.total(), 2);
        assert!(valid(&p, &best));
        assert_eq!(plan(&Problem::default()), Plan::default());
    }

    /// The lexicographic optimum by trying every subset of the allowed
    /// pairs (tiny inputs).
    pub(super) fn brute_force(p: &Problem) -> Vec<usize> {
        let tiers = p
            .tiers
            .iter()
            .map(|&t| usize::from(t) + 1)
            .max()
            .unwrap_or(0);
        let mut best = vec![0; tiers];
        for mask in 0u32..(1 << p.edges.len()) {
            let mut used = vec![0u32; p.capacities.len()];
            let mut places = vec![0u32; p.tiers.len()];
            let mut covered = vec![0; tiers];
            for (i, &(o, n)) in p.edges.iter().enumerate() {
                if mask & (1 << i) != 0 {
                    used[o] += 1;
                    places[n] += 1;
                    covered[usize::from(p.tiers[n])] += 1;
                }
            }
            let fits = used.iter().zip(&p.capacities).all(|(u, c)| u <= c)
                && places.iter().enumerate().all(|(n, &k)| k <= p.demand(n));
            if fits && covered > best {
                best = covered;
            }
        }
        best
    }

    fn small_problem() -> impl Strategy<Value = Problem> {
        (1usize..=4, 1usize..=6).prop_flat_map(|(offers, needs)| {
            (
                proptest::collection::vec(0u32..=2, offers),
                proptest::collection::vec(0u8..=2, needs),
                proptest::collection::vec(0u32..=2, needs),
                proptest::collection::vec((0..offers, 0..needs), 0..=12),
            )
                .prop_map(|(capacities, tiers, demands, mut edges)| {
                    edges.sort_unstable();
                    edges.dedup();
                    Problem {
                        capacities,
                        tiers,
                        demands,
                        edges,
                    }
                })
        })
    }

    proptest! {
        #[test]
        fn the_plan_is_the_lexicographic_optimum(p in small_problem()) {
            let best = plan(&p);
            prop_assert!(valid(&p, &best));
            prop_assert_eq!(&best.covered, &brute_force(&p));
            let baseline = greedy(&p);
            prop_assert!(valid(&p, &baseline));
            prop_assert!(baseline.total() <= best.total());
        }
    }
}

/// Whether an audited action may change what the plan reads: any write
/// to needs, offers, matches, providers, families or child files (reads
/// of files are audited too, and change nothing).
pub fn depends_on(action: &str) -> bool {
    const READS: [&str; 5] = [
        "child.view",
        "child.reveal",
        "child.list",
        "child.search",
        "child.filed_elsewhere",
    ];
    let noun = action.split('.').next().unwrap_or("");
    matches!(
        noun,
        "need" | "offer" | "match" | "provider" | "family" | "child"
    ) && !READS.contains(&action)
}

#[cfg(test)]
mod depends_on_tests {
    use super::depends_on;

    #[test]
    fn writes_to_what_the_plan_reads_count_and_reads_of_files_do_not() {
        for action in [
            "need.publish",
            "need.close",
            "offer.update",
            "offer.pause",
            "match.approve",
            "match.propose",
            "provider.decide",
            "family.decide",
            "child.close",
            "child.update",
        ] {
            assert!(depends_on(action), "{action}");
        }
        for action in [
            "child.view",
            "child.reveal",
            "child.list",
            "child.search",
            "session.login",
            "user.create",
            "regions.load",
            "vault.rotate_key",
        ] {
            assert!(!depends_on(action), "{action}");
        }
    }
}
