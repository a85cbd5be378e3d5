//! Disclosure control of public tables (公开统计的小数抑制): which cells of a
//! table of child counts, with its row and column totals, are published.
//!
//! **Primary suppression.** Every figure (cell or total) under k is hidden.
//!
//! **Complementary suppression.** A table with its totals is a set of
//! linear equations (each row of cells sums to its row total, each column
//! to its column total, and the totals to the grand total). Seen as a
//! bipartite graph — one node per row of the extended table (rows plus the
//! totals row), one per column (columns plus the totals column), one edge
//! per hidden figure — a hidden figure is determined by the shown ones
//! exactly when its edge is a bridge, i.e. lies on no cycle. So further
//! figures are hidden, the smallest first, until no hidden edge is a
//! bridge. This implies the textbook rule (no row or column with exactly
//! one hidden figure) and also closes the case it misses (two hidden
//! blocks joined by a single figure).
//!
//! Pure: no database, web or view code here.

/// A table of counts with its margins: `cells[r][c]`, every row as long
/// as `columns`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    cells: Vec<Vec<u64>>,
    columns: usize,
}

/// One published figure: its value, or hidden (shown as "<k" when it is
/// under k, else as "*" — hidden only to protect another figure).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Figure {
    Shown(u64),
    /// Under k (primary suppression).
    Small,
    /// Hidden to protect another figure (complementary suppression).
    Hidden,
}

impl Figure {
    /// The shown value, if any.
    pub fn value(self) -> Option<u64> {
        match self {
            Figure::Shown(v) => Some(v),
            Figure::Small | Figure::Hidden => None,
        }
    }

    /// As published: the number, "<k", or "*".
    pub fn display(self, k: u64) -> String {
        match self {
            Figure::Shown(v) => v.to_string(),
            Figure::Small => format!("<{k}"),
            Figure::Hidden => "*".to_owned(),
        }
    }
}

/// A table as published: every cell and margin a [`Figure`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    /// `cells[r][c]` for the inner table.
    pub cells: Vec<Vec<Figure>>,
    /// The total of each row.
    pub row_totals: Vec<Figure>,
    /// The total of each column.
    pub column_totals: Vec<Figure>,
    pub grand_total: Figure,
}

impl Table {
    /// A table of `columns` columns; rows shorter or longer are an error.
    pub fn new(cells: Vec<Vec<u64>>, columns: usize) -> Option<Self> {
        cells
            .iter()
            .all(|row| row.len() == columns)
            .then_some(Self { cells, columns })
    }

    pub fn rows(&self) -> usize {
        self.cells.len()
    }

    pub fn columns(&self) -> usize {
        self.columns
    }

    /// The extended table: cells, row totals in the last column, column
    /// totals in the last row, the grand total in the corner.
    fn extended(&self) -> Vec<Vec<u64>> {
        let (rows, cols) = (self.rows(), self.columns);
        let mut out = vec![vec![0u64; cols + 1]; rows + 1];
        for (r, row) in self.cells.iter().enumerate() {
            for (c, &v) in row.iter().enumerate() {
                out[r][c] = v;
                out[r][cols] += v;
                out[rows][c] += v;
                out[rows][cols] += v;
            }
        }
        out
    }

    /// Publishes the table under threshold `k` (k ≥ 1): figures under k
    /// hidden, then the fewest further figures (greedily, smallest first)
    /// so that no hidden figure can be worked out from the shown ones.
    pub fn publish(&self, k: u64) -> Published {
        let ext = self.extended();
        let (rows, cols) = (ext.len(), ext.first().map_or(0, Vec::len));
        let mut hidden = vec![vec![None::<Figure>; cols]; rows];
        for (r, row) in ext.iter().enumerate() {
            for (c, &v) in row.iter().enumerate() {
                if v < k {
                    hidden[r][c] = Some(Figure::Small);
                }
            }
        }
        protect(&ext, &mut hidden);
        let figure = |r: usize, c: usize| hidden[r][c].unwrap_or(Figure::Shown(ext[r][c]));
        let (inner_rows, inner_cols) = (rows - 1, cols - 1);
        Published {
            cells: (0..inner_rows)
                .map(|r| (0..inner_cols).map(|c| figure(r, c)).collect())
                .collect(),
            row_totals: (0..inner_rows).map(|r| figure(r, inner_cols)).collect(),
            column_totals: (0..inner_cols).map(|c| figure(inner_rows, c)).collect(),
            grand_total: figure(inner_rows, inner_cols),
        }
    }
}

/// Hides further figures until every hidden one lies on a cycle of the
/// row–column graph (see the module's note).
fn protect(ext: &[Vec<u64>], hidden: &mut [Vec<Option<Figure>>]) {
    let rows = ext.len();
    let cols = ext.first().map_or(0, Vec::len);
    // Each round hides one figure; the table has rows × cols of them.
    for _ in 0..rows * cols {
        let Some((r, c)) = first_bridge(hidden, rows, cols) else {
            return;
        };
        // The two sides the bridge holds together: adding any figure
        // between them closes a cycle through it.
        let mut without = hidden.to_vec();
        without[r][c] = None;
        let side = component(&without, rows, cols, r);
        let other = component_of_column(&without, rows, cols, c);
        let mut best: Option<(u64, usize, usize)> = None;
        for (rr, row) in ext.iter().enumerate() {
            for (cc, &v) in row.iter().enumerate() {
                if hidden[rr][cc].is_some() {
                    continue;
                }
                let crosses =
                    (side.rows[rr] && other.cols[cc]) || (other.rows[rr] && side.cols[cc]);
                // Failing a crossing figure (a side with no row or no
                // column yet), one in the bridge's own row or column
                // grows that side.
                let near = rr == r || cc == c;
                let rank = if crosses {
                    0
                } else if near {
                    1
                } else {
                    continue;
                };
                let key = (rank * (u64::MAX / 4)).saturating_add(v);
                if best.is_none_or(|(b, _, _)| key < b) {
                    best = Some((key, rr, cc));
                }
            }
        }
        match best {
            Some((_, rr, cc)) => hidden[rr][cc] = Some(Figure::Hidden),
            None => return,
        }
    }
}

/// Which row and column nodes are reachable from row `start`.
struct Side {
    rows: Vec<bool>,
    cols: Vec<bool>,
}

fn component(hidden: &[Vec<Option<Figure>>], rows: usize, cols: usize, start: usize) -> Side {
    let mut side = Side {
        rows: vec![false; rows],
        cols: vec![false; cols],
    };
    side.rows[start] = true;
    reach(hidden, rows, cols, &mut side, start);
    side
}

/// Which row and column nodes are reachable from column `start`.
fn component_of_column(
    hidden: &[Vec<Option<Figure>>],
    rows: usize,
    cols: usize,
    start: usize,
) -> Side {
    let mut side = Side {
        rows: vec![false; rows],
        cols: vec![false; cols],
    };
    side.cols[start] = true;
    reach(hidden, rows, cols, &mut side, rows + start);
    side
}

/// Marks in `side` every node reachable from `node` (nodes 0..rows are
/// rows, rows..rows+cols columns) over hidden figures.
fn reach(hidden: &[Vec<Option<Figure>>], rows: usize, cols: usize, side: &mut Side, node: usize) {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        if node < rows {
            for (c, figure) in hidden[node].iter().enumerate().take(cols) {
                if figure.is_some() && !side.cols[c] {
                    side.cols[c] = true;
                    stack.push(rows + c);
                }
            }
        } else {
            let c = node - rows;
            for (r, row) in hidden.iter().enumerate().take(rows) {
                if row[c].is_some() && !side.rows[r] {
                    side.rows[r] = true;
                    stack.push(r);
                }
            }
        }
    }
}

/// A hidden figure whose edge is a bridge (lies on no cycle), if any: one
/// whose removal disconnects its row from its column.
fn first_bridge(
    hidden: &[Vec<Option<Figure>>],
    rows: usize,
    cols: usize,
) -> Option<(usize, usize)> {
    let mut without = hidden.to_vec();
    for r in 0..rows {
        for c in 0..cols {
            if hidden[r][c].is_none() {
                continue;
            }
            without[r][c] = None;
            let side = component(&without, rows, cols, r);
            without[r][c] = hidden[r][c];
            if !side.cols[c] {
                return Some((r, c));
            }
        }
    }
    None
}

pub mod check;

#[cfg(test)]
mod tests;
