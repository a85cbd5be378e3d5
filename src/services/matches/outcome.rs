//! Outcome notes on a completed match (issue 18): completing a match asks
//! the offer's owner and the township officer for a note on how it ended
//! (each sees it in the inbox until given). The officer also says how far
//! the need was met (`OutcomeKind`); the owner writes a note only.
//!
//! A note is given once per party: a second one answers `Conflict` (409)
//! rather than replacing the first, so that what the officer read when
//! deciding stays the record. The write is one conditional update
//! (`… WHERE owner_outcome_note IS NULL`), so of two notes sent at once
//! exactly one is kept.
//!
//! The officer's note goes through the personal-information check against
//! the child's file (the owner reads it); the owner's through the same
//! check without the file's values (ID numbers, phone numbers, addresses),
//! since checking what a provider types against the file would tell it
//! whether a guessed name is the child's.

use crate::db;
use crate::db::entities::match_event;
use crate::db::matches::NoteBy;
use crate::domain::Invalid;
use crate::domain::matching::{MatchStatus, Party, may_note_outcome};
use crate::domain::outcome::OutcomeKind;
use crate::domain::text_check::{self, Sensitive};

use super::super::audit::{self, Event};
use super::super::{
    Principal, RequestCtx, ServiceError, ServiceResult, Store, TextFinding, new_id,
};
use super::TEXT_MAX;
use super::access::{check_staff_texts, load, need_of, refused, required};

/// An outcome note as typed.
#[derive(Debug, Clone, Default)]
pub struct OutcomeNoteInput {
    /// The officer's outcome: `fully_met`, `partly_met` or `not_met`
    /// (required of the officer; not taken from the owner).
    pub outcome: Option<String>,
    pub note: String,
}

/// Records `caller`'s outcome note on the completed match `id`.
///
/// Out of reach: `NotFound`; county staff: `Forbidden`; not completed:
/// `StateConflict`; already given by this party: `Conflict`.
pub async fn note_outcome(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    input: OutcomeNoteInput,
) -> ServiceResult<()> {
    let txn = db::begin_write(store.db).await?;
    let loaded = load(&txn, caller, id).await?;
    may_note_outcome(loaded.party, loaded.status).map_err(refused)?;
    let mut invalid = Invalid::new();
    let note = required(&mut invalid, "note", &input.note, TEXT_MAX);
    let given = input
        .outcome
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let outcome = match (loaded.party, given) {
        (Party::Officer, None) => {
            invalid.add("outcome", "请选择需求的满足情况");
            None
        }
        (Party::Officer, Some(code)) => invalid.check(
            "outcome",
            code.parse::<OutcomeKind>().map_err(|m| m.to_string()),
        ),
        (_, Some(_)) => {
            invalid.add(
                "outcome",
                "满足情况由乡镇（街道）民政干部评价，服务方只需填写说明",
            );
            None
        }
        (_, None) => None,
    };
    invalid.into_result()?;
    let note = note.ok_or_else(|| ServiceError::internal("note checked without a value"))?;
    let by = match (loaded.party, outcome) {
        (Party::Officer, Some(kind)) => {
            let need = need_of(&txn, &loaded.record).await?;
            check_staff_texts(store.within(&txn), &need, &[("note", &note)]).await?;
            NoteBy::Officer(kind.as_str())
        }
        _ => {
            let found: Vec<TextFinding> = text_check::check(&note, &Sensitive::default())
                .into_iter()
                .map(|f| TextFinding::new("note", &note, f))
                .collect();
            if !found.is_empty() {
                return Err(ServiceError::Findings(found));
            }
            NoteBy::Owner
        }
    };
    let now = store.clock.now();
    let completed = MatchStatus::Completed.as_str();
    if !db::matches::set_outcome_note(&txn, id, by, &note, completed, now).await? {
        return Err(ServiceError::Conflict(
            "您已填写过该对接的成效说明，不能重复填写".into(),
        ));
    }
    db::matches::insert_event(
        &txn,
        match_event::Model {
            id: new_id(),
            match_id: id.to_owned(),
            action: "outcome_note".to_owned(),
            from_status: Some(completed.to_owned()),
            to_status: completed.to_owned(),
            actor_id: caller.id.clone(),
            actor_role: caller.role.as_str().to_owned(),
            note: None,
            created_at: now,
        },
    )
    .await?;
    let detail = match by {
        NoteBy::Owner => "owner".to_owned(),
        NoteBy::Officer(kind) => format!("officer {kind}"),
    };
    audit::append(
        &txn,
        ctx,
        Event::success("match.outcome_note", format!("match:{id}")).with_detail(detail),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
