//! The plan's background job: one at a time, its result kept in memory
//! with the version of the data it was computed from.
//!
//! A request reads the version (one row: the count of changes the plan
//! depends on, see `db::allocation::count_change`, and the day, since
//! end dates, approvals and age bands move with it). A result of that
//! version is served; otherwise the request joins the running job, or
//! reserves the job slot under the lock (so two requests never start two)
//! and starts one. The job only reads the database.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::DatabaseConnection;

use crate::domain::allocation::classes::{self, Step};
use crate::vault::Vault;

use super::super::{ServiceError, ServiceResult, Store};
use super::Computed;
use super::load::load;

/// What a result is valid for: the data as of `changes` changes, on `day`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Version {
    pub changes: i64,
    pub day: NaiveDate,
}

impl Version {
    /// The version of the data now: one row read.
    pub async fn current(db: &DatabaseConnection) -> ServiceResult<Version> {
        Ok(Version {
            changes: crate::db::allocation::changes(db).await?,
            day: Utc::now().date_naive(),
        })
    }
}

/// Where a job is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Loading,
    Classes,
    Critical,
    Urgent,
    Normal,
    Baseline,
    Pairs,
    Summary,
}

impl Phase {
    const ALL: [Phase; 8] = [
        Phase::Loading,
        Phase::Classes,
        Phase::Critical,
        Phase::Urgent,
        Phase::Normal,
        Phase::Baseline,
        Phase::Pairs,
        Phase::Summary,
    ];

    /// The code the API answers.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Loading => "loading",
            Phase::Classes => "classes",
            Phase::Critical => "flow_critical",
            Phase::Urgent => "flow_urgent",
            Phase::Normal => "flow_normal",
            Phase::Baseline => "baseline",
            Phase::Pairs => "pairs",
            Phase::Summary => "summary",
        }
    }

    /// What the page says.
    pub fn label(self) -> &'static str {
        match self {
            Phase::Loading => "读取需求、服务和对接记录",
            Phase::Classes => "归并同类需求与服务",
            Phase::Critical => "分配特别紧急需求",
            Phase::Urgent => "分配紧急需求",
            Phase::Normal => "分配一般需求",
            Phase::Baseline => "计算先到先得对比",
            Phase::Pairs => "拆分为具体对接",
            Phase::Summary => "汇总各乡镇结果",
        }
    }

    /// Percent done when the phase begins.
    fn start(self) -> u8 {
        match self {
            Phase::Loading => 0,
            Phase::Classes => 45,
            Phase::Critical => 50,
            Phase::Urgent => 60,
            Phase::Normal => 70,
            Phase::Baseline => 80,
            Phase::Pairs => 88,
            Phase::Summary => 95,
        }
    }
}

/// A running job's progress, shared with the requests that ask.
#[derive(Debug)]
pub struct Progress {
    pub version: Version,
    pub started_at: DateTime<Utc>,
    phase: AtomicU8,
    percent: AtomicU8,
}

impl Progress {
    fn new(version: Version) -> Progress {
        Progress {
            version,
            started_at: Utc::now(),
            phase: AtomicU8::new(0),
            percent: AtomicU8::new(0),
        }
    }

    pub fn phase(&self) -> Phase {
        let at = usize::from(self.phase.load(Ordering::Relaxed));
        Phase::ALL.get(at).copied().unwrap_or(Phase::Loading)
    }

    pub fn percent(&self) -> u8 {
        self.percent.load(Ordering::Relaxed)
    }

    fn enter(&self, phase: Phase) {
        self.set(phase, phase.start());
    }

    fn set(&self, phase: Phase, percent: u8) {
        let at = Phase::ALL.iter().position(|p| *p == phase).unwrap_or(0);
        self.phase
            .store(u8::try_from(at).unwrap_or(0), Ordering::Relaxed);
        self.percent.store(percent.min(99), Ordering::Relaxed);
    }
}

/// What a request finds.
pub enum Found {
    /// A result of the current version.
    Fresh(Arc<Computed>),
    /// A job is running (this request started it, or joined it). `failed`:
    /// the job before it failed.
    Running {
        progress: Arc<Progress>,
        failed: bool,
    },
}

#[derive(Default)]
struct Slots {
    done: Option<Arc<Computed>>,
    running: Option<Arc<Progress>>,
    failed: bool,
}

/// The plan's job slot and its last result; one per application.
#[derive(Default)]
pub struct Jobs {
    slots: Mutex<Slots>,
}

impl std::fmt::Debug for Jobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Jobs")
    }
}

impl Jobs {
    fn slots(&self) -> MutexGuard<'_, Slots> {
        // A panic while holding this lock leaves plain data behind: go on.
        self.slots.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The result of `version`, or the running job, or a new job reserved
    /// (`true`: the caller must start it) — under one lock.
    fn reserve(&self, version: Version) -> (Found, bool) {
        let mut slots = self.slots();
        if let Some(done) = &slots.done {
            if done.version == version {
                return (Found::Fresh(done.clone()), false);
            }
            // Never served again: free it before the next job fills memory.
            slots.done = None;
        }
        let failed = slots.failed;
        if let Some(progress) = &slots.running {
            let progress = progress.clone();
            return (Found::Running { progress, failed }, false);
        }
        let progress = Arc::new(Progress::new(version));
        slots.running = Some(progress.clone());
        (Found::Running { progress, failed }, true)
    }

    fn finish(&self, progress: &Arc<Progress>, result: Option<Computed>) {
        let mut slots = self.slots();
        if slots
            .running
            .as_ref()
            .is_some_and(|r| Arc::ptr_eq(r, progress))
        {
            slots.running = None;
        }
        slots.failed = result.is_none();
        if let Some(result) = result {
            slots.done = Some(Arc::new(result));
        }
    }

    /// The result of the data as it is now, or the job computing it,
    /// started here when none runs.
    pub async fn find(
        self: &Arc<Self>,
        db: &DatabaseConnection,
        vault: &Arc<Vault>,
    ) -> ServiceResult<Found> {
        let version = Version::current(db).await?;
        let (found, start) = self.reserve(version);
        if start && let Found::Running { progress, .. } = &found {
            tokio::spawn(run(
                self.clone(),
                db.clone(),
                vault.clone(),
                progress.clone(),
            ));
        }
        Ok(found)
    }
}

/// Frees the slot if the job ends without a result (an error, a panic, or
/// the runtime shutting down).
struct Release {
    jobs: Arc<Jobs>,
    progress: Arc<Progress>,
    result: Option<Computed>,
}

impl Drop for Release {
    fn drop(&mut self) {
        self.jobs.finish(&self.progress, self.result.take());
    }
}

async fn run(jobs: Arc<Jobs>, db: DatabaseConnection, vault: Arc<Vault>, progress: Arc<Progress>) {
    let mut release = Release {
        jobs,
        progress: progress.clone(),
        result: None,
    };
    let started = Instant::now();
    match compute(Store::new(&db, &vault), &progress).await {
        Ok(result) => {
            tracing::info!(
                seconds = started.elapsed().as_secs_f64(),
                needs = result.county.needs,
                offers = result.offers,
                pairs = result.pairs.len(),
                "allocation plan computed"
            );
            release.result = Some(result);
        }
        Err(err) => tracing::error!(error = %err, "allocation plan failed"),
    }
}

/// Computes the plan of the data of `progress.version`, reporting progress.
pub async fn compute(store: Store<'_>, progress: &Arc<Progress>) -> ServiceResult<Computed> {
    let started = Instant::now();
    let computed_at = Utc::now();
    progress.enter(Phase::Loading);
    let loaded = load(store, progress.version.day, &|percent| {
        let scaled = u16::from(percent) * u16::from(Phase::Classes.start()) / 100;
        progress.set(Phase::Loading, u8::try_from(scaled).unwrap_or(0));
    })
    .await?;
    let shared = progress.clone();
    let (loaded, solved) = tokio::task::spawn_blocking(move || {
        let solved = classes::solve(
            &loaded.facts,
            &loaded.offer_facts,
            &loaded.taken,
            &mut |step| {
                shared.enter(match step {
                    Step::Classes => Phase::Classes,
                    Step::Tier(0) => Phase::Critical,
                    Step::Tier(1) => Phase::Urgent,
                    Step::Tier(_) => Phase::Normal,
                    Step::Baseline => Phase::Baseline,
                    Step::Pairs => Phase::Pairs,
                });
            },
        );
        (loaded, solved)
    })
    .await
    .map_err(|e| ServiceError::caused("allocation", e))?;
    progress.enter(Phase::Summary);
    Ok(Computed::new(
        loaded,
        solved,
        progress.version,
        computed_at,
        started.elapsed(),
    ))
}
