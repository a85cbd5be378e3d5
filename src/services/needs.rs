//! Needs (需求): a township officer or village supervisor writes one for a
//! child; the officer publishes it; providers and approved families see
//! only its public projection, computed from the need and the file at the
//! moment of the read (see `domain::projection`). The reading side is in
//! `public`.

mod public;

mod check;
pub mod escalation;

pub use check::findings;
pub use public::{NeedList, NeedListFilter, get_public, list, list_for_staff, list_public};

use chrono::Utc;
use sea_orm::{ConnectionTrait, DatabaseTransaction};

use crate::db;
use crate::db::entities::{child, need};
use crate::db::outbox::{self, OutboxKind};
use crate::domain::category::Category;
use crate::domain::child::FileStatus;
use crate::domain::invalid::required_text;
use crate::domain::need::{NeedCode, NeedStatus, Urgency};
use crate::domain::outcome::{NeedOutcome, OutcomeInput};
use crate::domain::projection::PublicNeed;
use crate::domain::{Invalid, Role};

use self::check::check_text;
use super::audit::{self, Event};
use super::files;
use super::files::projection::project_one;
use super::{Principal, RequestCtx, ServiceError, ServiceResult, Store, new_id};

/// A need as typed.
#[derive(Debug, Clone, Default)]
pub struct NeedInput {
    pub child_id: String,
    pub category: String,
    pub title: String,
    pub description: String,
    pub quantity: Option<i64>,
    pub urgency: String,
}

/// A need with its projection, for staff in scope.
#[derive(Debug, Clone)]
pub struct StaffNeed {
    pub need: need::Model,
    pub file_no: String,
    pub public: PublicNeed,
    /// What the caller may do with the need now.
    pub actions: NeedActions,
    /// Its escalation steps, oldest first (read for one need's page only;
    /// empty in lists).
    pub escalations: Vec<escalation::Step>,
    /// How it ended, once closed or fulfilled with an outcome.
    pub outcome: Option<NeedOutcome>,
}

/// What a member of staff may do with a need of their scope, by role and
/// the need's state; the services that do each thing refuse the same cases.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NeedActions {
    /// Officers and supervisors edit a draft.
    pub edit: bool,
    /// Officers publish a draft.
    pub publish: bool,
    /// Officers close a need its state lets close.
    pub close: bool,
    /// Officers propose an offer for a published need.
    pub propose: bool,
    /// Officers renew a published need the sweep asked about.
    pub renew: bool,
}

impl NeedActions {
    pub fn of(role: Role, need: &need::Model) -> Self {
        let status = need.status;
        let officer = role == Role::TownshipOfficer;
        let drafter = matches!(role, Role::TownshipOfficer | Role::VillageSupervisor);
        Self {
            edit: drafter && status == NeedStatus::Draft,
            publish: officer && status == NeedStatus::Draft,
            close: officer && status.close().is_ok(),
            propose: officer && status == NeedStatus::Published,
            renew: officer && status == NeedStatus::Published && need.renewal_asked_at.is_some(),
        }
    }
}

/// The stored outcome of a need, if it has a valid one.
pub fn outcome_of(need: &need::Model) -> Option<NeedOutcome> {
    NeedOutcome::from_columns(
        need.outcome.as_deref(),
        need.outcome_reason.as_deref(),
        need.outcome_detail.as_deref(),
    )
}

struct Checked {
    category: Category,
    title: String,
    description: String,
    quantity: Option<i32>,
    urgency: Urgency,
}

/// The field errors of `input` alone (none when it parses): for a form
/// that found an error the service cannot see (a quantity typed that is
/// no number), so that every error is shown at once.
pub fn field_errors(input: &NeedInput) -> Invalid {
    parse(input).err().unwrap_or_default()
}

fn parse(input: &NeedInput) -> Result<Checked, Invalid> {
    let mut invalid = Invalid::new();
    let category = invalid.check("category", input.category.parse::<Category>());
    let title = invalid.check("title", required_text(&input.title, 60));
    let description = invalid.check("description", required_text(&input.description, 2000));
    let quantity = match input.quantity {
        None => None,
        Some(q @ 1..=10_000_000) => Some(q as i32),
        Some(_) => {
            invalid.add("quantity", "数量应为1至10000000之间的整数");
            None
        }
    };
    let urgency = invalid.check("urgency", input.urgency.parse::<Urgency>());
    invalid.into_result()?;
    match (category, title, description, urgency) {
        (Some(category), Some(title), Some(description), Some(urgency)) => Ok(Checked {
            category,
            title,
            description,
            quantity,
            urgency,
        }),
        _ => Err(Invalid::one("title", "需求内容不完整")),
    }
}

async fn staff_need(
    store: Store<'_>,
    caller: &Principal,
    need: need::Model,
    child: &child::Model,
    k: u32,
) -> ServiceResult<StaffNeed> {
    let today = chrono::Local::now().date_naive();
    let public = project_one(store, &need, child, k, today).await?;
    let escalations = escalation::steps(store, &need.id).await?;
    Ok(StaffNeed {
        actions: NeedActions::of(caller.role, &need),
        outcome: outcome_of(&need),
        need,
        file_no: child.file_no.clone(),
        public,
        escalations,
    })
}

/// `Forbidden` unless `caller` drafts needs (township officers and village
/// supervisors): the need form is theirs.
pub fn check_may_draft(caller: &Principal) -> ServiceResult<()> {
    caller.require_role(&[Role::TownshipOfficer, Role::VillageSupervisor])
}

/// Writes a draft need for a child in scope; refuses personal information
/// in the public texts (422 with the findings).
pub async fn create(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    input: NeedInput,
    k: u32,
) -> ServiceResult<StaffNeed> {
    caller.require_role(&[Role::TownshipOfficer, Role::VillageSupervisor])?;
    let now = store.clock.now();
    for _ in 0..5 {
        let checked = parse(&input);
        // The file is read and the texts checked against it under the
        // write lock: a file closed or changed meanwhile is seen.
        let txn = db::begin_write(store.db).await?;
        let tx = store.within(&txn);
        let child = match files::find_in_scope(tx, caller, input.child_id.trim()).await {
            Ok(child) => child,
            Err(ServiceError::NotFound) => {
                return Err(Invalid::one("child_id", "没有找到该儿童档案").into());
            }
            Err(e) => return Err(e),
        };
        let checked = checked?;
        if child.status == FileStatus::Closed {
            return Err(ServiceError::Conflict("档案已结档，不能再登记需求".into()));
        }
        check_text(tx, &child, &checked.title, &checked.description).await?;
        let mut random = [0u8; 8];
        getrandom::fill(&mut random)
            .map_err(|e| ServiceError::caused("randomness for a need code", e))?;
        let row = need::Model {
            id: new_id(),
            code: NeedCode::from_random(random).as_str().to_owned(),
            child_id: child.id.clone(),
            township_code: child.township_code.clone(),
            category: checked.category,
            title: checked.title.clone(),
            description: checked.description.clone(),
            quantity: checked.quantity,
            urgency: checked.urgency,
            status: NeedStatus::Draft,
            closed_reason: None,
            created_by: caller.id.clone(),
            created_at: now,
            updated_at: now,
            published_at: None,
            published_by: None,
            waiting_since: None,
            widened_at: None,
            renewal_asked_at: None,
            outcome: None,
            outcome_reason: None,
            outcome_detail: None,
            outcome_at: None,
            unmatched_noted_at: None,
        };
        match db::needs::insert(&txn, row).await {
            Ok(saved) => {
                audit::append(
                    &txn,
                    ctx,
                    Event::success("need.create", format!("need:{}", saved.id)),
                )
                .await?;
                // A village's draft waits for the township; an officer's
                // own draft is already theirs.
                if caller.role == Role::VillageSupervisor {
                    crate::services::notify::events::need_drafted(
                        &txn,
                        store.clock.now(),
                        &saved.id,
                    )
                    .await?;
                }
                txn.commit().await?;
                return staff_need(store, caller, saved, &child, k).await;
            }
            // A random code collided (about one in 2^50): draw again.
            Err(err) if db::is_unique_violation(&err) => txn.rollback().await?,
            Err(err) => return Err(err.into()),
        }
    }
    Err(ServiceError::internal("could not draw a unique need code"))
}

/// A need and its file, if the caller reaches the file as staff.
async fn find_in_scope<C: ConnectionTrait>(
    store: Store<'_, C>,
    caller: &Principal,
    id: &str,
) -> ServiceResult<(need::Model, child::Model)> {
    let need = db::needs::find(store.db, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let child = files::find_in_scope(store, caller, &need.child_id).await?;
    Ok((need, child))
}

/// A need with its projection, for staff who reach its file.
pub async fn get_for_staff(
    store: Store<'_>,
    caller: &Principal,
    id: &str,
    k: u32,
) -> ServiceResult<StaffNeed> {
    let (need, child) = find_in_scope(store, caller, id).await?;
    staff_need(store, caller, need, &child, k).await
}

/// Changes the texts of a draft need (to fix findings, for instance).
pub async fn update(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    input: NeedInput,
    k: u32,
) -> ServiceResult<StaffNeed> {
    caller.require_role(&[Role::TownshipOfficer, Role::VillageSupervisor])?;
    let checked = parse(&input)?;
    let txn = db::begin_write(store.db).await?;
    let tx = store.within(&txn);
    let (need, child) = find_in_scope(tx, caller, id).await?;
    let status = need.status;
    status
        .edit()
        .map_err(|e| ServiceError::Conflict(e.to_string()))?;
    check_text(tx, &child, &checked.title, &checked.description).await?;
    let texts = db::needs::NeedTexts {
        category: checked.category.as_str(),
        title: &checked.title,
        description: &checked.description,
        quantity: checked.quantity,
        urgency: checked.urgency.as_str(),
    };
    if !db::needs::edit(&txn, id, status.as_str(), texts, store.clock.now()).await? {
        return Err(moved_on());
    }
    audit::append(
        &txn,
        ctx,
        Event::success("need.update", format!("need:{id}")),
    )
    .await?;
    let saved = stored(&txn, id).await?;
    txn.commit().await?;
    staff_need(store, caller, saved, &child, k).await
}

/// Publishes a draft: only a township officer; the file must be complete,
/// carry the guardian's consent to publish (or a statutory basis), and the
/// texts must pass the check against the file as it is now.
pub async fn publish(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    k: u32,
) -> ServiceResult<StaffNeed> {
    caller.require_role(&[Role::TownshipOfficer])?;
    let txn = db::begin_write(store.db).await?;
    let tx = store.within(&txn);
    let (need, child) = find_in_scope(tx, caller, id).await?;
    let from = need.status;
    let next = from
        .publish()
        .map_err(|e| ServiceError::Conflict(e.to_string()))?;
    match child.status {
        FileStatus::Active => {}
        FileStatus::Draft => {
            return Err(ServiceError::Conflict(
                "儿童档案尚未完善（仍为草稿），请先完善档案再发布需求".into(),
            ));
        }
        FileStatus::Closed => {
            return Err(ServiceError::Conflict(
                "儿童档案已结档，不能发布需求".into(),
            ));
        }
    }
    files::basis_of(&child)
        .may_publish()
        .map_err(|reason| ServiceError::Conflict(reason.to_owned()))?;
    check_text(tx, &child, &need.title, &need.description).await?;
    let moved = db::needs::set_status(
        &txn,
        id,
        from.as_str(),
        next.as_str(),
        None,
        db::needs::Publication::By(&caller.id),
        store.clock.now(),
    )
    .await?;
    if !moved {
        return Err(moved_on());
    }
    outbox::append(&txn, OutboxKind::Need, id).await?;
    let basis = match files::basis_of(&child) {
        crate::domain::child::LegalBasis::Statutory(_) => "statutory basis",
        crate::domain::child::LegalBasis::Consent { .. } => "guardian consent",
    };
    audit::append(
        &txn,
        ctx,
        Event::success("need.publish", format!("need:{id}")).with_detail(format!("basis: {basis}")),
    )
    .await?;
    let saved = stored(&txn, id).await?;
    txn.commit().await?;
    staff_need(store, caller, saved, &child, k).await
}

/// Closes an open need with a reason (a township officer) and records its
/// outcome. `outcome_required`: the page asks for one always; the API
/// takes a close without one as before (the outcome stays unrecorded).
#[expect(
    clippy::too_many_arguments,
    reason = "a close's inputs, checked together"
)]
pub async fn close(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    reason: &str,
    outcome: &OutcomeInput,
    outcome_required: bool,
    k: u32,
) -> ServiceResult<StaffNeed> {
    caller.require_role(&[Role::TownshipOfficer])?;
    let mut invalid = Invalid::new();
    let reason = invalid.check("reason", required_text(reason, 500));
    let outcome = if outcome_required || !outcome.is_empty() {
        match NeedOutcome::parse(outcome) {
            Ok(o) => Some(o),
            Err(e) => {
                invalid.errors.extend(e.errors);
                None
            }
        }
    } else {
        None
    };
    invalid.into_result()?;
    let reason = reason.unwrap_or_default();
    let now = store.clock.now();
    let txn = db::begin_write(store.db).await?;
    let tx = store.within(&txn);
    let (need, child) = find_in_scope(tx, caller, id).await?;
    if let Some(text) = outcome.as_ref().and_then(NeedOutcome::text) {
        check_outcome_text(tx, &child, outcome.as_ref(), text).await?;
    }
    close_one(&txn, ctx, caller, &need, &reason, now).await?;
    if let Some(outcome) = &outcome {
        super::need_outcomes::record(&txn, ctx, &need.id, outcome, now).await?;
    }
    let saved = stored(&txn, id).await?;
    txn.commit().await?;
    staff_need(store, caller, saved, &child, k).await
}

/// The outcome's text goes through the need's personal-information check
/// (it is shown wherever the need's texts are), findings under its field.
async fn check_outcome_text<C: ConnectionTrait>(
    store: Store<'_, C>,
    child: &child::Model,
    outcome: Option<&NeedOutcome>,
    text: &str,
) -> ServiceResult<()> {
    let field = match outcome {
        Some(NeedOutcome::PartlyMet { .. }) => "delivered",
        _ => "outcome_note",
    };
    match check_text(store, child, "", text).await {
        Err(ServiceError::Findings(found)) => Err(ServiceError::Findings(
            found
                .into_iter()
                .map(|mut f| {
                    f.field = field;
                    f
                })
                .collect(),
        )),
        other => other,
    }
}

/// Closes `need` with `reason` and ends its open matches, inside `txn`.
async fn close_one(
    txn: &DatabaseTransaction,
    ctx: &RequestCtx,
    caller: &Principal,
    need: &need::Model,
    reason: &str,
    at: chrono::DateTime<Utc>,
) -> ServiceResult<()> {
    let from = need.status;
    let to = from
        .close()
        .map_err(|e| ServiceError::Conflict(e.to_string()))?;
    let moved = db::needs::set_status(
        txn,
        &need.id,
        from.as_str(),
        to.as_str(),
        Some(reason),
        db::needs::Publication::Keep,
        at,
    )
    .await?;
    if !moved {
        return Err(moved_on());
    }
    outbox::append(txn, OutboxKind::Need, &need.id).await?;
    audit::append(
        txn,
        ctx,
        Event::success("need.close", format!("need:{}", need.id)),
    )
    .await?;
    super::matches::end_with_need(txn, ctx, caller, &need.id, reason, at).await
}

/// The need as stored now, inside `txn`.
async fn stored(txn: &DatabaseTransaction, id: &str) -> ServiceResult<need::Model> {
    db::needs::find(txn, id)
        .await?
        .ok_or_else(|| ServiceError::internal("need vanished inside its transaction"))
}

/// The answer when a conditional write found the need changed: cannot
/// happen under the write lock, but the condition stays as a guard.
fn moved_on() -> ServiceError {
    ServiceError::Conflict("需求刚被他人更改，请刷新后重试".into())
}

/// Closes every open need of a file that is being closed (same transaction).
pub async fn close_all_of_child(
    txn: &DatabaseTransaction,
    ctx: &RequestCtx,
    caller: &Principal,
    child_id: &str,
    reason: &str,
    now: chrono::DateTime<Utc>,
) -> ServiceResult<()> {
    let open = NeedStatus::codes_where(|s| s.close().is_ok());
    for need in db::needs::of_child(txn, child_id, Some(&open)).await? {
        close_one(txn, ctx, caller, &need, reason, now).await?;
    }
    Ok(())
}

/// Moves the needs (and their matches) of a file that moved to another
/// township.
pub async fn follow_township(
    conn: &impl ConnectionTrait,
    child_id: &str,
    township: &str,
) -> ServiceResult<()> {
    db::needs::set_township_of_child(conn, child_id, township).await?;
    for need in db::needs::of_child(conn, child_id, None).await? {
        db::matches::follow_need_township(conn, &need.id, township).await?;
        outbox::append(conn, OutboxKind::Need, &need.id).await?;
    }
    Ok(())
}
