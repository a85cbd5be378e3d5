//! Figures computed off the request path and kept in memory, one snapshot
//! per key (a period), in the style of the allocation plan's job
//! (`services::allocation::job`).
//!
//! A request never reads the county's files itself: it answers from the
//! snapshot kept for its key. A snapshot read under the current change
//! count (`db::allocation::changes`), or younger than the refresh interval,
//! is served as is; an older one is served too, and one refresh starts.
//! Only when nothing is kept yet does the request wait for the job, for a
//! bounded time. The job slot of a key is reserved under the lock before
//! the job is spawned, so concurrent requests never start two for one key.
//!
//! Jobs of different keys take turns ([`Turns`]): each reads every
//! township's figures of its period and holds them while it sums, so the
//! first requests of four periods at once would hold four such working
//! sets together (the server's memory peak at province scale), while
//! waiting holds nothing and the requests are answered "being computed"
//! after their bounded wait either way.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, Utc};
use tokio::sync::{Semaphore, watch};

use super::super::ServiceResult;

/// What a job computed, with when and under which change count.
#[derive(Debug)]
pub struct Snapshot<V> {
    pub value: V,
    /// The moment the job read the figures at.
    pub computed_at: DateTime<Utc>,
    /// The change count the job read them under.
    pub changes: i64,
    /// How long the job took.
    pub took: StdDuration,
}

/// What a request gets.
pub enum Kept<V> {
    Ready(Arc<Snapshot<V>>),
    /// Nothing kept yet and the job did not finish within the wait.
    Pending,
}

struct Slot<V> {
    done: Option<Arc<Snapshot<V>>>,
    /// The running job: its sender is dropped when it ends.
    running: Option<watch::Receiver<()>>,
}

impl<V> Default for Slot<V> {
    fn default() -> Self {
        Slot {
            done: None,
            running: None,
        }
    }
}

/// What the lock decided for one request.
enum Look<V> {
    Serve(Arc<Snapshot<V>>),
    Wait(watch::Receiver<()>),
}

/// The turns jobs take: how many run at once, shared by the keepers that
/// hold one.
#[derive(Clone, Debug)]
pub struct Turns(Arc<Semaphore>);

impl Turns {
    /// `at_once` jobs at a time (at least one).
    pub fn new(at_once: usize) -> Self {
        Turns(Arc::new(Semaphore::new(at_once.max(1))))
    }
}

/// The snapshots of one kind of figures, per key.
pub struct Keeper<K, V> {
    slots: Mutex<HashMap<K, Slot<V>>>,
    turns: Turns,
    /// How long a snapshot read under an older change count is served
    /// without a refresh.
    refresh: Duration,
    /// How long a request waits when nothing is kept yet.
    wait: StdDuration,
}

impl<K, V> std::fmt::Debug for Keeper<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keeper")
    }
}

impl<K, V> Keeper<K, V>
where
    K: Hash + Eq + Clone + Send + Sync + 'static,
    V: Send + Sync + 'static,
{
    pub fn new(refresh: Duration, wait: StdDuration, turns: Turns) -> Self {
        Keeper {
            slots: Mutex::new(HashMap::new()),
            turns,
            refresh,
            wait,
        }
    }

    fn slots(&self) -> MutexGuard<'_, HashMap<K, Slot<V>>> {
        // A panic while holding this lock leaves plain data behind: go on.
        self.slots.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Under one lock: what to serve, and the job slot reserved (the
    /// sender: the caller must start the job) when a job is due.
    fn look(
        &self,
        key: &K,
        changes: i64,
        now: DateTime<Utc>,
    ) -> (Look<V>, Option<watch::Sender<()>>) {
        let mut slots = self.slots();
        let slot = slots.entry(key.clone()).or_default();
        let reserve = |slot: &mut Slot<V>| {
            let (tx, rx) = watch::channel(());
            slot.running = Some(rx.clone());
            (rx, tx)
        };
        match &slot.done {
            Some(done) => {
                let done = done.clone();
                let stale = done.changes != changes && now - done.computed_at >= self.refresh;
                if stale && slot.running.is_none() {
                    let (_, tx) = reserve(slot);
                    (Look::Serve(done), Some(tx))
                } else {
                    (Look::Serve(done), None)
                }
            }
            None => match &slot.running {
                Some(rx) => (Look::Wait(rx.clone()), None),
                None => {
                    let (rx, tx) = reserve(slot);
                    (Look::Wait(rx), Some(tx))
                }
            },
        }
    }

    fn finish(&self, key: &K, snapshot: Option<Snapshot<V>>) {
        let mut slots = self.slots();
        let slot = slots.entry(key.clone()).or_default();
        slot.running = None;
        if let Some(snapshot) = snapshot {
            slot.done = Some(Arc::new(snapshot));
        }
    }

    /// The snapshot of `key` for a request at `now` under `changes`;
    /// `job` computes a new one when one is due (called at most once, and
    /// only then).
    pub async fn get<F, Fut>(
        self: &Arc<Self>,
        key: K,
        changes: i64,
        now: DateTime<Utc>,
        job: F,
    ) -> Kept<V>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = ServiceResult<V>> + Send + 'static,
    {
        let (look, reserved) = self.look(&key, changes, now);
        if let Some(tx) = reserved {
            tokio::spawn(run(self.clone(), key.clone(), changes, now, tx, job()));
        }
        match look {
            Look::Serve(done) => Kept::Ready(done),
            Look::Wait(mut rx) => {
                // Ends with an error when the job's sender is dropped.
                let _ = tokio::time::timeout(self.wait, rx.changed()).await;
                match self.slots().get(&key).and_then(|s| s.done.clone()) {
                    Some(done) => Kept::Ready(done),
                    None => Kept::Pending,
                }
            }
        }
    }
}

/// Frees the job slot however the job ends (a result, an error, a panic,
/// the runtime shutting down); the sender is dropped after, waking waiters.
struct Release<K, V>
where
    K: Hash + Eq + Clone + Send + Sync + 'static,
    V: Send + Sync + 'static,
{
    keeper: Arc<Keeper<K, V>>,
    key: K,
    snapshot: Option<Snapshot<V>>,
    _done: watch::Sender<()>,
}

impl<K, V> Drop for Release<K, V>
where
    K: Hash + Eq + Clone + Send + Sync + 'static,
    V: Send + Sync + 'static,
{
    fn drop(&mut self) {
        self.keeper.finish(&self.key, self.snapshot.take());
    }
}

async fn run<K, V, Fut>(
    keeper: Arc<Keeper<K, V>>,
    key: K,
    changes: i64,
    now: DateTime<Utc>,
    done: watch::Sender<()>,
    job: Fut,
) where
    K: Hash + Eq + Clone + Send + Sync + 'static,
    V: Send + Sync + 'static,
    Fut: Future<Output = ServiceResult<V>> + Send + 'static,
{
    let turns = keeper.turns.0.clone();
    let mut release = Release {
        keeper,
        key,
        snapshot: None,
        _done: done,
    };
    // The semaphore is never closed; were it, the job would run untaken.
    let _turn = turns.acquire_owned().await.ok();
    let started = Instant::now();
    match job.await {
        Ok(value) => {
            let took = started.elapsed();
            tracing::info!(seconds = took.as_secs_f64(), "oversight figures computed");
            release.snapshot = Some(Snapshot {
                value,
                computed_at: now,
                changes,
                took,
            });
        }
        Err(err) => tracing::error!(error = %err, "oversight figures failed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn keeper() -> Arc<Keeper<u8, u32>> {
        Arc::new(Keeper::new(
            Duration::minutes(10),
            StdDuration::from_secs(5),
            Turns::new(4),
        ))
    }

    async fn counted(runs: Arc<AtomicU32>, value: u32) -> ServiceResult<u32> {
        runs.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(StdDuration::from_millis(50)).await;
        Ok(value)
    }

    fn value(kept: Kept<u32>) -> u32 {
        match kept {
            Kept::Ready(s) => s.value,
            Kept::Pending => panic!("pending"),
        }
    }

    #[tokio::test]
    async fn concurrent_first_requests_start_one_job_and_all_get_its_result() {
        let keeper = keeper();
        let runs = Arc::new(AtomicU32::new(0));
        let now = Utc::now();
        let asks = (0..8).map(|i| {
            let (keeper, runs) = (keeper.clone(), runs.clone());
            tokio::spawn(
                async move { value(keeper.get(1, 0, now, || counted(runs.clone(), i)).await) },
            )
        });
        let got: Vec<u32> = futures_util::future::join_all(asks)
            .await
            .into_iter()
            .map(|r| r.expect("joined"))
            .collect();
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        assert!(got.windows(2).all(|w| w[0] == w[1]), "{got:?}");
    }

    #[tokio::test]
    async fn a_changed_count_refreshes_only_after_the_interval_and_serves_the_old_meanwhile() {
        let keeper = keeper();
        let runs = Arc::new(AtomicU32::new(0));
        let t0 = Utc::now();
        assert_eq!(
            value(keeper.get(1, 0, t0, || counted(runs.clone(), 1)).await),
            1
        );
        // Same count: served as is, however old.
        let later = t0 + Duration::hours(5);
        assert_eq!(
            value(keeper.get(1, 0, later, || counted(runs.clone(), 2)).await),
            1
        );
        // A change within the interval: served as is.
        let soon = t0 + Duration::minutes(9);
        assert_eq!(
            value(keeper.get(1, 1, soon, || counted(runs.clone(), 3)).await),
            1
        );
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        // A change and the interval passed: the old is served, one refresh starts.
        let after = t0 + Duration::minutes(11);
        assert_eq!(
            value(keeper.get(1, 1, after, || counted(runs.clone(), 4)).await),
            1
        );
        assert_eq!(
            value(keeper.get(1, 1, after, || counted(runs.clone(), 5)).await),
            1
        );
        tokio::time::sleep(StdDuration::from_millis(200)).await;
        assert_eq!(runs.load(Ordering::SeqCst), 2);
        let kept = keeper.get(1, 1, after, || counted(runs.clone(), 6)).await;
        let Kept::Ready(s) = kept else {
            panic!("pending")
        };
        assert_eq!((s.value, s.changes, s.computed_at), (4, 1, after));
    }

    #[tokio::test]
    async fn a_slow_first_job_answers_pending_and_a_failed_one_frees_its_slot() {
        let keeper: Arc<Keeper<u8, u32>> = Arc::new(Keeper::new(
            Duration::minutes(10),
            StdDuration::from_millis(20),
            Turns::new(4),
        ));
        let now = Utc::now();
        let slow = keeper
            .get(1, 0, now, || async {
                tokio::time::sleep(StdDuration::from_millis(300)).await;
                Ok(7)
            })
            .await;
        assert!(matches!(slow, Kept::Pending));
        let failed = keeper
            .get(2, 0, now, || async {
                Err(super::super::super::ServiceError::internal("boom"))
            })
            .await;
        assert!(matches!(failed, Kept::Pending));
        let runs = Arc::new(AtomicU32::new(0));
        let keeper_long: Arc<Keeper<u8, u32>> = keeper.clone();
        // The failed key starts again on the next request.
        let _ = keeper_long
            .get(2, 0, now, || counted(runs.clone(), 9))
            .await;
        tokio::time::sleep(StdDuration::from_millis(150)).await;
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        assert_eq!(
            value(keeper.get(2, 0, now, || counted(runs.clone(), 0)).await),
            9
        );
    }

    #[tokio::test]
    async fn jobs_of_different_keys_and_keepers_sharing_turns_run_one_at_a_time() {
        let turns = Turns::new(1);
        let figures: Arc<Keeper<u8, u32>> = Arc::new(Keeper::new(
            Duration::minutes(10),
            StdDuration::from_secs(5),
            turns.clone(),
        ));
        let stats: Arc<Keeper<u8, u32>> = Arc::new(Keeper::new(
            Duration::minutes(10),
            StdDuration::from_secs(5),
            turns,
        ));
        let running = Arc::new(AtomicU32::new(0));
        let most = Arc::new(AtomicU32::new(0));
        let now = Utc::now();
        let asks = (0..6u8).map(|key| {
            let keeper = if key % 2 == 0 { &figures } else { &stats }.clone();
            let (running, most) = (running.clone(), most.clone());
            tokio::spawn(async move {
                let job = move || async move {
                    let now_running = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now_running, Ordering::SeqCst);
                    tokio::time::sleep(StdDuration::from_millis(30)).await;
                    running.fetch_sub(1, Ordering::SeqCst);
                    Ok(u32::from(key))
                };
                value(keeper.get(key, 0, now, job).await)
            })
        });
        let got: Vec<u32> = futures_util::future::join_all(asks)
            .await
            .into_iter()
            .map(|r| r.expect("joined"))
            .collect();
        assert_eq!(got, vec![0, 1, 2, 3, 4, 5]);
        assert_eq!(most.load(Ordering::SeqCst), 1);
    }
}
