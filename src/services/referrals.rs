//! Referrals (转介) to departments: sending one from a file or a gap
//! ([`create`]), who reaches one ([`access`]), reading one with the
//! masked fields its department needs ([`view`]), the department's and
//! the township's moves and the comment thread ([`moves`]), one-door
//! intake ([`intake`]) and the county's figures ([`figures`]).
//!
//! Department staff reach a referral only when it is addressed to their
//! department, and nothing else of files, needs or matches: every other
//! referral answers 404 like an absent one. Every step is audited and
//! timed (`referral_events`), and bumps the change count that the inbox
//! badge is kept by.

pub mod figures;
pub mod intake;
pub mod moves;
pub mod view;

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use crate::db;
use crate::db::entities::{child, referral};
use crate::domain::Invalid;
use crate::domain::Role;
use crate::domain::child::FileStatus;
use crate::domain::department::Department;
use crate::domain::entitlement::Rules;
use crate::domain::invalid::required_text;
use crate::domain::referral::{ReferralStatus, office_day};
use crate::domain::text_check;

use super::audit::{self, Event};
use super::files::find_in_scope;
use super::files::sensitive::sensitive_of;
use super::{Principal, RequestCtx, ServiceError, ServiceResult, Store, TextFinding, new_id};

/// A referral as typed.
#[derive(Clone, Debug, Default)]
pub struct ReferralInput {
    pub child_id: String,
    /// A department code; the entitlement's department when absent.
    pub department: Option<String>,
    /// The entitlement rule it is about.
    pub entitlement: Option<String>,
    /// What it is about, when it is not an entitlement.
    pub matter: Option<String>,
    pub summary: String,
    /// The deadline in working days; the department's when absent.
    pub due_in_days: Option<i64>,
}

/// The side a caller is on for one referral.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Staff of the department it is addressed to.
    Department,
    /// The township officer of the child's township.
    Township,
    /// County staff.
    County,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Department => "department",
            Side::Township => "township",
            Side::County => "county",
        }
    }
}

/// Which side `caller` is on for `row`, or `NotFound` when outside it:
/// department staff only for their department's referrals, a township
/// officer only for their township's, county staff for all.
pub fn access(caller: &Principal, row: &referral::Model) -> ServiceResult<Side> {
    match caller.role {
        Role::DepartmentStaff if caller.department == Some(row.department) => Ok(Side::Department),
        Role::TownshipOfficer if caller.township.as_deref() == Some(row.township_code.as_str()) => {
            Ok(Side::Township)
        }
        Role::CountyAdmin => Ok(Side::County),
        _ => Err(ServiceError::NotFound),
    }
}

/// The referral `id` as `caller` reaches it.
pub async fn find_reached<C: ConnectionTrait>(
    db: &C,
    caller: &Principal,
    id: &str,
) -> ServiceResult<(referral::Model, Side)> {
    let row = db::referrals::find(db, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let side = access(caller, &row)?;
    Ok((row, side))
}

/// The text check of what the department will read (the summary, a
/// comment) against the child's identity: 422 with the findings.
pub(crate) async fn check_text<C: ConnectionTrait>(
    store: Store<'_, C>,
    child: &child::Model,
    field: &'static str,
    text: &str,
) -> ServiceResult<()> {
    let sensitive = sensitive_of(store, child).await?;
    let found: Vec<TextFinding> = text_check::check(text, &sensitive)
        .into_iter()
        .map(|f| TextFinding::new(field, text, f))
        .collect();
    if found.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Findings(found))
    }
}

/// What a new referral is, checked.
pub(crate) struct Checked {
    pub department: Department,
    pub rule_id: Option<String>,
    pub matter: String,
    pub summary: String,
    pub due_working_days: u32,
}

/// Checks a referral's fields (not yet its file or its text).
pub(crate) fn check(rules: &Rules, input: &ReferralInput) -> Result<Checked, Invalid> {
    let mut invalid = Invalid::new();
    let entitlement = input
        .entitlement
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let rule = match entitlement {
        Some(id) => {
            let rule = rules.get(id);
            if rule.is_none() {
                invalid.add("entitlement", "没有这个保障项目");
            }
            rule
        }
        None => None,
    };
    let department = match input
        .department
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(raw) => invalid.check("department", raw.parse::<Department>()),
        None => match rule {
            Some(rule) => Some(rule.department),
            None => {
                invalid.add("department", "请选择转介的部门");
                None
            }
        },
    };
    let matter = match (
        rule,
        input
            .matter
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty()),
    ) {
        (_, Some(text)) => invalid.check("matter", required_text(text, 100)),
        (Some(rule), None) => Some(rule.name.clone()),
        (None, None) => {
            if entitlement.is_none() {
                invalid.add("matter", "请选择保障项目或填写转介事项");
            }
            None
        }
    };
    let summary = invalid.check("summary", required_text(&input.summary, 1000));
    let due = match input.due_in_days {
        None => department.map(|d| rules.due_working_days(d)),
        Some(n) if (1..=60).contains(&n) => Some(n as u32),
        Some(_) => {
            invalid.add("due_in_days", "办理时限应为1至60个工作日");
            None
        }
    };
    invalid.into_result()?;
    match (department, matter, summary, due) {
        (Some(department), Some(matter), Some(summary), Some(due_working_days)) => Ok(Checked {
            department,
            rule_id: rule.map(|r| r.id.clone()),
            matter,
            summary,
            due_working_days,
        }),
        _ => Err(Invalid::one("form", "转介内容不完整")),
    }
}

/// Stores a checked referral of `child` sent at `now` (inside the
/// caller's write transaction), with its first event and audit entry.
pub(crate) async fn insert<C: ConnectionTrait>(
    store: Store<'_, C>,
    ctx: &RequestCtx,
    caller: &Principal,
    child: &child::Model,
    checked: Checked,
    links: (Option<String>, Option<String>),
    now: DateTime<Utc>,
) -> ServiceResult<referral::Model> {
    let (intake_id, forwarded_from) = links;
    if let Some(rule) = &checked.rule_id
        && db::referrals::open_for_rule(store.db, &child.id, rule).await? > 0
    {
        return Err(ServiceError::Conflict(format!(
            "“{}”已有转介在办理中，请勿重复转介",
            checked.matter
        )));
    }
    let today = office_day(now);
    let calendar = store.rules.calendar();
    let row = referral::Model {
        id: new_id(),
        child_id: child.id.clone(),
        township_code: child.township_code.clone(),
        department: checked.department,
        rule_id: checked.rule_id,
        matter: checked.matter,
        summary: checked.summary,
        status: ReferralStatus::Sent,
        due_working_days: i32::try_from(checked.due_working_days).unwrap_or(10),
        due_on: calendar.add_working_days(today, checked.due_working_days),
        escalate_on: calendar.add_working_days(today, checked.due_working_days * 2),
        created_by: caller.id.clone(),
        created_at: now,
        accepted_at: None,
        answered_at: None,
        answered_by: None,
        answer_text: None,
        outcome: None,
        amount_yuan: None,
        start_on: None,
        decision_reference: None,
        forwarded_to: None,
        forwarded_from,
        intake_id,
        asked_at: None,
        closed_at: None,
        overdue_noted_at: None,
        escalation_noted_at: None,
        updated_at: now,
    };
    let saved = db::referrals::insert(store.db, row).await?;
    db::referrals::add_event(
        store.db,
        db::referrals::NewEvent {
            referral_id: &saved.id,
            at: now,
            actor_id: &caller.id,
            actor_name: &caller.username,
            side: side_of_sender(caller).as_str(),
            action: "sent",
            text: None,
        },
    )
    .await?;
    audit::append(
        store.db,
        ctx,
        Event::success("referral.create", format!("referral:{}", saved.id)).with_detail(format!(
            "child:{}; department: {}",
            child.id,
            saved.department.as_str()
        )),
    )
    .await?;
    db::allocation::count_change(store.db).await?;
    Ok(saved)
}

fn side_of_sender(caller: &Principal) -> Side {
    match caller.role {
        Role::DepartmentStaff => Side::Department,
        Role::CountyAdmin => Side::County,
        _ => Side::Township,
    }
}

/// The file a referral may be made for: in the caller's reach as staff
/// (township officers and county staff), and not closed.
pub(crate) async fn referable_file<C: ConnectionTrait>(
    store: Store<'_, C>,
    caller: &Principal,
    child_id: &str,
) -> ServiceResult<child::Model> {
    caller.require_role(&[Role::TownshipOfficer, Role::CountyAdmin])?;
    let child = find_in_scope(store, caller, child_id).await?;
    if child.status == FileStatus::Closed {
        return Err(ServiceError::Conflict("档案已结档，不能再转介".into()));
    }
    Ok(child)
}

/// Sends a referral from a file (township officer of the file, county
/// staff): the summary passes the text check, the deadline is counted in
/// working days.
pub async fn create(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    input: ReferralInput,
) -> ServiceResult<referral::Model> {
    caller.require_role(&[Role::TownshipOfficer, Role::CountyAdmin])?;
    let checked = check(store.rules, &input)?;
    let txn = db::begin_write(store.db).await?;
    let child = referable_file(store.within(&txn), caller, &input.child_id).await?;
    check_text(store.within(&txn), &child, "summary", &checked.summary).await?;
    let now = store.clock.now();
    let saved = insert(
        store.within(&txn),
        ctx,
        caller,
        &child,
        checked,
        (None, None),
        now,
    )
    .await?;
    crate::services::notify::events::referral_moved(&txn, now, &saved.id).await?;
    txn.commit().await?;
    Ok(saved)
}
