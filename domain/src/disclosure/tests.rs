use proptest::prelude::*;

use super::check::recoverable;
use super::{Figure, Published, Table};

fn every_figure(p: &Published) -> Vec<Figure> {
    let mut all: Vec<Figure> = p.cells.iter().flatten().copied().collect();
    all.extend(&p.row_totals);
    all.extend(&p.column_totals);
    all.push(p.grand_total);
    all
}

#[test]
fn a_lone_small_cell_is_not_left_recoverable_from_its_row_total() {
    // The example: township total 12, categories 5, 6 and 1.
    let table = Table::new(vec![vec![5, 6, 1], vec![9, 8, 7]], 3).expect("table");
    let out = table.publish(5);
    assert_eq!(out.cells[0][2], Figure::Small);
    assert!(recoverable(&out).is_empty(), "{out:?}");
    let hidden = every_figure(&out)
        .iter()
        .filter(|f| f.value().is_none())
        .count();
    assert!(
        hidden >= 4,
        "a lone hidden cell needs a partner in its row and column: {out:?}"
    );
}

#[test]
fn a_table_of_large_counts_is_published_whole() {
    let table = Table::new(vec![vec![10, 20], vec![30, 40]], 2).expect("table");
    let out = table.publish(5);
    assert!(every_figure(&out).iter().all(|f| f.value().is_some()));
    assert_eq!(out.grand_total, Figure::Shown(100));
}

#[test]
fn two_hidden_blocks_joined_by_one_figure_are_closed() {
    // Rows {0,1} × cols {0,1} and rows {2,3} × cols {2,3} small, joined
    // only through figures the greedy rule might pick singly.
    let table = Table::new(
        vec![
            vec![1, 2, 50, 60],
            vec![3, 1, 70, 80],
            vec![90, 95, 2, 1],
            vec![99, 98, 1, 3],
        ],
        4,
    )
    .expect("table");
    let out = table.publish(5);
    assert!(recoverable(&out).is_empty(), "{out:?}");
}

#[test]
fn the_check_finds_a_figure_left_alone_in_its_row() {
    // A hand-made unsafe publication: the check must see through it.
    let unsafe_one = Published {
        cells: vec![vec![Figure::Shown(5), Figure::Shown(6), Figure::Small]],
        row_totals: vec![Figure::Shown(12)],
        column_totals: vec![Figure::Shown(5), Figure::Shown(6), Figure::Small],
        grand_total: Figure::Shown(12),
    };
    assert_eq!(recoverable(&unsafe_one), vec![(0, 2), (1, 2)]);
}

#[test]
fn display_shows_small_figures_as_under_k() {
    assert_eq!(Figure::Small.display(5), "<5");
    assert_eq!(Figure::Shown(7).display(5), "7");
    assert_eq!(Figure::Hidden.display(5), "*");
}

fn tables() -> impl Strategy<Value = (Vec<Vec<u64>>, usize)> {
    (1usize..6, 1usize..5).prop_flat_map(|(rows, cols)| {
        (
            prop::collection::vec(
                prop::collection::vec(prop_oneof![3 => 0u64..8, 2 => 5u64..60], cols),
                rows,
            ),
            Just(cols),
        )
    })
}

proptest! {
    #[test]
    fn no_published_figure_is_under_k_and_none_hidden_is_recoverable(
        (cells, cols) in tables(),
        k in 2u64..7,
    ) {
        let table = Table::new(cells, cols).expect("rectangular");
        let out = table.publish(k);
        for figure in every_figure(&out) {
            if let Some(v) = figure.value() {
                prop_assert!(v >= k, "{v} shown under k={k}");
            }
        }
        prop_assert!(recoverable(&out).is_empty(), "recoverable: {:?} in {:?}", recoverable(&out), out);
    }

    #[test]
    fn shown_figures_are_the_true_counts((cells, cols) in tables()) {
        let table = Table::new(cells.clone(), cols).expect("rectangular");
        let out = table.publish(5);
        for (r, row) in cells.iter().enumerate() {
            for (c, &v) in row.iter().enumerate() {
                if let Some(shown) = out.cells[r][c].value() {
                    prop_assert_eq!(shown, v);
                }
            }
            if let Some(total) = out.row_totals[r].value() {
                prop_assert_eq!(total, row.iter().sum::<u64>());
            }
        }
    }
}
