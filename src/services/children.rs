//! Child files (一人一档): drafting, completing, changing and closing a
//! file, with its history. Personal values go through the identity vault;
//! reads are in [`view`], visits in [`visits`], the population counts for
//! k-anonymity in [`population`]; the form's input is in `input`, its
//! checking in `check`.

mod check;
mod choices;
mod consent;
mod input;
pub mod view;
pub mod visits;

pub use choices::{Choice, FormChoices, form_choices};
pub use consent::Withdrawal;
pub use input::ChildInput;

use chrono::{Datelike, Utc};
use sea_orm::ConnectionTrait;

use crate::db;
use crate::db::entities::child;
use crate::db::outbox::{self, OutboxKind};
use crate::domain::child::FileStatus;
use crate::domain::invalid::required_text;
use crate::domain::{Invalid, Role};

use self::check::{empty_row, fill, parse};
use super::audit::{self, Event};
use super::entitlements::{gaps, records};
use super::files::identity::{self, Identity};
use super::files::{basis_of, find_in_scope, population};
use super::{Principal, RequestCtx, ServiceError, ServiceResult, Store, new_id};

async fn record(
    conn: &impl ConnectionTrait,
    ctx: &RequestCtx,
    caller: &Principal,
    child_id: &str,
    action: &str,
    fields: &[&str],
    note: Option<&str>,
) -> ServiceResult<()> {
    db::children::add_event(
        conn,
        db::children::NewEvent {
            child_id,
            actor_id: &caller.id,
            actor_name: &caller.username,
            action,
            fields,
            note,
        },
    )
    .await?;
    let mut event = Event::success(action, format!("child:{child_id}"));
    if !fields.is_empty() {
        event = event.with_detail(format!("fields: {}", fields.join(",")));
    }
    audit::append(conn, ctx, event).await?;
    Ok(())
}

/// The files behind the k-anonymity of a township changed: every published
/// need of that township is re-projected in the search index. Drafts of
/// files do not count, so their changes need nothing.
async fn population_changed(
    conn: &impl ConnectionTrait,
    child: &child::Model,
) -> ServiceResult<()> {
    if child.status == FileStatus::Draft {
        return Ok(());
    }
    outbox::append(conn, OutboxKind::Township, &child.township_code).await?;
    Ok(())
}

const ALL_FIELDS: &[&str] = &[
    "name",
    "id_number",
    "gender",
    "township",
    "village",
    "address",
    "guardian_name",
    "guardian_relation",
    "guardian_phone",
    "school",
    "school_status",
    "suspected_disability",
    "difficulties",
    "assistance",
    "consent",
];

/// The answer to a refused file: an ID number filed where the caller does
/// not reach is audited (outcome `denied`, the file probed as its target)
/// so that the county sees who tests which children are on file, then
/// answered as the duplicate it is; any other error as it is.
async fn answer_probe(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    err: ServiceError,
) -> ServiceError {
    let ServiceError::FiledElsewhere { invalid, file_id } = err else {
        return err;
    };
    let scope = caller
        .village
        .as_deref()
        .or(caller.township.as_deref())
        .unwrap_or("county");
    let recorded = async {
        let txn = db::begin_write(store.db).await?;
        audit::append(
            &txn,
            ctx,
            Event::success(PROBE_ACTION, format!("child:{file_id}"))
                .with_outcome(audit::Outcome::Denied)
                .with_detail(format!(
                    "ID number typed by {} of {scope}",
                    caller.role.as_str()
                )),
        )
        .await?;
        txn.commit().await?;
        Ok::<_, ServiceError>(())
    }
    .await;
    match recorded {
        Ok(()) => ServiceError::Invalid(invalid),
        Err(err) => err,
    }
}

/// The audit action of an ID number typed for a file the caller does not reach.
pub const PROBE_ACTION: &str = "child.filed_elsewhere";

/// Whether `caller` may record a statutory basis in place of the
/// guardian's consent: a decision of the township officer (DESIGN.md),
/// never of the village supervisor who drafts the file.
pub fn may_record_statutory_basis(caller: &Principal) -> bool {
    caller.role == Role::TownshipOfficer
}

/// Refuses (403) a statutory basis typed by someone who may not record one;
/// the basis already on a file, carried along unchanged, is not theirs.
fn check_basis_author(
    caller: &Principal,
    typed: Option<&str>,
    on_file: Option<&str>,
) -> ServiceResult<()> {
    let typed = typed.map(str::trim).filter(|s| !s.is_empty());
    if typed.is_some() && typed != on_file.map(str::trim) && !may_record_statutory_basis(caller) {
        return Err(ServiceError::Forbidden);
    }
    Ok(())
}

/// Opens a file: a village supervisor drafts one in their village (a
/// township officer completes it); a township officer's file starts active.
pub async fn create(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    input: ChildInput,
) -> ServiceResult<child::Model> {
    create_linked(store, ctx, caller, input, None).await
}

/// Opens a file for the child of mandatory report `report_id` (assistance)
/// and links the report to it in the same transaction: every rule of a
/// file applies, and the file exists only with the link.
pub async fn create_for_report(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    input: ChildInput,
    report_id: &str,
) -> ServiceResult<child::Model> {
    create_linked(store, ctx, caller, input, Some(report_id)).await
}

async fn create_linked(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    input: ChildInput,
    report_id: Option<&str>,
) -> ServiceResult<child::Model> {
    caller.require_role(&[Role::TownshipOfficer, Role::VillageSupervisor])?;
    check_basis_author(caller, input.statutory_basis.as_deref(), None)?;
    let parsed = match parse(store.db, store.vault, caller, &input, None).await {
        Ok(parsed) => parsed,
        Err(err) => return Err(answer_probe(store, ctx, caller, err).await),
    };
    let status = if caller.role == Role::VillageSupervisor {
        FileStatus::Draft
    } else {
        FileStatus::Active
    };
    let prefix = format!("{}-{}-", parsed.township.as_str(), Utc::now().year());
    // Two officers of one township may number a file at once (PostgreSQL
    // has no write lock up front): the unique number decides, and we retry.
    for _ in 0..5 {
        let txn = db::begin_write(store.db).await?;
        let next = db::children::count_file_numbers(&txn, &prefix).await? + 1;
        let mut row = empty_row(
            new_id(),
            format!("{prefix}{next:04}"),
            status,
            parsed.difficulties.class(),
            &caller.id,
            // The services' clock: a file counts on file from this moment.
            store.clock.now(),
        );
        fill(store.vault, &parsed, &mut row)?;
        population::set_counted(store.vault, &mut row, chrono::Local::now().date_naive())?;
        match db::children::insert(&txn, row).await {
            Ok(saved) => {
                population_changed(&txn, &saved).await?;
                if let Some(ticks) = &parsed.assistance {
                    records::sync_ticks(store.within(&txn), caller, &saved.id, ticks).await?;
                }
                gaps::refresh_file(store.within(&txn), &saved).await?;
                record(
                    &txn,
                    ctx,
                    caller,
                    &saved.id,
                    "child.create",
                    ALL_FIELDS,
                    None,
                )
                .await?;
                if saved.status == FileStatus::Draft {
                    crate::services::notify::events::file_drafted(
                        &txn,
                        store.clock.now(),
                        &saved.id,
                        &saved.township_code,
                    )
                    .await?;
                }
                if let Some(report_id) = report_id {
                    super::reports::link_created(
                        store.within(&txn),
                        ctx,
                        caller,
                        report_id,
                        &saved,
                    )
                    .await?;
                }
                txn.commit().await?;
                return Ok(saved);
            }
            Err(err) if db::is_unique_violation(&err) => {
                txn.rollback().await?;
                let index = identity::id_number_index(store.vault, &parsed.identity.id_number);
                if db::children::id_number_taken(store.db, &index).await? {
                    return Err(Invalid::duplicate(
                        "id_number",
                        "该身份证号码已有档案（一人一档），请勿重复建档",
                    )
                    .into());
                }
            }
            Err(err) => return Err(err.into()),
        }
    }
    Err(ServiceError::Conflict("档案编号分配冲突，请重试".into()))
}

/// A file as changed, and what a withdrawn consent to publish did.
#[derive(Debug, Clone)]
pub struct Changed {
    pub file: child::Model,
    /// Present when the change withdrew the guardian's consent to publish
    /// (with no statutory basis standing): the needs that left publication.
    pub withdrawal: Option<Withdrawal>,
}

/// Changes a file. Township officers change files of their township;
/// village supervisors only drafts of their village. Personal fields left
/// empty keep their stored values. The history names the changed fields.
/// A change that withdraws the consent to publish takes the file's needs
/// out of publication in the same transaction (see `consent`).
pub async fn update(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    input: ChildInput,
) -> ServiceResult<Changed> {
    caller.require_role(&[Role::TownshipOfficer, Role::VillageSupervisor])?;
    // Read, checked and written under the write lock: a close or another
    // edit in between is seen, never overwritten.
    let txn = db::begin_write(store.db).await?;
    let existing = find_in_scope(store.within(&txn), caller, id).await?;
    let status = existing.status;
    if status == FileStatus::Closed {
        return Err(ServiceError::Conflict("档案已结档，不能再修改".into()));
    }
    if caller.role == Role::VillageSupervisor && status != FileStatus::Draft {
        return Err(ServiceError::Conflict(
            "档案已由乡镇（街道）完善，如需修改请联系乡镇民政办".into(),
        ));
    }
    check_basis_author(
        caller,
        input.statutory_basis.as_deref(),
        existing.statutory_basis.as_deref(),
    )?;
    let old = identity::open_all(store.vault, &existing)?;
    let input = input.over(ChildInput::from_file(&existing, &old));
    let parsed = match parse(&txn, store.vault, caller, &input, Some(id)).await {
        Ok(parsed) => parsed,
        Err(err) => {
            // The probe is audited in a transaction of its own, after this
            // one has let go of the write lock.
            drop(txn);
            return Err(answer_probe(store, ctx, caller, err).await);
        }
    };
    let mut row = existing.clone();
    fill(store.vault, &parsed, &mut row)?;
    population::set_counted(store.vault, &mut row, chrono::Local::now().date_naive())?;
    let mut changed = changed_fields(&existing, &old, &row, &parsed.identity);
    if let Some(ticks) = &parsed.assistance
        && records::sync_ticks(store.within(&txn), caller, id, ticks).await?
    {
        changed.push("assistance");
    }
    if changed.is_empty() {
        return Ok(Changed {
            file: existing,
            withdrawal: None,
        });
    }
    row.updated_at = Utc::now();
    if !db::children::write_fields(&txn, &row, status.as_str()).await? {
        return Err(moved_on());
    }
    let saved = row;
    if saved.township_code != existing.township_code {
        super::needs::follow_township(&txn, id, &saved.township_code).await?;
        population_changed(&txn, &existing).await?;
    }
    population_changed(&txn, &saved).await?;
    gaps::refresh_file(store.within(&txn), &saved).await?;
    record(&txn, ctx, caller, id, "child.update", &changed, None).await?;
    let withdrawn =
        basis_of(&existing).may_publish().is_ok() && basis_of(&saved).may_publish().is_err();
    let withdrawal = if withdrawn {
        Some(consent::withdraw_publication(&txn, ctx, caller, id).await?)
    } else {
        None
    };
    txn.commit().await?;
    Ok(Changed {
        file: saved,
        withdrawal,
    })
}

/// The answer when a conditional write found the file changed: cannot
/// happen under the write lock, but the condition stays as a guard.
fn moved_on() -> ServiceError {
    ServiceError::Conflict("档案刚被他人更改，请刷新后重试".into())
}

fn changed_fields(
    before: &child::Model,
    old: &Identity,
    after: &child::Model,
    new: &Identity,
) -> Vec<&'static str> {
    let mut changed = Vec::new();
    for &field in crate::domain::child::VaultField::ALL {
        if old.get(field) != new.get(field) {
            changed.push(field.as_str());
        }
    }
    let plain: [(&'static str, bool); 8] = [
        ("gender", before.gender != after.gender),
        ("township", before.township_code != after.township_code),
        (
            "guardian_relation",
            before.guardian_relation != after.guardian_relation,
        ),
        ("school", before.school != after.school),
        ("school_status", before.school_status != after.school_status),
        (
            "suspected_disability",
            before.suspected_disability != after.suspected_disability,
        ),
        (
            "difficulties",
            (
                &before.difficulties,
                &before.poverty_type,
                &before.disability_type,
                before.disability_grade,
                &before.unsupported_reason,
                &before.illness,
            ) != (
                &after.difficulties,
                &after.poverty_type,
                &after.disability_type,
                after.disability_grade,
                &after.unsupported_reason,
                &after.illness,
            ),
        ),
        (
            "consent",
            (
                before.consent_keep_file,
                before.consent_publish_needs,
                &before.statutory_basis,
            ) != (
                after.consent_keep_file,
                after.consent_publish_needs,
                &after.statutory_basis,
            ),
        ),
    ];
    changed.extend(plain.iter().filter(|(_, c)| *c).map(|(f, _)| *f));
    changed
}

/// A township officer completes a drafted file: it becomes active.
pub async fn complete(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
) -> ServiceResult<child::Model> {
    caller.require_role(&[Role::TownshipOfficer])?;
    let txn = db::begin_write(store.db).await?;
    let mut row = find_in_scope(store.within(&txn), caller, id).await?;
    if row.status != FileStatus::Draft {
        return Err(ServiceError::Conflict(format!(
            "档案当前为“{}”，只有草稿可以完善",
            row.status.label()
        )));
    }
    row.status = FileStatus::Active;
    row.updated_at = Utc::now();
    let moved = db::children::set_status(
        &txn,
        id,
        FileStatus::Draft.as_str(),
        row.status.as_str(),
        None,
        row.updated_at,
    )
    .await?;
    if !moved {
        return Err(moved_on());
    }
    // An active file counts from today, whatever its draft's count said.
    population::set_counted(store.vault, &mut row, chrono::Local::now().date_naive())?;
    let band = row.counted_band.as_deref();
    if let Some(until) = row.counted_until {
        db::children::set_counted(&txn, id, band, until).await?;
    }
    let saved = row;
    population_changed(&txn, &saved).await?;
    gaps::refresh_file(store.within(&txn), &saved).await?;
    record(&txn, ctx, caller, id, "child.complete", &["status"], None).await?;
    txn.commit().await?;
    Ok(saved)
}

/// A township officer closes a file with a reason; its open needs close too.
pub async fn close(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    reason: &str,
) -> ServiceResult<child::Model> {
    caller.require_role(&[Role::TownshipOfficer])?;
    let reason = required_text(reason, 500).map_err(|m| Invalid::one("reason", m))?;
    let txn = db::begin_write(store.db).await?;
    let mut row = find_in_scope(store.within(&txn), caller, id).await?;
    let from = row.status;
    if from == FileStatus::Closed {
        return Err(ServiceError::Conflict("档案已结档".into()));
    }
    row.status = FileStatus::Closed;
    row.closed_reason = Some(reason.clone());
    // The services' clock: the figures of a period count the file on file
    // until this moment.
    row.updated_at = store.clock.now();
    row.closed_at = Some(row.updated_at);
    let moved = db::children::set_status(
        &txn,
        id,
        from.as_str(),
        row.status.as_str(),
        Some(&reason),
        row.updated_at,
    )
    .await?;
    if !moved {
        return Err(moved_on());
    }
    let saved = row;
    super::needs::close_all_of_child(&txn, ctx, caller, id, "儿童档案已结档", saved.updated_at)
        .await?;
    population_changed(&txn, &saved).await?;
    gaps::refresh_file(store.within(&txn), &saved).await?;
    record(
        &txn,
        ctx,
        caller,
        id,
        "child.close",
        &["status"],
        Some(&reason),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// An ID number typed for a file the typist does not reach, as the county
/// reads it: who, when, and which file (its number and township of record).
#[derive(Debug, Clone)]
pub struct Probe {
    pub at: String,
    pub actor: Option<String>,
    pub role: Option<String>,
    /// Who typed it, from where (role and scope).
    pub detail: Option<String>,
    pub file_no: Option<String>,
    pub township: Option<String>,
}

/// The newest attempts to file a child already on file outside the
/// typist's reach (county staff only): whether a child is on file can be
/// tested this way, so the county watches who does.
pub async fn probes(store: Store<'_>, caller: &Principal, limit: u64) -> ServiceResult<Vec<Probe>> {
    caller.require_role(&[Role::CountyAdmin])?;
    let entries = db::audit::latest_of_action(store.db, PROBE_ACTION, limit).await?;
    let mut out = Vec::with_capacity(entries.len());
    for entry in entries {
        let file_id = entry
            .target
            .as_deref()
            .and_then(|t| t.strip_prefix("child:"));
        let file = match file_id {
            Some(id) => db::children::find(store.db, id).await?,
            None => None,
        };
        out.push(Probe {
            at: entry.at,
            actor: entry.actor_name,
            role: entry.role,
            detail: entry.detail,
            file_no: file.as_ref().map(|f| f.file_no.clone()),
            township: file.map(|f| f.township_code),
        });
    }
    Ok(out)
}
