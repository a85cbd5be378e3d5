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
//! The birth date is opened here in memory, reduced to a band at once, and
//! never leaves this module. No person sees it, so these openings are not
//! audit entries (the audit records people's reads).

use std::collections::BTreeSet;

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

/// The population of the given (township, band, class) triples, each
/// counted up to `k` (enough to decide; a count never needs more), among
/// active files whose count holds on `today`.
pub async fn counts<C: sea_orm::ConnectionTrait>(
    store: Store<'_, C>,
    keys: &BTreeSet<(String, AgeBand, DifficultyClass)>,
    k: u32,
    today: NaiveDate,
) -> ServiceResult<Population> {
    let mut population = Population::default();
    for (township, band, class) in keys {
        let n = db::children::count_population(
            store.db,
            FileStatus::Active.as_str(),
            township,
            band.as_str(),
            class.as_str(),
            today,
            u64::from(k.max(1)),
        )
        .await?;
        population.set(
            township,
            *band,
            *class,
            u32::try_from(n).unwrap_or(u32::MAX),
        );
    }
    Ok(population)
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
}
