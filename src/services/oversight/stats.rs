//! The public statistics (公开统计): children on file by township and
//! difficulty class, needs met, services delivered, volunteer hours and
//! partner organisations, for one fixed period — the last completed
//! quarter — so that differences of overlapping windows cannot be taken.
//!
//! Every count of children passes `domain::disclosure`: figures under k
//! are shown as "<k" and further figures are hidden so that none can be
//! worked out from the totals.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::db;
use crate::db::oversight::period as flows;
use crate::domain::child::DifficultyClass;
use crate::domain::disclosure::{Figure, Published, Table};
use crate::domain::outcome::OutcomeKind;
use crate::domain::period::Period;
use crate::domain::referral::office_day;

use super::super::regions::Township;
use super::super::{ServiceResult, Store};
use super::span_of;

/// The public statistics of one period.
#[derive(Clone, Debug)]
pub struct PublicStats {
    pub period: Period,
    pub k: u64,
    pub classes: Vec<DifficultyClass>,
    /// (code, name) of each row of the table, in the county's order.
    pub townships: Vec<(String, String)>,
    /// Children on file at the end of the period (opened before its end
    /// and not closed by then), by township and class.
    pub children: Published,
    /// Matches completed in the period (each a need met for a child).
    pub needs_met: Figure,
    /// Needs closed or fulfilled in the period as fully met, and as partly
    /// met (each need is a child's: under k shown as "<k", like needs met).
    pub needs_fully_met: Figure,
    pub needs_partly_met: Figure,
    pub services: u64,
    pub volunteer_hours: f64,
    /// Verified organisations.
    pub partner_organisations: u64,
}

/// The public statistics of the last completed quarter before `now`.
pub async fn public_stats(
    store: Store<'_>,
    townships: &[Township],
    k: u64,
    now: DateTime<Utc>,
) -> ServiceResult<PublicStats> {
    let period = Period::last_completed_quarter(office_day(now));
    let span = span_of(period);
    // On file at the quarter's end: opened before it and not closed by
    // then (the dashboards' rule), whatever happened to the file since.
    let mut counts: BTreeMap<(String, String), u64> = BTreeMap::new();
    // By the class each file had then (the quarter's last month's
    // snapshot), so that the published figures do not move afterwards.
    let (files, _) = super::snapshot::files_at_end(store, &span, now).await?;
    for ((t, class, _), n) in files {
        *counts.entry((t, class)).or_default() += n;
    }
    let classes: Vec<DifficultyClass> = DifficultyClass::ALL.to_vec();
    let cells: Vec<Vec<u64>> = townships
        .iter()
        .map(|t| {
            classes
                .iter()
                .map(|c| {
                    counts
                        .get(&(t.code.clone(), c.as_str().to_owned()))
                        .copied()
                        .unwrap_or(0)
                })
                .collect()
        })
        .collect();
    let table = Table::new(cells, classes.len())
        .ok_or_else(|| super::super::ServiceError::internal("a ragged statistics table"))?;
    let completed: u64 = flows::completions(store.db, span)
        .await?
        .values()
        .map(|(n, _, _)| n)
        .sum();
    let services = flows::services(store.db, span).await?;
    let (mut fully, mut partly) = (0, 0);
    for (_, outcome, _, n) in flows::needs_by_outcome(store.db, span).await? {
        match outcome.parse::<OutcomeKind>() {
            Ok(OutcomeKind::FullyMet) => fully += n,
            Ok(OutcomeKind::PartlyMet) => partly += n,
            _ => {}
        }
    }
    let small = |n: u64| {
        if n < k {
            Figure::Small
        } else {
            Figure::Shown(n)
        }
    };
    let partners = db::oversight::providers_by_status(store.db)
        .await?
        .get("verified")
        .copied()
        .unwrap_or(0);
    Ok(PublicStats {
        period,
        k,
        classes,
        townships: townships
            .iter()
            .map(|t| (t.code.clone(), t.name.clone()))
            .collect(),
        children: table.publish(k),
        needs_met: small(completed),
        needs_fully_met: small(fully),
        needs_partly_met: small(partly),
        services: services.values().map(|(n, _)| n).sum(),
        volunteer_hours: services.values().map(|(_, h)| h).sum(),
        partner_organisations: partners,
    })
}
