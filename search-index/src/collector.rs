//! One pass over the matching documents that counts both facets, the total
//! and keeps the best page, reading category and township ordinals from
//! [`crate::columns`] (no stored documents are touched, no column is opened
//! and no dictionary is read per document).
//!
//! The query given to tantivy holds the text (and, when scoring, the kind);
//! the category and township filters are applied here (a cheap array lookup
//! each), so that each facet can ignore its own filter (see
//! [`crate::Facets`]). Ranking: by score (or, when browsing, by
//! `updated_at`), highest first, ties broken by key ascending, so that pages
//! of one query on one index state never overlap or skip documents. Keys are
//! read from the key dictionary only for the documents that can reach the
//! page: segments keep their best by rank and key ordinal, and after merging
//! only those ranked at least as high as the page's last one are named.

use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, BinaryHeap};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::columns::{ColumnCache, SegmentColumns};

/// Collects a page of hits, the total and the facet counts.
pub(crate) struct PageCollector<'a> {
    pub columns: &'a ColumnCache,
    /// Only documents of this kind, as a [`crate::columns::kind_code`].
    pub kind: Option<u8>,
    /// offset + limit: how many of the best documents to keep.
    pub want: usize,
    pub category: Option<String>,
    pub township: Option<String>,
    /// Rank by score (true) or by `updated_at` (false).
    pub scored: bool,
}

/// One kept document.
#[derive(Debug, Clone)]
pub(crate) struct Ranked {
    pub rank: u64,
    pub key: String,
    pub address: DocAddress,
    pub score: Score,
}

/// What the collector returns.
#[derive(Debug, Default)]
pub(crate) struct Page {
    pub total: u64,
    /// Best first, at most `want`.
    pub top: Vec<Ranked>,
    pub category: BTreeMap<String, u64>,
    pub township: BTreeMap<String, u64>,
}

/// Maps a score to a `u64` with the same order.
fn score_rank(score: Score) -> u64 {
    let bits = score.to_bits();
    u64::from(if bits & 0x8000_0000 != 0 {
        !bits
    } else {
        bits | 0x8000_0000
    })
}

/// Maps an `i64` to a `u64` with the same order.
fn i64_rank(value: i64) -> u64 {
    (value as u64) ^ (1 << 63)
}

#[derive(Clone, Copy)]
enum Filter {
    Any,
    /// The wanted value does not occur in this segment.
    Absent,
    Ord(u32),
}

fn filter_of(wanted: Option<&str>, ord: impl Fn(&str) -> Option<u32>) -> Filter {
    match wanted {
        None => Filter::Any,
        Some(wanted) => ord(wanted).map_or(Filter::Absent, Filter::Ord),
    }
}

/// Heap entry: greater means better.
#[derive(Clone, Copy)]
struct Entry {
    rank: u64,
    key_ord: u64,
    doc: DocId,
    score: Score,
}

impl Entry {
    fn sort_key(&self) -> (u64, Reverse<u64>, Reverse<DocId>) {
        (self.rank, Reverse(self.key_ord), Reverse(self.doc))
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.sort_key() == other.sort_key()
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

pub(crate) struct PageSegmentCollector {
    segment_ord: SegmentOrdinal,
    want: usize,
    scored: bool,
    columns: Arc<SegmentColumns>,
    kind_filter: Option<u8>,
    category_filter: Filter,
    township_filter: Filter,
    category_counts: Vec<u64>,
    township_counts: Vec<u64>,
    total: u64,
    /// Min-heap of the best entries so far (its top is the worst kept).
    heap: BinaryHeap<Reverse<Entry>>,
}

impl Collector for PageCollector<'_> {
    type Fruit = Page;
    type Child = PageSegmentCollector;

    fn for_segment(
        &self,
        segment_ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<PageSegmentCollector> {
        let columns = self.columns.get(segment)?;
        let category_filter = filter_of(self.category.as_deref(), |c| columns.category_ord(c));
        let township_filter = filter_of(self.township.as_deref(), |t| columns.township_ord(t));
        Ok(PageSegmentCollector {
            segment_ord,
            want: self.want,
            scored: self.scored,
            category_counts: vec![0; columns.category_names().len()],
            township_counts: vec![0; columns.township_names().len()],
            columns,
            kind_filter: self.kind,
            category_filter,
            township_filter,
            total: 0,
            heap: BinaryHeap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scored
    }

    fn merge_fruits(&self, fruits: Vec<SegmentPage>) -> tantivy::Result<Page> {
        let mut total = 0;
        let mut category: BTreeMap<&str, u64> = BTreeMap::new();
        let mut township: BTreeMap<&str, u64> = BTreeMap::new();
        for fruit in &fruits {
            total += fruit.total;
            add_named(
                &mut category,
                fruit.columns.category_names(),
                &fruit.category,
            );
            add_named(
                &mut township,
                fruit.columns.township_names(),
                &fruit.township,
            );
        }
        let mut top: Vec<(usize, Entry)> = fruits
            .iter()
            .enumerate()
            .flat_map(|(i, fruit)| fruit.top.iter().map(move |e| (i, *e)))
            .collect();
        top.sort_unstable_by_key(|(_, e)| Reverse(e.rank));
        // Only entries ranked at least as high as the page's last can be on
        // it; ties at that rank are decided by key.
        if self.want == 0 {
            top.clear();
        } else if let Some(last) = top.get(self.want - 1).map(|(_, e)| e.rank) {
            top.retain(|(_, e)| e.rank >= last);
        }
        let mut ranked = Vec::with_capacity(top.len());
        for (i, entry) in top {
            let Some(fruit) = fruits.get(i) else { continue };
            ranked.push(Ranked {
                rank: entry.rank,
                key: fruit.columns.key(entry.key_ord)?,
                address: DocAddress::new(fruit.segment_ord, entry.doc),
                score: entry.score,
            });
        }
        ranked.sort_by(|a, b| {
            b.rank
                .cmp(&a.rank)
                .then_with(|| a.key.cmp(&b.key))
                .then_with(|| a.address.cmp(&b.address))
        });
        ranked.truncate(self.want);
        Ok(Page {
            total,
            top: ranked,
            category: owned(category),
            township: owned(township),
        })
    }
}

/// Adds the non-zero `counts` to `into` under the names of their ordinals.
fn add_named<'a>(into: &mut BTreeMap<&'a str, u64>, names: &'a [String], counts: &[u64]) {
    for (name, &count) in names.iter().zip(counts) {
        if count > 0 {
            *into.entry(name.as_str()).or_default() += count;
        }
    }
}

fn owned(counts: BTreeMap<&str, u64>) -> BTreeMap<String, u64> {
    counts
        .into_iter()
        .map(|(name, count)| (name.to_owned(), count))
        .collect()
}

/// The result of one segment: counts by ordinal and its best entries.
pub(crate) struct SegmentPage {
    segment_ord: SegmentOrdinal,
    columns: Arc<SegmentColumns>,
    total: u64,
    top: Vec<Entry>,
    category: Vec<u64>,
    township: Vec<u64>,
}

impl PageSegmentCollector {
    fn offer(&mut self, doc: DocId, score: Score) {
        if self.want == 0 {
            return;
        }
        let rank = if self.scored {
            score_rank(score)
        } else {
            i64_rank(self.columns.updated_at(doc))
        };
        let full = self.heap.len() >= self.want;
        if full && self.heap.peek().is_some_and(|worst| rank < worst.0.rank) {
            return;
        }
        let key_ord = self.columns.key_ord(doc).unwrap_or(u64::MAX);
        let entry = Entry {
            rank,
            key_ord,
            doc,
            score,
        };
        if !full {
            self.heap.push(Reverse(entry));
        } else if self.heap.peek().is_some_and(|worst| entry > worst.0) {
            self.heap.pop();
            self.heap.push(Reverse(entry));
        }
    }
}

impl SegmentCollector for PageSegmentCollector {
    type Fruit = SegmentPage;

    fn collect(&mut self, doc: DocId, score: Score) {
        if self
            .kind_filter
            .is_some_and(|kind| self.columns.kind(doc) != kind)
        {
            return;
        }
        let category = self.columns.category(doc);
        let townships = self.columns.townships(doc);
        let category_ok = match self.category_filter {
            Filter::Any => true,
            Filter::Absent => false,
            Filter::Ord(wanted) => category == wanted,
        };
        let township_ok = match self.township_filter {
            Filter::Any => true,
            Filter::Absent => false,
            Filter::Ord(wanted) => townships.contains(&wanted),
        };
        if township_ok && let Some(slot) = self.category_counts.get_mut(category as usize) {
            *slot += 1;
        }
        if category_ok {
            for &township in townships {
                if let Some(slot) = self.township_counts.get_mut(township as usize) {
                    *slot += 1;
                }
            }
        }
        if category_ok && township_ok {
            self.total += 1;
            self.offer(doc, score);
        }
    }

    fn harvest(self) -> SegmentPage {
        SegmentPage {
            segment_ord: self.segment_ord,
            total: self.total,
            top: self.heap.into_iter().map(|Reverse(e)| e).collect(),
            category: self.category_counts,
            township: self.township_counts,
            columns: self.columns,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_keep_order() {
        let scores = [-3.5f32, -0.0, 0.0, 0.25, 1.0, 7.5, 1e9];
        assert!(
            scores
                .windows(2)
                .all(|w| score_rank(w[0]) <= score_rank(w[1]))
        );
        let values = [i64::MIN, -1, 0, 1, 1_700_000_000, i64::MAX];
        assert!(values.windows(2).all(|w| i64_rank(w[0]) < i64_rank(w[1])));
    }
}
