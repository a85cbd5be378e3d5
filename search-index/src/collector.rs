//! One pass over the matching documents that counts both facets, the total
//! and keeps the best page, reading category and township ordinals from
//! [`crate::columns`] (no stored documents are touched).
//!
//! The query given to tantivy holds the text only; the kind, category and
//! township filters are applied here (a cheap array lookup each), so that
//! each facet can ignore its own filter (see [`crate::Facets`]). Ranking: by score (or, when browsing, by
//! `updated_at`), highest first, ties broken by key ascending, so that pages
//! of one query on one index state never overlap or skip documents.

use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, BinaryHeap};
use std::io;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::columns::{ColumnCache, SegmentColumns};
use crate::schema::{CATEGORY, KEY, TOWNSHIPS};

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

fn filter_ord(column: Option<&StrColumn>, wanted: Option<&str>) -> io::Result<Filter> {
    let Some(wanted) = wanted else {
        return Ok(Filter::Any);
    };
    let ord = match column {
        Some(column) => column.dictionary().term_ord(wanted)?,
        None => None,
    };
    Ok(ord
        .and_then(|o| u32::try_from(o).ok())
        .map_or(Filter::Absent, Filter::Ord))
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
    keys: Option<StrColumn>,
    key_ords: Option<Column<u64>>,
    columns: Arc<SegmentColumns>,
    categories: Option<StrColumn>,
    townships: Option<StrColumn>,
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
        let fast = segment.fast_fields();
        let keys = fast.str(KEY)?;
        let categories = fast.str(CATEGORY)?;
        let townships = fast.str(TOWNSHIPS)?;
        let category_filter = filter_ord(categories.as_ref(), self.category.as_deref())?;
        let township_filter = filter_ord(townships.as_ref(), self.township.as_deref())?;
        Ok(PageSegmentCollector {
            segment_ord,
            want: self.want,
            scored: self.scored,
            key_ords: keys.as_ref().map(|c| c.ords().clone()),
            keys,
            columns: self.columns.get(segment)?,
            category_counts: vec![0; categories.as_ref().map_or(0, |c| c.num_terms())],
            categories,
            township_counts: vec![0; townships.as_ref().map_or(0, |c| c.num_terms())],
            townships,
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

    fn merge_fruits(&self, fruits: Vec<io::Result<SegmentPage>>) -> tantivy::Result<Page> {
        let mut page = Page::default();
        for fruit in fruits {
            let fruit = fruit?;
            page.total += fruit.total;
            page.top.extend(fruit.top);
            for (value, count) in fruit.category {
                *page.category.entry(value).or_default() += count;
            }
            for (value, count) in fruit.township {
                *page.township.entry(value).or_default() += count;
            }
        }
        page.top.sort_by(|a, b| {
            b.rank
                .cmp(&a.rank)
                .then_with(|| a.key.cmp(&b.key))
                .then_with(|| a.address.cmp(&b.address))
        });
        page.top.truncate(self.want);
        Ok(page)
    }
}

/// The result of one segment.
pub(crate) struct SegmentPage {
    total: u64,
    top: Vec<Ranked>,
    category: Vec<(String, u64)>,
    township: Vec<(String, u64)>,
}

fn named_counts(column: Option<&StrColumn>, counts: &[u64]) -> io::Result<Vec<(String, u64)>> {
    let mut out = Vec::new();
    if let Some(column) = column {
        for (ord, &count) in counts.iter().enumerate() {
            if count > 0 {
                let mut name = String::new();
                column.ord_to_str(ord as u64, &mut name)?;
                out.push((name, count));
            }
        }
    }
    Ok(out)
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
        let key_ord = self
            .key_ords
            .as_ref()
            .and_then(|c| c.first(doc))
            .unwrap_or(u64::MAX);
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
    type Fruit = io::Result<SegmentPage>;

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

    fn harvest(self) -> io::Result<SegmentPage> {
        let mut top = Vec::with_capacity(self.heap.len());
        for Reverse(entry) in self.heap {
            let mut key = String::new();
            if let Some(keys) = &self.keys {
                keys.ord_to_str(entry.key_ord, &mut key)?;
            }
            top.push(Ranked {
                rank: entry.rank,
                key,
                address: DocAddress::new(self.segment_ord, entry.doc),
                score: entry.score,
            });
        }
        Ok(SegmentPage {
            total: self.total,
            top,
            category: named_counts(self.categories.as_ref(), &self.category_counts)?,
            township: named_counts(self.townships.as_ref(), &self.township_counts)?,
        })
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
