//! What the bench binaries share (each includes this file with
//! `#[path = "support/common.rs"] mod common;`): a temporary data directory
//! filled by the synthetic generator, and order statistics over timings.

use std::path::Path;
use std::time::{Duration, Instant};

use carebridge::app::Prepared;
use carebridge::config::{CommonArgs, Settings};
use carebridge::synthetic::{self, Generated};

pub type Error = Box<dyn std::error::Error>;

/// A migrated SQLite database in a temporary directory, with generated data.
pub struct Data {
    /// Kept so that the directory lives as long as the bench.
    pub dir: tempfile::TempDir,
    pub prepared: Prepared,
    pub generated: Generated,
    /// How long generating took.
    pub generation: Duration,
}

/// The settings of a bench's data directory: SQLite in it, k = 5, the
/// vault key file in it whatever the environment says.
pub fn settings(data_dir: &Path) -> Settings {
    let mut settings = Settings::from_common(&CommonArgs {
        data_dir: data_dir.to_path_buf(),
        database_url: None,
        k_anonymity: 5,
        overdue_days: 7,
        service_gap_days: 30,
        entitlement_rules: None,
        indicators: None,
    });
    settings.vault_key = None;
    settings
}

/// Generates `offers` offers and `needs` published needs from `seed` into a
/// fresh database (k = 5; its own vault key file).
pub async fn generate(offers: usize, needs: usize, seed: u64) -> Result<Data, Error> {
    let dir = tempfile::tempdir()?;
    let settings = settings(dir.path());
    let prepared = carebridge::app::prepare(&settings).await?;
    let started = Instant::now();
    let generated = synthetic::generate(
        prepared.store(),
        synthetic::Plan {
            offers,
            needs,
            seed,
        },
    )
    .await?;
    Ok(Data {
        dir,
        prepared,
        generated,
        generation: started.elapsed(),
    })
}

/// The `p` quantile (0 to 1, nearest rank) of sorted times.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Milliseconds, for printing.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
