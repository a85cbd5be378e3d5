//! The township's list of warnings across its files (county staff: one
//! township or the whole county): service gaps, overdue visits and
//! duplicate support, one kind a page. Each list reads an index by status
//! and date (gaps: `idx_matches_status_changed` for approved matches never
//! served, `idx_matches_status_last_served` for matches in service; visits:
//! `idx_children_status_township_visited`) or a self-join of the running
//! matches of the scope (duplicates), so that a page costs what it shows,
//! not the number of files. Lines name file numbers, need codes and match
//! ids only: no vault field is opened.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};

use crate::db;
use crate::db::timeline::QuietSince;
use crate::domain::child::VISIT_OVERDUE_DAYS;
use crate::domain::referral::office_day;
use crate::domain::timeline::{self, Schedule, Support, WarningKind};

use super::super::oversight::{day_start, scope_of};
use super::super::{Page, Paging, Principal, ServiceResult, Store};
use super::{Rules, approved_on, ended_on, owner_of};

/// Candidate pairs read at most for one duplicate list; duplicates are
/// rare, and the cap keeps a pathological township bounded.
pub const DUPLICATE_CAP: u64 = 1000;

/// One line of a township's warning list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub kind: WarningKind,
    pub child_id: String,
    pub file_no: String,
    pub township_code: String,
    pub since: NaiveDate,
    pub match_ids: Vec<String>,
}

/// One page of the warnings of `kind` in the caller's scope (`township`:
/// county staff may name one; a township officer's own otherwise).
pub async fn list(
    store: Store<'_>,
    caller: &Principal,
    township: Option<&str>,
    kind: WarningKind,
    paging: Paging,
    rules: Rules,
) -> ServiceResult<Page<Line>> {
    let scope = scope_of(caller, township)?;
    let township = scope.township();
    let today = office_day(store.clock.now());
    match kind {
        WarningKind::ServiceGap => gaps(store, township, today, paging, rules).await,
        WarningKind::VisitOverdue => overdue(store, township, today, paging).await,
        WarningKind::DuplicateSupport => duplicates(store, township, today, paging).await,
    }
}

async fn numbers_of(store: Store<'_>, ids: &[String]) -> ServiceResult<HashMap<String, String>> {
    Ok(db::timeline::file_numbers(store.db, ids)
        .await?
        .into_iter()
        .collect())
}

async fn gaps(
    store: Store<'_>,
    township: Option<&str>,
    today: NaiveDate,
    paging: Paging,
    rules: Rules,
) -> ServiceResult<Page<Line>> {
    // A day is a gap exactly when it is before the cutoff (see
    // `domain::timeline::gap_cutoff`); an approval time is one when it is
    // before the cutoff day begins.
    let cutoff = timeline::gap_cutoff(today, rules.service_gap_days);
    let (total, rows) = db::timeline::gap_page(
        store.db,
        township,
        day_start(cutoff),
        cutoff,
        paging.limit,
        paging.offset,
    )
    .await?;
    let need_ids: Vec<String> = rows.iter().map(|r| r.need_id.clone()).collect();
    let children: HashMap<String, String> = db::timeline::needs(store.db, &need_ids)
        .await?
        .into_iter()
        .map(|n| (n.id, n.child_id))
        .collect();
    let child_ids: Vec<String> = children.values().cloned().collect();
    let numbers = numbers_of(store, &child_ids).await?;
    Ok(Page {
        total,
        items: rows
            .into_iter()
            .map(|r| {
                let child_id = children.get(&r.need_id).cloned().unwrap_or_default();
                Line {
                    kind: WarningKind::ServiceGap,
                    file_no: numbers.get(&child_id).cloned().unwrap_or_default(),
                    child_id,
                    township_code: r.township_code,
                    since: match r.quiet_since {
                        QuietSince::Approved(at) => office_day(at),
                        QuietSince::Served(day) => day,
                    },
                    match_ids: vec![r.match_id],
                }
            })
            .collect(),
    })
}

async fn overdue(
    store: Store<'_>,
    township: Option<&str>,
    today: NaiveDate,
    paging: Paging,
) -> ServiceResult<Page<Line>> {
    // `visit_overdue`: today is after the last visit (or the opening) plus
    // the interval, i.e. that day is before today minus the interval.
    let cutoff = today - Duration::days(VISIT_OVERDUE_DAYS);
    let (total, rows) = db::timeline::overdue_page(
        store.db,
        township,
        cutoff,
        day_start(cutoff),
        paging.limit,
        paging.offset,
    )
    .await?;
    Ok(Page {
        total,
        items: rows
            .into_iter()
            .map(
                |(child_id, file_no, township_code, visited, created)| Line {
                    kind: WarningKind::VisitOverdue,
                    child_id,
                    file_no,
                    township_code,
                    since: visited.unwrap_or_else(|| office_day(created)),
                    match_ids: Vec::new(),
                },
            )
            .collect(),
    })
}

async fn duplicates(
    store: Store<'_>,
    township: Option<&str>,
    today: NaiveDate,
    paging: Paging,
) -> ServiceResult<Page<Line>> {
    let pairs = db::timeline::duplicate_candidates(store.db, township, DUPLICATE_CAP).await?;
    let mut ids: Vec<String> = pairs
        .iter()
        .flat_map(|p| [p.first.clone(), p.second.clone()])
        .collect();
    ids.sort();
    ids.dedup();
    let matches: HashMap<String, crate::db::entities::match_record::Model> =
        db::timeline::matches(store.db, &ids)
            .await?
            .into_iter()
            .map(|m| (m.id.clone(), m))
            .collect();
    let offer_ids: Vec<String> = matches.values().map(|m| m.offer_id.clone()).collect();
    let offers: HashMap<String, crate::db::entities::offer::Model> =
        db::timeline::offers(store.db, &offer_ids)
            .await?
            .into_iter()
            .map(|o| (o.id.clone(), o))
            .collect();
    let events = db::timeline::approvals_of(store.db, &ids).await?;
    let support = |id: &str| -> Option<Support> {
        let m = matches.get(id)?;
        let offer = offers.get(&m.offer_id)?;
        let mine: Vec<_> = events.iter().filter(|e| e.match_id == id).collect();
        Some(Support {
            match_id: m.id.clone(),
            owner: owner_of(offer),
            category: m.category,
            from: approved_on(&mine)?,
            until: ended_on(m),
            schedule: offer.schedule.as_deref().and_then(Schedule::parse),
        })
    };
    let mut lines = Vec::new();
    for p in &pairs {
        let (Some(a), Some(b)) = (support(&p.first), support(&p.second)) else {
            continue;
        };
        if let Some(since) = timeline::duplicates(&a, &b, today) {
            lines.push(Line {
                kind: WarningKind::DuplicateSupport,
                child_id: p.child_id.clone(),
                file_no: String::new(),
                township_code: p.township_code.clone(),
                since,
                match_ids: vec![p.first.clone(), p.second.clone()],
            });
        }
    }
    lines.sort_by(|a, b| a.since.cmp(&b.since).then(a.match_ids.cmp(&b.match_ids)));
    let total = lines.len() as u64;
    let mut items: Vec<Line> = lines
        .into_iter()
        .skip(paging.offset as usize)
        .take(paging.limit as usize)
        .collect();
    let child_ids: Vec<String> = items.iter().map(|l| l.child_id.clone()).collect();
    let numbers = numbers_of(store, &child_ids).await?;
    for line in &mut items {
        line.file_no = numbers.get(&line.child_id).cloned().unwrap_or_default();
    }
    Ok(Page { total, items })
}
