//! Where index work runs: on tokio's blocking pool (never on the async
//! executor), but no more searches or rankings at once than the machine has
//! cores. Index work is CPU-bound; hundreds of them started together on a
//! few cores only share the cores out among themselves, so every answer
//! comes late and the threads' stacks and buffers pile up. Beyond the
//! permits, requests wait their turn (first come, first served) without
//! holding a thread.

use std::sync::LazyLock;

use tokio::sync::Semaphore;

use super::super::{ServiceError, ServiceResult};

/// Permits for index work: one per core.
static PERMITS: LazyLock<Semaphore> = LazyLock::new(|| {
    Semaphore::new(std::thread::available_parallelism().map_or(2, std::num::NonZero::get))
});

/// Runs `work` (a search or a ranking) on the blocking pool once a permit is
/// free, and returns its answer.
pub async fn run<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, search_index::Error> + Send + 'static,
) -> ServiceResult<T> {
    let _permit = PERMITS
        .acquire()
        .await
        .map_err(|e| ServiceError::caused("search permits", e))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ServiceError::caused("search task", e))?
        .map_err(|e| ServiceError::caused("search", e))
}
