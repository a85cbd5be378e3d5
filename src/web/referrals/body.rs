//! The bodies of `/api/v1/referrals…`, `/api/v1/intakes…` and
//! `/api/v1/entitlements…`: requests and answers.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::entities::{entitlement, referral, referral_event};
use crate::services::entitlements::gaps::GapItem;
use crate::services::entitlements::records::ChildEntitlements;
use crate::services::referrals::figures::DepartmentFigures;
use crate::services::referrals::intake::IntakeView;
use crate::services::referrals::view::{ListItem, ReferralView};

/// `POST /api/v1/referrals`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralRequest {
    pub child_id: String,
    /// A department code (API.md); the entitlement's department when absent.
    #[serde(default)]
    pub department: Option<String>,
    /// The entitlement rule it is about (`GET /api/v1/children/{id}/entitlements`).
    #[serde(default)]
    pub entitlement: Option<String>,
    /// What it is about, when not an entitlement (required then).
    #[serde(default)]
    pub matter: Option<String>,
    /// The case summary the department reads (text-checked).
    pub summary: String,
    /// Working days to answer (1–60); the department's deadline when absent.
    #[serde(default)]
    pub due_in_days: Option<i64>,
}

/// `POST /api/v1/referrals/{id}/grant`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantRequest {
    /// The benefit granted, in words.
    pub benefit: String,
    /// Monthly amount in yuan, when it is money.
    #[serde(default)]
    pub amount_yuan: Option<i64>,
    /// From when (`YYYY-MM-DD`).
    pub start_on: String,
    /// The decision's reference (文号).
    pub decision_reference: String,
}

/// `POST /api/v1/referrals/{id}/forward`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForwardRequest {
    /// The department it goes on to.
    pub department: String,
    #[serde(default)]
    pub reason: Option<String>,
}

/// `POST /api/v1/referrals/{id}/comment`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentRequest {
    pub text: String,
}

/// `POST /api/v1/children/{id}/entitlements`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordRequest {
    /// The rule's code.
    pub benefit: String,
    /// Since when (`YYYY-MM-DD`).
    pub since: String,
    #[serde(default)]
    pub amount_yuan: Option<i64>,
    #[serde(default)]
    pub detail: Option<String>,
    #[serde(default)]
    pub reference: Option<String>,
}

/// `POST /api/v1/children/{id}/entitlements/{record}/end`.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct EndRequest {
    /// The last day (`YYYY-MM-DD`); today when absent.
    #[serde(default)]
    pub ended_on: Option<String>,
}

/// One matter of an intake that is not an entitlement.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IntakeMatter {
    pub department: String,
    pub matter: String,
}

/// `POST /api/v1/intakes`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IntakeRequest {
    pub child_id: String,
    /// Who applies, by relation to the child (祖母, 本人…).
    pub applicant: String,
    /// What the family asks for (text-checked; the referrals' summary).
    pub request: String,
    /// Entitlement rules asked for.
    #[serde(default)]
    pub entitlements: Vec<String>,
    #[serde(default)]
    pub matters: Vec<IntakeMatter>,
}

/// A referral.
#[derive(Serialize, ToSchema)]
pub struct ReferralBody {
    id: String,
    child_id: String,
    file_no: String,
    township: String,
    department: String,
    #[schema(required = true)]
    entitlement: Option<String>,
    matter: String,
    summary: String,
    status: String,
    due_working_days: i32,
    due_on: String,
    escalate_on: String,
    overdue: bool,
    escalated: bool,
    created_at: String,
    #[schema(required = true)]
    accepted_at: Option<String>,
    #[schema(required = true)]
    answered_at: Option<String>,
    /// How the department answered: granted, refused, returned, forwarded.
    #[schema(required = true)]
    outcome: Option<String>,
    /// The benefit granted, or the reason of a refusal or return.
    #[schema(required = true)]
    answer: Option<String>,
    #[schema(required = true)]
    amount_yuan: Option<i64>,
    #[schema(required = true)]
    start_on: Option<String>,
    #[schema(required = true)]
    decision_reference: Option<String>,
    #[schema(required = true)]
    forwarded_to: Option<String>,
    #[schema(required = true)]
    forwarded_from: Option<String>,
    #[schema(required = true)]
    intake_id: Option<String>,
    /// The department asked the township something not yet answered.
    question_open: bool,
}

impl ReferralBody {
    pub fn of(r: referral::Model, file_no: String, overdue: bool, escalated: bool) -> Self {
        Self {
            id: r.id,
            child_id: r.child_id,
            file_no,
            township: r.township_code,
            department: r.department.as_str().to_owned(),
            entitlement: r.rule_id,
            matter: r.matter,
            summary: r.summary,
            status: r.status.as_str().to_owned(),
            due_working_days: r.due_working_days,
            due_on: r.due_on.to_string(),
            escalate_on: r.escalate_on.to_string(),
            overdue,
            escalated,
            created_at: r.created_at.to_rfc3339(),
            accepted_at: r.accepted_at.map(|t| t.to_rfc3339()),
            answered_at: r.answered_at.map(|t| t.to_rfc3339()),
            outcome: r.outcome.map(|o| o.as_str().to_owned()),
            answer: r.answer_text,
            amount_yuan: r.amount_yuan,
            start_on: r.start_on.map(|d| d.to_string()),
            decision_reference: r.decision_reference,
            forwarded_to: r.forwarded_to,
            forwarded_from: r.forwarded_from,
            intake_id: r.intake_id,
            question_open: r.asked_at.is_some(),
        }
    }
}

impl From<ListItem> for ReferralBody {
    fn from(i: ListItem) -> Self {
        Self::of(i.referral, i.file_no, i.overdue, i.escalated)
    }
}

/// The answer to a new referral.
#[derive(Serialize, ToSchema)]
pub struct ReferralCreatedBody {
    id: String,
    status: String,
    due_on: String,
    department: String,
}

impl From<referral::Model> for ReferralCreatedBody {
    fn from(r: referral::Model) -> Self {
        Self {
            id: r.id,
            status: r.status.as_str().to_owned(),
            due_on: r.due_on.to_string(),
            department: r.department.as_str().to_owned(),
        }
    }
}

/// A personal field of the child, masked unless revealed.
#[derive(Serialize, ToSchema)]
pub struct ShownFieldBody {
    field: String,
    label: String,
    value: String,
    revealed: bool,
}

/// What the department may know of the child.
#[derive(Serialize, ToSchema)]
pub struct ReferralChildBody {
    file_no: String,
    #[schema(required = true)]
    age: Option<i32>,
    #[schema(required = true)]
    age_band: Option<String>,
    gender: String,
    difficulties: Vec<String>,
    #[schema(required = true)]
    school_status: Option<String>,
    /// The fields this referral needs, masked unless `reveal` asked.
    fields: Vec<ShownFieldBody>,
}

/// One step of a referral's timeline or thread.
#[derive(Serialize, ToSchema)]
pub struct ReferralEventBody {
    at: String,
    actor: String,
    /// `township`, `department` or `county`.
    side: String,
    /// `sent`, `accepted`, `comment`, `granted`, `refused`, `returned`, `forwarded`, `closed`.
    action: String,
    #[schema(required = true)]
    text: Option<String>,
}

impl From<referral_event::Model> for ReferralEventBody {
    fn from(e: referral_event::Model) -> Self {
        Self {
            at: e.at.to_rfc3339(),
            actor: e.actor_name,
            side: e.side,
            action: e.action,
            text: e.text,
        }
    }
}

/// One referral with the child's fields it needs, its timeline and what
/// the reader may do.
#[derive(Serialize, ToSchema)]
pub struct ReferralDetailBody {
    referral: ReferralBody,
    child: ReferralChildBody,
    events: Vec<ReferralEventBody>,
    /// The moves the reader may make now (`accept`, `grant`, …).
    allowed_moves: Vec<String>,
    may_comment: bool,
}

impl From<ReferralView> for ReferralDetailBody {
    fn from(v: ReferralView) -> Self {
        Self {
            child: ReferralChildBody {
                file_no: v.file_no.clone(),
                age: v.age,
                age_band: v.age_band.map(|b| b.as_str().to_owned()),
                gender: v.gender,
                difficulties: v
                    .difficulties
                    .iter()
                    .map(|d| d.as_str().to_owned())
                    .collect(),
                school_status: v.school_status.map(|s| s.as_str().to_owned()),
                fields: v
                    .fields
                    .into_iter()
                    .map(|f| ShownFieldBody {
                        field: f.field.as_str().to_owned(),
                        label: f.field.label().to_owned(),
                        value: f.value.unwrap_or_default(),
                        revealed: f.revealed,
                    })
                    .collect(),
            },
            events: v.events.into_iter().map(Into::into).collect(),
            allowed_moves: v.moves.iter().map(|m| m.as_str().to_owned()).collect(),
            may_comment: v.may_comment,
            referral: ReferralBody::of(v.referral, v.file_no, v.overdue, v.escalated),
        }
    }
}

/// A referral after a move, with the new referral a forward made.
#[derive(Serialize, ToSchema)]
pub struct MovedBody {
    id: String,
    status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    forwarded: Option<ReferralCreatedBody>,
}

impl MovedBody {
    pub fn new(r: referral::Model, forwarded: Option<referral::Model>) -> Self {
        Self {
            id: r.id,
            status: r.status.as_str().to_owned(),
            forwarded: forwarded.map(Into::into),
        }
    }
}

/// One department's supervision figures.
#[derive(Serialize, ToSchema)]
pub struct DepartmentFiguresBody {
    department: String,
    name: String,
    received: u64,
    answered: u64,
    answered_on_time: u64,
    #[schema(required = true)]
    median_days: Option<f64>,
    granted: u64,
    refused: u64,
    returned: u64,
    forwarded: u64,
    open: u64,
    overdue: u64,
}

impl From<DepartmentFigures> for DepartmentFiguresBody {
    fn from(f: DepartmentFigures) -> Self {
        Self {
            department: f.department.as_str().to_owned(),
            name: f.department.label().to_owned(),
            received: f.received,
            answered: f.answered,
            answered_on_time: f.answered_on_time,
            median_days: f.median_days,
            granted: f.granted,
            refused: f.refused,
            returned: f.returned,
            forwarded: f.forwarded,
            open: f.open,
            overdue: f.overdue,
        }
    }
}

/// `GET /api/v1/referrals/figures`.
#[derive(Serialize, ToSchema)]
pub struct FiguresBody {
    pub items: Vec<DepartmentFiguresBody>,
}

/// One gap of a file in the gap list.
#[derive(Serialize, ToSchema)]
pub struct GapBody {
    rule: String,
    name: String,
    department: String,
    severity: u8,
    /// An open referral is already on its way.
    referred: bool,
}

/// A file of the gap list (masked).
#[derive(Serialize, ToSchema)]
pub struct GapItemBody {
    child_id: String,
    file_no: String,
    township: String,
    masked_name: String,
    /// 3 urgent, 2 important, 1 ordinary.
    worst: u8,
    since: String,
    gaps: Vec<GapBody>,
}

impl From<GapItem> for GapItemBody {
    fn from(g: GapItem) -> Self {
        Self {
            child_id: g.child_id,
            file_no: g.file_no,
            township: g.township_code,
            masked_name: g.masked_name,
            worst: g.worst.value(),
            since: g.since.to_string(),
            gaps: g
                .gaps
                .into_iter()
                .map(|l| GapBody {
                    rule: l.rule_id,
                    name: l.name,
                    department: l.department.as_str().to_owned(),
                    severity: l.severity.value(),
                    referred: l.referred,
                })
                .collect(),
        }
    }
}

/// An entitlement record.
#[derive(Serialize, ToSchema)]
pub struct RecordBody {
    id: String,
    benefit: String,
    name: String,
    #[schema(required = true)]
    since: Option<String>,
    #[schema(required = true)]
    amount_yuan: Option<i64>,
    #[schema(required = true)]
    detail: Option<String>,
    #[schema(required = true)]
    reference: Option<String>,
    #[schema(required = true)]
    ended_on: Option<String>,
    /// `migrated`, `recorded` or `referral`.
    source: String,
    #[schema(required = true)]
    referral_id: Option<String>,
}

impl From<entitlement::Model> for RecordBody {
    fn from(r: entitlement::Model) -> Self {
        Self {
            id: r.id,
            benefit: r.benefit,
            name: r.name,
            since: r.since.map(|d| d.to_string()),
            amount_yuan: r.amount_yuan,
            detail: r.detail,
            reference: r.reference,
            ended_on: r.ended_on.map(|d| d.to_string()),
            source: r.source,
            referral_id: r.referral_id,
        }
    }
}

/// What a file receives of one guarantee.
#[derive(Serialize, ToSchema)]
pub struct ReceivedBody {
    #[schema(required = true)]
    since: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    amount: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
    record_id: String,
}

/// One guarantee of a file.
#[derive(Serialize, ToSchema)]
pub struct EntitlementLineBody {
    rule: String,
    name: String,
    department: String,
    severity: u8,
    clause: String,
    eligible: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    received: Option<ReceivedBody>,
    gap: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    referral_id: Option<String>,
}

/// `GET /api/v1/children/{id}/entitlements`.
#[derive(Serialize, ToSchema)]
pub struct ChildEntitlementsBody {
    items: Vec<EntitlementLineBody>,
    /// Every record, ended ones included.
    records: Vec<RecordBody>,
}

impl From<ChildEntitlements> for ChildEntitlementsBody {
    fn from(c: ChildEntitlements) -> Self {
        Self {
            items: c
                .lines
                .into_iter()
                .map(|l| EntitlementLineBody {
                    rule: l.rule_id,
                    name: l.name,
                    department: l.department.as_str().to_owned(),
                    severity: l.severity.value(),
                    clause: l.clause,
                    eligible: l.eligible,
                    received: l.received.map(|r| ReceivedBody {
                        since: r.since.map(|d| d.to_string()),
                        amount: r.amount_yuan,
                        reference: r.reference,
                        detail: r.detail,
                        record_id: r.id,
                    }),
                    gap: l.gap,
                    referral_id: l.referral_id,
                })
                .collect(),
            records: c.records.into_iter().map(Into::into).collect(),
        }
    }
}

/// A referral of an intake.
#[derive(Serialize, ToSchema)]
pub struct IntakeReferralBody {
    id: String,
    department: String,
    matter: String,
    status: String,
    due_on: String,
}

/// An intake with its referrals.
#[derive(Serialize, ToSchema)]
pub struct IntakeBody {
    id: String,
    child_id: String,
    file_no: String,
    applicant: String,
    request: String,
    created_at: String,
    referrals: Vec<IntakeReferralBody>,
}

impl From<IntakeView> for IntakeBody {
    fn from(v: IntakeView) -> Self {
        Self {
            id: v.intake.id,
            child_id: v.intake.child_id,
            file_no: v.file_no,
            applicant: v.intake.applicant,
            request: v.intake.request,
            created_at: v.intake.created_at.to_rfc3339(),
            referrals: v
                .referrals
                .into_iter()
                .map(|r| IntakeReferralBody {
                    id: r.id,
                    department: r.department.as_str().to_owned(),
                    matter: r.matter,
                    status: r.status.as_str().to_owned(),
                    due_on: r.due_on.to_string(),
                })
                .collect(),
        }
    }
}
