//! The index a node searches: [`SearchHandle`] opens the directory the
//! `CURRENT` pointer names and swaps in a rebuilt one between searches;
//! the pointer is read and written here.

use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use search_index::SearchIndex;

use crate::files;

use super::super::ServiceResult;

const POINTER: &str = "CURRENT";

/// The index searches see and its generation (see [`SearchHandle::version`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IndexVersion {
    name: String,
    generation: u64,
}

/// The index in use, swappable while searches run.
pub struct SearchHandle {
    root: PathBuf,
    current: RwLock<(String, Arc<SearchIndex>)>,
    /// One catch-up at a time per node (tantivy has one writer).
    pub(super) applying: tokio::sync::Mutex<()>,
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

pub(super) fn write_pointer(root: &Path, name: &str) -> ServiceResult<()> {
    let tmp = root.join(format!("{POINTER}.tmp"));
    std::fs::write(&tmp, format!("{name}\n"))?;
    Ok(std::fs::rename(&tmp, root.join(POINTER))?)
}

/// The file in an index directory that holds the day of its last
/// re-projection, so that a restart does not redo the day's work.
const REFRESHED: &str = "refreshed_on";

/// Records in `dir` that its needs were re-projected on `day`. A failure only
/// means the work is done again at the next start.
pub(super) fn mark_refreshed_in(dir: &Path, day: NaiveDate) {
    if let Err(err) = std::fs::write(dir.join(REFRESHED), day.format("%Y-%m-%d\n").to_string()) {
        tracing::warn!(error = %err, "could not record the day of the needs' re-projection");
    }
}

pub(super) fn fresh_name() -> String {
    format!("index-{}", chrono::Utc::now().format("%Y%m%d%H%M%S%f"))
}

impl SearchHandle {
    /// Opens the index `CURRENT` names under `<data_dir>/index`, creating
    /// an empty one on the first start.
    pub fn open(data_dir: &Path) -> ServiceResult<SearchHandle> {
        let root = data_dir.join(super::INDEX_DIR);
        files::create_private_dir(&root)?;
        let name = match read_pointer(&root) {
            Some(name) => name,
            None => {
                let name = fresh_name();
                write_pointer(&root, &name)?;
                name
            }
        };
        let index = SearchIndex::open_or_create(&root.join(&name))?;
        Ok(SearchHandle {
            root,
            current: RwLock::new((name, Arc::new(index))),
            applying: tokio::sync::Mutex::new(()),
        })
    }

    /// The day the current index's needs were last re-projected (by a
    /// rebuild or [`super::indexer::refresh_needs`]), if known.
    pub fn refreshed_on(&self) -> Option<NaiveDate> {
        std::fs::read_to_string(self.root.join(self.current_name()).join(REFRESHED))
            .ok()
            .and_then(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
    }

    /// Records that the current index's needs were re-projected on `day`.
    pub fn mark_refreshed(&self, day: NaiveDate) {
        mark_refreshed_in(&self.root.join(self.current_name()), day);
    }

    /// Which index, and which generation of its segments, searches see
    /// now: answers derived from searches may be kept while this is
    /// unchanged (a rebuild swaps the index, and its generations start
    /// again, hence the name).
    pub fn version(&self) -> IndexVersion {
        let read = |guard: &(String, Arc<SearchIndex>)| IndexVersion {
            name: guard.0.clone(),
            generation: guard.1.generation(),
        };
        match self.current.read() {
            Ok(guard) => read(&guard),
            Err(poisoned) => read(&poisoned.into_inner()),
        }
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
        let index =
            tokio::task::spawn_blocking(move || SearchIndex::open_or_create(&dir)).await??;
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
