//! The answers of `/api/v1/needs…`: the public projection (the only part
//! of a need that ever reaches providers and families), the staff view,
//! and the answers that are the one or the other.

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::projection::PublicNeed;
use crate::services::needs::StaffNeed;

use super::super::body::ListBody;

/// The public projection of a need: nothing else of it leaves through the
/// provider- and family-facing answers.
#[derive(Serialize, ToSchema)]
pub struct PublicNeedBody {
    code: String,
    category: &'static str,
    title: String,
    description: String,
    #[schema(required = true)]
    quantity: Option<i32>,
    /// The township's code; null when generalized to the county.
    #[schema(required = true)]
    township: Option<String>,
    age_band: &'static str,
    difficulty_class: &'static str,
    urgency: &'static str,
    status: &'static str,
}

impl From<PublicNeed> for PublicNeedBody {
    fn from(p: PublicNeed) -> Self {
        Self {
            code: p.code,
            category: p.category.as_str(),
            title: p.title,
            description: p.description,
            quantity: p.quantity,
            township: p.township,
            age_band: p.age_band.as_str(),
            difficulty_class: p.difficulty_class.as_str(),
            urgency: p.urgency.as_str(),
            status: p.status.as_str(),
        }
    }
}

/// A need as staff see it: its ids, file number and state, and the public
/// projection it shows.
#[derive(Serialize, ToSchema)]
pub struct StaffNeedBody {
    id: String,
    code: String,
    child_id: String,
    file_no: String,
    status: String,
    #[schema(required = true)]
    closed_reason: Option<String>,
    created_at: String,
    #[schema(required = true)]
    published_at: Option<String>,
    public: PublicNeedBody,
    /// How it ended: `fully_met`, `partly_met` or `not_met`; null while
    /// open or when closed without one.
    #[schema(required = true)]
    outcome: Option<OutcomeBody>,
    /// Its escalation steps, oldest first (only on a single need's answer).
    escalations: Vec<EscalationBody>,
    /// When the sweep widened it to county-wide offers.
    #[schema(required = true)]
    widened_at: Option<String>,
    /// When the sweep asked to renew or close it (cleared by renewing).
    #[schema(required = true)]
    renewal_asked_at: Option<String>,
}

/// A need's outcome.
#[derive(Serialize, ToSchema)]
pub struct OutcomeBody {
    /// `fully_met`, `partly_met` or `not_met`.
    outcome: &'static str,
    /// `other_help_found`, `no_longer_needed` or `other` (not met only).
    #[schema(required = true)]
    not_met_reason: Option<&'static str>,
    /// What was delivered (partly met) or the note (not met, other).
    #[schema(required = true)]
    text: Option<String>,
}

/// One escalation step of a need.
#[derive(Serialize, ToSchema)]
pub struct EscalationBody {
    /// `widened`, `renewal_asked`, `renewed` or `proposal_overdue`.
    kind: &'static str,
    label: &'static str,
    at: String,
    #[schema(required = true)]
    match_id: Option<String>,
}

impl From<StaffNeed> for StaffNeedBody {
    fn from(n: StaffNeed) -> Self {
        let need = n.need;
        Self {
            id: need.id,
            code: need.code,
            child_id: need.child_id,
            file_no: n.file_no,
            status: need.status.as_str().to_owned(),
            closed_reason: need.closed_reason,
            created_at: need.created_at.to_rfc3339(),
            published_at: need.published_at.map(|t| t.to_rfc3339()),
            public: n.public.into(),
            outcome: n.outcome.map(|o| {
                let (kind, reason, text) = o.columns();
                OutcomeBody {
                    outcome: kind,
                    not_met_reason: reason,
                    text: text.map(str::to_owned),
                }
            }),
            escalations: n
                .escalations
                .into_iter()
                .map(|e| EscalationBody {
                    kind: e.kind.as_str(),
                    label: e.kind.label(),
                    at: e.at.to_rfc3339(),
                    match_id: e.match_id,
                })
                .collect(),
            widened_at: need.widened_at.map(|t| t.to_rfc3339()),
            renewal_asked_at: need.renewal_asked_at.map(|t| t.to_rfc3339()),
        }
    }
}

/// A need by its key: by code the public projection, by id (staff) the
/// staff view.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum NeedBody {
    Public(PublicNeedBody),
    Staff(Box<StaffNeedBody>),
}

/// The needs list: staff views for staff, public projections for
/// providers and families.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum NeedListBody {
    Staff(ListBody<StaffNeedBody>),
    Public(ListBody<PublicNeedBody>),
}
