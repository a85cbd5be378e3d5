//! Reading reports: the queue (no sealed field opened: it shows references,
//! stages, urgency and deadlines), the county's overview by township, and
//! one report with its content and history — an audited read.

use chrono::{DateTime, Utc};

use crate::db;
use crate::db::entities::{family, report};
use crate::db::reports::{QueueFilter, TownshipCounts};
use crate::domain::Role;
use crate::domain::report::{self as rules, ReportStatus, ReporterKind, StepKind};
use crate::services::audit::{self, Event};
use crate::services::{Page, Paging, Principal, RequestCtx, ServiceResult, Store};

use super::{
    READ_ACTION, StepDetail, load, may_read, open, open_detail, open_opt, require_reader, target,
};

/// One report in a queue.
#[derive(Clone, Debug)]
pub struct QueueItem {
    pub id: String,
    pub reference: String,
    pub township_code: String,
    pub urgent: bool,
    pub status: ReportStatus,
    pub reporter_kind: ReporterKind,
    pub received_at: DateTime<Utc>,
    pub response_due: DateTime<Utc>,
    /// Past the first-response deadline without a response.
    pub overdue: bool,
    /// Past twice the deadline: the county's too.
    pub escalated: bool,
    /// After a decision, the follow-up visit is late.
    pub follow_up_overdue: bool,
    pub follow_up_due: Option<DateTime<Utc>>,
}

fn item(r: &report::Model, now: DateTime<Utc>) -> QueueItem {
    QueueItem {
        id: r.id.clone(),
        reference: r.reference.clone(),
        township_code: r.township_code.clone(),
        urgent: r.urgent,
        status: r.status,
        reporter_kind: r.reporter_kind,
        received_at: r.received_at,
        response_due: r.response_due,
        overdue: rules::response_overdue(r.status, r.response_due, now),
        escalated: rules::escalated(r.status, r.escalate_at, now),
        follow_up_overdue: r.status.needs_follow_up()
            && r.follow_up_due.is_some_and(|due| now > due),
        follow_up_due: r.follow_up_due,
    }
}

/// Which reports a queue lists.
#[derive(Clone, Debug, Default)]
pub struct QueueQuery {
    /// One state; `None` for every open one.
    pub status: Option<ReportStatus>,
    /// County staff: one township; officers always see their own.
    pub township: Option<String>,
}

/// A queue page, and for county staff every township's counts.
#[derive(Clone, Debug)]
pub struct Queue {
    pub page: Page<QueueItem>,
    pub by_township: Option<Vec<TownshipCounts>>,
    pub now: DateTime<Utc>,
}

/// The caller's queue: urgent first, then oldest first.
pub async fn queue(
    store: Store<'_>,
    caller: &Principal,
    query: &QueueQuery,
    paging: Paging,
) -> ServiceResult<Queue> {
    require_reader(caller)?;
    let now = store.clock.now();
    let township = match caller.role {
        Role::CountyAdmin => query.township.as_deref(),
        _ => caller.township.as_deref(),
    };
    let open: Vec<ReportStatus> = ReportStatus::ALL
        .iter()
        .copied()
        .filter(|s| s.is_open())
        .collect();
    let one;
    let statuses: &[ReportStatus] = match query.status {
        Some(status) => {
            one = [status];
            &one
        }
        None => &open,
    };
    let filter = QueueFilter { township, statuses };
    let (total, rows) = db::reports::queue(store.db, filter, paging.limit, paging.offset).await?;
    let by_township = if caller.role == Role::CountyAdmin {
        Some(db::reports::by_township(store.db, now).await?)
    } else {
        None
    };
    Ok(Queue {
        page: Page {
            items: rows.iter().map(|r| item(r, now)).collect(),
            total,
        },
        by_township,
        now,
    })
}

/// What the reporter wrote, opened.
#[derive(Clone, Debug)]
pub struct Content {
    pub description: String,
    pub child_location: Option<String>,
    pub village: Option<String>,
    pub reporter_name: Option<String>,
    pub reporter_contact: Option<String>,
    pub child_name: Option<String>,
    /// Masked (the blind index finds the file without showing it).
    pub child_id_number: Option<String>,
}

/// One step, opened.
#[derive(Clone, Debug)]
pub struct StepView {
    pub kind: StepKind,
    pub happened_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    pub actor_name: Option<String>,
    pub detail: Option<StepDetail>,
}

/// A file the report is about: linked, or found by the ID number the
/// reporter gave (in the report's township only).
#[derive(Clone, Debug)]
pub struct FileRef {
    pub id: String,
    pub file_no: String,
}

/// What the caller may do next on the report's page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Assign,
    Respond,
    Assess,
    Decide,
    Intervene,
    Link,
    Close,
}

/// One report as its township's officer or county staff read it.
#[derive(Clone, Debug)]
pub struct ReportDetail {
    pub item: QueueItem,
    pub report: report::Model,
    pub content: Content,
    pub steps: Vec<StepView>,
    pub linked: Option<FileRef>,
    pub on_record: Option<FileRef>,
    pub actions: Vec<Action>,
    /// Approved families (for a foster placement), when intervention
    /// steps may be recorded.
    pub families: Vec<family::Model>,
}

fn actions(caller: &Principal, r: &report::Model) -> Vec<Action> {
    use rules::Move;
    if caller.role != Role::TownshipOfficer {
        return Vec::new();
    }
    let s = r.status;
    let mut out = Vec::new();
    if s.after(Move::Assign).is_some() {
        out.push(Action::Assign);
    }
    if s.after(Move::Respond).is_some() {
        out.push(Action::Respond);
    }
    if s.after(Move::Assess).is_some() && r.assessed_at.is_none() {
        out.push(Action::Assess);
    }
    if s == ReportStatus::Assessing && r.assessed_at.is_some() {
        out.push(Action::Decide);
    }
    if s.after(Move::Intervene).is_some() {
        out.push(Action::Intervene);
    }
    if s.after(Move::Link).is_some() && r.child_id.is_none() {
        out.push(Action::Link);
    }
    let needs = rules::close_needs(s);
    if s.after(Move::Close).is_some() && (!needs.file || r.child_id.is_some()) {
        out.push(Action::Close);
    }
    out
}

/// Report `id`, opened for `caller`: every sealed field and step, written
/// to the audit log as a read in the same transaction.
pub async fn detail(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
) -> ServiceResult<ReportDetail> {
    let r = load(store.db, id).await?;
    may_read(caller, &r)?;
    let now = store.clock.now();
    let vault = store.vault;
    let content = Content {
        description: open(vault, &r.id, "description", &r.description_sealed)?,
        child_location: open_opt(
            vault,
            &r.id,
            "child_location",
            r.child_location_sealed.as_deref(),
        )?,
        village: match open_opt(vault, &r.id, "village", r.village_sealed.as_deref())? {
            Some(code) => Some(
                db::regions::find_village(store.db, &code)
                    .await?
                    .map(|v| v.name)
                    .unwrap_or(code),
            ),
            None => None,
        },
        reporter_name: open_opt(
            vault,
            &r.id,
            "reporter_name",
            r.reporter_name_sealed.as_deref(),
        )?,
        reporter_contact: open_opt(
            vault,
            &r.id,
            "reporter_contact",
            r.reporter_contact_sealed.as_deref(),
        )?,
        child_name: open_opt(vault, &r.id, "child_name", r.child_name_sealed.as_deref())?,
        child_id_number: open_opt(
            vault,
            &r.id,
            "child_id_number",
            r.child_id_number_sealed.as_deref(),
        )?
        .map(|n| match crate::domain::IdNumber::parse(&n) {
            Ok(number) => number.masked(),
            Err(_) => "（号码有误）".to_owned(),
        }),
    };
    let mut steps = Vec::new();
    for step in db::reports::steps(store.db, &r.id).await? {
        steps.push(StepView {
            kind: step.kind,
            happened_at: step.happened_at,
            recorded_at: step.recorded_at,
            actor_name: step.actor_name.clone(),
            detail: open_detail(vault, &step)?,
        });
    }
    let file_ref = |c: crate::db::entities::child::Model| FileRef {
        id: c.id,
        file_no: c.file_no,
    };
    let linked = match &r.child_id {
        Some(child_id) => db::children::find(store.db, child_id).await?.map(file_ref),
        None => None,
    };
    let on_record = match (&r.child_id, &r.child_id_number_index) {
        (None, Some(index)) => db::children::find_by_id_number_index(store.db, index)
            .await?
            .filter(|c| c.township_code == r.township_code)
            .map(file_ref),
        _ => None,
    };
    let actions = actions(caller, &r);
    let families = if actions.contains(&Action::Intervene) {
        db::families::list(
            store.db,
            Some(&r.township_code),
            Some(crate::domain::family::FamilyStatus::Approved.as_str()),
            100,
            0,
        )
        .await?
        .1
    } else {
        Vec::new()
    };
    let txn = db::begin_write(store.db).await?;
    audit::append(&txn, ctx, Event::success(READ_ACTION, target(&r.id))).await?;
    txn.commit().await?;
    Ok(ReportDetail {
        item: item(&r, now),
        report: r,
        content,
        steps,
        linked,
        on_record,
        actions,
        families,
    })
}

/// The report behind `id` when `caller` may read it (for pages that act
/// and then show it again).
pub async fn find(store: Store<'_>, caller: &Principal, id: &str) -> ServiceResult<QueueItem> {
    let r = load(store.db, id).await?;
    may_read(caller, &r)?;
    Ok(item(&r, store.clock.now()))
}
