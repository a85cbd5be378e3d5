//! The answers of `/api/v1/children…`, each built from the service's types
//! in one `From`: the non-personal file, the file as staff read it (with
//! its visits, whose body is in `visits`, and its history) and a line of a
//! list.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

use crate::db::entities::{child, child_event, need};
use crate::services::children::view::{FileView, ListItem, ShownField};

use super::visits::VisitBody;
use crate::services::children::{Changed, Withdrawal};

/// `{id, file_no, status}`: the answer to opening a file.
#[derive(Serialize, ToSchema)]
pub struct ChildCreatedBody {
    id: String,
    file_no: String,
    status: String,
}

impl From<child::Model> for ChildCreatedBody {
    fn from(c: child::Model) -> Self {
        Self {
            id: c.id,
            file_no: c.file_no,
            status: c.status.as_str().to_owned(),
        }
    }
}

/// The non-personal fields of a child file (the identity stays sealed).
#[derive(Serialize, ToSchema)]
pub struct FileBody {
    id: String,
    file_no: String,
    status: String,
    /// The township's code.
    township: String,
    gender: String,
    difficulties: Vec<String>,
    difficulty_class: String,
    #[schema(required = true)]
    poverty_type: Option<String>,
    /// Null without a disability.
    #[schema(required = true)]
    disability: Option<DisabilityBody>,
    #[schema(required = true)]
    unsupported_reason: Option<String>,
    #[schema(required = true)]
    illness: Option<String>,
    assistance: Vec<String>,
    #[schema(required = true)]
    guardian_relation: Option<String>,
    #[schema(required = true)]
    school: Option<String>,
    /// The guardian's consent; null when the file rests on a statutory basis.
    #[schema(required = true)]
    consent: Option<ConsentBody>,
    #[schema(required = true)]
    statutory_basis: Option<String>,
    #[schema(required = true)]
    closed_reason: Option<String>,
    /// `YYYY-MM-DD`.
    #[schema(required = true)]
    last_visited_on: Option<String>,
    created_at: String,
    updated_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct DisabilityBody {
    #[serde(rename = "type")]
    kind: String,
    #[schema(required = true)]
    grade: Option<i16>,
}

#[derive(Serialize, ToSchema)]
pub struct ConsentBody {
    keep_file: bool,
    publish_needs: bool,
}

impl From<child::Model> for FileBody {
    fn from(c: child::Model) -> Self {
        Self {
            difficulties: c
                .difficulties
                .iter()
                .map(|d| d.as_str().to_owned())
                .collect(),
            assistance: c.assistance.iter().map(|a| a.as_str().to_owned()).collect(),
            disability: c.disability_type.map(|kind| DisabilityBody {
                kind,
                grade: c.disability_grade,
            }),
            consent: c.statutory_basis.is_none().then_some(ConsentBody {
                keep_file: c.consent_keep_file,
                publish_needs: c.consent_publish_needs,
            }),
            last_visited_on: c.last_visited_on.map(|d| d.to_string()),
            created_at: c.created_at.to_rfc3339(),
            updated_at: c.updated_at.to_rfc3339(),
            id: c.id,
            file_no: c.file_no,
            status: c.status.as_str().to_owned(),
            township: c.township_code,
            gender: c.gender,
            difficulty_class: c.difficulty_class.as_str().to_owned(),
            poverty_type: c.poverty_type,
            unsupported_reason: c.unsupported_reason,
            illness: c.illness,
            guardian_relation: c.guardian_relation,
            school: c.school,
            statutory_basis: c.statutory_basis,
            closed_reason: c.closed_reason,
        }
    }
}

/// The file after a change: when the change withdrew the guardian's
/// consent to publish, also what that ended.
#[derive(Serialize, ToSchema)]
pub struct ChangedFileBody {
    #[serde(flatten)]
    file: FileBody,
    /// Present only when the change withdrew the consent to publish.
    #[serde(skip_serializing_if = "Option::is_none")]
    publication_withdrawn: Option<WithdrawalBody>,
}

#[derive(Serialize, ToSchema)]
pub struct WithdrawalBody {
    /// Published needs taken back to draft.
    needs_unpublished: u32,
    /// Proposals and suggestions ended.
    proposals_ended: u32,
    /// Running matches waiting for the officer's decision.
    matches_to_review: u32,
}

impl From<Withdrawal> for WithdrawalBody {
    fn from(w: Withdrawal) -> Self {
        Self {
            needs_unpublished: w.needs_unpublished,
            proposals_ended: w.proposals_ended,
            matches_to_review: w.matches_to_review,
        }
    }
}

impl From<Changed> for ChangedFileBody {
    fn from(c: Changed) -> Self {
        Self {
            file: c.file.into(),
            publication_withdrawn: c.withdrawal.map(WithdrawalBody::from),
        }
    }
}

/// The file as staff read it: masked unless revealed, with its visits,
/// history and needs.
#[derive(Serialize, ToSchema)]
pub struct FileViewBody {
    #[serde(flatten)]
    file: FileBody,
    /// Each identity field by name (`name`, `id_number`, …).
    identity: BTreeMap<&'static str, IdentityFieldBody>,
    /// Null from 18.
    #[schema(required = true)]
    age_band: Option<&'static str>,
    visit_overdue: bool,
    visits: Vec<VisitBody>,
    history: Vec<EventBody>,
    needs: Vec<FileNeedBody>,
}

/// An identity field: masked, or revealed (and audited).
#[derive(Serialize, ToSchema)]
pub struct IdentityFieldBody {
    #[schema(required = true)]
    value: Option<String>,
    revealed: bool,
}

impl From<ShownField> for IdentityFieldBody {
    fn from(f: ShownField) -> Self {
        Self {
            value: f.value,
            revealed: f.revealed,
        }
    }
}

/// A need of the file, as its page lists it.
#[derive(Serialize, ToSchema)]
pub struct FileNeedBody {
    id: String,
    code: String,
    status: String,
    title: String,
}

impl From<need::Model> for FileNeedBody {
    fn from(n: need::Model) -> Self {
        Self {
            id: n.id,
            code: n.code,
            status: n.status.as_str().to_owned(),
            title: n.title,
        }
    }
}

impl From<FileView> for FileViewBody {
    fn from(v: FileView) -> Self {
        Self {
            file: v.child.into(),
            identity: v
                .fields
                .into_iter()
                .map(|f| (f.field.as_str(), f.into()))
                .collect(),
            age_band: v.age_band.map(|b| b.as_str()),
            visit_overdue: v.overdue,
            visits: v.visits.into_iter().map(VisitBody::from).collect(),
            history: v.events.into_iter().map(EventBody::from).collect(),
            needs: v.needs.into_iter().map(FileNeedBody::from).collect(),
        }
    }
}

/// An entry of the file's history: who did what, and to which fields.
#[derive(Serialize, ToSchema)]
pub struct EventBody {
    at: String,
    actor: String,
    action: String,
    fields: Vec<String>,
    #[schema(required = true)]
    note: Option<String>,
}

impl From<child_event::Model> for EventBody {
    fn from(e: child_event::Model) -> Self {
        Self {
            fields: e.fields.to_vec(),
            at: e.at.to_rfc3339(),
            actor: e.actor_name,
            action: e.action,
            note: e.note,
        }
    }
}

/// A line of a list of files: never more than the masked name.
#[derive(Serialize, ToSchema)]
pub struct ListItemBody {
    id: String,
    file_no: String,
    name: String,
    township: String,
    status: &'static str,
    #[schema(required = true)]
    age_band: Option<&'static str>,
    difficulty_class: &'static str,
    #[schema(required = true)]
    last_visited_on: Option<String>,
    visit_overdue: bool,
}

impl From<ListItem> for ListItemBody {
    fn from(i: ListItem) -> Self {
        Self {
            id: i.id,
            file_no: i.file_no,
            name: i.masked_name,
            township: i.township_code,
            status: i.status.as_str(),
            age_band: i.age_band.map(|b| b.as_str()),
            difficulty_class: i.class.as_str(),
            last_visited_on: i.last_visited_on.map(|d| d.to_string()),
            visit_overdue: i.overdue,
        }
    }
}
