//! The `matches` table: one proposed or approved pairing of a need and an offer.

use sea_orm::entity::prelude::*;

use crate::domain::category::Category;
use crate::domain::matching::{MatchStatus, ProposedSide};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "matches")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub need_id: String,
    pub offer_id: String,
    /// The need's township, copied so that scope filters need no join.
    pub township_code: String,
    pub category: Category,
    pub status: MatchStatus,
    /// `provider` when the offer's owner proposed, `officer` when suggested.
    pub proposed_side: ProposedSide,
    pub proposed_by: String,
    pub note: Option<String>,
    /// What the township officer tells the provider at approval: the minimum
    /// the service needs, never a vault field.
    pub handover_note: Option<String>,
    pub feedback: Option<String>,
    pub rating: Option<i16>,
    pub created_at: DateTimeUtc,
    /// When the status last changed: what inboxes age by.
    pub status_changed_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Since when the match waits for the officer's decision because the
    /// guardian withdrew consent to publish while it held its place.
    pub review_since: Option<DateTimeUtc>,
    /// The latest day a service was logged on (kept by the service write):
    /// what the township's list of service gaps reads through its index.
    pub last_served_on: Option<Date>,
    /// When the sweep put the proposal, undecided past the township's
    /// deadline, in the county's inbox (once).
    pub escalated_at: Option<DateTimeUtc>,
    /// The officer's outcome of a completed match (`MatchOutcome` code).
    pub officer_outcome: Option<String>,
    pub officer_outcome_note: Option<String>,
    /// The owner's outcome note on a completed match.
    pub owner_outcome_note: Option<String>,
    /// When its completion asked the owner and the officer for their
    /// outcome notes; `None` for matches completed before that was asked.
    pub notes_asked_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
