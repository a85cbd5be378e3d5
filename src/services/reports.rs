//! Mandatory reports (强制报告): filing (public or from inside the portal),
//! the reporter's lookup of the stage, the township's steps from the first
//! response to closing, the queue and the audited reads, and the sweep that
//! records missed deadlines and escalates them to the county.
//!
//! What a reporter wrote, who they are, the child's name and ID number and
//! every step's details are sealed by the identity vault, never indexed and
//! never logged; the audit log names reports by id only.
//!
//! Who reaches a report: the township officers of its township (read and
//! act) and county staff (read, every township). Anyone else gets 404 for a
//! report and 403 for the queue: providers and families never see reports.
//!
//! Lock order inside a report's write transaction: throttle buckets (filing
//! only), the report row (the conditional update of its state), its steps,
//! the change counter, the audit head last.

mod filing;
mod lookup;
mod steps;
mod sweep;
pub mod view;

pub use filing::{Filed, Intake, file};
pub use lookup::stage;
pub use steps::{
    AssessInput, CloseInput, DecideInput, InterveneInput, LinkInput, RespondInput, assess, assign,
    close, decide, intervene, link, link_created, respond,
};
pub use sweep::{Swept, sweep};

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};

use crate::db;
use crate::db::entities::{report, report_step};
use crate::domain::Role;
use crate::domain::report::{Move, ReportStatus, StepKind};
use crate::vault::{Slot, Vault};

use super::audit::{self, Event};
use super::{Principal, RequestCtx, ServiceError, ServiceResult, new_id};

const TABLE: &str = "reports";
const STEP_TABLE: &str = "report_steps";

fn slot<'a>(id: &'a str, field: &'a str) -> Slot<'a> {
    Slot {
        table: TABLE,
        row: id,
        field,
    }
}

fn seal(vault: &Vault, id: &str, field: &str, value: &str) -> ServiceResult<Vec<u8>> {
    Ok(vault.seal(slot(id, field), value)?)
}

fn seal_opt(
    vault: &Vault,
    id: &str,
    field: &str,
    value: Option<&str>,
) -> ServiceResult<Option<Vec<u8>>> {
    value.map(|v| seal(vault, id, field, v)).transpose()
}

fn open(vault: &Vault, id: &str, field: &str, sealed: &[u8]) -> ServiceResult<String> {
    Ok(vault.open(slot(id, field), sealed)?.to_string())
}

fn open_opt(
    vault: &Vault,
    id: &str,
    field: &str,
    sealed: Option<&[u8]>,
) -> ServiceResult<Option<String>> {
    sealed.map(|s| open(vault, id, field, s)).transpose()
}

/// The details of one step, as sealed (JSON) in its row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum StepDetail {
    Responded {
        responders: String,
        findings: String,
        police_called: bool,
        police_case_number: Option<String>,
    },
    Assessed {
        risk_level: String,
        factors: Vec<String>,
        note: Option<String>,
    },
    Decided {
        decision: String,
        reason: Option<String>,
    },
    Intervened {
        kind: String,
        placement: Option<String>,
        place: Option<String>,
        family_id: Option<String>,
        note: String,
    },
    Linked {
        child_id: String,
        file_no: String,
    },
    FollowedUp {
        note: String,
    },
    Closed {
        note: Option<String>,
    },
}

/// Who may read `report`: its township's officers and county staff; for
/// anyone else it does not exist.
fn may_read(caller: &Principal, report: &report::Model) -> ServiceResult<()> {
    match caller.role {
        Role::CountyAdmin => Ok(()),
        Role::TownshipOfficer if caller.township.as_deref() == Some(&report.township_code) => {
            Ok(())
        }
        _ => Err(ServiceError::NotFound),
    }
}

/// Who may act on `report`: its township's officers. County staff read
/// every report but act through the township (403); anyone else, 404.
fn may_act(caller: &Principal, report: &report::Model) -> ServiceResult<()> {
    may_read(caller, report)?;
    caller.require_role(&[Role::TownshipOfficer])
}

/// The queue's readers: township officers and county staff.
fn require_reader(caller: &Principal) -> ServiceResult<()> {
    caller.require_role(&[Role::TownshipOfficer, Role::CountyAdmin])
}

async fn load(db: &impl ConnectionTrait, id: &str) -> ServiceResult<report::Model> {
    db::reports::find(db, id)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// The refusal of a move the report's state does not allow.
fn refused(status: ReportStatus, mv: Move) -> ServiceError {
    ServiceError::StateConflict {
        status: status.as_str().to_owned(),
        message: format!("报告当前为“{}”，不能{}", status.label(), mv.label()),
    }
}

/// The target of a report's audit entries.
fn target(id: &str) -> String {
    format!("report:{id}")
}

/// Records step `kind` of report `report_id` (sealing `detail`), bumps the
/// change count (the inbox badges read it) and appends `action` to the
/// audit log: the last writes of every report transaction.
#[expect(clippy::too_many_arguments, reason = "one step's whole record")]
async fn record(
    txn: &impl ConnectionTrait,
    vault: &Vault,
    ctx: &RequestCtx,
    report_id: &str,
    kind: StepKind,
    happened_at: DateTime<Utc>,
    now: DateTime<Utc>,
    detail: Option<&StepDetail>,
    audit_detail: Option<String>,
) -> ServiceResult<()> {
    let id = new_id();
    let detail_sealed = match detail {
        Some(detail) => {
            let json = serde_json::to_string(detail)
                .map_err(|e| ServiceError::caused("report step detail", e))?;
            Some(vault.seal(
                Slot {
                    table: STEP_TABLE,
                    row: &id,
                    field: "detail",
                },
                &json,
            )?)
        }
        None => None,
    };
    let actor = ctx.actor.as_ref();
    db::reports::add_step(
        txn,
        report_step::Model {
            id,
            report_id: report_id.to_owned(),
            seq: 0,
            kind,
            happened_at,
            recorded_at: now,
            actor_id: actor.map(|a| a.id.clone()),
            actor_name: actor.map(|a| a.username.clone()),
            detail_sealed,
        },
    )
    .await?;
    db::allocation::count_change(txn).await?;
    let mut event = Event::success(action_of(kind), target(report_id));
    if let Some(detail) = audit_detail {
        event = event.with_detail(detail);
    }
    audit::append(txn, ctx, event).await
}

/// The audit action of each step.
pub fn action_of(kind: StepKind) -> &'static str {
    match kind {
        StepKind::Filed => "report.file",
        StepKind::Assigned => "report.assign",
        StepKind::Responded => "report.respond",
        StepKind::Assessed => "report.assess",
        StepKind::Decided => "report.decide",
        StepKind::Intervened => "report.intervene",
        StepKind::Linked => "report.link",
        StepKind::FollowedUp => "report.follow_up",
        StepKind::Closed => "report.close",
        StepKind::Overdue => "report.overdue",
        StepKind::Escalated => "report.escalate",
    }
}

/// The audit action of reading a report's sealed content.
pub const READ_ACTION: &str = "report.view";

/// Opens a step's sealed details.
fn open_detail(vault: &Vault, step: &report_step::Model) -> ServiceResult<Option<StepDetail>> {
    let Some(sealed) = &step.detail_sealed else {
        return Ok(None);
    };
    let json = vault.open(
        Slot {
            table: STEP_TABLE,
            row: &step.id,
            field: "detail",
        },
        sealed,
    )?;
    serde_json::from_str(&json)
        .map(Some)
        .map_err(|e| ServiceError::caused("report step detail", e))
}
