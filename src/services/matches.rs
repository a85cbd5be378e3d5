//! Matches (对接): a need and an offer brought together, and their way from
//! proposal to completion (DESIGN.md, "Match"; the state machine is
//! `domain::matching`).
//!
//! - [`propose`] creates one: the offer's owner proposes (`proposed`), or
//!   the township officer of the need suggests (`suggested`, until the
//!   owner accepts).
//! - [`apply_move`] accepts, approves, rejects, withdraws, cancels or
//!   completes one; [`log_service`] records a service; [`set_handover`]
//!   sets what the officer hands over to the owner; [`note_outcome`]
//!   records the owner's or officer's outcome note once it is completed.
//! - [`get`] and [`list`] read them, each caller within its reach: county
//!   staff all, township officers their township's, owners the matches on
//!   their offers. Providers and families see a need only as its public
//!   projection.
//!
//! Every write runs in one transaction with its timeline event
//! (`match_events`) and its audit entry. The final approval takes a place
//! of the offer with one conditional statement, and every move changes the
//! status only from the status it was read in, so that concurrent requests
//! never overbook an offer or move a match twice. The need's status
//! follows its matches in the same transaction (`capacity`).
//!
//! The demo loader and other use cases create and move matches through
//! these same functions, with the principal of the acting account.

mod access;
mod capacity;
mod create;
mod ending;
mod moves;
mod outcome;
mod records;
mod view;

pub use create::{ProposeInput, propose};
pub(crate) use ending::{end_with_need, on_consent_withdrawn};
pub use moves::{MoveInput, apply_move};
pub use outcome::{OutcomeNoteInput, note_outcome};
pub use records::{AMOUNT_MAX, ServiceInput, log_service, records_amount, set_handover};
pub use view::{EventView, ListFilter, MatchDetail, MatchSummary, get, list};

/// Longest note on a proposal or a move, in characters.
pub const NOTE_MAX: usize = 1000;
/// Longest reason, feedback, handover note or service summary.
pub const TEXT_MAX: usize = 2000;
