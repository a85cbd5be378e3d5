//! Reading referrals: one with its timeline and the masked personal
//! fields its department needs (revealed one by one, audited), and the
//! lists of each side, open and overdue first.

use chrono::NaiveDate;

use crate::db;
use crate::db::entities::{referral, referral_event};
use crate::domain::Role;
use crate::domain::child::{AgeBand, Difficulty, SchoolStatus, VaultField, age_on};
use crate::domain::department::Department;
use crate::domain::referral::{
    ReferralMove, ReferralStatus, allowed_moves, is_escalated, is_overdue, office_day,
};

use super::super::audit::{self, Event};
use super::super::children::view::{ShownField, masked};
use super::super::files::identity;
use super::super::{Page, Paging, Principal, RequestCtx, ServiceError, ServiceResult, Store};
use super::{Side, find_reached};

/// A referral as its reader sees it.
#[derive(Clone, Debug)]
pub struct ReferralView {
    pub referral: referral::Model,
    pub side: Side,
    pub file_no: String,
    /// What the department may know of the child besides the fields.
    pub age: Option<i32>,
    pub age_band: Option<AgeBand>,
    pub gender: String,
    pub difficulties: Vec<Difficulty>,
    pub school_status: Option<SchoolStatus>,
    /// The personal fields this referral needs, masked unless revealed.
    pub fields: Vec<ShownField>,
    pub events: Vec<referral_event::Model>,
    pub overdue: bool,
    pub escalated: bool,
    /// The moves the reader may make now.
    pub moves: Vec<ReferralMove>,
    pub may_comment: bool,
    /// The referral this one was forwarded to, or from.
    pub forwarded_to: Option<String>,
    pub forwarded_from: Option<String>,
}

/// The personal fields a referral shows (its rule's, or the matter ones).
pub fn fields_of(store: Store<'_>, row: &referral::Model) -> Vec<VaultField> {
    row.rule_id
        .as_deref()
        .and_then(|id| store.rules.get(id))
        .map(|r| r.fields.clone())
        .unwrap_or_else(|| store.rules.matter_fields().to_vec())
}

/// One referral, its fields masked but for `reveal` (only those it
/// needs; asking for another is a 422 of the handler's `reveal`). Every
/// read is audited with the fields shown; a reveal as its own action.
pub async fn get(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    reveal: &[VaultField],
) -> ServiceResult<ReferralView> {
    let (row, side) = find_reached(store.db, caller, id).await?;
    let child = db::children::find(store.db, &row.child_id)
        .await?
        .ok_or_else(|| ServiceError::internal("a referral without its file"))?;
    let needed = fields_of(store, &row);
    let identity = identity::open_all(store.vault, &child)?;
    let today = office_day(store.clock.now());
    let mut fields = Vec::new();
    for &field in &needed {
        let Some(plain) = identity.get(field) else {
            continue;
        };
        let revealed = reveal.contains(&field);
        let value = if revealed && field == VaultField::Village {
            db::regions::find_village(store.db, &plain)
                .await?
                .map(|v| v.name)
                .unwrap_or(plain)
        } else if revealed {
            plain
        } else {
            masked(field, &plain)
        };
        fields.push(ShownField {
            field,
            value: Some(value),
            revealed,
        });
    }
    let shown = |revealed: bool| {
        fields
            .iter()
            .filter(|f| f.revealed == revealed)
            .map(|f| f.field.as_str())
            .collect::<Vec<_>>()
            .join(",")
    };
    let (action, detail) = if fields.iter().any(|f| f.revealed) {
        (
            "referral.reveal",
            format!(
                "child:{}; revealed: {}; masked: {}",
                child.id,
                shown(true),
                shown(false)
            ),
        )
    } else {
        (
            "referral.view",
            format!("child:{}; masked: {}", child.id, shown(false)),
        )
    };
    audit::append_alone(
        store,
        ctx,
        Event::success(action, format!("referral:{}", row.id)).with_detail(detail),
    )
    .await?;
    let events = db::referrals::events(store.db, &row.id).await?;
    let moves = match (side, caller.role) {
        (Side::Department, Role::DepartmentStaff) => allowed_moves(row.status, true),
        (Side::Township | Side::County, _) => allowed_moves(row.status, false),
        _ => Vec::new(),
    };
    Ok(ReferralView {
        file_no: child.file_no.clone(),
        age: Some(age_on(identity.birth_date, today)),
        age_band: AgeBand::of(identity.birth_date, today),
        gender: child.gender.clone(),
        difficulties: child.difficulties.to_vec(),
        school_status: child.school_status,
        fields,
        events,
        overdue: is_overdue(row.status, row.due_on, today),
        escalated: is_escalated(row.status, row.escalate_on, today),
        moves,
        may_comment: row.status != ReferralStatus::Closed,
        forwarded_to: row.forwarded_to.clone(),
        forwarded_from: row.forwarded_from.clone(),
        side,
        referral: row,
    })
}

/// A line of a referral list: never a personal field.
#[derive(Clone, Debug)]
pub struct ListItem {
    pub referral: referral::Model,
    pub file_no: String,
    pub overdue: bool,
    pub escalated: bool,
    /// Days since it was sent (or it took, once answered).
    pub days: i64,
}

/// Which referrals a list shows.
#[derive(Clone, Debug, Default)]
pub struct ListFilter {
    pub status: Option<ReferralStatus>,
    /// Only the open ones past their deadline.
    pub overdue: bool,
    pub department: Option<Department>,
    pub township: Option<String>,
    pub child_id: Option<String>,
}

/// The referrals the caller reaches: a department its own, a township
/// officer their township's, the county all (or one department's or
/// township's). Open first, the earliest deadline first.
pub async fn list(
    store: Store<'_>,
    caller: &Principal,
    filter: &ListFilter,
    paging: Paging,
) -> ServiceResult<Page<ListItem>> {
    let today = office_day(store.clock.now());
    let mut query = db::referrals::ReferralFilter {
        status: filter.status,
        overdue_on: filter.overdue.then_some(today),
        child_id: filter.child_id.as_deref(),
        ..Default::default()
    };
    match caller.role {
        Role::DepartmentStaff => {
            query.department = Some(caller.department.ok_or(ServiceError::Forbidden)?);
        }
        Role::TownshipOfficer => {
            query.township = Some(caller.township.as_deref().ok_or(ServiceError::Forbidden)?);
            query.department = filter.department;
        }
        Role::CountyAdmin => {
            query.township = filter.township.as_deref();
            query.department = filter.department;
        }
        _ => return Err(ServiceError::Forbidden),
    }
    let (total, rows) = db::referrals::list(store.db, &query, paging.limit, paging.offset).await?;
    let now = store.clock.now();
    let items = rows
        .into_iter()
        .map(|(r, file_no)| ListItem {
            overdue: is_overdue(r.status, r.due_on, today),
            escalated: is_escalated(r.status, r.escalate_on, today),
            days: (r.answered_at.unwrap_or(now) - r.created_at).num_days(),
            file_no,
            referral: r,
        })
        .collect();
    Ok(Page { total, items })
}

/// Whether `day` is past the deadline of `row` (for views).
pub fn past_due(row: &referral::Model, day: NaiveDate) -> bool {
    is_overdue(row.status, row.due_on, day)
}
