//! Keeping the index in step with the database. The database is the truth:
//! writes append to the outbox in their own transaction; [`catch_up`]
//! applies the entries in order and records the last one in the index's own
//! commit, so a crash between a database commit and an index commit loses
//! nothing (the next catch-up applies the rest). Entries name documents,
//! not contents: applying one reads the current state, so replaying an
//! entry twice is harmless.
//!
//! Each node keeps its own index under `<data dir>/index/`, in a directory
//! named by the `CURRENT` file. [`rebuild`] builds a fresh directory from
//! the database and then points `CURRENT` at it; a running server notices
//! ([`SearchHandle::check_swap`]) and swaps it in between two searches.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use search_index::{Change, Doc, SearchIndex};

use crate::db;
use crate::db::entities::{child, need};
use crate::db::outbox::OutboxKind;
use crate::domain::child::{AgeBand, DifficultyClass};
use crate::domain::need::NeedStatus;
use crate::domain::offer::OfferStatus;
use crate::domain::projection::Population;

use super::super::files::projection::project;
use super::super::files::{self, population};
use super::super::{ServiceResult, Store};
use super::documents::{need_doc, need_key, offer_doc, offer_key};
use super::handle::{fresh_name, write_pointer};

pub use super::handle::SearchHandle;

const BATCH: u64 = 500;

/// What building documents needs beyond the rows: township codes (for
/// county-wide offers) and the population (for needs' projections).
struct Context {
    townships: Vec<String>,
    /// The counts read so far in this batch, by (township, band, class).
    population: Population,
    counted: BTreeSet<(String, AgeBand, DifficultyClass)>,
    today: NaiveDate,
    k: u32,
}

impl Context {
    async fn new(store: Store<'_>, k: u32) -> ServiceResult<Context> {
        Ok(Context {
            townships: db::regions::list_townships(store.db)
                .await?
                .into_iter()
                .map(|t| t.code)
                .collect(),
            population: Population::default(),
            counted: BTreeSet::new(),
            today: chrono::Local::now().date_naive(),
            k,
        })
    }

    /// The population the projections of `children`'s needs count under:
    /// what this batch has not read yet is read now (each count an index
    /// probe stopping at k).
    async fn population_for<'c>(
        &mut self,
        store: Store<'_>,
        children: impl Iterator<Item = &'c child::Model>,
    ) -> ServiceResult<Population> {
        let mut missing = BTreeSet::new();
        for child in children {
            if let Some(key) = population::key_of(store.vault, child, self.today)?
                && !self.counted.contains(&key)
            {
                missing.insert(key);
            }
        }
        if !missing.is_empty() {
            let read = population::counts(store, &missing, self.k, self.today).await?;
            self.population.extend(read);
            self.counted.extend(missing);
        }
        Ok(self.population.clone())
    }
}

fn need_change(
    store: Store<'_>,
    need: &need::Model,
    child: Option<&child::Model>,
    ctx: &Context,
    population: &Population,
) -> ServiceResult<Change> {
    let published = need.status == NeedStatus::Published;
    match (published, child) {
        (true, Some(child)) if files::basis_of(child).may_publish().is_ok() => {
            let public = project(store.vault, need, child, population, ctx.k, ctx.today)?;
            Ok(Change::Upsert(need_doc(
                &public,
                need.updated_at.timestamp(),
            )))
        }
        _ => Ok(Change::Delete {
            key: need_key(&need.code),
        }),
    }
}

async fn changes_for(
    store: Store<'_>,
    ctx: &mut Context,
    kind: OutboxKind,
    id: &str,
) -> ServiceResult<Vec<Change>> {
    match kind {
        OutboxKind::Offer => {
            let Some(offer) = db::offers::find(store.db, id).await? else {
                return Ok(vec![Change::Delete { key: offer_key(id) }]);
            };
            if offer.status != OfferStatus::Active {
                return Ok(vec![Change::Delete { key: offer_key(id) }]);
            }
            let townships = db::offers::townships(store.db, id).await?;
            Ok(vec![Change::Upsert(offer_doc(
                &offer,
                &townships,
                &ctx.townships,
            ))])
        }
        OutboxKind::Need => {
            let Some(need) = db::needs::find(store.db, id).await? else {
                return Ok(Vec::new());
            };
            let child = db::children::find(store.db, &need.child_id).await?;
            let population = ctx.population_for(store, child.iter()).await?;
            Ok(vec![need_change(
                store,
                &need,
                child.as_ref(),
                ctx,
                &population,
            )?])
        }
        OutboxKind::Township => {
            // A page at a time, each page's files read together.
            let statuses = [NeedStatus::Published.as_str()];
            let mut changes = Vec::new();
            let mut offset = 0;
            loop {
                let (_, needs) = db::needs::list(
                    store.db,
                    &db::needs::NeedFilter {
                        township: Some(id),
                        statuses: Some(&statuses),
                        ..Default::default()
                    },
                    PAGE,
                    offset,
                )
                .await?;
                if needs.is_empty() {
                    return Ok(changes);
                }
                offset += needs.len() as u64;
                let children = children_of(store, &needs).await?;
                let population = ctx.population_for(store, children.values()).await?;
                for need in &needs {
                    let child = children.get(&need.child_id);
                    changes.push(need_change(store, need, child, ctx, &population)?);
                }
            }
        }
    }
}

async fn apply(index: Arc<SearchIndex>, changes: Vec<Change>, seq: i64) -> ServiceResult<()> {
    Ok(tokio::task::spawn_blocking(move || index.apply(&changes, seq)).await??)
}

/// Applies every outbox entry the index has not seen; returns how many.
pub async fn catch_up(store: Store<'_>, handle: &SearchHandle, k: u32) -> ServiceResult<usize> {
    let _applying = handle.applying.lock().await;
    let index = handle.index();
    let mut last = index.last_applied_seq()?.unwrap_or(0);
    let mut applied = 0;
    loop {
        let entries = db::outbox::after(store.db, last, BATCH).await?;
        let Some(newest) = entries.last().map(|e| e.seq) else {
            return Ok(applied);
        };
        let mut ctx = Context::new(store, k).await?;
        let mut changes = Vec::new();
        for entry in &entries {
            match OutboxKind::parse(&entry.kind) {
                Some(kind) => {
                    changes.extend(changes_for(store, &mut ctx, kind, &entry.ref_id).await?)
                }
                None => tracing::warn!(seq = entry.seq, "unknown outbox entry kind skipped"),
            }
        }
        apply(index.clone(), changes, newest).await?;
        applied += entries.len();
        last = newest;
    }
}

/// The files of `needs`, by id, read together.
async fn children_of(
    store: Store<'_>,
    needs: &[need::Model],
) -> ServiceResult<HashMap<String, child::Model>> {
    let ids: Vec<String> = needs.iter().map(|n| n.child_id.clone()).collect();
    Ok(db::children::find_many(store.db, &ids)
        .await?
        .into_iter()
        .map(|c| (c.id.clone(), c))
        .collect())
}

/// Rows per page when walking all offers or needs: small enough that
/// indexing everything never holds much more than one page in memory.
const PAGE: u64 = 2_000;

/// The documents of the active offers after `after` (by id), one page.
async fn offer_page(store: Store<'_>, ctx: &Context, after: &str) -> ServiceResult<Vec<Doc>> {
    let offers =
        db::offers::page_by_id(store.db, OfferStatus::Active.as_str(), after, PAGE).await?;
    let ids: Vec<String> = offers.iter().map(|o| o.id.clone()).collect();
    let townships = db::offers::townships_of(store.db, &ids).await?;
    let none = Vec::new();
    Ok(offers
        .iter()
        .map(|offer| {
            offer_doc(
                offer,
                townships.get(&offer.id).unwrap_or(&none),
                &ctx.townships,
            )
        })
        .collect())
}

/// The documents of the published needs after `after` (by id), one page,
/// projected now, and the last id of the page.
async fn need_page(
    store: Store<'_>,
    ctx: &mut Context,
    after: &str,
) -> ServiceResult<(Vec<Doc>, Option<String>)> {
    let needs =
        db::needs::page_by_id(store.db, NeedStatus::Published.as_str(), after, PAGE).await?;
    let last = needs.last().map(|n| n.id.clone());
    if needs.is_empty() {
        return Ok((Vec::new(), last));
    }
    let children = children_of(store, &needs).await?;
    let population = ctx.population_for(store, children.values()).await?;
    let mut docs = Vec::new();
    for need in &needs {
        if let Change::Upsert(doc) =
            need_change(store, need, children.get(&need.child_id), ctx, &population)?
        {
            docs.push(doc);
        }
    }
    Ok((docs, last))
}

/// Walks every searchable document page by page (offers first, if asked,
/// then needs), so that indexing everything holds one page at a time.
struct Pager {
    ctx: Context,
    /// `None` once the offers are done (or not wanted).
    offers_after: Option<String>,
    /// `None` once the needs are done.
    needs_after: Option<String>,
}

impl Pager {
    async fn new(store: Store<'_>, k: u32, offers: bool) -> ServiceResult<Pager> {
        Ok(Pager {
            ctx: Context::new(store, k).await?,
            offers_after: offers.then(String::new),
            needs_after: Some(String::new()),
        })
    }

    /// The next non-empty page, or `None` at the end.
    async fn next(&mut self, store: Store<'_>) -> ServiceResult<Option<Vec<Doc>>> {
        if let Some(after) = &self.offers_after {
            let docs = offer_page(store, &self.ctx, after).await?;
            match docs.last() {
                Some(last) => {
                    self.offers_after = Some(last.id.clone());
                    return Ok(Some(docs));
                }
                None => self.offers_after = None,
            }
        }
        while let Some(after) = self.needs_after.clone() {
            let (docs, last) = need_page(store, &mut self.ctx, &after).await?;
            self.needs_after = last;
            if !docs.is_empty() {
                return Ok(Some(docs));
            }
        }
        Ok(None)
    }
}

fn upserts(docs: Vec<Doc>) -> Vec<Change> {
    docs.into_iter().map(Change::Upsert).collect()
}

/// Re-projects every published need into the current index (daily, for
/// birthdays, and whenever an operator asks), a page per commit; returns
/// how many.
pub async fn refresh_needs(
    store: Store<'_>,
    handle: &SearchHandle,
    k: u32,
) -> ServiceResult<usize> {
    let _applying = handle.applying.lock().await;
    // Birthdays move children between bands: the counts first.
    population::refresh(store, chrono::Local::now().date_naive()).await?;
    let index = handle.index();
    let seq = index.last_applied_seq()?.unwrap_or(0);
    let mut pages = Pager::new(store, k, false).await?;
    let mut count = 0;
    while let Some(docs) = pages.next(store).await? {
        count += docs.len();
        apply(index.clone(), upserts(docs), seq).await?;
    }
    handle.mark_refreshed(chrono::Local::now().date_naive());
    Ok(count)
}

/// What a rebuild did.
#[derive(Debug, Clone)]
pub struct Rebuilt {
    pub documents: usize,
    pub seq: i64,
    pub directory: String,
}

/// Builds a new index from the database into a fresh directory and points
/// `CURRENT` at it. Entries written meanwhile are applied by the next
/// catch-up: the rebuild records the sequence number it started from.
pub async fn rebuild(store: Store<'_>, data_dir: &Path, k: u32) -> ServiceResult<Rebuilt> {
    let root = data_dir.join(super::INDEX_DIR);
    crate::files::create_private_dir(&root)?;
    population::refresh(store, chrono::Local::now().date_naive()).await?;
    let seq = db::outbox::last_seq(store.db).await?;
    let name = fresh_name();
    let dir = root.join(&name);
    let index = {
        let dir = dir.clone();
        Arc::new(tokio::task::spawn_blocking(move || SearchIndex::create_in(&dir)).await??)
    };
    apply(index.clone(), Vec::new(), seq).await?;
    let mut pages = Pager::new(store, k, true).await?;
    let mut count = 0;
    while let Some(docs) = pages.next(store).await? {
        count += docs.len();
        apply(index.clone(), upserts(docs), seq).await?;
    }
    tokio::task::spawn_blocking(move || index.wait_for_merges()).await??;
    super::handle::mark_refreshed_in(&dir, chrono::Local::now().date_naive());
    write_pointer(&root, &name)?;
    Ok(Rebuilt {
        documents: count,
        seq,
        directory: name,
    })
}
