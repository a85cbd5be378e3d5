//! The county's decision (审批) on a recommended family: approval for a
//! year, or a rejection with the reason the family reads.

use chrono::Utc;
use sea_orm::DatabaseConnection;

use crate::db;
use crate::db::entities::family;
use crate::domain::family::{FamilyDecision, approval_ends};
use crate::domain::{Invalid, Role};

use super::super::audit::{self, Event};
use super::super::{Principal, RequestCtx, ServiceError, ServiceResult};
use super::{find_visible, moved_on, today};

/// The longest reason of a county decision, in characters.
const REASON_MAX: usize = 500;

/// The decision `raw` as typed by `caller`: county staff only (403 before
/// anything typed is looked at), then approve or reject (422).
pub fn decision_of(caller: &Principal, raw: &str) -> ServiceResult<FamilyDecision> {
    caller.require_role(&[Role::CountyAdmin])?;
    raw.trim()
        .parse()
        .map_err(|e: crate::domain::family::UnknownFamilyDecision| {
            Invalid::one("decision", e.to_string()).into()
        })
}

/// The county approves a recommended family for a year (until
/// [`approval_ends`] of today) or rejects it with a reason the family reads.
pub async fn decide(
    conn: &DatabaseConnection,
    ctx: &RequestCtx,
    caller: &Principal,
    family_id: &str,
    decision: FamilyDecision,
    reason: Option<String>,
) -> ServiceResult<family::Model> {
    caller.require_role(&[Role::CountyAdmin])?;
    let current = find_visible(conn, caller, family_id).await?;
    let from = current.status;
    let to = from.after_decision(decision).map_err(super::illegal_move)?;
    let reason = reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    if let Some(r) = &reason {
        if r.chars().count() > REASON_MAX {
            return Err(Invalid::one("reason", format!("理由不能超过{REASON_MAX}个字")).into());
        }
    } else if decision.needs_reason() {
        return Err(Invalid::one("reason", "请填写不予批准的理由，家庭会看到它").into());
    }
    let approved_until = (decision == FamilyDecision::Approve).then(|| approval_ends(today()));
    let txn = db::begin_write(conn).await?;
    let moved = db::families::transition(
        &txn,
        family_id,
        db::families::Transition {
            from: from.as_str(),
            to: to.as_str(),
            reason: reason.as_deref(),
            decided_at: Some(Utc::now()),
            approved_until,
        },
    )
    .await?;
    if !moved {
        return Err(moved_on());
    }
    let mut detail = format!("{} -> {}", from.as_str(), to.as_str());
    if let Some(until) = approved_until {
        detail.push_str(&format!("; approved_until {}", until.format("%Y-%m-%d")));
    }
    audit::append(
        &txn,
        ctx,
        Event::success("family.decide", format!("family:{family_id}")).with_detail(detail),
    )
    .await?;
    let family = db::families::find(&txn, family_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    txn.commit().await?;
    Ok(family)
}
