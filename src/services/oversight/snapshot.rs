//! Month-end snapshots of who was on file, by township, difficulty class
//! and age band (migration 000048), so that a completed period's children
//! by class and band stay what they were at its end.
//!
//! A file keeps only its current class, and its band is worked out from
//! its sealed birth date; counting a past month by the classes and bands
//! of today would move its figures whenever a file changes class or a
//! child has a birthday, and would let the public quarter's figures be
//! differenced against each other. So the server takes one snapshot per
//! month soon after it ends ([`take_due`], from the minute sweep): every
//! file on file at the month's end (opened before it, not closed by then),
//! in the class it has when the snapshot is taken and the band of its age
//! on the month's last day. The class is the one exact part that can be
//! late: a class changed between the month's end and the snapshot (a
//! minute, or as long as the server was down) counts as of the snapshot.
//!
//! The birth dates are opened here in memory and reduced to a band at
//! once, page by page; once a month, in the background, never for a
//! request. A completed period without a snapshot (before migration 000048,
//! or a month the server never saw end) falls back to the current classes
//! and bands, and says so ([`ClassBasis::Current`]).

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::db;
use crate::db::oversight::period::Span;
use crate::db::oversight::snapshot::Counts;
use crate::domain::child::AgeBand;
use crate::domain::period::Period;
use crate::domain::referral::office_day;
use crate::services::files::identity;

use super::super::{ServiceResult, Store};
use super::span_of;

/// Files read per page while taking a snapshot.
const PAGE: u64 = 2_000;

/// What the children by class and band of a period are counted by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ClassBasis {
    /// The period runs: the files' classes and bands now.
    #[default]
    Running,
    /// A completed period: the snapshot taken at its last month's end.
    Snapshot { taken_at: DateTime<Utc> },
    /// A completed period without a snapshot: today's classes and bands
    /// of the files that were on file at its end.
    Current,
}

impl ClassBasis {
    /// The code the API answers with.
    pub fn as_str(self) -> &'static str {
        match self {
            ClassBasis::Running => "period_running",
            ClassBasis::Snapshot { .. } => "month_end_snapshot",
            ClassBasis::Current => "current_classes",
        }
    }
}

/// The files on file at the end of `span` (at `now` while it runs) per
/// (township, class, band code or ""), and what they are counted by.
pub async fn files_at_end(
    store: Store<'_>,
    span: &Span,
    now: DateTime<Utc>,
) -> ServiceResult<(Counts, ClassBasis)> {
    if span.to <= now {
        let month = Period::month_of(span.to_day - Duration::days(1)).start();
        if let Some(taken_at) = db::oversight::snapshot::taken(store.db, month).await? {
            let counts = db::oversight::snapshot::counts(store.db, month).await?;
            return Ok((counts, ClassBasis::Snapshot { taken_at }));
        }
        let counts = db::oversight::files_on_file(store.db, span.to).await?;
        return Ok((counts, ClassBasis::Current));
    }
    let counts = db::oversight::files_on_file(store.db, now).await?;
    Ok((counts, ClassBasis::Running))
}

/// Takes the snapshot of the last completed month if none was taken (one
/// keyed read when it was). Answers the month it took.
pub async fn take_due(store: Store<'_>) -> ServiceResult<Option<Period>> {
    let now = store.clock.now();
    let month = Period::month_of(office_day(now)).previous();
    if db::oversight::snapshot::taken(store.db, month.start())
        .await?
        .is_some()
    {
        return Ok(None);
    }
    Ok(take(store, month, now).await?.then_some(month))
}

/// Takes the snapshot of `month` at `now`: reads its files a page at a
/// time outside any transaction (nothing is written back to them), then
/// writes the counts in one short transaction; `false` when another node
/// wrote the month meanwhile.
pub async fn take(store: Store<'_>, month: Period, now: DateTime<Utc>) -> ServiceResult<bool> {
    let span = span_of(month);
    let last_day = span.to_day - Duration::days(1);
    let mut counts = Counts::new();
    let mut after = String::new();
    loop {
        let page = db::oversight::snapshot::files_after(store.db, span.to, &after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.0.clone();
        for (id, township, class, sealed) in &page {
            let birth = identity::birth_date_sealed(store.vault, id, sealed)?;
            let band = band_code(birth, last_day);
            *counts
                .entry((township.clone(), class.as_str().to_owned(), band))
                .or_default() += 1;
        }
    }
    let txn = db::begin_write(store.db).await?;
    let wrote = db::oversight::snapshot::insert(&txn, month.start(), now, &counts).await?;
    if wrote {
        // Kept figures of the completed periods are read again.
        db::allocation::count_change(&txn).await?;
        txn.commit().await?;
    } else {
        txn.rollback().await?;
    }
    Ok(wrote)
}

/// The band code a child born on `birth` counts in on `day` ("" from 18).
fn band_code(birth: NaiveDate, day: NaiveDate) -> String {
    AgeBand::of(birth, day)
        .map(|b| b.as_str().to_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn a_child_counts_in_the_band_of_their_age_on_the_months_last_day() {
        let last = day(2026, 11, 30);
        // Turns 6 on 1 December: still preschool at November's end.
        assert_eq!(
            band_code(day(2020, 12, 1), last),
            AgeBand::Preschool.as_str()
        );
        // Turned 6 on the last day itself: primary.
        assert_eq!(
            band_code(day(2020, 11, 30), last),
            AgeBand::Primary.as_str()
        );
        // 18 by then: no band.
        assert_eq!(band_code(day(2008, 11, 30), last), "");
        assert_eq!(band_code(day(2008, 12, 1), last), AgeBand::Senior.as_str());
    }
}
