//! A need closed (or its child's file closed) ends its open matches in the
//! same transaction: those not yet approved are rejected, approved ones are
//! cancelled and give their places back, each with the closing reason in
//! its timeline and its own audit entry, so that no one keeps waiting on a
//! need that is gone.

use chrono::Utc;
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
            Utc::now(),
        )
        .await?;
    }
    Ok(())
}
