//! Caring-family applications (爱心家庭): applying and following the status.
//! The home visit (also the yearly re-assessment) is in `assessments`, the
//! county's decision in `decision`.

mod assessments;
mod decision;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::db;
use crate::db::entities::family;
use crate::domain::family::{
    ApprovalStanding, CareType, FamilyStatus, approval_standing, reassessment_due_by,
};
use crate::domain::invalid::required_text;
use crate::domain::phone::Phone;
use crate::domain::region::TownshipCode;
use crate::domain::user::{NewPassword, Username, check_confirmation};
use crate::domain::{Invalid, Role};

use super::audit::{self, Event};
use super::{Page, Paging, Principal, RequestCtx, ServiceError, ServiceResult, new_id, passwords};
use super::{throttle, users};
use crate::config::Settings;

pub use assessments::{Assessed, AssessmentInput, AssessmentView, assess, assessments};
pub use decision::{decide, decision_of};

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
    /// The password typed again on the form (the API has no such field):
    /// a mismatch is one more field error, found in the same pass.
    pub password_confirm: Option<String>,
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

/// The county's calendar day, by which approvals begin, end and fall due.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Whether the family's county approval holds today (approved, and not yet
/// a year old): only then may it post offers, see needs and be matched.
pub fn approval_is_current(model: &family::Model) -> bool {
    crate::domain::family::approval_current(model.status, model.approved_until, today())
}

/// Where the family's approval stands on `today`: not approved, current
/// (and whether re-assessment is due), or run out.
pub fn standing_on(model: &family::Model, today: NaiveDate) -> ApprovalStanding {
    approval_standing(model.status, model.approved_until, today)
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
    check_confirmation(
        &mut invalid,
        &input.password,
        input.password_confirm.as_deref(),
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
            care_types: &app.care_types,
        },
    )
    .await?;
    users::insert_login(
        &txn,
        db::users::NewUser {
            id: &new_id(),
            username: app.username.as_str(),
            password_hash: &hash,
            role: Role::Family,
            township_code: Some(app.township.as_str()),
            village_code: None,
            provider_id: None,
            family_id: Some(&id),
            department: None,
        },
    )
    .await?;
    audit::append(
        &txn,
        ctx,
        Event::success("family.apply", format!("family:{id}")),
    )
    .await?;
    super::notify::events::family_moved(&txn, super::clock::SYSTEM.now(), &id).await?;
    txn.commit().await?;
    Ok(family)
}

/// Someone else moved the family between our read and our write.
fn moved_on() -> ServiceError {
    ServiceError::Conflict("该家庭申请的状态刚被他人更改，请刷新后重试".into())
}

/// A family as a caller sees it: the row, how its approval stands today,
/// and what the caller may do with it (views draw these, never re-derive
/// them).
#[derive(Debug, Clone)]
pub struct FamilyView {
    pub family: family::Model,
    pub standing: ApprovalStanding,
    pub actions: FamilyActions,
}

/// What a caller may do with a family it can see.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FamilyActions {
    /// Read the home-visit assessments (staff).
    pub read_assessments: bool,
    /// Record an assessment: an officer of the family's township, while
    /// the family may be visited.
    pub assess: bool,
    /// Approve or reject: county staff, while the family waits for them.
    pub decide: bool,
}

impl FamilyView {
    /// `family` (a row the caller may see, e.g. the one a decision just
    /// wrote) as `caller` sees it today.
    pub fn for_caller(caller: &Principal, family: family::Model) -> Self {
        Self::of(caller, family, today())
    }

    fn of(caller: &Principal, family: family::Model, today: NaiveDate) -> Self {
        let status = family.status;
        let staff = matches!(caller.role, Role::CountyAdmin | Role::TownshipOfficer);
        Self {
            standing: standing_on(&family, today),
            actions: FamilyActions {
                read_assessments: staff,
                assess: caller.role == Role::TownshipOfficer && status.may_be_assessed(),
                decide: caller.role == Role::CountyAdmin && status == FamilyStatus::Recommended,
            },
            family,
        }
    }
}

/// One application: the family itself, county staff, or staff of its
/// township; with its standing and the caller's actions.
pub async fn get(
    conn: &DatabaseConnection,
    caller: &Principal,
    id: &str,
) -> ServiceResult<FamilyView> {
    let family = find_visible(conn, caller, id).await?;
    Ok(FamilyView::of(caller, family, today()))
}

/// The family row, if `caller` may see it; `NotFound` otherwise.
async fn find_visible(
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
        Role::VillageSupervisor | Role::Provider | Role::DepartmentStaff => false,
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
) -> ServiceResult<Page<FamilyView>> {
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
) -> ServiceResult<Page<FamilyView>> {
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
    let today = today();
    let items = items
        .into_iter()
        .map(|f| FamilyView::of(caller, f, today))
        .collect();
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
