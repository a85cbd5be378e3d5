//! The oversight figures' background jobs: the figures of one period for
//! every township (the county's sum and median need them all anyway), and
//! the public statistics of the last completed quarter, each kept per
//! period by a [`Keeper`].

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::Duration;
use sea_orm::DatabaseConnection;

use crate::domain::entitlement::Rules;
use crate::domain::period::Period;
use crate::domain::referral::office_day;
use crate::services::clock::Clock;
use crate::services::regions::Township;
use crate::vault::Vault;

use super::super::{ServiceResult, Store};
use super::figures::{self, AllFigures, Trend};
use super::kept::{Keeper, Kept, Turns};
use super::stats::{self, PublicStats};

/// A snapshot read under an older change count is refreshed after this.
pub const REFRESH: Duration = Duration::minutes(10);
/// How long a request waits for a period's first figures before it
/// answers "being computed".
pub const FIRST_WAIT: StdDuration = StdDuration::from_secs(5);

/// Everything the dashboards of one period show, for every scope.
#[derive(Debug)]
pub struct PeriodFigures {
    pub all: AllFigures,
    pub trend: Trend,
    /// Providers by status (county-wide).
    pub providers: BTreeMap<String, u64>,
}

/// The kept figures of the application.
#[derive(Debug)]
pub struct Jobs {
    pub figures: Arc<Keeper<Period, PeriodFigures>>,
    pub stats: Arc<Keeper<Period, PublicStats>>,
}

impl Default for Jobs {
    fn default() -> Self {
        Jobs::new(REFRESH, FIRST_WAIT)
    }
}

impl Jobs {
    /// Jobs refreshing after `refresh` (once the data changed), requests
    /// waiting at most `wait` for a period's first figures.
    /// Their jobs take turns, one at a time (see [`super::kept`]).
    pub fn new(refresh: Duration, wait: StdDuration) -> Self {
        let turns = Turns::new(1);
        Jobs {
            figures: Arc::new(Keeper::new(refresh, wait, turns.clone())),
            stats: Arc::new(Keeper::new(refresh, wait, turns)),
        }
    }
}

/// What a job reads from: owned, since a job outlives the request that
/// started it.
#[derive(Clone)]
pub struct Source {
    pub db: DatabaseConnection,
    pub vault: Arc<Vault>,
    pub clock: Clock,
    pub rules: Arc<Rules>,
    pub townships: Arc<Vec<Township>>,
    pub overdue_days: u32,
    pub k: u64,
}

impl Source {
    fn store(&self) -> Store<'_> {
        Store {
            db: &self.db,
            vault: &self.vault,
            kept: None,
            clock: &self.clock,
            rules: &self.rules,
            audit: None,
        }
    }
}

/// The kept figures of `period` (the request reads one row: the change
/// count).
pub async fn figures(
    jobs: &Jobs,
    source: &Source,
    period: Period,
) -> ServiceResult<Kept<PeriodFigures>> {
    let changes = crate::db::allocation::changes(&source.db).await?;
    let now = source.clock.now();
    let owned = source.clone();
    Ok(jobs
        .figures
        .get(period, changes, now, move || async move {
            let store = owned.store();
            let all = figures::load(store, period, now, owned.overdue_days).await?;
            let trend = figures::trend(store, period, now).await?;
            let providers = crate::db::oversight::providers_by_status(store.db).await?;
            Ok(PeriodFigures {
                all,
                trend,
                providers,
            })
        })
        .await)
}

/// The kept public statistics of the last completed quarter.
pub async fn public_stats(jobs: &Jobs, source: &Source) -> ServiceResult<Kept<PublicStats>> {
    let changes = crate::db::allocation::changes(&source.db).await?;
    let now = source.clock.now();
    let quarter = Period::last_completed_quarter(office_day(now));
    let owned = source.clone();
    Ok(jobs
        .stats
        .get(quarter, changes, now, move || async move {
            stats::public_stats(owned.store(), &owned.townships, owned.k, now).await
        })
        .await)
}
