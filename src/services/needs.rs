//! Needs (需求): a township officer or village supervisor writes one for a
//! child; the officer publishes it; providers and approved families see
//! only its public projection, computed from the need and the file at the
//! moment of the read (see `domain::projection`). The reading side is in
//! `public`.

mod public;

pub(crate) use public::require_viewer;
pub use public::{get_public, list_for_staff, list_public, project};

use chrono::Utc;
use sea_orm::{ConnectionTrait, DatabaseTransaction};

use crate::db;
use crate::db::entities::{child, need};
use crate::db::outbox::{self, OutboxKind};
use crate::domain::category::Category;
use crate::domain::child::FileStatus;
use crate::domain::invalid::required_text;
use crate::domain::need::{NeedCode, NeedStatus, Urgency};
use crate::domain::projection::PublicNeed;
use crate::domain::text_check::{self, Sensitive};
use crate::domain::{Invalid, Role};

use super::audit::{self, Event};
use super::children::identity::{self, Identity};
use super::children::{self, population};
use super::{Principal, RequestCtx, ServiceError, ServiceResult, Store, TextFinding, new_id};

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
}

struct Checked {
    category: Category,
    title: String,
    description: String,
    quantity: Option<i32>,
    urgency: Urgency,
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

/// What identifies the child of a file: the child's and guardian's names,
/// the village and the address, the child's birth date and the guardian's
/// phone.
pub(crate) async fn sensitive_of(
    store: Store<'_>,
    child: &child::Model,
) -> ServiceResult<Sensitive> {
    let id = identity::open_all(store.vault, child)?;
    let village = db::regions::find_village(store.db, &id.village_code).await?;
    Ok(sensitive_from(&id, village.map(|v| v.name)))
}

/// [`sensitive_of`] for an identity already opened and its village's name.
pub(crate) fn sensitive_from(id: &Identity, village_name: Option<String>) -> Sensitive {
    Sensitive {
        names: [Some(id.name.clone()), id.guardian_name.clone()]
            .into_iter()
            .flatten()
            .collect(),
        places: [village_name, id.address.clone()]
            .into_iter()
            .flatten()
            .collect(),
        birth_date: Some(id.birth_date),
        phones: id.guardian_phone.iter().cloned().collect(),
    }
}

/// Every finding of the text check in the title and description.
pub fn findings(title: &str, description: &str, sensitive: &Sensitive) -> Vec<TextFinding> {
    let mut all = Vec::new();
    for (field, text) in [("title", title), ("description", description)] {
        for f in text_check::check(text, sensitive) {
            all.push(TextFinding::new(field, text, f));
        }
    }
    all
}

async fn check_text(
    store: Store<'_>,
    child: &child::Model,
    title: &str,
    description: &str,
) -> ServiceResult<()> {
    let sensitive = sensitive_of(store, child).await?;
    let found = findings(title, description, &sensitive);
    if found.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Findings(found))
    }
}

async fn staff_need(
    store: Store<'_>,
    need: need::Model,
    child: &child::Model,
    k: u32,
) -> ServiceResult<StaffNeed> {
    let today = chrono::Local::now().date_naive();
    let population = population::load(store, today).await?;
    let public = project(store, &need, child, &population, k, today)?;
    Ok(StaffNeed {
        need,
        file_no: child.file_no.clone(),
        public,
    })
}

fn status_of(need: &need::Model) -> ServiceResult<NeedStatus> {
    need.status
        .parse()
        .map_err(|_| ServiceError::Internal("unknown need status".into()))
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
    let checked = parse(&input);
    let child = match children::find_in_scope(store, caller, input.child_id.trim()).await {
        Ok(child) => child,
        Err(ServiceError::NotFound) => {
            return Err(Invalid::one("child_id", "没有找到该儿童档案").into());
        }
        Err(e) => return Err(e),
    };
    let checked = checked?;
    if children::status_of(&child) == FileStatus::Closed {
        return Err(ServiceError::Conflict("档案已结档，不能再登记需求".into()));
    }
    check_text(store, &child, &checked.title, &checked.description).await?;
    let now = Utc::now();
    for _ in 0..5 {
        let mut random = [0u8; 8];
        getrandom::fill(&mut random).map_err(|e| ServiceError::Internal(e.to_string()))?;
        let row = need::Model {
            id: new_id(),
            code: NeedCode::from_random(random).as_str().to_owned(),
            child_id: child.id.clone(),
            township_code: child.township_code.clone(),
            category: checked.category.as_str().to_owned(),
            title: checked.title.clone(),
            description: checked.description.clone(),
            quantity: checked.quantity,
            urgency: checked.urgency.as_str().to_owned(),
            status: NeedStatus::Draft.as_str().to_owned(),
            closed_reason: None,
            created_by: caller.id.clone(),
            created_at: now,
            updated_at: now,
            published_at: None,
            published_by: None,
        };
        let txn = db::begin_write(store.db).await?;
        match db::needs::insert(&txn, row).await {
            Ok(saved) => {
                audit::append(
                    &txn,
                    ctx,
                    Event::success("need.create", format!("need:{}", saved.id)),
                )
                .await?;
                txn.commit().await?;
                return staff_need(store, saved, &child, k).await;
            }
            // A random code collided (about one in 2^50): draw again.
            Err(err) if db::is_unique_violation(&err) => txn.rollback().await?,
            Err(err) => return Err(err.into()),
        }
    }
    Err(ServiceError::Internal(
        "could not draw a unique need code".into(),
    ))
}

/// A need and its file, if the caller reaches the file as staff.
async fn find_in_scope(
    store: Store<'_>,
    caller: &Principal,
    id: &str,
) -> ServiceResult<(need::Model, child::Model)> {
    let need = db::needs::find(store.db, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let child = children::find_in_scope(store, caller, &need.child_id).await?;
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
    staff_need(store, need, &child, k).await
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
    let (mut need, child) = find_in_scope(store, caller, id).await?;
    status_of(&need)?
        .edit()
        .map_err(|e| ServiceError::Conflict(e.to_string()))?;
    let checked = parse(&input)?;
    check_text(store, &child, &checked.title, &checked.description).await?;
    need.category = checked.category.as_str().to_owned();
    need.title = checked.title;
    need.description = checked.description;
    need.quantity = checked.quantity;
    need.urgency = checked.urgency.as_str().to_owned();
    need.updated_at = Utc::now();
    let txn = db::begin_write(store.db).await?;
    let saved = db::needs::update(&txn, need).await?;
    audit::append(
        &txn,
        ctx,
        Event::success("need.update", format!("need:{id}")),
    )
    .await?;
    txn.commit().await?;
    staff_need(store, saved, &child, k).await
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
    let (mut need, child) = find_in_scope(store, caller, id).await?;
    let next = status_of(&need)?
        .publish()
        .map_err(|e| ServiceError::Conflict(e.to_string()))?;
    match children::status_of(&child) {
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
    children::basis_of(&child)
        .may_publish()
        .map_err(|reason| ServiceError::Conflict(reason.to_owned()))?;
    check_text(store, &child, &need.title, &need.description).await?;
    need.status = next.as_str().to_owned();
    need.published_at = Some(Utc::now());
    need.published_by = Some(caller.id.clone());
    need.updated_at = Utc::now();
    let txn = db::begin_write(store.db).await?;
    let saved = db::needs::update(&txn, need).await?;
    outbox::append(&txn, OutboxKind::Need, id).await?;
    let basis = match children::basis_of(&child) {
        crate::domain::child::LegalBasis::Statutory(_) => "statutory basis",
        crate::domain::child::LegalBasis::Consent { .. } => "guardian consent",
    };
    audit::append(
        &txn,
        ctx,
        Event::success("need.publish", format!("need:{id}")).with_detail(format!("basis: {basis}")),
    )
    .await?;
    txn.commit().await?;
    staff_need(store, saved, &child, k).await
}

/// Closes an open need with a reason (a township officer).
pub async fn close(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    reason: &str,
    k: u32,
) -> ServiceResult<StaffNeed> {
    caller.require_role(&[Role::TownshipOfficer])?;
    let reason = required_text(reason, 500).map_err(|m| Invalid::one("reason", m))?;
    let (mut need, child) = find_in_scope(store, caller, id).await?;
    let next = status_of(&need)?
        .close()
        .map_err(|e| ServiceError::Conflict(e.to_string()))?;
    need.status = next.as_str().to_owned();
    need.closed_reason = Some(reason);
    need.updated_at = Utc::now();
    let txn = db::begin_write(store.db).await?;
    let saved = db::needs::update(&txn, need).await?;
    outbox::append(&txn, OutboxKind::Need, id).await?;
    audit::append(
        &txn,
        ctx,
        Event::success("need.close", format!("need:{id}")),
    )
    .await?;
    super::matches::end_with_need(
        &txn,
        ctx,
        caller,
        id,
        &saved.closed_reason.clone().unwrap_or_default(),
    )
    .await?;
    txn.commit().await?;
    staff_need(store, saved, &child, k).await
}

/// Closes every open need of a file that is being closed (same transaction).
pub async fn close_all_of_child(
    conn: &DatabaseTransaction,
    ctx: &RequestCtx,
    caller: &Principal,
    child_id: &str,
    reason: &str,
) -> ServiceResult<()> {
    let open = [
        NeedStatus::Draft.as_str(),
        NeedStatus::Published.as_str(),
        NeedStatus::Matched.as_str(),
    ];
    let (_, needs) = db::needs::list(
        conn,
        &db::needs::NeedFilter {
            child_id: Some(child_id),
            statuses: Some(&open),
            ..Default::default()
        },
        10_000,
        0,
    )
    .await?;
    for mut need in needs {
        let id = need.id.clone();
        need.status = NeedStatus::Closed.as_str().to_owned();
        need.closed_reason = Some(reason.to_owned());
        need.updated_at = Utc::now();
        db::needs::update(conn, need).await?;
        outbox::append(conn, OutboxKind::Need, &id).await?;
        audit::append(
            conn,
            ctx,
            Event::success("need.close", format!("need:{id}")),
        )
        .await?;
        super::matches::end_with_need(conn, ctx, caller, &id, reason).await?;
    }
    Ok(())
}

/// Moves the needs of a file that moved to another township.
pub async fn follow_township(
    conn: &impl ConnectionTrait,
    child_id: &str,
    township: &str,
) -> ServiceResult<()> {
    let (_, needs) = db::needs::list(
        conn,
        &db::needs::NeedFilter {
            child_id: Some(child_id),
            ..Default::default()
        },
        10_000,
        0,
    )
    .await?;
    for mut need in needs {
        let id = need.id.clone();
        need.township_code = township.to_owned();
        db::needs::update(conn, need).await?;
        db::matches::follow_need_township(conn, &id, township).await?;
        outbox::append(conn, OutboxKind::Need, &id).await?;
    }
    Ok(())
}
