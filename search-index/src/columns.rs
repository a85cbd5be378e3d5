//! Plain-array copies of the per-document values the collector reads for
//! every matching document (kind, category, townships, `updated_at`), one per
//! segment, kept while the segment is in use.
//!
//! tantivy's fast-field columns are compressed and read through dynamic
//! calls; counting facets over hundreds of thousands of matches is several
//! times faster on plain vectors. Segments never change once written
//! (deletes only hide documents), so a copy stays valid for the segment's
//! life; copies of merged-away segments are dropped.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tantivy::columnar::StrColumn;
use tantivy::index::SegmentId;
use tantivy::{DocId, Searcher, SegmentReader};

use crate::model::DocKind;
use crate::schema::{CATEGORY, KEY, KIND, TOWNSHIPS, UPDATED_AT};

/// Marks a document without a known kind.
pub(crate) const NO_KIND: u8 = u8::MAX;

/// The code of a kind in [`SegmentColumns`].
pub(crate) fn kind_code(kind: DocKind) -> u8 {
    match kind {
        DocKind::Offer => 0,
        DocKind::Need => 1,
    }
}

/// Marks a document without a category.
pub(crate) const NO_CATEGORY: u32 = u32::MAX;

/// The columns of one segment. Ordinals are the segment's dictionary
/// ordinals of the `category` and `townships` fast fields; their names are
/// kept too (a few dozen), so that a search neither opens those columns nor
/// looks names up in their dictionaries.
#[derive(Debug, Default)]
pub(crate) struct SegmentColumns {
    /// Category names by ordinal (sorted, as the dictionary is).
    category_names: Vec<String>,
    /// Township names by ordinal (sorted).
    township_names: Vec<String>,
    /// The key column: key ordinals follow the keys' order.
    keys: Option<StrColumn>,
    kind: Vec<u8>,
    category: Vec<u32>,
    /// Townships of doc `d` are `township_values[township_start[d]..township_start[d + 1]]`.
    township_start: Vec<u32>,
    township_values: Vec<u32>,
    updated_at: Vec<i64>,
}

impl SegmentColumns {
    fn load(segment: &SegmentReader) -> tantivy::Result<SegmentColumns> {
        let fast = segment.fast_fields();
        let max_doc = segment.max_doc();
        let docs = max_doc as usize;
        let categories = fast.str(CATEGORY)?;
        let townships = fast.str(TOWNSHIPS)?;
        let mut out = SegmentColumns {
            category_names: names(categories.as_ref())?,
            township_names: names(townships.as_ref())?,
            keys: fast.str(KEY)?,
            kind: Vec::with_capacity(docs),
            category: Vec::with_capacity(docs),
            township_start: Vec::with_capacity(docs + 1),
            township_values: Vec::with_capacity(docs),
            updated_at: Vec::with_capacity(docs),
        };
        let updated_at = fast.i64(UPDATED_AT)?;
        let kinds = fast.str(KIND)?;
        // Kind codes by dictionary ordinal of this segment.
        let mut kind_codes = Vec::new();
        if let Some(kinds) = &kinds {
            let mut name = String::new();
            for ord in 0..kinds.num_terms() as u64 {
                name.clear();
                kinds.ord_to_str(ord, &mut name)?;
                kind_codes.push(DocKind::parse(&name).map_or(NO_KIND, kind_code));
            }
        }
        for doc in 0..max_doc {
            let kind = kinds.as_ref().and_then(|k| k.ords().first(doc));
            out.kind.push(
                kind.and_then(|k| kind_codes.get(k as usize).copied())
                    .unwrap_or(NO_KIND),
            );
            let category = categories.as_ref().and_then(|c| c.ords().first(doc));
            out.category.push(
                category
                    .and_then(|c| u32::try_from(c).ok())
                    .unwrap_or(NO_CATEGORY),
            );
            out.township_start
                .push(u32::try_from(out.township_values.len()).unwrap_or(u32::MAX));
            if let Some(townships) = &townships {
                out.township_values.extend(
                    townships
                        .ords()
                        .values_for_doc(doc)
                        .filter_map(|t| u32::try_from(t).ok()),
                );
            }
            out.updated_at
                .push(updated_at.first(doc).unwrap_or(i64::MIN));
        }
        out.township_start
            .push(u32::try_from(out.township_values.len()).unwrap_or(u32::MAX));
        Ok(out)
    }

    /// The names of the category ordinals.
    pub fn category_names(&self) -> &[String] {
        &self.category_names
    }

    /// The names of the township ordinals.
    pub fn township_names(&self) -> &[String] {
        &self.township_names
    }

    /// The ordinal of category `name` in this segment, if it occurs.
    pub fn category_ord(&self, name: &str) -> Option<u32> {
        ord_of(&self.category_names, name)
    }

    /// The ordinal of township `name` in this segment, if it occurs.
    pub fn township_ord(&self, name: &str) -> Option<u32> {
        ord_of(&self.township_names, name)
    }

    /// The key ordinal of `doc` (keys sort as their ordinals do).
    #[inline]
    pub fn key_ord(&self, doc: DocId) -> Option<u64> {
        self.keys.as_ref().and_then(|k| k.ords().first(doc))
    }

    /// The key with ordinal `ord`.
    pub fn key(&self, ord: u64) -> std::io::Result<String> {
        let mut key = String::new();
        if let Some(keys) = &self.keys {
            keys.ord_to_str(ord, &mut key)?;
        }
        Ok(key)
    }

    /// The [`kind_code`] of `doc`, or [`NO_KIND`].
    #[inline]
    pub fn kind(&self, doc: DocId) -> u8 {
        self.kind.get(doc as usize).copied().unwrap_or(NO_KIND)
    }

    /// The category ordinal of `doc`, or [`NO_CATEGORY`].
    #[inline]
    pub fn category(&self, doc: DocId) -> u32 {
        self.category
            .get(doc as usize)
            .copied()
            .unwrap_or(NO_CATEGORY)
    }

    /// The township ordinals of `doc`.
    #[inline]
    pub fn townships(&self, doc: DocId) -> &[u32] {
        let d = doc as usize;
        match (self.township_start.get(d), self.township_start.get(d + 1)) {
            (Some(&from), Some(&to)) => self
                .township_values
                .get(from as usize..to as usize)
                .unwrap_or_default(),
            _ => &[],
        }
    }

    /// `updated_at` of `doc`.
    #[inline]
    pub fn updated_at(&self, doc: DocId) -> i64 {
        self.updated_at
            .get(doc as usize)
            .copied()
            .unwrap_or(i64::MIN)
    }
}

/// The values of a dictionary column, by ordinal.
fn names(column: Option<&StrColumn>) -> std::io::Result<Vec<String>> {
    let mut out = Vec::new();
    if let Some(column) = column {
        for ord in 0..column.num_terms() as u64 {
            let mut name = String::new();
            column.ord_to_str(ord, &mut name)?;
            out.push(name);
        }
    }
    Ok(out)
}

/// The ordinal of `name` among sorted `names` (dictionary order is byte
/// order, as `str`'s).
fn ord_of(names: &[String], name: &str) -> Option<u32> {
    names
        .binary_search_by(|n| n.as_str().cmp(name))
        .ok()
        .and_then(|i| u32::try_from(i).ok())
}

/// The copies for the segments in use, shared by all searches.
#[derive(Debug, Default)]
pub(crate) struct ColumnCache {
    segments: Mutex<HashMap<SegmentId, Arc<SegmentColumns>>>,
}

impl ColumnCache {
    /// The columns of `segment`, loaded on first use.
    pub fn get(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentColumns>> {
        let id = segment.segment_id();
        if let Some(found) = self.lock().get(&id) {
            return Ok(found.clone());
        }
        // Loaded outside the lock; two searches may both load a new segment once.
        let loaded = Arc::new(SegmentColumns::load(segment)?);
        self.lock().insert(id, loaded.clone());
        Ok(loaded)
    }

    /// Loads the segments of `searcher` and forgets all others.
    pub fn refresh(&self, searcher: &Searcher) -> tantivy::Result<()> {
        let mut live = HashMap::new();
        for segment in searcher.segment_readers() {
            live.insert(segment.segment_id(), self.get(segment)?);
        }
        *self.lock() = live;
        Ok(())
    }

    /// Forgets copies of segments that `searcher` does not use, once there
    /// are clearly too many.
    pub fn trim(&self, searcher: &Searcher) {
        let readers = searcher.segment_readers();
        let mut segments = self.lock();
        if segments.len() > 2 * readers.len() + 8 {
            segments.retain(|id, _| readers.iter().any(|r| r.segment_id() == *id));
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SegmentId, Arc<SegmentColumns>>> {
        self.segments.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
