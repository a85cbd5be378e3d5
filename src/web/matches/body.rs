//! The answers of `/api/v1/matches…`: a match as its caller may see it, a
//! line of the list, an entry of its timeline and a service record.

use serde::Serialize;
use utoipa::ToSchema;

use crate::db::entities::service_record;
use crate::domain::matching::{MatchStatus, Party};
use crate::services::matches::{EventView, MatchDetail, MatchSummary};

use super::super::needs::body::PublicNeedBody;
use super::super::offers::body::owner_type;

/// A match as its caller may see it, with the caller's allowed moves.
#[derive(Serialize, ToSchema)]
pub struct MatchBody {
    id: String,
    status: &'static str,
    /// The status in Chinese.
    status_label: &'static str,
    category: &'static str,
    /// `provider` (the offer's owner) or `officer`: who proposed it.
    proposed_side: &'static str,
    #[schema(required = true)]
    note: Option<String>,
    need: MatchNeedBody,
    offer: MatchOfferBody,
    /// Null for the offer's owner until approval.
    #[schema(required = true)]
    handover_note: Option<String>,
    #[schema(required = true)]
    feedback: Option<String>,
    #[schema(required = true)]
    rating: Option<i16>,
    events: Vec<MatchEventBody>,
    services: Vec<ServiceBody>,
    allowed_moves: Vec<&'static str>,
    /// The outcome notes asked for when the match completed.
    outcome_notes: OutcomeNotesBody,
    /// Staff only (null for the owner): since when the match waits for the
    /// officer's decision because the guardian withdrew consent to publish.
    #[schema(required = true)]
    review_since: Option<String>,
    created_at: String,
    status_changed_at: String,
    updated_at: String,
}

/// The outcome notes of a completed match: the officer's outcome and
/// note, the owner's note, and whether the caller is asked for its own
/// (`POST /api/v1/matches/{id}/outcome-note`).
#[derive(Serialize, ToSchema)]
pub struct OutcomeNotesBody {
    /// `fully_met`, `partly_met` or `not_met`: the officer's view.
    #[schema(required = true)]
    officer_outcome: Option<String>,
    #[schema(required = true)]
    officer_note: Option<String>,
    #[schema(required = true)]
    owner_note: Option<String>,
    asked_of_caller: bool,
}

/// The need of a match: its public projection; staff also get its id.
#[derive(Serialize, ToSchema)]
pub struct MatchNeedBody {
    #[serde(flatten)]
    public: PublicNeedBody,
    /// Staff only: absent for the offer's owner.
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
}

/// The offer of a match.
#[derive(Serialize, ToSchema)]
pub struct MatchOfferBody {
    id: String,
    title: String,
    owner: String,
    /// `provider` or `family`.
    owner_type: &'static str,
    category: String,
    capacity: i32,
    remaining: i32,
    status: String,
}

impl From<MatchDetail> for MatchBody {
    fn from(d: MatchDetail) -> Self {
        let r = d.record;
        let o = d.offer.offer;
        Self {
            id: r.id,
            status: d.status.as_str(),
            status_label: d.status.label(),
            category: d.category.as_str(),
            proposed_side: d.side.as_str(),
            note: r.note,
            need: MatchNeedBody {
                public: d.need.into(),
                id: d.need_id,
            },
            offer: MatchOfferBody {
                owner_type: owner_type(o.provider_id.is_some()),
                id: o.id,
                title: o.title,
                owner: o.owner_name,
                category: o.category.as_str().to_owned(),
                capacity: o.capacity,
                remaining: o.remaining,
                status: o.status.as_str().to_owned(),
            },
            handover_note: r.handover_note,
            feedback: r.feedback,
            rating: r.rating,
            events: d.events.into_iter().map(MatchEventBody::from).collect(),
            services: d.services.into_iter().map(ServiceBody::from).collect(),
            allowed_moves: d.allowed.iter().map(|a| a.as_str()).collect(),
            outcome_notes: OutcomeNotesBody {
                officer_outcome: r.officer_outcome,
                officer_note: r.officer_outcome_note,
                owner_note: r.owner_outcome_note,
                asked_of_caller: d.outcome_note_asked,
            },
            review_since: (d.party != Party::Owner)
                .then_some(r.review_since)
                .flatten()
                .map(|at| at.to_rfc3339()),
            created_at: r.created_at.to_rfc3339(),
            status_changed_at: r.status_changed_at.to_rfc3339(),
            updated_at: r.updated_at.to_rfc3339(),
        }
    }
}

/// An entry of a match's timeline.
#[derive(Serialize, ToSchema)]
pub struct MatchEventBody {
    action: String,
    #[schema(required = true)]
    from_status: Option<&'static str>,
    to_status: &'static str,
    actor_role: &'static str,
    actor_name: String,
    #[schema(required = true)]
    note: Option<String>,
    at: String,
}

impl From<EventView> for MatchEventBody {
    fn from(e: EventView) -> Self {
        Self {
            action: e.action,
            from_status: e.from.map(MatchStatus::as_str),
            to_status: e.to.as_str(),
            actor_role: e.actor_role.as_str(),
            actor_name: e.actor_name,
            note: e.note,
            at: e.at.to_rfc3339(),
        }
    }
}

/// A service recorded on a match.
#[derive(Serialize, ToSchema)]
pub struct ServiceBody {
    id: String,
    /// `YYYY-MM-DD`.
    served_on: String,
    #[schema(required = true)]
    hours: Option<f64>,
    /// What a donation gave: yuan for money, items for goods; `null` for
    /// other services.
    #[schema(required = true)]
    amount: Option<i64>,
    summary: String,
    created_at: String,
}

impl From<service_record::Model> for ServiceBody {
    fn from(s: service_record::Model) -> Self {
        Self {
            id: s.id,
            served_on: s.served_on.to_string(),
            hours: s.hours,
            amount: s.amount,
            summary: s.summary,
            created_at: s.created_at.to_rfc3339(),
        }
    }
}

/// A line of the list of matches.
#[derive(Serialize, ToSchema)]
pub struct MatchSummaryBody {
    id: String,
    status: &'static str,
    status_label: &'static str,
    category: String,
    proposed_side: String,
    need: NeedRefBody,
    offer: OfferRefBody,
    created_at: String,
    status_changed_at: String,
}

/// The need of a line: its code and title; staff also get its id.
#[derive(Serialize, ToSchema)]
pub struct NeedRefBody {
    code: String,
    title: String,
    /// Staff only: absent for others.
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
}

/// The offer of a line.
#[derive(Serialize, ToSchema)]
pub struct OfferRefBody {
    id: String,
    title: String,
    owner: String,
}

impl MatchSummaryBody {
    /// A line of the list; `staff` also see the need's id.
    pub fn new(s: MatchSummary, staff: bool) -> Self {
        let r = s.record;
        Self {
            id: r.id,
            status: s.status.as_str(),
            status_label: s.status.label(),
            category: r.category.as_str().to_owned(),
            proposed_side: r.proposed_side.as_str().to_owned(),
            need: NeedRefBody {
                code: s.need_code,
                title: s.need_title,
                id: staff.then_some(r.need_id),
            },
            offer: OfferRefBody {
                id: r.offer_id,
                title: s.offer_title,
                owner: s.offer_owner,
            },
            created_at: r.created_at.to_rfc3339(),
            status_changed_at: r.status_changed_at.to_rfc3339(),
        }
    }
}
