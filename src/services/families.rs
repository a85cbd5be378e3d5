//! Caring-family applications (爱心家庭): applying and following the status.
//! The home visit (also the yearly re-assessment) is in `assessments`, the
//! county's decision in `decision`.

mod assessments;
mod decision;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::db;
use crate::db::entities::family;
use crate::domain::account::{NewPassword, Username};
use crate::domain::family::{
    ApprovalStanding, CareType, FamilyStatus, approval_standing, reassessment_due_by,
};
use crate::domain::invalid::required_text;
use crate::domain::phone::Phone;
use crate::domain::region::TownshipCode;
use crate::domain::{Invalid, Role};

use super::audit::{self, Event};
use super::{Page, Paging, Principal, RequestCtx, ServiceError, ServiceResult, new_id, passwords};
use super::{throttle, users};
use crate::config::Settings;

pub use assessments::{Assessed, AssessmentInput, AssessmentView, assess, assessments};
pub use decision::decide;

/// An application as typed.
#[derive(Debug, Clone, Default)]
pub struct ApplicationInput {
    pub household_name: String,
    pub township: String,
    pub members: Option<i64>,
    pub housing: String,
    pub contact_phone: String,
    pub care_types: Vec<String>,
    pub username: String,
    pub password: String,
}

struct Application {
    household_name: String,
    township: TownshipCode,
    members: i32,
    housing: String,
    contact_phone: Phone,
    care_types: Vec<CareType>,
    username: Username,
    password: NewPassword,
}

/// The care types stored on a family row.
pub fn care_types_of(model: &family::Model) -> Vec<CareType> {
    serde_json::from_str::<Vec<String>>(&model.care_types)
        .unwrap_or_default()
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect()
}

/// The county's calendar day, by which approvals begin, end and fall due.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Whether the family's county approval holds today (approved, and not yet
/// a year old): only then may it post offers, see needs and be matched.
pub fn approval_is_current(model: &family::Model) -> bool {
    model.status.parse::<FamilyStatus>().is_ok_and(|status| {
        crate::domain::family::approval_current(status, model.approved_until, today())
    })
}

/// Where the family's approval stands on `today`: not approved, current
/// (and whether re-assessment is due), or run out.
pub fn standing_on(model: &family::Model, today: NaiveDate) -> ApprovalStanding {
    model
        .status
        .parse::<FamilyStatus>()
        .map_or(ApprovalStanding::NotApproved, |status| {
            approval_standing(status, model.approved_until, today)
        })
}

async fn parse(
    conn: &impl ConnectionTrait,
    input: &ApplicationInput,
) -> ServiceResult<Application> {
    let mut invalid = Invalid::new();
    let household_name = invalid.check("household_name", required_text(&input.household_name, 30));
    let township = match TownshipCode::parse(&input.township) {
        Ok(code)
            if db::regions::find_township(conn, code.as_str())
                .await?
                .is_some() =>
        {
            Some(code)
        }
        _ => {
            invalid.add("township", "请选择家庭所在的乡镇（街道）");
            None
        }
    };
    let members = match input.members {
        Some(n) if (1..=20).contains(&n) => Some(n as i32),
        _ => {
            invalid.add("members", "家庭人口应为1至20人");
            None
        }
    };
    let housing = invalid.check("housing", required_text(&input.housing, 1000));
    let contact_phone = invalid.check("contact_phone", Phone::parse(&input.contact_phone));
    let mut care_types = Vec::new();
    for raw in &input.care_types {
        match raw.parse::<CareType>() {
            Ok(care) if !care_types.contains(&care) => care_types.push(care),
            Ok(_) => {}
            Err(e) => invalid.add("care_types", e.to_string()),
        }
    }
    if input.care_types.is_empty() {
        invalid.add("care_types", "请至少选择一种愿意提供的照料方式");
    }
    let username = invalid.check("username", Username::parse(&input.username));
    let password = invalid.check(
        "password",
        NewPassword::parse(&input.password, &[input.username.as_str()]),
    );
    if let Some(u) = &username
        && db::users::username_taken(conn, u.as_str()).await?
    {
        invalid.add_duplicate("username", "该用户名已被使用");
    }
    invalid.into_result()?;
    match (
        household_name,
        township,
        members,
        housing,
        contact_phone,
        username,
        password,
    ) {
        (
            Some(household_name),
            Some(township),
            Some(members),
            Some(housing),
            Some(contact_phone),
            Some(username),
            Some(password),
        ) => Ok(Application {
            household_name,
            township,
            members,
            housing,
            contact_phone,
            care_types,
            username,
            password,
        }),
        _ => Err(ServiceError::internal("application checked without values")),
    }
}

/// Files an application from the public form or API: reserved first in
/// the registrations of `address` (see `providers::register_public`), then
/// [`apply`].
pub async fn apply_public(
    conn: &DatabaseConnection,
    settings: &Settings,
    ctx: &RequestCtx,
    input: ApplicationInput,
    address: &str,
) -> ServiceResult<family::Model> {
    throttle::reserve_registration(conn, settings, address).await?;
    apply(conn, ctx, input).await
}

/// Files an application and creates the family's login; it starts `submitted`.
pub async fn apply(
    conn: &DatabaseConnection,
    ctx: &RequestCtx,
    input: ApplicationInput,
) -> ServiceResult<family::Model> {
    let app = parse(conn, &input).await?;
    let hash = passwords::hash(app.password.expose().to_owned()).await?;
    let id = new_id();
    let care: Vec<&str> = app.care_types.iter().map(|c| c.as_str()).collect();
    let care_json =
        serde_json::to_string(&care).map_err(|e| ServiceError::caused("encoding care types", e))?;
    let txn = db::begin_write(conn).await?;
    let family = db::families::insert(
        &txn,
        db::families::NewFamily {
            id: &id,
            household_name: &app.household_name,
            township_code: app.township.as_str(),
            members: app.members,
            housing: &app.housing,
            contact_phone: app.contact_phone.as_str(),
            care_types_json: &care_json,
        },
    )
    .await?;
    users::insert_login(
        &txn,
        db::users::NewUser {
            id: &new_id(),
            username: app.username.as_str(),
            password_hash: &hash,
            role: Role::Family.as_str(),
            township_code: Some(app.township.as_str()),
            village_code: None,
            provider_id: None,
            family_id: Some(&id),
        },
    )
    .await?;
    audit::append(
        &txn,
        ctx,
        Event::success("family.apply", format!("family:{id}")),
    )
    .await?;
    txn.commit().await?;
    Ok(family)
}

/// The family's status, which only this code writes.
fn status_of(family: &family::Model) -> ServiceResult<FamilyStatus> {
    family
        .status
        .parse()
        .map_err(|_| ServiceError::internal(format!("family {} has an unknown status", family.id)))
}

/// Someone else moved the family between our read and our write.
fn moved_on() -> ServiceError {
    ServiceError::Conflict("该家庭申请的状态刚被他人更改，请刷新后重试".into())
}

/// One application: the family itself, county staff, or staff of its township.
pub async fn get(
    conn: &DatabaseConnection,
    caller: &Principal,
    id: &str,
) -> ServiceResult<family::Model> {
    let family = db::families::find(conn, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let visible = match caller.role {
        Role::Family => caller.family_id.as_deref() == Some(id),
        Role::CountyAdmin | Role::TownshipOfficer => {
            caller.staff_reaches_township(&family.township_code)
        }
        Role::VillageSupervisor | Role::Provider => false,
    };
    if visible {
        Ok(family)
    } else {
        Err(ServiceError::NotFound)
    }
}

/// Applications in the caller's reach, oldest first.
pub async fn list(
    conn: &DatabaseConnection,
    caller: &Principal,
    status: Option<FamilyStatus>,
    paging: Paging,
) -> ServiceResult<Page<family::Model>> {
    list_filtered(conn, caller, ListFilter { status, due: false }, paging).await
}

/// Which applications a staff list shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListFilter {
    pub status: Option<FamilyStatus>,
    /// Only approved families due for re-assessment: the approval ends
    /// within the notice period or has run out; soonest end first.
    pub due: bool,
}

/// Applications in the caller's reach that match `filter`.
pub async fn list_filtered(
    conn: &DatabaseConnection,
    caller: &Principal,
    filter: ListFilter,
    paging: Paging,
) -> ServiceResult<Page<family::Model>> {
    caller.require_role(&[Role::CountyAdmin, Role::TownshipOfficer])?;
    let (total, items) = db::families::list_where(
        conn,
        &db::families::ListFilter {
            township: caller.township_filter(),
            status: filter.status.map(FamilyStatus::as_str),
            due_by: filter.due.then(|| reassessment_due_by(today())),
        },
        paging.limit,
        paging.offset,
    )
    .await?;
    Ok(Page { total, items })
}

/// A move the family's status does not allow: 409 naming the status in
/// `details.status`, as matches do.
pub(crate) fn illegal_move(e: crate::domain::family::IllegalFamilyMove) -> ServiceError {
    ServiceError::StateConflict {
        status: e.from.as_str().to_owned(),
        message: e.to_string(),
    }
}
