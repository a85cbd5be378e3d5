//! A need closed (or its child's file closed) ends its open matches in the
//! same transaction: those not yet approved are rejected, approved ones are
//! cancelled and give their places back, each with the closing reason in
//! its timeline and its own audit entry, so that no one keeps waiting on a
//! need that is gone.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder};

use crate::db::entities::match_record;
use crate::db::matches::Changes;
use crate::domain::matching::{Action, MatchStatus, next_status};

use super::super::{Principal, RequestCtx, ServiceResult};
use super::access::load;
use super::moves::write_move;

/// Ends every open match of `need_id` for `caller` (the township officer
/// closing the need), with `reason`. The need itself is already closed in
/// `txn`, so it no longer follows its matches.
pub(crate) async fn end_with_need(
    txn: &DatabaseTransaction,
    ctx: &RequestCtx,
    caller: &Principal,
    need_id: &str,
    reason: &str,
    at: DateTime<Utc>,
) -> ServiceResult<()> {
    let open = MatchStatus::codes_where(|s| !s.is_final());
    let records = match_record::Entity::find()
        .filter(match_record::Column::NeedId.eq(need_id))
        .filter(match_record::Column::Status.is_in(open))
        .order_by_asc(match_record::Column::CreatedAt)
        .all(txn)
        .await?;
    let note = format!("需求已关闭：{reason}");
    for record in records {
        let loaded = load(txn, caller, &record.id).await?;
        let (action, to) = [Action::Reject, Action::Cancel]
            .into_iter()
            .find_map(|action| {
                next_status(loaded.party, action, loaded.status, loaded.category)
                    .ok()
                    .map(|to| (action, to))
            })
            .ok_or_else(|| super::access::illegal(loaded.status))?;
        write_move(
            txn,
            ctx,
            caller,
            &loaded,
            action.as_str(),
            to,
            Some(note.clone()),
            Changes::default(),
            at,
        )
        .await?;
    }
    Ok(())
}

/// What withdrawing the guardian's consent did to one need's matches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ConsentEnded {
    /// Proposals and suggestions not yet approved: rejected.
    pub ended: u32,
    /// Matches holding their place (approved, in service): left running,
    /// waiting for the officer's decision in the inbox.
    pub to_review: u32,
}

/// The guardian withdrew consent to publish `need_id` (the caller, the
/// township officer changing the file, acts in `txn`): open proposals end
/// with the reason; matches that hold their place are not cut off
/// silently but marked for the officer to decide (continue or cancel).
pub(crate) async fn on_consent_withdrawn(
    txn: &DatabaseTransaction,
    ctx: &RequestCtx,
    caller: &Principal,
    need_id: &str,
) -> ServiceResult<ConsentEnded> {
    let open = MatchStatus::codes_where(|s| !s.is_final());
    let records = match_record::Entity::find()
        .filter(match_record::Column::NeedId.eq(need_id))
        .filter(match_record::Column::Status.is_in(open))
        .order_by_asc(match_record::Column::CreatedAt)
        .all(txn)
        .await?;
    let now = Utc::now();
    let mut done = ConsentEnded::default();
    for record in records {
        let loaded = load(txn, caller, &record.id).await?;
        if loaded.status.holds_capacity() {
            let changes = Changes {
                review_since: Some(Some(now)),
                ..Changes::default()
            };
            write_move(
                txn,
                ctx,
                caller,
                &loaded,
                "consent_withdrawn",
                loaded.status,
                Some(CONSENT_REVIEW_NOTE.to_owned()),
                changes,
                now,
            )
            .await?;
            crate::services::notify::events::match_under_review(txn, now, &record.id).await?;
            done.to_review += 1;
        } else {
            let to = next_status(loaded.party, Action::Reject, loaded.status, loaded.category)
                .map_err(|_| super::access::illegal(loaded.status))?;
            write_move(
                txn,
                ctx,
                caller,
                &loaded,
                Action::Reject.as_str(),
                to,
                Some(CONSENT_ENDED_NOTE.to_owned()),
                Changes::default(),
                now,
            )
            .await?;
            done.ended += 1;
        }
    }
    Ok(done)
}

/// The timeline's note of a proposal ended by a withdrawn consent (the
/// owner reads it).
const CONSENT_ENDED_NOTE: &str = "监护人已撤回发布需求的同意，该需求不再公开，对接终止。";

/// The timeline's note of a running match marked for review.
const CONSENT_REVIEW_NOTE: &str =
    "监护人已撤回发布需求的同意。服务继续进行，待乡镇（街道）民政干部决定是否继续。";
