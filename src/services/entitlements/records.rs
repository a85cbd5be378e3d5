//! What a child receives: entitlement records, recorded by the township
//! (or granted by a department through a referral), ended when they stop,
//! and a file's entitlements as the file page and the API show them: for
//! each rule, eligible or not, received or not, and the gap.

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

use crate::db;
use crate::db::entities::{child, entitlement};
use crate::domain::child::Assistance;
use crate::domain::dates::parse_day;
use crate::domain::department::Department;
use crate::domain::entitlement::Severity;
use crate::domain::invalid::required_text;
use crate::domain::referral::office_day;
use crate::domain::{Invalid, Role};

use super::super::audit::{self, Event};
use super::super::files::find_in_scope;
use super::super::{Principal, RequestCtx, ServiceError, ServiceResult, Store, new_id};
use super::facts::facts_of;
use super::gaps::{gaps, refresh_file};

/// A received entitlement, as typed.
#[derive(Clone, Debug, Default)]
pub struct RecordInput {
    pub benefit: String,
    pub since: Option<String>,
    pub amount_yuan: Option<i64>,
    pub detail: Option<String>,
    pub reference: Option<String>,
}

/// The checked parts of a record.
pub(crate) struct Checked {
    pub benefit: String,
    pub name: String,
    pub since: Option<NaiveDate>,
    pub amount_yuan: Option<i64>,
    pub detail: Option<String>,
    pub reference: Option<String>,
}

fn optional(invalid: &mut Invalid, field: &str, raw: Option<&str>, max: usize) -> Option<String> {
    let raw = raw.map(str::trim).filter(|s| !s.is_empty())?;
    invalid.check(field, required_text(raw, max))
}

/// Checks a record: a known rule, a real day (not in the future), an
/// amount from 0 to 1,000,000 yuan, short texts.
pub(crate) fn check(
    store_rules: &crate::domain::entitlement::Rules,
    input: &RecordInput,
    today: NaiveDate,
    since_field: &'static str,
) -> Result<Checked, Invalid> {
    let mut invalid = Invalid::new();
    let rule = store_rules.get(input.benefit.trim());
    if rule.is_none() {
        invalid.add("benefit", "请选择保障项目");
    }
    let since = match input
        .since
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => {
            invalid.add(since_field, "请填写开始享受的日期");
            None
        }
        Some(raw) => match parse_day(raw) {
            Some(day) if day <= today => Some(day),
            Some(_) => {
                invalid.add(since_field, "开始日期不能晚于今天");
                None
            }
            None => {
                invalid.add(since_field, "日期格式应为 2026-11-28");
                None
            }
        },
    };
    if input
        .amount_yuan
        .is_some_and(|n| !(0..=1_000_000).contains(&n))
    {
        invalid.add("amount_yuan", "金额应在0至1000000元之间");
    }
    let detail = optional(&mut invalid, "detail", input.detail.as_deref(), 200);
    let reference = optional(&mut invalid, "reference", input.reference.as_deref(), 128);
    invalid.into_result()?;
    match rule {
        Some(rule) => Ok(Checked {
            benefit: rule.id.clone(),
            name: rule.name.clone(),
            since,
            amount_yuan: input.amount_yuan,
            detail,
            reference,
        }),
        None => Err(Invalid::one("benefit", "请选择保障项目")),
    }
}

/// Stores a checked record (inside the caller's write transaction).
pub(crate) async fn insert(
    db: &impl ConnectionTrait,
    child_id: &str,
    checked: &Checked,
    source: &str,
    referral_id: Option<&str>,
    by: &str,
) -> ServiceResult<entitlement::Model> {
    let id = new_id();
    Ok(db::entitlements::insert(
        db,
        db::entitlements::NewRecord {
            id: &id,
            child_id,
            benefit: &checked.benefit,
            name: &checked.name,
            since: checked.since,
            amount_yuan: checked.amount_yuan,
            detail: checked.detail.as_deref(),
            reference: checked.reference.as_deref(),
            source,
            referral_id,
            recorded_by: by,
        },
    )
    .await?)
}

/// Who records and ends a file's entitlements: its township officer and
/// county staff.
fn may_record(caller: &Principal) -> ServiceResult<()> {
    caller.require_role(&[Role::TownshipOfficer, Role::CountyAdmin])
}

/// Records that a child receives an entitlement. 409 when an open record
/// of the same guarantee exists.
pub async fn record(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    child_id: &str,
    input: RecordInput,
) -> ServiceResult<entitlement::Model> {
    may_record(caller)?;
    let today = office_day(store.clock.now());
    let txn = db::begin_write(store.db).await?;
    let child = find_in_scope(store.within(&txn), caller, child_id).await?;
    if child.status == crate::domain::child::FileStatus::Closed {
        return Err(ServiceError::Conflict("档案已结档".into()));
    }
    let checked = check(store.rules, &input, today, "since")?;
    let open = db::entitlements::open_benefits(&txn, child_id).await?;
    if open.contains(&checked.benefit) {
        return Err(ServiceError::Conflict(format!(
            "已登记正在享受“{}”，如有变化请先登记停止",
            checked.name
        )));
    }
    let saved = insert(&txn, child_id, &checked, "recorded", None, &caller.id).await?;
    refresh_file(store.within(&txn), &child).await?;
    audit::append(
        &txn,
        ctx,
        Event::success("entitlement.record", format!("child:{child_id}"))
            .with_detail(format!("benefit: {}", checked.benefit)),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Records that a child no longer receives an entitlement (from `on`,
/// today when not given). 409 when it has already ended.
pub async fn end(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    child_id: &str,
    record_id: &str,
    on: Option<&str>,
) -> ServiceResult<entitlement::Model> {
    may_record(caller)?;
    let today = office_day(store.clock.now());
    let on = match on.map(str::trim).filter(|s| !s.is_empty()) {
        None => today,
        Some(raw) => parse_day(raw)
            .filter(|d| *d <= today)
            .ok_or_else(|| Invalid::one("ended_on", "日期格式应为 2026-11-28，且不晚于今天"))?,
    };
    let txn = db::begin_write(store.db).await?;
    let child = find_in_scope(store.within(&txn), caller, child_id).await?;
    let mut row = db::entitlements::find(&txn, record_id)
        .await?
        .filter(|r| r.child_id == child_id)
        .ok_or(ServiceError::NotFound)?;
    if !db::entitlements::end(&txn, record_id, on).await? {
        return Err(ServiceError::Conflict("该保障已登记停止".into()));
    }
    row.ended_on = Some(on);
    refresh_file(store.within(&txn), &child).await?;
    audit::append(
        &txn,
        ctx,
        Event::success("entitlement.end", format!("child:{child_id}"))
            .with_detail(format!("benefit: {}", row.benefit)),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// The rule a tick of the old "assistance received" list stands for.
pub fn rule_of_tick(tick: Assistance) -> &'static str {
    match tick {
        Assistance::MinimumLiving => "minimum_living",
        Assistance::ExtremePoverty => "extreme_poverty",
        Assistance::OrphanAllowance => "orphan_allowance",
        Assistance::UnsupportedAllowance => "unsupported_allowance",
        Assistance::TemporaryRelief => "temporary_relief",
        Assistance::DisabilitySubsidy => "disability_subsidy",
        Assistance::MedicalAid => "medical_assistance",
        Assistance::EducationAid => "education_aid",
    }
}

/// The old ticks a file's open records stand for (what the API's
/// `assistance` field still answers).
pub fn ticks_of(open: &[String]) -> Vec<Assistance> {
    Assistance::ALL
        .iter()
        .copied()
        .filter(|a| open.iter().any(|b| b == rule_of_tick(*a)))
        .collect()
}

/// Makes the open records follow a list of ticks typed on an older client
/// (`assistance` of the file API): a tick without an open record opens
/// one from today; an open record whose tick is gone ends today. Inside
/// the file write's transaction; answers whether anything changed.
pub(crate) async fn sync_ticks(
    store: Store<'_, impl ConnectionTrait>,
    caller: &Principal,
    child_id: &str,
    ticks: &[Assistance],
) -> ServiceResult<bool> {
    let today = office_day(store.clock.now());
    let records = db::entitlements::of_child(store.db, child_id).await?;
    let mut changed = false;
    for tick in Assistance::ALL {
        let benefit = rule_of_tick(*tick);
        let open = records
            .iter()
            .find(|r| r.benefit == benefit && r.ended_on.is_none());
        match (ticks.contains(tick), open) {
            (true, None) => {
                let name = store
                    .rules
                    .get(benefit)
                    .map_or_else(|| tick.label().to_owned(), |r| r.name.clone());
                let checked = Checked {
                    benefit: benefit.to_owned(),
                    name,
                    since: Some(today),
                    amount_yuan: None,
                    detail: None,
                    reference: None,
                };
                insert(store.db, child_id, &checked, "recorded", None, &caller.id).await?;
                changed = true;
            }
            (false, Some(record)) => {
                db::entitlements::end(store.db, &record.id, today).await?;
                changed = true;
            }
            _ => {}
        }
    }
    Ok(changed)
}

/// One guarantee of a file: eligible by the rules, received, the gap.
#[derive(Clone, Debug)]
pub struct Line {
    pub rule_id: String,
    pub name: String,
    pub department: Department,
    pub severity: Severity,
    pub clause: String,
    pub source: String,
    pub benefit_hint: Option<String>,
    pub eligible: bool,
    pub received: Option<entitlement::Model>,
    pub gap: bool,
    /// An open referral about it, if any.
    pub referral_id: Option<String>,
}

/// A file's entitlements: a line per rule (gaps first, then received, then
/// the others) and every record, ended ones included.
#[derive(Clone, Debug)]
pub struct ChildEntitlements {
    pub child: child::Model,
    pub lines: Vec<Line>,
    pub records: Vec<entitlement::Model>,
    /// The caller may record and end entitlements and refer.
    pub may_record: bool,
}

/// A file's entitlements for staff in scope, without an audit entry of
/// its own (the file page's view is audited).
pub async fn of_file(
    store: Store<'_>,
    caller: &Principal,
    child: child::Model,
) -> ServiceResult<ChildEntitlements> {
    let today = office_day(store.clock.now());
    let facts = facts_of(store.vault, &child, today)?;
    let records = db::entitlements::of_child(store.db, &child.id).await?;
    let open: Vec<String> = records
        .iter()
        .filter(|r| r.ended_on.is_none())
        .map(|r| r.benefit.clone())
        .collect();
    let gap_ids: Vec<String> = gaps(store.rules, &facts, &open)
        .iter()
        .map(|r| r.id.clone())
        .collect();
    let referrals = db::referrals::open_rules_of(store.db, std::slice::from_ref(&child.id)).await?;
    let referral_of = |rule: &str| {
        referrals
            .iter()
            .any(|(_, r)| r.as_deref() == Some(rule))
            .then(|| rule.to_owned())
    };
    let mut lines: Vec<Line> = store
        .rules
        .all()
        .iter()
        .map(|rule| Line {
            rule_id: rule.id.clone(),
            name: rule.name.clone(),
            department: rule.department,
            severity: rule.severity,
            clause: rule.clause.clone(),
            source: rule.source.clone(),
            benefit_hint: rule.benefit.clone(),
            eligible: rule.holds(&facts),
            received: records
                .iter()
                .find(|r| r.benefit == rule.id && r.ended_on.is_none())
                .cloned(),
            gap: gap_ids.contains(&rule.id),
            referral_id: referral_of(&rule.id),
        })
        .collect();
    lines.sort_by_key(|l| {
        (
            !l.gap,
            l.received.is_none(),
            !l.eligible,
            std::cmp::Reverse(l.severity),
        )
    });
    // An open referral's id, for a link from the line.
    if lines.iter().any(|l| l.referral_id.is_some()) {
        let (_, open_refs) = db::referrals::list(
            store.db,
            &db::referrals::ReferralFilter {
                child_id: Some(&child.id),
                ..Default::default()
            },
            100,
            0,
        )
        .await?;
        for line in &mut lines {
            if line.referral_id.is_some() {
                line.referral_id = open_refs
                    .iter()
                    .find(|(r, _)| {
                        r.rule_id.as_deref() == Some(line.rule_id.as_str()) && r.status.is_open()
                    })
                    .map(|(r, _)| r.id.clone());
            }
        }
    }
    Ok(ChildEntitlements {
        may_record: matches!(caller.role, Role::TownshipOfficer | Role::CountyAdmin)
            && child.status != crate::domain::child::FileStatus::Closed,
        child,
        lines,
        records,
    })
}

/// A file's entitlements through the API (staff in scope; audited).
pub async fn for_child(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    child_id: &str,
) -> ServiceResult<ChildEntitlements> {
    let child = find_in_scope(store, caller, child_id).await?;
    audit::append_alone(
        store,
        ctx,
        Event::success("entitlement.view", format!("child:{child_id}")),
    )
    .await?;
    of_file(store, caller, child).await
}
