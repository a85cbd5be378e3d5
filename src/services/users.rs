//! Staff accounts: created and disabled by county staff, or from the command line.

use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::db;
use crate::db::entities::user;
use crate::domain::department::Department;
use crate::domain::region::{TownshipCode, VillageCode};
use crate::domain::user::{NewPassword, Username};
use crate::domain::{Invalid, Role};

use super::audit::{self, Event};
use super::{Page, Paging, Principal, RequestCtx, ServiceError, ServiceResult, new_id, passwords};

/// A request for a staff account, as typed.
#[derive(Debug, Clone, Default)]
pub struct UserInput {
    pub username: String,
    pub password: String,
    pub role: String,
    pub township: Option<String>,
    pub village: Option<String>,
    /// The department of a `department_staff` account.
    pub department: Option<String>,
}

/// A validated staff account, ready to store.
struct StaffAccount {
    username: Username,
    password: NewPassword,
    role: Role,
    township: Option<TownshipCode>,
    village: Option<VillageCode>,
    department: Option<Department>,
}

async fn parse_staff(
    conn: &impl ConnectionTrait,
    input: &UserInput,
) -> ServiceResult<StaffAccount> {
    let mut invalid = Invalid::new();
    let username = invalid.check("username", Username::parse(&input.username));
    let password = invalid.check(
        "password",
        NewPassword::parse(&input.password, &[input.username.as_str()]),
    );
    let role = invalid.check("role", input.role.parse::<Role>());
    if let Some(role) = role
        && !role.is_government()
    {
        invalid.add("role", "只能在此创建政府工作人员账号；机构和家庭请自行注册");
    }
    let nonempty = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let mut township =
        nonempty(&input.township).and_then(|t| invalid.check("township", TownshipCode::parse(&t)));
    let village =
        nonempty(&input.village).and_then(|v| invalid.check("village", VillageCode::parse(&v)));
    let department = nonempty(&input.department)
        .and_then(|d| invalid.check("department", d.parse::<Department>()));
    match role {
        Some(Role::DepartmentStaff) => {
            if department.is_none() && nonempty(&input.department).is_none() {
                invalid.add("department", "部门工作人员须选择所在部门");
            }
            if township.is_some() || village.is_some() {
                invalid.add("township", "部门工作人员面向全县，不属于某个乡镇");
            }
        }
        Some(_) if nonempty(&input.department).is_some() => {
            invalid.add("department", "只有部门工作人员属于某个部门");
        }
        _ => {}
    }
    match role {
        Some(Role::TownshipOfficer) if township.is_none() => {
            invalid.add("township", "乡镇干部须选择所在乡镇")
        }
        Some(Role::VillageSupervisor) => match &village {
            None => invalid.add("village", "督导员须选择所在村（社区）"),
            Some(v) => {
                if township.as_ref().is_some_and(|t| *t != v.township()) {
                    invalid.add("village", "所选村（社区）不在所选乡镇");
                }
                township = Some(v.township());
            }
        },
        Some(Role::CountyAdmin) if township.is_some() || village.is_some() => {
            invalid.add("township", "县级管理员不属于某个乡镇");
        }
        _ => {}
    }
    if let Some(t) = &township
        && db::regions::find_township(conn, t.as_str())
            .await?
            .is_none()
    {
        invalid.add("township", "没有这个乡镇");
    }
    if let Some(v) = &village
        && db::regions::find_village(conn, v.as_str()).await?.is_none()
    {
        invalid.add("village", "没有这个村（社区）");
    }
    if let Some(u) = &username
        && db::users::username_taken(conn, u.as_str()).await?
    {
        invalid.add_duplicate("username", "该用户名已被使用");
    }
    invalid.into_result()?;
    match (username, password, role) {
        (Some(username), Some(password), Some(role)) => Ok(StaffAccount {
            username,
            password,
            role,
            township,
            village: if role == Role::VillageSupervisor {
                village
            } else {
                None
            },
            department: if role == Role::DepartmentStaff {
                department
            } else {
                None
            },
        }),
        _ => Err(ServiceError::internal("staff input checked without values")),
    }
}

/// Creates a staff account. County staff only.
pub async fn create_staff(
    conn: &DatabaseConnection,
    ctx: &RequestCtx,
    caller: &Principal,
    input: UserInput,
) -> ServiceResult<user::Model> {
    caller.require_role(&[Role::CountyAdmin])?;
    create(conn, ctx, input).await
}

/// Creates a county_admin from the command line (no caller to check).
pub async fn create_admin_from_cli(
    conn: &DatabaseConnection,
    username: &str,
    password: String,
) -> ServiceResult<user::Model> {
    let input = UserInput {
        username: username.to_owned(),
        password,
        role: Role::CountyAdmin.as_str().to_owned(),
        township: None,
        village: None,
        department: None,
    };
    create(conn, &RequestCtx::system(), input).await
}

async fn create(
    conn: &DatabaseConnection,
    ctx: &RequestCtx,
    input: UserInput,
) -> ServiceResult<user::Model> {
    let account = parse_staff(conn, &input).await?;
    let hash = passwords::hash(account.password.expose().to_owned()).await?;
    let id = new_id();
    let txn = db::begin_write(conn).await?;
    let user = insert_login(
        &txn,
        db::users::NewUser {
            id: &id,
            username: account.username.as_str(),
            password_hash: &hash,
            role: account.role,
            township_code: account.township.as_ref().map(TownshipCode::as_str),
            village_code: account.village.as_ref().map(VillageCode::as_str),
            provider_id: None,
            family_id: None,
            department: account.department,
        },
    )
    .await?;
    audit::append(
        &txn,
        ctx,
        Event::success("user.create", format!("user:{id}")).with_detail(match account.department {
            Some(d) => format!("role={}; department={d}", account.role),
            None => format!("role={}", account.role),
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(user)
}

/// Stores a new login inside the caller's transaction. A username taken
/// between validation and insert (a concurrent registration) is reported as
/// the same duplicate the validation would have found.
pub(crate) async fn insert_login(
    txn: &impl ConnectionTrait,
    new: db::users::NewUser<'_>,
) -> ServiceResult<user::Model> {
    match db::users::insert(txn, new).await {
        Err(e) if db::is_unique_violation(&e) => {
            Err(Invalid::duplicate("username", "该用户名已被使用").into())
        }
        other => Ok(other?),
    }
}

/// Disables an account and ends its sessions at once. County staff only;
/// nobody disables their own account (the county would lock itself out).
pub async fn disable(
    conn: &DatabaseConnection,
    ctx: &RequestCtx,
    caller: &Principal,
    user_id: &str,
) -> ServiceResult<user::Model> {
    caller.require_role(&[Role::CountyAdmin])?;
    if caller.id == user_id {
        return Err(ServiceError::Conflict("不能停用自己的账号".into()));
    }
    let txn = db::begin_write(conn).await?;
    let mut user = db::users::find_by_id(&txn, user_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    db::users::set_disabled(&txn, user_id, true).await?;
    let ended = db::sessions::delete_for_user(&txn, user_id).await?;
    audit::append(
        &txn,
        ctx,
        Event::success("user.disable", format!("user:{user_id}"))
            .with_detail(format!("sessions_ended={ended}")),
    )
    .await?;
    txn.commit().await?;
    user.disabled = true;
    Ok(user)
}

/// Staff accounts, for county staff.
pub async fn list_staff(
    conn: &DatabaseConnection,
    caller: &Principal,
    paging: Paging,
) -> ServiceResult<Page<user::Model>> {
    caller.require_role(&[Role::CountyAdmin])?;
    let (total, items) = db::users::list_staff(conn, paging.limit, paging.offset).await?;
    Ok(Page { total, items })
}
