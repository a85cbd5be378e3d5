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

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use chrono::NaiveDate;
use search_index::{Change, Doc, SearchIndex};

use crate::db;
use crate::db::entities::{child, need};
use crate::db::outbox::OutboxKind;
use crate::domain::need::NeedStatus;
use crate::domain::offer::OfferStatus;
use crate::domain::projection::Population;

use super::super::children::population;
use super::super::needs::project;
use super::super::{ServiceError, ServiceResult, Store};
use super::documents::{need_doc, need_key, offer_doc, offer_key};

const POINTER: &str = "CURRENT";
const BATCH: u64 = 500;

fn internal(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Internal(format!("search index: {e}"))
}

/// The index in use, swappable while searches run.
pub struct SearchHandle {
    root: PathBuf,
    current: RwLock<(String, Arc<SearchIndex>)>,
    /// One catch-up at a time per node (tantivy has one writer).
    applying: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for SearchHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchHandle")
            .field("root", &self.root)
            .finish_non_exhaustive()
    }
}

fn read_pointer(root: &Path) -> Option<String> {
    std::fs::read_to_string(root.join(POINTER))
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty() && !s.contains('/') && !s.contains(".."))
}

fn write_pointer(root: &Path, name: &str) -> ServiceResult<()> {
    let tmp = root.join(format!("{POINTER}.tmp"));
    std::fs::write(&tmp, format!("{name}\n")).map_err(internal)?;
    std::fs::rename(&tmp, root.join(POINTER)).map_err(internal)
}

fn fresh_name() -> String {
    format!("index-{}", chrono::Utc::now().format("%Y%m%d%H%M%S%f"))
}

impl SearchHandle {
    /// Opens the index `CURRENT` names under `<data_dir>/index`, creating
    /// an empty one on the first start.
    pub fn open(data_dir: &Path) -> ServiceResult<SearchHandle> {
        let root = data_dir.join("index");
        std::fs::create_dir_all(&root).map_err(internal)?;
        let name = match read_pointer(&root) {
            Some(name) => name,
            None => {
                let name = fresh_name();
                write_pointer(&root, &name)?;
                name
            }
        };
        let index = SearchIndex::open_or_create(&root.join(&name)).map_err(internal)?;
        Ok(SearchHandle {
            root,
            current: RwLock::new((name, Arc::new(index))),
            applying: tokio::sync::Mutex::new(()),
        })
    }

    /// The index to search now.
    pub fn index(&self) -> Arc<SearchIndex> {
        match self.current.read() {
            Ok(guard) => guard.1.clone(),
            Err(poisoned) => poisoned.into_inner().1.clone(),
        }
    }

    fn current_name(&self) -> String {
        match self.current.read() {
            Ok(guard) => guard.0.clone(),
            Err(poisoned) => poisoned.into_inner().0.clone(),
        }
    }

    /// Swaps in the index `CURRENT` names if a rebuild changed it, and
    /// removes the directories no longer named. Returns whether it swapped.
    pub async fn check_swap(&self) -> ServiceResult<bool> {
        let _applying = self.applying.lock().await;
        let Some(name) = read_pointer(&self.root) else {
            return Ok(false);
        };
        if name == self.current_name() {
            return Ok(false);
        }
        let dir = self.root.join(&name);
        let index = tokio::task::spawn_blocking(move || SearchIndex::open_or_create(&dir))
            .await
            .map_err(internal)?
            .map_err(internal)?;
        match self.current.write() {
            Ok(mut guard) => *guard = (name.clone(), Arc::new(index)),
            Err(poisoned) => *poisoned.into_inner() = (name.clone(), Arc::new(index)),
        }
        self.remove_stale(&name);
        tracing::info!(index = %name, "switched to the rebuilt search index");
        Ok(true)
    }

    /// Deletes index directories other than `keep`. Searches still holding
    /// the old index keep working: its files stay readable until released.
    fn remove_stale(&self, keep: &str) {
        let Ok(entries) = std::fs::read_dir(&self.root) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("index-")
                && name != keep
                && entry.path().is_dir()
                && let Err(err) = std::fs::remove_dir_all(entry.path())
            {
                tracing::warn!(error = %err, dir = %name, "could not remove an old search index");
            }
        }
    }
}

/// What building documents needs beyond the rows: township codes (for
/// county-wide offers) and the population (for needs' projections).
struct Context {
    townships: Vec<String>,
    population: Option<Population>,
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
            population: None,
            today: chrono::Local::now().date_naive(),
            k,
        })
    }

    async fn population(&mut self, store: Store<'_>) -> ServiceResult<&Population> {
        if self.population.is_none() {
            self.population = Some(population::load(store, self.today).await?);
        }
        self.population
            .as_ref()
            .ok_or_else(|| ServiceError::Internal("population not loaded".into()))
    }
}

fn need_change(
    store: Store<'_>,
    need: &need::Model,
    child: Option<&child::Model>,
    ctx: &Context,
    population: &Population,
) -> ServiceResult<Change> {
    let published = need.status == NeedStatus::Published.as_str();
    match (published, child) {
        (true, Some(child)) => {
            let public = project(store, need, child, population, ctx.k, ctx.today)?;
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
            if offer.status != OfferStatus::Active.as_str() {
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
            let population = ctx.population(store).await?.clone();
            Ok(vec![need_change(
                store,
                &need,
                child.as_ref(),
                ctx,
                &population,
            )?])
        }
        OutboxKind::Township => {
            let statuses = [NeedStatus::Published.as_str()];
            let (_, needs) = db::needs::list(
                store.db,
                &db::needs::NeedFilter {
                    township: Some(id),
                    statuses: Some(&statuses),
                    ..Default::default()
                },
                u64::MAX >> 1,
                0,
            )
            .await?;
            let population = ctx.population(store).await?.clone();
            let mut changes = Vec::new();
            for need in &needs {
                let child = db::children::find(store.db, &need.child_id).await?;
                changes.push(need_change(store, need, child.as_ref(), ctx, &population)?);
            }
            Ok(changes)
        }
    }
}

async fn apply(index: Arc<SearchIndex>, changes: Vec<Change>, seq: i64) -> ServiceResult<()> {
    tokio::task::spawn_blocking(move || index.apply(&changes, seq))
        .await
        .map_err(internal)?
        .map_err(internal)
}

/// Applies every outbox entry the index has not seen; returns how many.
pub async fn catch_up(store: Store<'_>, handle: &SearchHandle, k: u32) -> ServiceResult<usize> {
    let _applying = handle.applying.lock().await;
    let index = handle.index();
    let mut last = index.last_applied_seq().map_err(internal)?.unwrap_or(0);
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

/// Every document the database says should be searchable now.
async fn all_documents(store: Store<'_>, k: u32) -> ServiceResult<Vec<Doc>> {
    let mut ctx = Context::new(store, k).await?;
    let mut docs = Vec::new();
    let offers = db::offers::all_with_status(store.db, OfferStatus::Active.as_str()).await?;
    let townships = db::offers::all_townships(store.db).await?;
    let none = Vec::new();
    for offer in &offers {
        docs.push(offer_doc(
            offer,
            townships.get(&offer.id).unwrap_or(&none),
            &ctx.townships,
        ));
    }
    let statuses = [NeedStatus::Published.as_str()];
    let (_, needs) = db::needs::list(
        store.db,
        &db::needs::NeedFilter {
            statuses: Some(&statuses),
            ..Default::default()
        },
        u64::MAX >> 1,
        0,
    )
    .await?;
    if !needs.is_empty() {
        let children: HashMap<String, child::Model> = db::children::all(store.db, None)
            .await?
            .into_iter()
            .map(|c| (c.id.clone(), c))
            .collect();
        let population = ctx.population(store).await?.clone();
        for need in &needs {
            if let Change::Upsert(doc) =
                need_change(store, need, children.get(&need.child_id), &ctx, &population)?
            {
                docs.push(doc);
            }
        }
    }
    Ok(docs)
}

/// Re-projects every published need into the current index (daily, for
/// birthdays, and whenever an operator asks); returns how many.
pub async fn refresh_needs(
    store: Store<'_>,
    handle: &SearchHandle,
    k: u32,
) -> ServiceResult<usize> {
    let _applying = handle.applying.lock().await;
    let index = handle.index();
    let seq = index.last_applied_seq().map_err(internal)?.unwrap_or(0);
    let docs: Vec<Change> = all_documents(store, k)
        .await?
        .into_iter()
        .filter(|d| d.kind == search_index::DocKind::Need)
        .map(Change::Upsert)
        .collect();
    let count = docs.len();
    apply(index, docs, seq).await?;
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
    let root = data_dir.join("index");
    std::fs::create_dir_all(&root).map_err(internal)?;
    let seq = db::outbox::last_seq(store.db).await?;
    let docs = all_documents(store, k).await?;
    let name = fresh_name();
    let dir = root.join(&name);
    let count = docs.len();
    tokio::task::spawn_blocking(move || -> Result<(), search_index::Error> {
        let index = SearchIndex::create_in(&dir)?;
        let changes: Vec<Change> = docs.into_iter().map(Change::Upsert).collect();
        if changes.is_empty() {
            index.apply(&[], seq)?;
        }
        for chunk in changes.chunks(50_000) {
            index.apply(chunk, seq)?;
        }
        index.wait_for_merges()
    })
    .await
    .map_err(internal)?
    .map_err(internal)?;
    write_pointer(&root, &name)?;
    Ok(Rebuilt {
        documents: count,
        seq,
        directory: name,
    })
}
