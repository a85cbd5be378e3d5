//! The gap list (应享未享): files eligible for a guarantee they do not
//! receive, worst first.
//!
//! **Kept as rows, not computed per request.** The rules read the age,
//! and the birth date is sealed (DESIGN.md: no plain column holds it, not
//! even a month or year). So the gaps are evaluated where the birth date
//! is open anyway and kept in `entitlement_gaps`, one row per file with a
//! gap: in the transaction of every write to the file or its entitlement
//! records ([`refresh_file`]), and once a day for every open file
//! ([`refresh_if_due`], beside the population refresh that opens the same
//! birth dates), because a birthday moves a child across an age bound
//! (6, 7, 16…) without any write. A request reads an index range in the
//! order shown and opens only the names of the page it shows (masked).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

use crate::db;
use crate::db::entities::child;
use crate::domain::Role;
use crate::domain::child::{FileStatus, VaultField, mask_name};
use crate::domain::department::Department;
use crate::domain::entitlement::{Facts, Rule, Rules, Severity};
use crate::domain::referral::office_day;

use super::super::audit::{self, Event};
use super::super::files::identity;
use super::super::{Page, Paging, Principal, RequestCtx, ServiceError, ServiceResult, Store};
use super::facts::{facts_of, facts_with_birth};
use super::rules::fingerprint;

/// The rules a file is eligible for and does not receive, worst first
/// (then in the file's order).
pub fn gaps<'r>(rules: &'r Rules, facts: &Facts, received: &[String]) -> Vec<&'r Rule> {
    let mut out: Vec<&Rule> = rules
        .all()
        .iter()
        .filter(|r| r.holds(facts) && !received.contains(&r.id))
        .collect();
    out.sort_by_key(|r| std::cmp::Reverse(r.severity));
    out
}

/// Writes the gap row a file should have, keeping since when it has had
/// a gap when it still has one.
async fn write_row<C: ConnectionTrait>(
    db: &C,
    child: &child::Model,
    found: &[&Rule],
    existing: Option<NaiveDate>,
    today: NaiveDate,
) -> ServiceResult<()> {
    let row = (!found.is_empty() && child.status != FileStatus::Closed).then(|| {
        db::entitlements::GapRow {
            child_id: &child.id,
            township_code: &child.township_code,
            worst: found
                .iter()
                .map(|r| i16::from(r.severity.value()))
                .max()
                .unwrap_or(1),
            rules: found.iter().map(|r| r.id.clone()).collect(),
            since: existing.unwrap_or(today),
            checked_on: today,
        }
    });
    db::entitlements::set_gap(db, &child.id, row).await?;
    Ok(())
}

/// Re-evaluates one file's gaps inside the caller's write transaction
/// (`store` over it), after a change to the file or its records.
pub async fn refresh_file<C: ConnectionTrait>(
    store: Store<'_, C>,
    child: &child::Model,
) -> ServiceResult<()> {
    let today = office_day(store.clock.now());
    let existing = db::entitlements::gap_of(store.db, &child.id).await?;
    if child.status == FileStatus::Closed {
        if existing.is_some() {
            db::entitlements::set_gap(store.db, &child.id, None).await?;
        }
        return Ok(());
    }
    let facts = facts_of(store.vault, child, today)?;
    let received = db::entitlements::open_benefits(store.db, &child.id).await?;
    let found = gaps(store.rules, &facts, &received);
    let keep = existing.as_ref().map(|g| g.since);
    let unchanged = existing.as_ref().is_some_and(|g| {
        g.rules.0 == found.iter().map(|r| r.id.clone()).collect::<Vec<_>>()
            && g.township_code == child.township_code
    });
    if unchanged || (existing.is_none() && found.is_empty()) {
        return Ok(());
    }
    write_row(store.db, child, &found, keep, today).await
}

const RULES_KEY: &str = "entitlement_rules";
const DAY_KEY: &str = "entitlement_day";

/// Re-checks every open file when the rules or the day changed since the
/// last check (at start and by the daily job). Answers how many files were
/// checked (0 when nothing was due).
pub async fn refresh_if_due(store: Store<'_>) -> ServiceResult<u64> {
    let today = office_day(store.clock.now());
    let day = i64::from(chrono::Datelike::num_days_from_ce(&today));
    let print = fingerprint(store.rules);
    let same_rules = db::entitlements::meta_value(store.db, RULES_KEY).await? == Some(print);
    let same_day = db::entitlements::meta_value(store.db, DAY_KEY).await? == Some(day);
    if same_rules && same_day {
        return Ok(0);
    }
    let checked = refresh_all(store, today).await?;
    let txn = db::begin_write(store.db).await?;
    db::entitlements::set_meta(&txn, RULES_KEY, print).await?;
    db::entitlements::set_meta(&txn, DAY_KEY, day).await?;
    txn.commit().await?;
    Ok(checked)
}

/// Re-evaluates every open file on `today`, a page at a time under the
/// write lock (a file written meanwhile is read afresh), writing only the
/// rows that change. Answers how many files were checked.
pub async fn refresh_all(store: Store<'_>, today: NaiveDate) -> ServiceResult<u64> {
    const PAGE: u64 = 1_000;
    let mut after = String::new();
    let mut done = 0u64;
    loop {
        let txn = db::begin_write(store.db).await?;
        let page = db::entitlements::open_files_after(&txn, &after, PAGE).await?;
        let Some(last) = page.last() else {
            txn.commit().await?;
            return Ok(done);
        };
        after = last.id.clone();
        let ids: Vec<String> = page.iter().map(|c| c.id.clone()).collect();
        let mut received: HashMap<String, Vec<String>> = HashMap::new();
        for (child, benefit) in db::entitlements::open_benefits_of(&txn, &ids).await? {
            received.entry(child).or_default().push(benefit);
        }
        let existing: HashMap<String, _> = db::entitlements::gaps_of(&txn, &ids)
            .await?
            .into_iter()
            .map(|g| (g.child_id.clone(), g))
            .collect();
        for child in &page {
            let birth =
                identity::birth_date_sealed(store.vault, &child.id, &child.birth_date_sealed)?;
            let facts = facts_with_birth(child, birth, today)?;
            let got = received.get(&child.id).map(Vec::as_slice).unwrap_or(&[]);
            let found = gaps(store.rules, &facts, got);
            let ids: Vec<String> = found.iter().map(|r| r.id.clone()).collect();
            match existing.get(&child.id) {
                Some(g) if g.rules.0 == ids && g.township_code == child.township_code => {}
                None if found.is_empty() => {}
                Some(g) => write_row(&txn, child, &found, Some(g.since), today).await?,
                None => write_row(&txn, child, &found, None, today).await?,
            }
        }
        txn.commit().await?;
        done += page.len() as u64;
    }
}

/// One gap of a listed file.
#[derive(Clone, Debug)]
pub struct GapLine {
    pub rule_id: String,
    pub name: String,
    pub department: Department,
    pub severity: Severity,
    /// An open referral is already on its way.
    pub referred: bool,
}

/// A file of the gap list: masked, with its gaps.
#[derive(Clone, Debug)]
pub struct GapItem {
    pub child_id: String,
    pub file_no: String,
    pub township_code: String,
    pub masked_name: String,
    pub worst: Severity,
    pub since: NaiveDate,
    pub gaps: Vec<GapLine>,
}

/// Which township a caller's gap list covers: a township officer their
/// own (asking for another: `NotFound`), the county any or all.
fn scope(caller: &Principal, township: Option<&str>) -> ServiceResult<Option<String>> {
    let township = township.map(str::trim).filter(|t| !t.is_empty());
    match caller.role {
        Role::CountyAdmin => Ok(township.map(str::to_owned)),
        Role::TownshipOfficer => {
            let own = caller.township.clone().ok_or(ServiceError::Forbidden)?;
            match township {
                Some(t) if t != own => Err(ServiceError::NotFound),
                _ => Ok(Some(own)),
            }
        }
        _ => Err(ServiceError::Forbidden),
    }
}

/// The gap list of the caller's township (or the county's, or one
/// township of it), worst first. The names shown, masked, are audited.
pub async fn list(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    township: Option<&str>,
    paging: Paging,
) -> ServiceResult<Page<GapItem>> {
    let township = scope(caller, township)?;
    let (total, rows) =
        db::entitlements::gap_page(store.db, township.as_deref(), paging.limit, paging.offset)
            .await?;
    let ids: Vec<String> = rows.iter().map(|(g, _)| g.child_id.clone()).collect();
    let files = db::children::find_many(store.db, &ids).await?;
    let referred: HashSet<(String, String)> = db::referrals::open_rules_of(store.db, &ids)
        .await?
        .into_iter()
        .filter_map(|(c, r)| r.map(|r| (c, r)))
        .collect();
    let mut items = Vec::with_capacity(rows.len());
    for (gap, file_no) in rows {
        let masked_name = match files.iter().find(|f| f.id == gap.child_id) {
            Some(file) => identity::open_field(store.vault, file, VaultField::Name)?
                .map(|n| mask_name(&n))
                .unwrap_or_default(),
            None => String::new(),
        };
        let lines = gap
            .rules
            .iter()
            .map(|id| match store.rules.get(id) {
                Some(rule) => GapLine {
                    rule_id: id.clone(),
                    name: rule.name.clone(),
                    department: rule.department,
                    severity: rule.severity,
                    referred: referred.contains(&(gap.child_id.clone(), id.clone())),
                },
                None => GapLine {
                    rule_id: id.clone(),
                    name: id.clone(),
                    department: Department::CivilAffairs,
                    severity: Severity::LOW,
                    referred: false,
                },
            })
            .collect();
        items.push(GapItem {
            child_id: gap.child_id,
            file_no,
            township_code: gap.township_code,
            masked_name,
            worst: Severity::new(i64::from(gap.worst)).unwrap_or(Severity::LOW),
            since: gap.since,
            gaps: lines,
        });
    }
    if !items.is_empty() {
        let files: Vec<&str> = items.iter().map(|i| i.file_no.as_str()).collect();
        audit::append_alone(
            store,
            ctx,
            Event::success("entitlement.gaps", "children")
                .with_detail(format!("masked: name; files: {}", files.join(","))),
        )
        .await?;
    }
    Ok(Page { total, items })
}
