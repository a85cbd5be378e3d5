//! Places and coverage, inside the transaction of a move: the final
//! approval takes a place of the offer, a cancel gives it back, and the
//! need's status follows the matches that hold places.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use crate::db;
use crate::db::outbox::{self, OutboxKind};
use crate::domain::matching::{self, MatchStatus};
use crate::domain::offer::OfferStatus;

use super::super::audit::{self, Event};
use super::super::{RequestCtx, ServiceError, ServiceResult};

/// Takes or gives back the offer's place when a move from `from` to `to`
/// changes whether the match holds one. Taking is one conditional
/// statement: `NoCapacity` when none is left (the caller rolls back).
pub(super) async fn follow_places(
    conn: &impl ConnectionTrait,
    offer_id: &str,
    from: MatchStatus,
    to: MatchStatus,
    at: DateTime<Utc>,
) -> ServiceResult<()> {
    let changed = match (from.holds_capacity(), to.holds_capacity()) {
        (false, true) => {
            if !db::matches::take_place(conn, offer_id, OfferStatus::Active.as_str(), at).await? {
                return Err(why_no_place(conn, offer_id).await?);
            }
            true
        }
        (true, false) => db::matches::give_back_place(conn, offer_id, at).await?,
        _ => false,
    };
    if changed {
        outbox::append(conn, OutboxKind::Offer, offer_id).await?;
    }
    Ok(())
}

/// Why no place could be taken: the offer is paused or closed, or full.
async fn why_no_place(conn: &impl ConnectionTrait, offer_id: &str) -> ServiceResult<ServiceError> {
    let offer = db::offers::find(conn, offer_id)
        .await?
        .ok_or_else(|| ServiceError::internal("match without its offer"))?;
    let status = offer.status;
    Ok(if status.is_open() {
        ServiceError::NoCapacity
    } else {
        ServiceError::Conflict(format!("该服务当前为“{}”，不能批准对接", status.label()))
    })
}

/// Sets the need's status from its matches (see
/// `domain::matching::need_status`); a change is indexed and audited.
pub(super) async fn follow_need(
    conn: &impl ConnectionTrait,
    ctx: &RequestCtx,
    need_id: &str,
    at: DateTime<Utc>,
) -> ServiceResult<()> {
    let need = db::needs::find(conn, need_id)
        .await?
        .ok_or_else(|| ServiceError::internal("match without its need"))?;
    let current = need.status;
    let category = need.category;
    let holding = MatchStatus::codes_where(MatchStatus::holds_capacity);
    let count = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    let held = count(db::matches::count_of_need(conn, need_id, &holding).await?);
    let completed =
        count(db::matches::count_of_need(conn, need_id, &[MatchStatus::Completed.as_str()]).await?);
    let wanted = matching::matches_wanted(category, need.quantity);
    let next = matching::need_status(current, wanted, held, completed);
    if next == current {
        return Ok(());
    }
    let moved = db::needs::set_status(
        conn,
        need_id,
        current.as_str(),
        next.as_str(),
        None,
        db::needs::Publication::Keep,
        at,
    )
    .await?;
    if !moved {
        return Err(ServiceError::Conflict(
            "需求刚被他人更改，请刷新后重试".into(),
        ));
    }
    outbox::append(conn, OutboxKind::Need, need_id).await?;
    audit::append(
        conn,
        ctx,
        Event::success("need.follow_matches", format!("need:{need_id}")).with_detail(format!(
            "{} -> {}",
            current.as_str(),
            next.as_str()
        )),
    )
    .await?;
    if next == crate::domain::need::NeedStatus::Fulfilled {
        // Every match that covered it completed: fully met. A need met in
        // part is closed instead, with what was delivered.
        super::super::need_outcomes::record(
            conn,
            ctx,
            need_id,
            &crate::domain::outcome::NeedOutcome::FullyMet,
            at,
        )
        .await?;
    }
    Ok(())
}
