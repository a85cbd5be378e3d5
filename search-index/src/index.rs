//! [`SearchIndex`]: opening the index, applying batches of changes with the
//! outbox sequence number, and searching; ranking for suggestions is in
//! [`rank`].

mod cache;
mod rank;

use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use jieba_rs::Jieba;
use tantivy::directory::MmapDirectory;
use tantivy::schema::Value;
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use self::cache::GenerationCache;
use crate::collector::PageCollector;
use crate::columns::{ColumnCache, kind_code};
use crate::error::Error;
use crate::model::{Change, DocKind, Facets, Hit, Query, Results};
use crate::query;
use crate::schema::{self, Fields};
use crate::snippet::snippet;
use crate::synonyms::Synonyms;
use crate::tokenizer::{CareTokenizer, TOKENIZER_NAME, shared_jieba};

/// A page holds at most this many hits, whatever the query asks.
pub const MAX_LIMIT: usize = 100;
/// Paging stops this far in: larger offsets are treated as this one.
pub const MAX_OFFSET: usize = 10_000;
/// A ranking returns at most this many documents.
pub const MAX_RANKED: usize = 1_000;
/// Indexing memory budget of the writer of an on-disk index.
const WRITER_HEAP_BYTES: usize = 50_000_000;
/// Indexing memory budget of an in-RAM index (tantivy's minimum).
const RAM_WRITER_HEAP_BYTES: usize = 15_000_000;
/// Answers kept per generation: a page of 20 hits with snippets and facets
/// is about 10 KB, so this bounds the cache near 5 MB.
const KEPT_ANSWERS: NonZeroUsize = NonZeroUsize::new(512).expect("non-zero");
/// Totals kept per generation (the alternatives offered after no hits).
const KEPT_COUNTS: NonZeroUsize = NonZeroUsize::new(2_048).expect("non-zero");

/// The search index: one tantivy index, its reader and its single writer.
///
/// Share it (e.g. in an `Arc`) between request handlers and the indexer:
/// searches run concurrently; [`SearchIndex::apply`] calls are serialized.
pub struct SearchIndex {
    index: Index,
    fields: Fields,
    reader: IndexReader,
    /// `None` only if re-creating the writer after a merge wait failed.
    writer: Mutex<Option<IndexWriter>>,
    writer_heap: usize,
    writer_threads: Option<usize>,
    jieba: Arc<Jieba>,
    columns: ColumnCache,
    answers: GenerationCache<Query, Results>,
    counts: GenerationCache<Query, usize>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("docs", &self.num_docs())
            .finish_non_exhaustive()
    }
}

fn new_writer(
    index: &Index,
    heap_bytes: usize,
    threads: Option<usize>,
) -> tantivy::Result<IndexWriter> {
    match threads {
        Some(threads) => index.writer_with_num_threads(threads, heap_bytes),
        None => index.writer(heap_bytes),
    }
}

/// Creates `dir` (and parents) readable by the owner only: the index holds
/// what providers and officers wrote. The files tantivy creates inside
/// follow the process umask, which the application restricts.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

impl SearchIndex {
    /// Opens the index in `dir`, or creates an empty one there (creating the
    /// directory too). Fails if `dir` holds an index with another schema
    /// (rebuild into a fresh directory then) or if another writer holds it.
    pub fn open_or_create(dir: &Path) -> Result<SearchIndex, Error> {
        create_private_dir(dir)?;
        let (schema, fields) = schema::build();
        let index = Index::open_or_create(MmapDirectory::open(dir)?, schema)?;
        SearchIndex::with_index(index, fields, WRITER_HEAP_BYTES, None)
    }

    /// Creates a new, empty index in `dir`; fails if one exists there.
    pub fn create_in(dir: &Path) -> Result<SearchIndex, Error> {
        create_private_dir(dir)?;
        let (schema, fields) = schema::build();
        let index = Index::create_in_dir(dir, schema)?;
        SearchIndex::with_index(index, fields, WRITER_HEAP_BYTES, None)
    }

    /// Creates an empty index in memory (for tests and benchmarks).
    pub fn create_in_ram() -> Result<SearchIndex, Error> {
        let (schema, fields) = schema::build();
        let index = Index::create_in_ram(schema);
        SearchIndex::with_index(index, fields, RAM_WRITER_HEAP_BYTES, Some(1))
    }

    fn with_index(
        index: Index,
        fields: Fields,
        heap_bytes: usize,
        threads: Option<usize>,
    ) -> Result<SearchIndex, Error> {
        index
            .tokenizers()
            .register(TOKENIZER_NAME, CareTokenizer::new());
        // Reloaded by hand, after each commit (`apply`) and after merges
        // (`wait_for_merges`): every reload starts a new generation, which
        // ends every answer kept (here and by the portal's suggestions). A
        // reader that also reloaded itself when the commit's files changed
        // would start a second one some 500 ms after each commit, with the
        // same documents, and throw away what was kept in between.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let writer = new_writer(&index, heap_bytes, threads)?;
        let columns = ColumnCache::default();
        columns.refresh(&reader.searcher())?;
        Ok(SearchIndex {
            index,
            fields,
            reader,
            writer: Mutex::new(Some(writer)),
            writer_heap: heap_bytes,
            writer_threads: threads,
            jieba: shared_jieba(),
            columns,
            answers: GenerationCache::new(KEPT_ANSWERS),
            counts: GenerationCache::new(KEPT_COUNTS),
        })
    }

    /// Applies a batch in order and commits it once, recording `last_seq`
    /// (the outbox sequence number of the last change) in the commit.
    ///
    /// An upsert replaces any document with the same key; a delete of an
    /// unknown key does nothing. On error nothing of the batch is kept. When
    /// this returns, searches see the batch.
    pub fn apply(&self, changes: &[Change], last_seq: i64) -> Result<(), Error> {
        let mut guard = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(writer) = guard.as_mut() else {
            return Err(Error::NoWriter);
        };
        let result = self.write_batch(writer, changes, last_seq);
        if result.is_err() {
            // Drop what was added since the last commit; the error that
            // matters is the first one.
            let _ = writer.rollback();
        }
        drop(guard);
        result?;
        self.reload()
    }

    fn write_batch(
        &self,
        writer: &mut IndexWriter,
        changes: &[Change],
        last_seq: i64,
    ) -> Result<(), Error> {
        for change in changes {
            match change {
                Change::Upsert(doc) => {
                    writer.delete_term(Term::from_field_text(self.fields.key, &doc.key));
                    writer.add_document(self.fields.document(doc))?;
                }
                Change::Delete { key } => {
                    writer.delete_term(Term::from_field_text(self.fields.key, key));
                }
            }
        }
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&last_seq.to_string());
        prepared.commit()?;
        Ok(())
    }

    /// Blocks until tantivy's background segment merges have finished, then
    /// makes searches use the merged segments. Worth calling after a full
    /// rebuild, before serving from the new index; never needed otherwise.
    pub fn wait_for_merges(&self) -> Result<(), Error> {
        let mut guard = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(writer) = guard.take() {
            writer.wait_merging_threads()?;
        }
        *guard = Some(new_writer(
            &self.index,
            self.writer_heap,
            self.writer_threads,
        )?);
        drop(guard);
        self.reload()
    }

    /// Number of index segments visible to searches (fewer is faster).
    pub fn num_segments(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    /// The `last_seq` of the last committed [`SearchIndex::apply`], read from
    /// the index's own commit record; `None` for a new index.
    pub fn last_applied_seq(&self) -> Result<Option<i64>, Error> {
        match self.index.load_metas()?.payload {
            None => Ok(None),
            Some(payload) => payload
                .parse()
                .map(Some)
                .map_err(|_| Error::BadPayload(payload)),
        }
    }

    /// Makes searches see the latest commit now (apply already does this).
    pub fn reload(&self) -> Result<(), Error> {
        self.reader.reload()?;
        self.columns.refresh(&self.reader.searcher())?;
        Ok(())
    }

    /// Every indexed term and every stored text value, segment by segment,
    /// for audits that prove what the index holds (that no personal data
    /// reached it, say): the files themselves are compressed, so scanning
    /// their bytes proves little. Reads everything: not for serving.
    pub fn all_text(&self) -> Result<Vec<String>, Error> {
        let searcher = self.reader.searcher();
        let schema = searcher.schema();
        let mut out = Vec::new();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            for (field, entry) in schema.fields() {
                if !entry.is_indexed() {
                    continue;
                }
                let inverted = segment.inverted_index(field)?;
                let mut terms = inverted.terms().stream()?;
                while terms.advance() {
                    out.push(String::from_utf8_lossy(terms.key()).into_owned());
                }
            }
            let segment_ord = u32::try_from(ord).unwrap_or(u32::MAX);
            for doc_id in 0..segment.max_doc() {
                let doc: TantivyDocument = searcher.doc(DocAddress::new(segment_ord, doc_id))?;
                for (_, value) in doc.field_values() {
                    if let Some(text) = value.as_str() {
                        out.push(text.to_owned());
                    }
                }
            }
        }
        Ok(out)
    }

    /// The generation of segments searches see now: it changes with every
    /// commit that reloads the reader, so an answer computed under one
    /// generation is what a fresh search gives while it holds.
    pub fn generation(&self) -> u64 {
        self.reader.searcher().generation().generation_id()
    }

    /// Number of documents visible to searches.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// How many documents [`SearchIndex::search`] would find for `q` (its
    /// `total`), without ranking, facets or hits: the filters go into the
    /// query and tantivy only counts.
    pub fn count(&self, q: &Query) -> Result<usize, Error> {
        let searcher = self.reader.searcher();
        let generation = searcher.generation().generation_id();
        let key = count_key(q);
        if let Some(total) = self.counts.get(&key, generation) {
            return Ok(total);
        }
        let plan = query::plan(&self.fields, &self.jieba, Synonyms::embedded(), q);
        let query = query::with_filters(&self.fields, plan.query, q);
        let total = searcher.search(query.as_ref(), &tantivy::collector::Count)?;
        self.counts.put(key, generation, total);
        Ok(total)
    }

    /// The answer [`SearchIndex::search`] keeps for `q` under the reader's
    /// current generation, if any: a lookup only, no matching. Callers that
    /// must not block (an async executor) ask this first and search on a
    /// worker thread only when nothing is kept.
    pub fn kept(&self, q: &Query) -> Option<Results> {
        let generation = self.reader.searcher().generation().generation_id();
        self.answers.get(&answer_key(q), generation)
    }

    /// The total [`SearchIndex::count`] keeps for `q`, as [`SearchIndex::kept`].
    pub fn kept_count(&self, q: &Query) -> Option<usize> {
        let generation = self.reader.searcher().generation().generation_id();
        self.counts.get(&count_key(q), generation)
    }

    /// Searches; see [`crate::query`] for how text is matched and
    /// [`Facets`] for how facets are counted.
    ///
    /// Any text is accepted (empty, very long, query syntax, control
    /// characters, emoji); text without any word browses like empty text:
    /// all documents passing the filters, newest `updated_at` first, then
    /// by key. Otherwise hits are ranked by BM25 (title weighted double,
    /// adjacent words as typed score a bonus), ties by key. Errors only
    /// come from the index itself.
    ///
    /// An answer is kept and given again while the reader serves the same
    /// generation of segments (see [`cache`]): identical to a fresh search.
    pub fn search(&self, q: &Query) -> Result<Results, Error> {
        let searcher = self.reader.searcher();
        let generation = searcher.generation().generation_id();
        let key = answer_key(q);
        if let Some(results) = self.answers.get(&key, generation) {
            return Ok(results);
        }
        let results = self.search_in(&searcher, &key)?;
        self.answers.put(key, generation, results.clone());
        Ok(results)
    }

    /// [`SearchIndex::search`] on `searcher`, computed.
    fn search_in(&self, searcher: &tantivy::Searcher, q: &Query) -> Result<Results, Error> {
        let limit = q.limit;
        let offset = q.offset;
        let plan = query::plan(&self.fields, &self.jieba, Synonyms::embedded(), q);
        let collector = PageCollector {
            columns: &self.columns,
            kind: q.kind.map(kind_code),
            want: offset + limit,
            category: q.category.clone(),
            township: q.township.clone(),
            scored: plan.scored,
        };
        // When scoring, the kind is a filter of the query too, so that
        // documents of the other kind are never scored; it adds 0 to the
        // score, which leaves every score as it was.
        let filtered;
        let query: &dyn tantivy::query::Query = match q.kind {
            Some(kind) if plan.scored => {
                filtered = query::with_kind(&self.fields, plan.query, kind);
                filtered.as_ref()
            }
            _ => plan.query.as_ref(),
        };
        let page = searcher.search(query, &collector)?;
        self.columns.trim(searcher);
        let mut hits = Vec::with_capacity(limit);
        for ranked in page.top.into_iter().skip(offset) {
            let doc: TantivyDocument = searcher.doc(ranked.address)?;
            let text = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            let Some(kind) = text(self.fields.kind).as_deref().and_then(DocKind::parse) else {
                continue;
            };
            let body = text(self.fields.body).unwrap_or_default();
            hits.push(Hit {
                key: ranked.key,
                kind,
                id: text(self.fields.id).unwrap_or_default(),
                code: text(self.fields.code),
                title: text(self.fields.title).unwrap_or_default(),
                category: text(self.fields.category).unwrap_or_default(),
                townships: doc
                    .get_all(self.fields.townships)
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect(),
                provider: text(self.fields.provider),
                score: if plan.scored { ranked.score } else { 0.0 },
                snippet: snippet(&self.jieba, &body, &plan.highlight),
            });
        }
        Ok(Results {
            total: usize::try_from(page.total).unwrap_or(usize::MAX),
            hits,
            facets: Facets {
                category: page.category,
                township: page.township,
            },
        })
    }
}

/// The key an answer is kept under: the request with its paging bounded as
/// the search bounds it.
fn answer_key(q: &Query) -> Query {
    Query {
        limit: q.limit.min(MAX_LIMIT),
        offset: q.offset.min(MAX_OFFSET),
        ..q.clone()
    }
}

/// The key a total is kept under: paging does not change a total.
fn count_key(q: &Query) -> Query {
    Query {
        limit: 0,
        offset: 0,
        ..q.clone()
    }
}
