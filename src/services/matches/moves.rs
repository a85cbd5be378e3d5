//! Moving a match: accept, approve, reject, withdraw, cancel and complete
//! ([`apply_move`]). Each checks the caller's party and the state machine,
//! then writes the status change (conditional on the status read), the
//! places and the need's status, the timeline event and the audit entry in
//! one transaction ([`write_move`], also used by `records`).

use chrono::{DateTime, Utc};
use sea_orm::DatabaseTransaction;

use crate::db;
use crate::db::entities::match_event;
use crate::db::matches::Changes;
use crate::domain::Invalid;
use crate::domain::matching::{Action, MatchStatus, Party, may_continue, next_status};
use crate::domain::need::NeedStatus;

use super::super::audit::{self, Event};
use super::super::{Principal, RequestCtx, ServiceError, ServiceResult, Store, files, new_id};
use super::access::{
    Loaded, check_staff_texts, load, moved_on, need_of, need_status_label, optional_text, refused,
    required, serves,
};
use super::capacity::{follow_need, follow_places};
use super::{NOTE_MAX, TEXT_MAX};

/// A move and what comes with it.
#[derive(Debug, Clone)]
pub enum MoveInput {
    /// The owner accepts an officer's suggestion.
    Accept { note: Option<String> },
    /// The township officer approves (and may hand over a note), or county
    /// staff give the second approval.
    Approve {
        note: Option<String>,
        handover_note: Option<String>,
    },
    /// An approver refuses, with a reason.
    Reject { reason: String },
    /// The side that proposed takes it back (the owner also declines a
    /// suggestion this way).
    Withdraw { reason: Option<String> },
    /// The officer or the owner ends a match once approved, with a reason.
    Cancel { reason: String },
    /// The officer confirms completion, with feedback and a rating of 1–5.
    Complete {
        feedback: String,
        rating: Option<i64>,
    },
    /// The officer decides that a match under review (consent withdrawn)
    /// goes on.
    Continue { note: Option<String> },
}

impl MoveInput {
    pub fn action(&self) -> Action {
        match self {
            MoveInput::Accept { .. } => Action::Accept,
            MoveInput::Approve { .. } => Action::Approve,
            MoveInput::Reject { .. } => Action::Reject,
            MoveInput::Withdraw { .. } => Action::Withdraw,
            MoveInput::Cancel { .. } => Action::Cancel,
            MoveInput::Complete { .. } => Action::Complete,
            MoveInput::Continue { .. } => Action::Continue,
        }
    }
}

/// The checked texts of a move: the note of its event, and what the match
/// itself takes.
struct Checked {
    note: Option<String>,
    changes: Changes,
}

fn check_input(input: &MoveInput, party: Party) -> Result<Checked, Invalid> {
    let mut invalid = Invalid::new();
    let mut changes = Changes::default();
    let note = match input {
        MoveInput::Accept { note } => {
            optional_text(&mut invalid, "note", note.as_deref(), NOTE_MAX)
        }
        MoveInput::Continue { note } => {
            changes.review_since = Some(None);
            optional_text(&mut invalid, "note", note.as_deref(), NOTE_MAX)
        }
        MoveInput::Approve {
            note,
            handover_note,
        } => {
            let handover = optional_text(
                &mut invalid,
                "handover_note",
                handover_note.as_deref(),
                TEXT_MAX,
            );
            if handover.is_some() && party != Party::Officer {
                invalid.add("handover_note", "交接说明由乡镇（街道）民政干部填写");
            }
            changes.handover_note = handover;
            optional_text(&mut invalid, "note", note.as_deref(), NOTE_MAX)
        }
        MoveInput::Reject { reason } | MoveInput::Cancel { reason } => {
            required(&mut invalid, "reason", reason, TEXT_MAX)
        }
        MoveInput::Withdraw { reason } => {
            optional_text(&mut invalid, "reason", reason.as_deref(), TEXT_MAX)
        }
        MoveInput::Complete { feedback, rating } => {
            changes.feedback = required(&mut invalid, "feedback", feedback, TEXT_MAX);
            match rating {
                Some(r @ 1..=5) => changes.rating = i16::try_from(*r).ok(),
                _ => invalid.add("rating", "请给出1至5分的评分"),
            }
            changes.feedback.clone()
        }
    };
    invalid.into_result()?;
    Ok(Checked { note, changes })
}

/// The field a move's event note came from, for the text check.
fn note_field(action: Action) -> &'static str {
    match action {
        Action::Reject | Action::Cancel | Action::Withdraw => "reason",
        Action::Complete => "feedback",
        _ => "note",
    }
}

/// At the township's step of an approval, the offer must serve the
/// child's township: an owner proposing on a need shown only at county
/// level could not be told.
async fn check_area(txn: &DatabaseTransaction, loaded: &Loaded) -> ServiceResult<()> {
    let need = need_of(txn, &loaded.record).await?;
    if loaded.party == Party::Officer && !serves(txn, &loaded.offer, &need.township_code).await? {
        return Err(ServiceError::Conflict(
            "该服务不覆盖儿童所在的乡镇（街道），不能批准，请不予批准并说明原因".into(),
        ));
    }
    Ok(())
}

/// An approval needs a need that still takes matches (published); read
/// inside the move's transaction, after its lock, so that two approvals of
/// one need cannot both see it open.
async fn check_need_open(txn: &DatabaseTransaction, need_id: &str) -> ServiceResult<()> {
    let need = db::needs::find(txn, need_id)
        .await?
        .ok_or_else(|| ServiceError::internal("match without its need"))?;
    if need.status == NeedStatus::Published {
        return Ok(());
    }
    Err(ServiceError::Conflict(format!(
        "需求当前为“{}”，不能再批准新的对接",
        need_status_label(&need)
    )))
}

/// Writes the status change from `from` to `to` if the match is still in
/// `from`, with its event and audit entry; the caller commits.
#[expect(
    clippy::too_many_arguments,
    reason = "one event's facts, written together"
)]
pub(super) async fn write_move(
    txn: &DatabaseTransaction,
    ctx: &RequestCtx,
    caller: &Principal,
    loaded: &Loaded,
    action: &str,
    to: MatchStatus,
    note: Option<String>,
    changes: Changes,
    at: DateTime<Utc>,
) -> ServiceResult<()> {
    let record = &loaded.record;
    let from = loaded.status;
    let rating = changes.rating;
    if !db::matches::transition(txn, &record.id, from.as_str(), to.as_str(), changes, at).await? {
        return Err(moved_on(txn, &record.id).await?);
    }
    if action == Action::Approve.as_str() {
        check_need_open(txn, &record.need_id).await?;
    }
    follow_places(txn, &record.offer_id, from, to, at).await?;
    db::matches::insert_event(
        txn,
        match_event::Model {
            id: new_id(),
            match_id: record.id.clone(),
            action: action.to_owned(),
            from_status: Some(from.as_str().to_owned()),
            to_status: to.as_str().to_owned(),
            actor_id: caller.id.clone(),
            actor_role: caller.role.as_str().to_owned(),
            note,
            created_at: at,
        },
    )
    .await?;
    audit::append(
        txn,
        ctx,
        Event::success(&format!("match.{action}"), format!("match:{}", record.id))
            .with_detail(format!("{} -> {}", from.as_str(), to.as_str())),
    )
    .await?;
    if to == MatchStatus::Completed
        && let Some(owner) = db::suggestions::Owner::of(&loaded.offer)
    {
        // The owner's record counts the completion and its rating in the
        // completion's transaction (a relative update).
        let delta = db::suggestions::RecordDelta {
            completed: 1,
            rating,
            ..Default::default()
        };
        db::suggestions::bump_record(txn, &owner, delta).await?;
    }
    if from.holds_capacity() != to.holds_capacity() || to == MatchStatus::Completed {
        follow_need(txn, ctx, &record.need_id, at).await?;
    }
    Ok(())
}

/// Applies `input` to the match `id` for `caller`; answers the match's new
/// status.
///
/// Out of the caller's reach: `NotFound`; a move the caller's party never
/// makes: `Forbidden`; a move the match's state does not allow (also when
/// another request moved it first): `StateConflict` naming the state; the
/// final approval with no place left: `NoCapacity`. Texts written by staff
/// are checked for the child's personal information (`Findings`).
pub async fn apply_move(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    input: MoveInput,
) -> ServiceResult<MatchStatus> {
    // Everything the move is decided on (the match, its offer, the need,
    // the owner's standing, the file the texts are checked against) is read
    // under the write lock, so that it is still so when the move is stored.
    let txn = db::begin_write(store.db).await?;
    let loaded = load(&txn, caller, id).await?;
    let action = input.action();
    let to = if action == Action::Continue {
        let under_review = loaded.record.review_since.is_some();
        may_continue(loaded.party, loaded.status, under_review).map_err(refused)?;
        loaded.status
    } else {
        next_status(loaded.party, action, loaded.status, loaded.category).map_err(refused)?
    };
    let checked = check_input(&input, loaded.party)?;
    if action == Action::Accept {
        // Taking on a suggestion is for owners in good standing.
        files::projection::require_viewer(store.within(&txn), caller).await?;
    }
    if action == Action::Approve {
        check_area(&txn, &loaded).await?;
    }
    if loaded.party != Party::Owner {
        let need = need_of(&txn, &loaded.record).await?;
        let note = checked.note.as_deref().unwrap_or("");
        let handover = checked.changes.handover_note.as_deref().unwrap_or("");
        check_staff_texts(
            store.within(&txn),
            &need,
            &[(note_field(action), note), ("handover_note", handover)],
        )
        .await?;
    }
    let now = store.clock.now();
    write_move(
        &txn,
        ctx,
        caller,
        &loaded,
        action.as_str(),
        to,
        checked.note,
        checked.changes,
        now,
    )
    .await?;
    crate::services::notify::events::match_moved(&txn, store.clock.now(), id, Some(loaded.status))
        .await?;
    txn.commit().await?;
    Ok(to)
}
