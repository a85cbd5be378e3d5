//! [`SearchIndex::rank`]: the documents that pass a [`Ranking`]'s filters,
//! best text match first, for suggestions. Only keys and scores come back,
//! read from the key column: no stored document is opened and no snippet
//! is cut, so a ranking of a few hundred documents costs about one search.

use std::collections::HashMap;

use tantivy::collector::{Count, TopDocs};
use tantivy::columnar::StrColumn;

use crate::error::Error;
use crate::model::{RankedDoc, RankedDocs, Ranking};
use crate::query;
use crate::schema::KEY;
use crate::synonyms::Synonyms;

use super::{MAX_RANKED, SearchIndex};

impl SearchIndex {
    /// Ranks the documents that pass the filters of `r` by how well they
    /// match any word of its text (BM25, title weighted double; synonyms
    /// count as the word). Documents sharing no word score 0 and come last.
    /// Returns the best `r.limit` (at most [`MAX_RANKED`]) with their keys,
    /// ties broken by key, and the number of documents passing the filters.
    pub fn rank(&self, r: &Ranking) -> Result<RankedDocs, Error> {
        let limit = r.limit.min(MAX_RANKED);
        let query = query::plan_ranking(&self.fields, &self.jieba, Synonyms::embedded(), r);
        let searcher = self.reader.searcher();
        let collector = (TopDocs::with_limit(limit.max(1)).order_by_score(), Count);
        let (top, total) = searcher.search(query.as_ref(), &collector)?;
        let mut keys: HashMap<u32, Option<StrColumn>> = HashMap::new();
        let mut docs = Vec::with_capacity(top.len().min(limit));
        for (score, address) in top.into_iter().take(limit) {
            let column = match keys.get(&address.segment_ord) {
                Some(column) => column,
                None => {
                    let column = searcher
                        .segment_reader(address.segment_ord)
                        .fast_fields()
                        .str(KEY)?;
                    keys.entry(address.segment_ord).or_insert(column)
                }
            };
            let Some(column) = column else { continue };
            let Some(ord) = column.ords().first(address.doc_id) else {
                continue;
            };
            let mut key = String::new();
            column.ord_to_str(ord, &mut key)?;
            docs.push(RankedDoc { key, score });
        }
        docs.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.key.cmp(&b.key)));
        Ok(RankedDocs { total, docs })
    }
}
