//! The county-wide allocation plan: given open needs (each wanting one
//! place, in urgency tiers) and offers (each with places left), which offer
//! should serve which need so that the most urgent needs are covered first
//! and the most needs overall within every offer's capacity and area.
//!
//! The needs that can be covered together form a matroid (a gammoid: the
//! endpoints of disjoint paths in a flow network), so covering tier by
//! tier with maximum flow is exact: augmenting paths never uncover a need,
//! each tier's count is the largest possible given the tiers above it, and
//! the final flow is a maximum flow over all needs. Flows are found with
//! Dinic's algorithm. [`greedy`] is the first-come baseline the plan is
//! compared with.

/// An allocation problem. Which offer may serve which need (category, area,
/// age, dates) is decided by the caller and given as `edges`.
#[derive(Clone, Debug, Default)]
pub struct Problem {
    /// Places left on each offer.
    pub capacities: Vec<u32>,
    /// Each need's tier: 0 is the most urgent.
    pub tiers: Vec<u8>,
    /// (offer, need) pairs that may be matched.
    pub edges: Vec<(usize, usize)>,
}

/// Which offer serves which need, and how many needs of each tier are covered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// (offer, need) pairs, sorted.
    pub assignments: Vec<(usize, usize)>,
    /// Covered needs per tier, indexed by tier.
    pub covered: Vec<usize>,
}

impl Plan {
    fn from_assignments(problem: &Problem, mut assignments: Vec<(usize, usize)>) -> Plan {
        assignments.sort_unstable();
        let tiers = problem
            .tiers
            .iter()
            .map(|&t| usize::from(t) + 1)
            .max()
            .unwrap_or(0);
        let mut covered = vec![0; tiers];
        for &(_, need) in &assignments {
            if let Some(&tier) = problem.tiers.get(need) {
                covered[usize::from(tier)] += 1;
            }
        }
        Plan {
            assignments,
            covered,
        }
    }

    /// All covered needs.
    pub fn total(&self) -> usize {
        self.covered.iter().sum()
    }
}

#[derive(Clone, Copy, Debug)]
struct Edge {
    to: usize,
    /// Index of the reverse edge in `graph[to]`.
    rev: usize,
    cap: u32,
}

/// A flow network with Dinic's algorithm.
struct Network {
    graph: Vec<Vec<Edge>>,
    level: Vec<i32>,
    next: Vec<usize>,
}

impl Network {
    fn new(nodes: usize) -> Network {
        Network {
            graph: vec![Vec::new(); nodes],
            level: vec![-1; nodes],
            next: vec![0; nodes],
        }
    }

    /// Adds an edge; returns its position in `graph[from]`.
    fn add(&mut self, from: usize, to: usize, cap: u32) -> usize {
        let at = self.graph[from].len();
        let rev = self.graph[to].len() + usize::from(from == to);
        self.graph[from].push(Edge { to, rev, cap });
        self.graph[to].push(Edge {
            to: from,
            rev: at,
            cap: 0,
        });
        at
    }

    fn levels(&mut self, source: usize, sink: usize) -> bool {
        self.level.iter_mut().for_each(|l| *l = -1);
        let mut queue = std::collections::VecDeque::from([source]);
        self.level[source] = 0;
        while let Some(node) = queue.pop_front() {
            for edge in &self.graph[node] {
                if edge.cap > 0 && self.level[edge.to] < 0 {
                    self.level[edge.to] = self.level[node] + 1;
                    queue.push_back(edge.to);
                }
            }
        }
        self.level[sink] >= 0
    }

    /// One augmenting path in the level graph, iteratively (no recursion:
    /// paths are short here, but inputs are not ours to bound).
    fn augment(&mut self, source: usize, sink: usize) -> u32 {
        let mut path: Vec<(usize, usize)> = Vec::new();
        let mut node = source;
        loop {
            if node == sink {
                let pushed = path
                    .iter()
                    .map(|&(n, i)| self.graph[n][i].cap)
                    .min()
                    .unwrap_or(0);
                for &(n, i) in &path {
                    let Edge { to, rev, .. } = self.graph[n][i];
                    self.graph[n][i].cap -= pushed;
                    self.graph[to][rev].cap += pushed;
                }
                return pushed;
            }
            let mut advanced = false;
            while self.next[node] < self.graph[node].len() {
                let i = self.next[node];
                let edge = self.graph[node][i];
                if edge.cap > 0 && self.level[edge.to] == self.level[node] + 1 {
                    path.push((node, i));
                    node = edge.to;
                    advanced = true;
                    break;
                }
                self.next[node] += 1;
            }
            if !advanced {
                // Dead end: retreat and skip the edge that led here.
                let Some((previous, i)) = path.pop() else {
                    return 0;
                };
                self.level[node] = -1;
                node = previous;
                self.next[node] = i + 1;
            }
        }
    }

    fn max_flow(&mut self, source: usize, sink: usize) -> u64 {
        let mut flow = 0;
        while self.levels(source, sink) {
            self.next.iter_mut().for_each(|n| *n = 0);
            loop {
                let pushed = self.augment(source, sink);
                if pushed == 0 {
                    break;
                }
                flow += u64::from(pushed);
            }
        }
        flow
    }
}

/// The exact plan: tier by tier, as much coverage as capacity and areas allow.
pub fn plan(problem: &Problem) -> Plan {
    let offers = problem.capacities.len();
    let needs = problem.tiers.len();
    let source = offers + needs;
    let sink = source + 1;
    let mut network = Network::new(sink + 1);
    for (offer, &capacity) in problem.capacities.iter().enumerate() {
        network.add(source, offer, capacity);
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
                network.add(offers + need, sink, 1);
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
/// taking the first listed offer that serves it and still has a place.
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
        if let Some(&offer) = offers.iter().find(|&&o| left[o] > 0) {
            left[offer] -= 1;
            assignments.push((offer, need));
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
            edges: edges.to_vec(),
        }
    }

    fn valid(problem: &Problem, plan: &Plan) -> bool {
        let mut used = vec![0u32; problem.capacities.len()];
        let mut needs = std::collections::HashSet::new();
        plan.assignments.iter().all(|&(o, n)| {
            used[o] += 1;
            problem.edges.contains(&(o, n)) && needs.insert(n)
        }) && used.iter().zip(&problem.capacities).all(|(u, c)| u <= c)
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
    fn capacity_and_areas_bound_the_plan() {
        let p = problem(&[2, 0], &[1, 1, 1, 1], &[(0, 0), (0, 1), (0, 2), (1, 3)]);
        let best = plan(&p);
        assert_eq!(best.total(), 2);
        assert!(valid(&p, &best));
        assert_eq!(plan(&Problem::default()), Plan::default());
    }

    /// The lexicographic optimum by trying every assignment (tiny inputs).
    fn brute_force(p: &Problem) -> Vec<usize> {
        fn walk(
            p: &Problem,
            need: usize,
            left: &mut Vec<u32>,
            covered: &mut Vec<usize>,
            best: &mut Vec<usize>,
        ) {
            if need == p.tiers.len() {
                if *covered > *best {
                    best.clone_from(covered);
                }
                return;
            }
            walk(p, need + 1, left, covered, best);
            let tier = usize::from(p.tiers[need]);
            for &(o, n) in &p.edges {
                if n == need && left[o] > 0 {
                    left[o] -= 1;
                    covered[tier] += 1;
                    walk(p, need + 1, left, covered, best);
                    covered[tier] -= 1;
                    left[o] += 1;
                }
            }
        }
        let tiers = p
            .tiers
            .iter()
            .map(|&t| usize::from(t) + 1)
            .max()
            .unwrap_or(0);
        let mut best = vec![0; tiers];
        walk(
            p,
            0,
            &mut p.capacities.clone(),
            &mut vec![0; tiers],
            &mut best,
        );
        best
    }

    fn small_problem() -> impl Strategy<Value = Problem> {
        (1usize..=4, 1usize..=6).prop_flat_map(|(offers, needs)| {
            (
                proptest::collection::vec(0u32..=2, offers),
                proptest::collection::vec(0u8..=2, needs),
                proptest::collection::vec((0..offers, 0..needs), 0..=12),
            )
                .prop_map(|(capacities, tiers, mut edges)| {
                    edges.sort_unstable();
                    edges.dedup();
                    Problem {
                        capacities,
                        tiers,
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
