//! The moves of a referral and its comment thread. Each move reads the
//! referral under the write lock, checks the caller's side and the state
//! (409 `conflict` with the state it is in), and writes the new state only
//! from the state it read (a second answer racing the first finds it moved
//! on: 409, nothing lost), with its event, audit entry and change count in
//! the same transaction. A grant records the entitlement on the file.

use chrono::NaiveDate;

use crate::db;
use crate::db::entities::referral;
use crate::domain::Invalid;
use crate::domain::dates::parse_day;
use crate::domain::department::Department;
use crate::domain::invalid::required_text;
use crate::domain::referral::{ReferralMove, ReferralStatus, next_status, office_day};

use super::super::audit::{self, Event};
use super::super::entitlements::gaps::refresh_file;
use super::super::entitlements::records;
use super::super::{Principal, RequestCtx, ServiceError, ServiceResult, Store};
use super::{Checked, Side, check_text, find_reached, insert};

/// What an answer carries, as typed.
#[derive(Clone, Debug, Default)]
pub struct AnswerInput {
    /// Granted: the benefit in words (e.g. 每月孤儿基本生活费).
    pub benefit: Option<String>,
    /// Granted: the monthly amount in yuan.
    pub amount_yuan: Option<i64>,
    /// Granted: from when.
    pub start_on: Option<String>,
    /// Granted: the decision's reference (文号).
    pub decision_reference: Option<String>,
    /// Refused, returned, forwarded, closed: why (required but to forward
    /// and close).
    pub reason: Option<String>,
    /// Forwarded: to which department.
    pub department: Option<String>,
}

/// A referral after a move, and the referral a forward made.
#[derive(Clone, Debug)]
pub struct Moved {
    pub referral: referral::Model,
    pub forwarded: Option<referral::Model>,
}

fn state_conflict(status: ReferralStatus, message: String) -> ServiceError {
    ServiceError::StateConflict {
        status: status.as_str().to_owned(),
        message,
    }
}

fn text(
    invalid: &mut Invalid,
    field: &str,
    raw: Option<&str>,
    max: usize,
    required: bool,
) -> Option<String> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        Some(raw) => invalid.check(field, required_text(raw, max)),
        None => {
            if required {
                invalid.add(field, "请填写此项");
            }
            None
        }
    }
}

/// Makes `mv` on referral `id`.
pub async fn make(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    mv: ReferralMove,
    input: AnswerInput,
) -> ServiceResult<Moved> {
    let now = store.clock.now();
    let today = office_day(now);
    // What the input says is checked before the lock.
    let mut invalid = Invalid::new();
    let reason_required = matches!(mv, ReferralMove::Refuse | ReferralMove::Return);
    let reason = text(
        &mut invalid,
        "reason",
        input.reason.as_deref(),
        500,
        reason_required,
    );
    let mut start_on: Option<NaiveDate> = None;
    let (benefit, reference) = if mv == ReferralMove::Grant {
        start_on = match input
            .start_on
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => {
                invalid.add("start_on", "请填写开始享受的日期");
                None
            }
            Some(raw) => match parse_day(raw) {
                Some(day) => Some(day),
                None => {
                    invalid.add("start_on", "日期格式应为 2026-11-28");
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
        (
            text(&mut invalid, "benefit", input.benefit.as_deref(), 200, true),
            text(
                &mut invalid,
                "decision_reference",
                input.decision_reference.as_deref(),
                128,
                true,
            ),
        )
    } else {
        (None, None)
    };
    let forward_to = if mv == ReferralMove::Forward {
        match input
            .department
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => {
                invalid.add("department", "请选择转往的部门");
                None
            }
            Some(raw) => invalid.check("department", raw.parse::<Department>()),
        }
    } else {
        None
    };
    invalid.into_result()?;

    let txn = db::begin_write(store.db).await?;
    let (row, side) = find_reached(&txn, caller, id).await?;
    let by_department = side == Side::Department;
    if mv.by_department() != by_department {
        // The other side's move: the department answers, the township closes.
        return Err(ServiceError::Forbidden);
    }
    let to = next_status(row.status, mv).map_err(|e| state_conflict(row.status, e.to_string()))?;
    if let Some(d) = forward_to
        && d == row.department
    {
        return Err(Invalid::one("department", "请选择另一个部门").into());
    }
    let child = db::children::find(&txn, &row.child_id)
        .await?
        .ok_or_else(|| ServiceError::internal("a referral without its file"))?;
    let mut fields = db::referrals::MoveFields::default();
    let answered = matches!(
        mv,
        ReferralMove::Grant | ReferralMove::Refuse | ReferralMove::Return | ReferralMove::Forward
    );
    if answered {
        fields.answered = Some((now, &caller.id));
    }
    if mv == ReferralMove::Accept {
        fields.accepted_at = Some(now);
    }
    if mv == ReferralMove::Close {
        fields.closed_at = Some(now);
    }
    fields.answer_text = match mv {
        ReferralMove::Grant => benefit.as_deref(),
        ReferralMove::Refuse | ReferralMove::Return | ReferralMove::Forward => reason.as_deref(),
        _ => None,
    };
    fields.amount_yuan = input.amount_yuan.filter(|_| mv == ReferralMove::Grant);
    fields.start_on = start_on;
    fields.decision_reference = reference.as_deref();
    // A forward makes the new referral first, to name it in the old one.
    let forwarded = match forward_to {
        Some(department) => {
            let checked = Checked {
                department,
                rule_id: row.rule_id.clone(),
                matter: row.matter.clone(),
                summary: row.summary.clone(),
                due_working_days: store.rules.due_working_days(department),
            };
            Some(insert_forward(store, ctx, caller, &txn, &child, checked, &row, now).await?)
        }
        None => None,
    };
    fields.forwarded_to = forwarded.as_ref().map(|f| f.id.as_str());
    if !db::referrals::move_status(&txn, id, row.status, to, fields, now).await? {
        return Err(state_conflict(
            row.status,
            "转介刚被他人处理，请刷新后查看".into(),
        ));
    }
    if mv == ReferralMove::Grant
        && let Some(rule) = row.rule_id.as_deref()
        && let Some(rule) = store.rules.get(rule)
    {
        let open = db::entitlements::open_benefits(&txn, &child.id).await?;
        if !open.contains(&rule.id) {
            let checked = records::Checked {
                benefit: rule.id.clone(),
                name: rule.name.clone(),
                since: start_on,
                amount_yuan: input.amount_yuan,
                detail: benefit.clone(),
                reference: reference.clone(),
            };
            records::insert(&txn, &child.id, &checked, "referral", Some(id), &caller.id).await?;
        }
        refresh_file(store.within(&txn), &child).await?;
    }
    let action = match mv {
        ReferralMove::Accept => "accepted",
        ReferralMove::Grant => "granted",
        ReferralMove::Refuse => "refused",
        ReferralMove::Return => "returned",
        ReferralMove::Forward => "forwarded",
        ReferralMove::Close => "closed",
    };
    let note = match (mv, &forwarded) {
        (ReferralMove::Forward, Some(f)) => Some(match &reason {
            Some(r) => format!("转{}：{r}", f.department.label()),
            None => format!("转{}", f.department.label()),
        }),
        (ReferralMove::Grant, _) => benefit.clone(),
        _ => reason.clone(),
    };
    db::referrals::add_event(
        &txn,
        db::referrals::NewEvent {
            referral_id: id,
            at: now,
            actor_id: &caller.id,
            actor_name: &caller.username,
            side: side.as_str(),
            action,
            text: note.as_deref(),
        },
    )
    .await?;
    audit::append(
        &txn,
        ctx,
        Event::success(
            match mv {
                ReferralMove::Accept => "referral.accept",
                ReferralMove::Grant => "referral.grant",
                ReferralMove::Refuse => "referral.refuse",
                ReferralMove::Return => "referral.return",
                ReferralMove::Forward => "referral.forward",
                ReferralMove::Close => "referral.close",
            },
            format!("referral:{id}"),
        )
        .with_detail(format!(
            "{} -> {}; on time: {}",
            row.status.as_str(),
            to.as_str(),
            today <= row.due_on
        )),
    )
    .await?;
    db::allocation::count_change(&txn).await?;
    let saved = db::referrals::find(&txn, id)
        .await?
        .ok_or_else(|| ServiceError::internal("a referral vanished in its move"))?;
    crate::services::notify::events::referral_moved(&txn, now, id).await?;
    txn.commit().await?;
    Ok(Moved {
        referral: saved,
        forwarded,
    })
}

#[expect(
    clippy::too_many_arguments,
    reason = "one call site; a struct would only rename them"
)]
async fn insert_forward(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    txn: &sea_orm::DatabaseTransaction,
    child: &crate::db::entities::child::Model,
    checked: Checked,
    from: &referral::Model,
    now: chrono::DateTime<chrono::Utc>,
) -> ServiceResult<referral::Model> {
    // The old referral is still open in this transaction: a forward about
    // a rule is not a second referral of it.
    let mut checked = checked;
    let rule = checked.rule_id.take();
    let mut saved = insert(
        store.within(txn),
        ctx,
        caller,
        child,
        checked,
        (from.intake_id.clone(), Some(from.id.clone())),
        now,
    )
    .await?;
    if let Some(rule) = rule {
        saved.rule_id = Some(rule.clone());
        db::referrals::set_rule(txn, &saved.id, &rule).await?;
    }
    Ok(saved)
}

/// Adds a comment to a referral's thread: the department asks, the
/// township (or the county) answers. The text is checked like the
/// summary. A department's comment waits in the township's inbox until
/// the township writes back.
pub async fn comment(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    text: &str,
) -> ServiceResult<referral::Model> {
    let text = required_text(text, 1000).map_err(|m| Invalid::one("text", m))?;
    let now = store.clock.now();
    let txn = db::begin_write(store.db).await?;
    let (row, side) = find_reached(&txn, caller, id).await?;
    if row.status == ReferralStatus::Closed {
        return Err(state_conflict(row.status, "转介已办结，不能再留言".into()));
    }
    let child = db::children::find(&txn, &row.child_id)
        .await?
        .ok_or_else(|| ServiceError::internal("a referral without its file"))?;
    check_text(store.within(&txn), &child, "text", &text).await?;
    db::referrals::add_event(
        &txn,
        db::referrals::NewEvent {
            referral_id: id,
            at: now,
            actor_id: &caller.id,
            actor_name: &caller.username,
            side: side.as_str(),
            action: "comment",
            text: Some(&text),
        },
    )
    .await?;
    let asked = match side {
        Side::Department if row.status.is_open() => Some(now),
        _ => None,
    };
    db::referrals::set_asked(&txn, id, asked, now).await?;
    if asked.is_some() {
        crate::services::notify::events::referral_asked(&txn, now, id).await?;
    }
    audit::append(
        &txn,
        ctx,
        Event::success("referral.comment", format!("referral:{id}"))
            .with_detail(format!("side: {}", side.as_str())),
    )
    .await?;
    db::allocation::count_change(&txn).await?;
    let saved = db::referrals::find(&txn, id)
        .await?
        .ok_or_else(|| ServiceError::internal("a referral vanished"))?;
    txn.commit().await?;
    Ok(saved)
}
