//! Who reaches a match and how (the caller's party), the checking of
//! optional and required texts, and the text check of what staff write
//! for the offer's owner to read.

use sea_orm::ConnectionTrait;

use crate::db;
use crate::db::entities::{match_record, need, offer};
use crate::domain::category::Category;
use crate::domain::invalid::required_text;
use crate::domain::matching::{IllegalMatchMove, MatchStatus, Party, Refusal};
use crate::domain::text_check;
use crate::domain::{Invalid, Role};

use super::super::{Principal, ServiceError, ServiceResult, Store, TextFinding, files, offers};

/// A match as loaded for one caller.
pub(super) struct Loaded {
    pub(super) record: match_record::Model,
    pub(super) offer: offer::Model,
    pub(super) party: Party,
    pub(super) status: MatchStatus,
    pub(super) category: Category,
}

/// Roles that take part in matches at all; village supervisors do not.
pub(super) fn require_match_role(caller: &Principal) -> ServiceResult<()> {
    caller.require_role(&[
        Role::CountyAdmin,
        Role::TownshipOfficer,
        Role::Provider,
        Role::Family,
    ])
}

/// How `caller` stands to a match of `township` on `offer`; `NotFound`
/// when the match is out of its reach (another township, another owner).
pub(super) fn party_of(
    caller: &Principal,
    township: &str,
    offer: &offer::Model,
) -> ServiceResult<Party> {
    match caller.role {
        Role::CountyAdmin => Ok(Party::County),
        Role::TownshipOfficer if caller.staff_reaches_township(township) => Ok(Party::Officer),
        Role::Provider | Role::Family if offers::owns(caller, offer) => Ok(Party::Owner),
        Role::VillageSupervisor => Err(ServiceError::Forbidden),
        _ => Err(ServiceError::NotFound),
    }
}

fn parse_status(record: &match_record::Model) -> ServiceResult<MatchStatus> {
    Ok(record.status)
}

/// The match `id` with its offer and the caller's party, or `NotFound`.
pub(super) async fn load(
    conn: &impl ConnectionTrait,
    caller: &Principal,
    id: &str,
) -> ServiceResult<Loaded> {
    require_match_role(caller)?;
    let record = db::matches::find(conn, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let offer = db::offers::find(conn, &record.offer_id)
        .await?
        .ok_or_else(|| ServiceError::internal("match without its offer"))?;
    let party = party_of(caller, &record.township_code, &offer)?;
    let status = parse_status(&record)?;
    let category = record.category;
    Ok(Loaded {
        record,
        offer,
        party,
        status,
        category,
    })
}

/// A match's state does not allow a move: 409 naming the state.
pub(super) fn illegal(status: MatchStatus) -> ServiceError {
    ServiceError::StateConflict {
        status: status.as_str().to_owned(),
        message: IllegalMatchMove(status).to_string(),
    }
}

pub(super) fn refused(refusal: Refusal) -> ServiceError {
    match refusal {
        Refusal::NotYours => ServiceError::Forbidden,
        Refusal::Illegal(status) => illegal(status),
    }
}

/// The state the match is in now, for the answer to a move that lost a race.
pub(super) async fn moved_on(conn: &impl ConnectionTrait, id: &str) -> ServiceResult<ServiceError> {
    let record = db::matches::find(conn, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok(illegal(parse_status(&record)?))
}

/// An optional text of at most `max` characters: blank is none.
pub(super) fn optional_text(
    invalid: &mut Invalid,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Option<String> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    invalid.check(field, required_text(value, max))
}

/// A required text of at most `max` characters.
pub(super) fn required(
    invalid: &mut Invalid,
    field: &str,
    value: &str,
    max: usize,
) -> Option<String> {
    invalid.check(field, required_text(value, max))
}

/// Refuses texts that staff write for the offer's owner to read when they
/// hold what would identify the child: the check of a need's public text,
/// against the need's file. Only staff texts are checked: checking what a
/// provider types against the file would tell it whether a guessed name is
/// the child's.
pub(super) async fn check_staff_texts<C: ConnectionTrait>(
    store: Store<'_, C>,
    need: &need::Model,
    texts: &[(&'static str, &str)],
) -> ServiceResult<()> {
    if texts.iter().all(|(_, t)| t.is_empty()) {
        return Ok(());
    }
    let child = db::children::find(store.db, &need.child_id)
        .await?
        .ok_or_else(|| ServiceError::internal("need without its file"))?;
    let sensitive = files::sensitive::sensitive_of(store, &child).await?;
    let mut found = Vec::new();
    for (field, text) in texts {
        for finding in text_check::check(text, &sensitive) {
            found.push(TextFinding::new(field, text, finding));
        }
    }
    if found.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Findings(found))
    }
}

/// The label of a need's status, for messages.
pub(super) fn need_status_label(need: &need::Model) -> &'static str {
    need.status.label()
}

/// The need of a match.
pub(super) async fn need_of(
    conn: &impl ConnectionTrait,
    record: &match_record::Model,
) -> ServiceResult<need::Model> {
    db::needs::find(conn, &record.need_id)
        .await?
        .ok_or_else(|| ServiceError::internal("match without its need"))
}

/// Whether `offer` serves `township`: it names it, or serves the county.
pub(super) async fn serves(
    conn: &impl ConnectionTrait,
    offer: &offer::Model,
    township: &str,
) -> ServiceResult<bool> {
    if offer.county_wide {
        return Ok(true);
    }
    let townships = db::offers::townships(conn, &offer.id).await?;
    Ok(townships.iter().any(|t| t == township))
}
