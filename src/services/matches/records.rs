//! What is recorded on an approved match: the services its owner gives
//! ([`log_service`]) and the officer's handover note ([`set_handover`]).
//! Both are moves of the match too (a service makes it `in_service`), with
//! their event and audit entry, written by `moves::write_move`.

use chrono::{NaiveDate, Utc};
use sea_orm::ConnectionTrait;

use crate::db;
use crate::db::entities::service_record;
use crate::db::matches::Changes;
use crate::domain::Invalid;
use crate::domain::dates::parse_day;
use crate::domain::matching::{Action, MatchStatus, may_hand_over, next_status};

use super::super::{Principal, RequestCtx, ServiceError, ServiceResult, Store, new_id};
use super::TEXT_MAX;
use super::access::{check_staff_texts, load, need_of, refused, required};
use super::moves::write_move;

/// A service as typed by the offer's owner.
#[derive(Debug, Clone, Default)]
pub struct ServiceInput {
    /// `YYYY-MM-DD`.
    pub served_on: String,
    pub hours: Option<f64>,
    pub summary: String,
    /// Ids of the organisation's own volunteers who served (issue 18).
    pub volunteers: Vec<String>,
}

/// The day a match was (finally) approved, in the county's calendar.
async fn approved_on(conn: &impl ConnectionTrait, id: &str) -> ServiceResult<Option<NaiveDate>> {
    let events = db::matches::events(conn, id).await?;
    Ok(events
        .iter()
        .find(|e| e.to_status == MatchStatus::Approved.as_str())
        .map(|e| e.created_at.with_timezone(&chrono::Local).date_naive()))
}

/// Records a service on an approved match (its owner); the match is then
/// `in_service`. The day is neither in the future nor before the approval;
/// hours, when given, are more than 0 and at most 24.
pub async fn log_service(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    input: ServiceInput,
) -> ServiceResult<service_record::Model> {
    let txn = db::begin_write(store.db).await?;
    let loaded = load(&txn, caller, id).await?;
    let to = next_status(
        loaded.party,
        Action::Services,
        loaded.status,
        loaded.category,
    )
    .map_err(refused)?;
    let mut invalid = Invalid::new();
    // Today by the services' clock, like the approval it follows.
    let today = store.clock.now().with_timezone(&chrono::Local).date_naive();
    let approved = approved_on(&txn, id).await?;
    let served_on = match parse_day(&input.served_on).ok_or(()) {
        Err(_) => {
            invalid.add("served_on", "请按“年/月/日”填写服务日期，如 2026/12/01");
            None
        }
        Ok(day) if day > today => {
            invalid.add("served_on", "服务日期不能晚于今天");
            None
        }
        Ok(day) if approved.is_some_and(|a| day < a) => {
            invalid.add("served_on", "服务日期不能早于对接批准的日期");
            None
        }
        Ok(day) => Some(day),
    };
    match input.hours {
        Some(h) if !(h.is_finite() && h > 0.0 && h <= 24.0) => {
            invalid.add("hours", "服务时长应大于0且不超过24小时");
        }
        _ => {}
    }
    let summary = required(&mut invalid, "summary", &input.summary, TEXT_MAX);
    let volunteers = crate::services::volunteers::check_served(
        &txn,
        loaded.offer.provider_id.as_deref(),
        &input.volunteers,
        &mut invalid,
    )
    .await?;
    invalid.into_result()?;
    let (Some(served_on), Some(summary)) = (served_on, summary) else {
        return Err(ServiceError::internal("service checked without values"));
    };
    let now = Utc::now();
    write_move(
        &txn,
        ctx,
        caller,
        &loaded,
        "service",
        to,
        Some(format!("服务日期 {served_on}")),
        Changes::default(),
        now,
    )
    .await?;
    // Kept in the same transaction as the record, moving only forward.
    db::timeline::served(&txn, id, served_on).await?;
    let record = db::matches::insert_service(
        &txn,
        service_record::Model {
            id: new_id(),
            match_id: id.to_owned(),
            served_on,
            hours: input.hours,
            summary,
            created_by: caller.id.clone(),
            created_at: now,
        },
    )
    .await?;
    crate::services::notify::events::match_moved(&txn, store.clock.now(), id, Some(loaded.status))
        .await?;
    db::volunteers::served_by(&txn, &record.id, &volunteers).await?;
    txn.commit().await?;
    Ok(record)
}

/// Sets or replaces the handover note of an approved match (the township
/// officer): what the owner needs to start, never what identifies the
/// child (refused with the findings of the text check).
pub async fn set_handover(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    handover_note: &str,
) -> ServiceResult<()> {
    let note = required_text_or_invalid(handover_note)?;
    let txn = db::begin_write(store.db).await?;
    let loaded = load(&txn, caller, id).await?;
    may_hand_over(loaded.party, loaded.status).map_err(refused)?;
    let need = need_of(&txn, &loaded.record).await?;
    check_staff_texts(store.within(&txn), &need, &[("handover_note", &note)]).await?;
    let now = Utc::now();
    let changes = Changes {
        handover_note: Some(note),
        ..Changes::default()
    };
    write_move(
        &txn,
        ctx,
        caller,
        &loaded,
        "handover",
        loaded.status,
        None,
        changes,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

fn required_text_or_invalid(value: &str) -> Result<String, Invalid> {
    let mut invalid = Invalid::new();
    let text = required(&mut invalid, "handover_note", value, TEXT_MAX);
    invalid.into_result()?;
    text.ok_or_else(|| Invalid::one("handover_note", "此项为必填项"))
}
