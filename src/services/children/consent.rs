//! The guardian withdraws consent to publish the file's needs (and no
//! statutory basis stands): what was public leaves publication at once, in
//! the transaction of the file's change.
//!
//! Published needs go back to draft (and so out of the search index, the
//! lists and the suggestions); their open proposals end with the reason;
//! matches that hold their place go on but wait in the officer's inbox for
//! a decision, never cut off silently. Needs already covered or fulfilled
//! keep their state but are no longer shown to anyone outside the staff
//! (`needs::visible_to_public`). The same path as closing a file, for a
//! lighter reason.

use chrono::Utc;
use sea_orm::DatabaseTransaction;

use crate::db;
use crate::db::outbox::{self, OutboxKind};
use crate::domain::need::NeedStatus;

use super::super::audit::{self, Event};
use super::super::{Principal, RequestCtx, ServiceResult, matches};

/// What withdrawing the consent did, for the officer who changed the file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Withdrawal {
    /// Published needs taken back to draft.
    pub needs_unpublished: u32,
    /// Proposals and suggestions ended.
    pub proposals_ended: u32,
    /// Running matches waiting for the officer's decision.
    pub matches_to_review: u32,
}

/// Takes the needs of file `child_id` out of publication, inside `txn`.
pub(super) async fn withdraw_publication(
    txn: &DatabaseTransaction,
    ctx: &RequestCtx,
    caller: &Principal,
    child_id: &str,
) -> ServiceResult<Withdrawal> {
    let public = NeedStatus::codes_where(NeedStatus::is_public);
    let mut done = Withdrawal::default();
    for need in db::needs::of_child(txn, child_id, Some(&public)).await? {
        if need.status == NeedStatus::Published {
            let moved = db::needs::set_status(
                txn,
                &need.id,
                NeedStatus::Published.as_str(),
                NeedStatus::Draft.as_str(),
                None,
                db::needs::Publication::Withdrawn,
                Utc::now(),
            )
            .await?;
            if moved {
                done.needs_unpublished += 1;
                audit::append(
                    txn,
                    ctx,
                    Event::success("need.unpublish", format!("need:{}", need.id))
                        .with_detail("published -> draft; guardian consent withdrawn"),
                )
                .await?;
            }
        }
        // Re-indexed in every case: whatever its state, the need must leave
        // the public index.
        outbox::append(txn, OutboxKind::Need, &need.id).await?;
        let ended = matches::on_consent_withdrawn(txn, ctx, caller, &need.id).await?;
        done.proposals_ended += ended.ended;
        done.matches_to_review += ended.to_review;
    }
    Ok(done)
}
