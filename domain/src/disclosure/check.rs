//! An independent check of a published table: which hidden figures the
//! shown ones determine exactly, by linear algebra over the table's sum
//! equations (not by the graph argument the suppression itself uses), so
//! that tests and the public answer can be verified against it.

use super::{Figure, Published};

/// A figure of the extended table: `(row, column)`, where row `rows` is
/// the column totals and column `columns` the row totals.
pub type Position = (usize, usize);

/// The hidden figures of `table` that some linear combination of its
/// shown figures and sum equations yields exactly.
pub fn recoverable(table: &Published) -> Vec<Position> {
    let rows = table.cells.len();
    let cols = table.column_totals.len();
    let at = |r: usize, c: usize| -> Figure {
        match (r == rows, c == cols) {
            (false, false) => table.cells[r][c],
            (false, true) => table.row_totals[r],
            (true, false) => table.column_totals[c],
            (true, true) => table.grand_total,
        }
    };
    let mut unknowns: Vec<Position> = Vec::new();
    for r in 0..=rows {
        for c in 0..=cols {
            if at(r, c).value().is_none() {
                unknowns.push((r, c));
            }
        }
    }
    let index = |p: Position| unknowns.iter().position(|&u| u == p);
    // One equation per line of the extended table: its cells minus its
    // total is zero. Only the hidden figures' coefficients matter.
    let mut equations: Vec<Vec<f64>> = Vec::new();
    for r in 0..=rows {
        let mut eq = vec![0.0; unknowns.len()];
        for c in 0..=cols {
            if let Some(i) = index((r, c)) {
                eq[i] = if c == cols { -1.0 } else { 1.0 };
            }
        }
        equations.push(eq);
    }
    for c in 0..=cols {
        let mut eq = vec![0.0; unknowns.len()];
        for r in 0..=rows {
            if let Some(i) = index((r, c)) {
                eq[i] = if r == rows { -1.0 } else { 1.0 };
            }
        }
        equations.push(eq);
    }
    let base = rank(equations.clone());
    unknowns
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            let mut with = equations.clone();
            let mut unit = vec![0.0; unknowns.len()];
            unit[*i] = 1.0;
            with.push(unit);
            rank(with) == base
        })
        .map(|(_, &p)| p)
        .collect()
}

/// The rank of a small matrix of small integers (Gaussian elimination
/// with partial pivoting; entries stay small, so a tolerance is safe).
fn rank(mut m: Vec<Vec<f64>>) -> usize {
    let cols = m.first().map_or(0, Vec::len);
    let mut rank = 0;
    for col in 0..cols {
        let Some(pivot) = (rank..m.len())
            .filter(|&r| m[r][col].abs() > 1e-9)
            .max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))
        else {
            continue;
        };
        m.swap(rank, pivot);
        let head = m[rank].clone();
        for (r, row) in m.iter_mut().enumerate() {
            if r == rank {
                continue;
            }
            let factor = row[col] / head[col];
            if factor.abs() > 1e-12 {
                for (x, h) in row.iter_mut().zip(&head) {
                    *x -= factor * h;
                }
            }
        }
        rank += 1;
    }
    rank
}
