//! Proposing a match: the offer's owner for its own offer (`proposed`), or
//! the township officer of the need for any active offer (`suggested`).

use sea_orm::DatabaseTransaction;

use crate::db;
use crate::db::entities::{match_event, match_record, need, offer};
use crate::domain::matching::{MatchStatus, ProposedSide};
use crate::domain::need::{NeedCode, NeedStatus};
use crate::domain::scoring::age_fit;
use crate::domain::{Invalid, Role};

use super::super::audit::{self, Event};
use super::super::files::population;
use super::super::files::projection::project_one;
use super::super::{
    Principal, RequestCtx, ServiceError, ServiceResult, Store, files, new_id, offers,
};
use super::NOTE_MAX;
use super::access::{check_staff_texts, need_status_label, optional_text, serves};

/// A proposal as typed: the need's public code, the offer's id, a note.
#[derive(Debug, Clone, Default)]
pub struct ProposeInput {
    pub need_code: String,
    pub offer_id: String,
    pub note: Option<String>,
}

/// The need named by `code`, as `caller` may reach it for a proposal:
/// published projections for verified providers and approved families
/// (the rule of `GET /api/v1/needs/{code}`), the officer's own township's
/// needs for an officer. Anything else is `NotFound`.
async fn reachable_need(
    store: Store<'_>,
    caller: &Principal,
    code: &str,
) -> ServiceResult<need::Model> {
    let code = NeedCode::parse(code).ok_or(ServiceError::NotFound)?;
    let need = db::needs::find_by_code(store.db, code.as_str())
        .await?
        .ok_or(ServiceError::NotFound)?;
    let status = need.status;
    let visible = match caller.role {
        Role::TownshipOfficer => caller.staff_reaches_township(&need.township_code),
        _ => status.is_public(),
    };
    if visible {
        Ok(need)
    } else {
        Err(ServiceError::NotFound)
    }
}

/// Whether the offer can serve the need: category, area, ages, places.
/// An owner is checked against the township its projection shows: when the
/// projection generalizes to the county, telling the owner that its
/// township offer does not fit would tell it where the child is not; the
/// officer checks the real township before approving.
async fn check_fit(
    store: Store<'_>,
    invalid: &mut Invalid,
    caller: &Principal,
    need: &need::Model,
    offer: &offer::Model,
    k: u32,
) -> ServiceResult<()> {
    let status = offer.status;
    if !status.is_open() {
        invalid.add(
            "offer_id",
            format!("该服务当前为“{}”，不能对接", status.label()),
        );
        return Ok(());
    }
    if offer.remaining <= 0 {
        invalid.add("offer_id", "该服务名额已满");
    }
    if let Some(end) = offer.ends_on
        && end < chrono::Local::now().date_naive()
    {
        invalid.add("offer_id", format!("该服务已于{end}结束"));
    }
    if need.category != offer.category {
        invalid.add(
            "offer_id",
            format!(
                "服务类别（{}）与需求类别（{}）不同",
                offer.category.label(),
                need.category.label()
            ),
        );
    }
    let child = db::children::find(store.db, &need.child_id)
        .await?
        .ok_or_else(|| ServiceError::internal("need without its file"))?;
    let today = chrono::Local::now().date_naive();
    let township = if caller.role == Role::TownshipOfficer {
        Some(need.township_code.clone())
    } else {
        project_one(store, need, &child, k, today).await?.township
    };
    if let Some(township) = township
        && !serves(store.db, offer, &township).await?
    {
        invalid.add("offer_id", "该服务不覆盖需求所在的乡镇（街道）");
    }
    let (band, _) = population::band_and_class(store.vault, &child, today)?;
    if let Some(band) = band
        && age_fit(Some(band), offer.age_min, offer.age_max) == Some(false)
    {
        invalid.add(
            "offer_id",
            format!(
                "服务适合的年龄（{}–{}岁）与需求的年龄段（{}）不符",
                offer.age_min.unwrap_or(0),
                offer.age_max.unwrap_or(17),
                band.label()
            ),
        );
    }
    Ok(())
}

/// The need still published and the offer still open, read under the
/// write lock; `Invalid` naming the field otherwise.
async fn still_open(txn: &DatabaseTransaction, need_id: &str, offer_id: &str) -> ServiceResult<()> {
    let need = db::needs::find(txn, need_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if need.status != NeedStatus::Published {
        return Err(Invalid::one(
            "need_code",
            format!("该需求当前为“{}”，不接受新的对接", need_status_label(&need)),
        )
        .into());
    }
    let offer = db::offers::find(txn, offer_id)
        .await?
        .ok_or_else(|| Invalid::one("offer_id", "没有找到该服务"))?;
    let status = offer.status;
    if !status.is_open() {
        return Err(Invalid::one(
            "offer_id",
            format!("该服务当前为“{}”，不能对接", status.label()),
        )
        .into());
    }
    Ok(())
}

/// Proposes a match of a published need and an active offer.
///
/// - A verified provider or a family whose approval is current proposes
///   with its own offer: the match starts `proposed`.
/// - The township officer of the need's township suggests any active
///   offer: the match starts `suggested`, and the offer's owner accepts it.
///
/// A need the caller cannot see is `NotFound`; an offer that cannot serve
/// the need (state, places, category, area, ages) is `Invalid` on
/// `offer_id`; an open match of the same need and offer is a duplicate.
/// Writes the match, its first event and the audit entry together.
pub async fn propose(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    input: ProposeInput,
    k: u32,
) -> ServiceResult<match_record::Model> {
    let side = match caller.role {
        Role::Provider | Role::Family => {
            files::projection::require_viewer(store, caller).await?;
            ProposedSide::Provider
        }
        Role::TownshipOfficer => ProposedSide::Officer,
        _ => return Err(ServiceError::Forbidden),
    };
    let mut invalid = Invalid::new();
    let note = optional_text(&mut invalid, "note", input.note.as_deref(), NOTE_MAX);
    let code = input.need_code.trim();
    if code.is_empty() {
        invalid.add("need_code", "请填写需求编号");
    }
    let offer_id = input.offer_id.trim();
    if offer_id.is_empty() {
        invalid.add("offer_id", "请填写服务编号");
    }
    if !invalid.is_empty() {
        return Err(invalid.into());
    }
    let need = reachable_need(store, caller, code).await?;
    if need.status != NeedStatus::Published {
        invalid.add(
            "need_code",
            format!("该需求当前为“{}”，不接受新的对接", need_status_label(&need)),
        );
    }
    match db::offers::find(store.db, offer_id).await? {
        None => invalid.add("offer_id", "没有找到该服务"),
        Some(offer) if side == ProposedSide::Provider && !offers::owns(caller, &offer) => {
            invalid.add("offer_id", "只能用您自己发布的服务提出对接");
        }
        Some(offer) => {
            if invalid.is_empty() {
                check_fit(store, &mut invalid, caller, &need, &offer, k).await?;
            }
        }
    }
    invalid.into_result()?;
    if side == ProposedSide::Officer {
        check_staff_texts(store, &need, &[("note", note.as_deref().unwrap_or(""))]).await?;
    }
    let status = match side {
        ProposedSide::Provider => MatchStatus::Proposed,
        ProposedSide::Officer => MatchStatus::Suggested,
    };
    // The services' clock: escalation compares it with the need's.
    let now = store.clock.now();
    let record = match_record::Model {
        id: new_id(),
        need_id: need.id.clone(),
        offer_id: offer_id.to_owned(),
        township_code: need.township_code.clone(),
        category: need.category,
        status,
        proposed_side: side,
        proposed_by: caller.id.clone(),
        note: note.clone(),
        handover_note: None,
        feedback: None,
        rating: None,
        created_at: now,
        status_changed_at: now,
        updated_at: now,
        review_since: None,
        last_served_on: None,
        escalated_at: None,
        officer_outcome: None,
        officer_outcome_note: None,
        owner_outcome_note: None,
        notes_asked_at: None,
    };
    let action = match side {
        ProposedSide::Provider => "propose",
        ProposedSide::Officer => "suggest",
    };
    // The fit was checked above on what was read before the write lock (the
    // projection's population is costly to count); what the match's
    // existence depends on is checked again under it: the need still takes
    // proposals, the offer is still open, no open match of the pair exists.
    let txn = db::begin_write(store.db).await?;
    still_open(&txn, &need.id, offer_id).await?;
    let finals = MatchStatus::codes_where(MatchStatus::is_final);
    if db::matches::open_exists(&txn, &need.id, offer_id, &finals).await? {
        txn.rollback().await?;
        return Err(Invalid::duplicate("offer_id", "该需求与该服务已有进行中的对接").into());
    }
    let saved = db::matches::insert(&txn, record).await?;
    // The need no longer waits unmatched; should this match end without
    // another, its waiting is told again.
    db::due::rearm_need_unmatched(&txn, &need.id).await?;
    db::matches::insert_event(
        &txn,
        match_event::Model {
            id: new_id(),
            match_id: saved.id.clone(),
            action: action.to_owned(),
            from_status: None,
            to_status: status.as_str().to_owned(),
            actor_id: caller.id.clone(),
            actor_role: caller.role.as_str().to_owned(),
            note,
            created_at: now,
        },
    )
    .await?;
    audit::append(
        &txn,
        ctx,
        Event::success(
            if action == "propose" {
                "match.propose"
            } else {
                "match.suggest"
            },
            format!("match:{}", saved.id),
        )
        .with_detail(format!("need:{} offer:{}", need.id, offer_id)),
    )
    .await?;
    crate::services::notify::events::match_moved(&txn, store.clock.now(), &saved.id, None).await?;
    txn.commit().await?;
    Ok(saved)
}
