//! A flow network and Dinic's maximum-flow algorithm, for the plan.

#[derive(Clone, Copy, Debug)]
pub(super) struct Edge {
    to: usize,
    /// Index of the reverse edge in `graph[to]`.
    rev: usize,
    pub(super) cap: u64,
}

/// A flow network with Dinic's algorithm.
pub(super) struct Network {
    pub(super) graph: Vec<Vec<Edge>>,
    level: Vec<i32>,
    next: Vec<usize>,
}

impl Network {
    pub(super) fn new(nodes: usize) -> Network {
        Network {
            graph: vec![Vec::new(); nodes],
            level: vec![-1; nodes],
            next: vec![0; nodes],
        }
    }

    /// Adds an edge; returns its position in `graph[from]`.
    pub(super) fn add(&mut self, from: usize, to: usize, cap: u64) -> usize {
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
    fn augment(&mut self, source: usize, sink: usize) -> u64 {
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

    pub(super) fn max_flow(&mut self, source: usize, sink: usize) -> u64 {
        let mut flow = 0;
        while self.levels(source, sink) {
            self.next.iter_mut().for_each(|n| *n = 0);
            loop {
                let pushed = self.augment(source, sink);
                if pushed == 0 {
                    break;
                }
                flow += pushed;
            }
        }
        flow
    }
}
