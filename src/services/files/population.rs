//! Who is on file, counted by (township, age band, difficulty class): the
//! ground truth of the k-anonymity rule.
//!
//! Each file carries the band it counts in (`counted_band`) and until when
//! (`counted_until`): set from the sealed birth date when the file is
//! written, and by [`refresh`] once a day (the indexer's daily
//! re-projection, and at start). Counting is then an index probe per
//! (township, band, class) that stops at k: no read opens, or even reads,
//! every file. A child whose birthday moves them to another band within
//! [`HORIZON_DAYS`] counts in neither band, and a file whose count has not
//! been refreshed in time counts nowhere: both can only hide a township,
//! never show one that fewer than k children share.
//!
//! Counts read through the pool are kept in a [`Cache`] while no file
//! changes: every write to a file (and each page of the daily refresh)
//! counts one change in the same transaction (`change_counters`), and a kept
//! count is used only while the number of changes and the day are those it
//! was read under. The number is read before the counts, so a count can
//! only have seen more changes than it is tagged with, never fewer; nodes
//! that share the database see each other's changes the same way.
//!
//! The birth date is opened here in memory, reduced to a band at once, and
//! never leaves this module. No person sees it, so these openings are not
//! audit entries (the audit records people's reads).

use std::collections::{BTreeSet, HashMap};
use std::sync::{Mutex, PoisonError};

use chrono::{Duration, NaiveDate};

use crate::db;
use crate::db::entities::child;
use crate::domain::child::{AgeBand, DifficultyClass, FileStatus};
use crate::domain::projection::Population;
use crate::vault::Vault;

use super::super::{ServiceResult, Store};
use super::identity;

/// How long a count must stay true. Projections stored in the search index
/// are refreshed daily; a child whose birthday moves them to another band
/// within this horizon is not counted in either band, so no stored
/// projection can show a township that a birthday has since put under k.
pub const HORIZON_DAYS: i64 = 2;

/// The band and class of one file today (`None` band from 18).
pub fn band_and_class(
    vault: &Vault,
    child: &child::Model,
    today: NaiveDate,
) -> ServiceResult<(Option<AgeBand>, DifficultyClass)> {
    let birth = identity::birth_date(vault, child)?;
    Ok((AgeBand::of(birth, today), class_of(child)?))
}

fn class_of(child: &child::Model) -> ServiceResult<DifficultyClass> {
    Ok(child.difficulty_class)
}

/// What a file born on `birth` counts as on `today`: its band while no
/// birthday moves it within the horizon (else none), and the last day that
/// holds without a refresh.
pub fn counted(birth: NaiveDate, today: NaiveDate) -> (Option<AgeBand>, NaiveDate) {
    let until = today + Duration::days(HORIZON_DAYS);
    let band = AgeBand::of(birth, today).filter(|&b| AgeBand::of(birth, until) == Some(b));
    (band, until)
}

/// Sets the counted band of a file about to be written from its (sealed)
/// birth date.
pub fn set_counted(vault: &Vault, child: &mut child::Model, today: NaiveDate) -> ServiceResult<()> {
    let birth = identity::birth_date(vault, child)?;
    let (band, until) = counted(birth, today);
    child.counted_band = band.map(|b| b.as_str().to_owned());
    child.counted_until = Some(until);
    Ok(())
}

type Key = (String, AgeBand, DifficultyClass);

/// Counts kept between requests, valid for one number of changes, one day
/// and one cap (see the module's note).
#[derive(Debug, Default)]
pub struct Cache {
    kept: Mutex<Kept>,
}

#[derive(Debug, Default)]
struct Kept {
    tag: Option<(i64, NaiveDate, u64)>,
    counts: HashMap<Key, u64>,
}

/// Triples kept at most; past it the cache starts again (a county has a
/// few hundred, a province tens of thousands).
const KEPT_TRIPLES: usize = 100_000;

impl Cache {
    /// The kept counts of `keys` under `tag`, and the keys not kept.
    fn lookup<'k>(
        &self,
        tag: (i64, NaiveDate, u64),
        keys: &'k BTreeSet<Key>,
    ) -> (Vec<(&'k Key, u64)>, Vec<&'k Key>) {
        let kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        if kept.tag != Some(tag) {
            return (Vec::new(), keys.iter().collect());
        }
        let mut found = Vec::new();
        let mut missing = Vec::new();
        for key in keys {
            match kept.counts.get(key) {
                Some(&n) => found.push((key, n)),
                None => missing.push(key),
            }
        }
        (found, missing)
    }

    /// Keeps `read` (counted under `tag`), dropping counts of another tag.
    fn keep(&self, tag: (i64, NaiveDate, u64), read: &[(&Key, u64)]) {
        let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        if kept.tag != Some(tag) {
            // Counts of an older tag are no use; a request that read under
            // an older tag than the one kept does not replace newer counts.
            if kept
                .tag
                .is_some_and(|(changes, day, _)| (changes, day) > (tag.0, tag.1))
            {
                return;
            }
            kept.tag = Some(tag);
            kept.counts.clear();
        }
        if kept.counts.len() + read.len() > KEPT_TRIPLES {
            kept.counts.clear();
        }
        for (key, n) in read {
            kept.counts.insert((*key).clone(), *n);
        }
    }
}

/// The population of the given (township, band, class) triples, each
/// counted up to `k` (enough to decide; a count never needs more), among
/// active files whose count holds on `today`: kept counts while no file
/// changed (through the pool only), index probes for the rest.
pub async fn counts<C: sea_orm::ConnectionTrait>(
    store: Store<'_, C>,
    keys: &BTreeSet<Key>,
    k: u32,
    today: NaiveDate,
) -> ServiceResult<Population> {
    let cap = u64::from(k.max(1));
    let mut population = Population::default();
    let mut set = |(township, band, class): &Key, n: u64| {
        population.set(
            township,
            *band,
            *class,
            u32::try_from(n).unwrap_or(u32::MAX),
        );
    };
    let Some(cache) = store
        .kept
        .map(|k| &k.population)
        .filter(|_| !keys.is_empty())
    else {
        for key in keys {
            set(key, probe(store.db, key, today, cap).await?);
        }
        return Ok(population);
    };
    // Read before counting (see the module's note).
    let tag = (db::allocation::changes_seen(store.db).await?, today, cap);
    let (found, missing) = cache.lookup(tag, keys);
    for (key, n) in found {
        set(key, n);
    }
    let mut read = Vec::with_capacity(missing.len());
    for key in missing {
        let n = probe(store.db, key, today, cap).await?;
        set(key, n);
        read.push((key, n));
    }
    cache.keep(tag, &read);
    Ok(population)
}

/// One index probe: the files counting under `key` today, up to `cap`.
async fn probe<C: sea_orm::ConnectionTrait>(
    db: &C,
    (township, band, class): &Key,
    today: NaiveDate,
    cap: u64,
) -> ServiceResult<u64> {
    Ok(db::children::count_population(
        db,
        FileStatus::Active.as_str(),
        township,
        band.as_str(),
        class.as_str(),
        today,
        cap,
    )
    .await?)
}

/// The (township, band, class) a file counts under for the projection of
/// its needs today: its band from its birth date (so that its own need
/// shows the right band even on a birthday), and `None` past 17.
pub fn key_of(
    vault: &Vault,
    child: &child::Model,
    today: NaiveDate,
) -> ServiceResult<Option<(String, AgeBand, DifficultyClass)>> {
    let (band, class) = band_and_class(vault, child, today)?;
    Ok(band.map(|b| (child.township_code.clone(), b, class)))
}

/// Recomputes the counted band of every file whose count expires before
/// the horizon from `today`, a page at a time under the write lock (so a
/// file written meanwhile is not overwritten with a band from its old
/// birth date). Answers how many files were refreshed.
pub async fn refresh(store: Store<'_>, today: NaiveDate) -> ServiceResult<u64> {
    const PAGE: u64 = 2_000;
    let mut done = 0;
    loop {
        let txn = db::begin_write(store.db).await?;
        let page =
            db::children::counts_expiring(&txn, today + Duration::days(HORIZON_DAYS), PAGE).await?;
        if page.is_empty() {
            return Ok(done);
        }
        for (id, sealed) in &page {
            let birth = identity::birth_date_sealed(store.vault, id, sealed)?;
            let (band, until) = counted(birth, today);
            db::children::set_counted(&txn, id, band.map(AgeBand::as_str), until).await?;
        }
        // Counts kept by any node are stale from this commit on.
        db::allocation::count_change(&txn).await?;
        txn.commit().await?;
        done += page.len() as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn a_child_counts_in_a_band_only_while_no_birthday_moves_them() {
        let today = day(2026, 11, 30);
        // Turns 6 on 2 December: within the horizon, counted nowhere.
        assert_eq!(counted(day(2020, 12, 2), today), (None, day(2026, 12, 2)));
        // Turned 6 yesterday: counted in the primary band.
        assert_eq!(
            counted(day(2020, 11, 29), today),
            (Some(AgeBand::Primary), day(2026, 12, 2))
        );
        // Turns 18 tomorrow: no band.
        assert_eq!(counted(day(2008, 12, 1), today).0, None);
    }

    #[test]
    fn kept_counts_hold_for_one_number_of_changes_one_day_and_one_cap() {
        let today = day(2026, 11, 30);
        let key: Key = (
            "500235001".to_owned(),
            AgeBand::Primary,
            DifficultyClass::Poverty,
        );
        let keys = BTreeSet::from([key.clone()]);
        let cache = Cache::default();
        cache.keep((7, today, 5), &[(&key, 4)]);
        assert_eq!(cache.lookup((7, today, 5), &keys).0, vec![(&key, 4)]);
        for other in [(8, today, 5), (7, day(2026, 12, 1), 5), (7, today, 3)] {
            let (found, missing) = cache.lookup(other, &keys);
            assert!(found.is_empty(), "{other:?}");
            assert_eq!(missing, vec![&key]);
        }
        // A request that counted before a change cannot replace what was
        // counted after it.
        cache.keep((9, today, 5), &[(&key, 2)]);
        cache.keep((8, today, 5), &[(&key, 5)]);
        assert_eq!(cache.lookup((9, today, 5), &keys).0, vec![(&key, 2)]);
        assert!(cache.lookup((8, today, 5), &keys).0.is_empty());
    }
}
