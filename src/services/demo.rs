//! Demo data for `serve --demo`: one login per role and a few organisations
//! and families, loaded once into an empty database through the same
//! services users go through (so demo data obeys every rule real data does).

mod children;
mod families;
mod matches;
mod offers;
mod referrals;
mod reports;

use sea_orm::DatabaseConnection;

use crate::db;
use crate::domain::Role;
use crate::domain::provider::ProviderDecision;

use super::providers::{self, RegistrationInput};
use super::users::{self, UserInput};
use super::{Principal, RequestCtx, ServiceError, ServiceResult, Store};
use crate::vault::Vault;

/// One demo login, printed at start.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub role: &'static str,
    pub username: &'static str,
    pub password: &'static str,
}

/// The demo logins. Shown on the console only, and only in demo mode.
pub const LOGINS: &[DemoLogin] = &[
    DemoLogin {
        role: "county_admin 县级管理员",
        username: "county",
        password: "bridge-demo-4821",
    },
    DemoLogin {
        role: "township_officer 青龙街道",
        username: "qinglong",
        password: "bridge-demo-5932",
    },
    DemoLogin {
        role: "township_officer 南溪镇",
        username: "nanxi",
        password: "bridge-demo-6043",
    },
    DemoLogin {
        role: "township_officer 双江街道",
        username: "shuangjiang",
        password: "bridge-demo-2598",
    },
    DemoLogin {
        role: "village_supervisor 红旗村",
        username: "hongqi",
        password: "bridge-demo-7154",
    },
    DemoLogin {
        role: "provider 已认证 (阳光社工)",
        username: "sunshine",
        password: "bridge-demo-8265",
    },
    DemoLogin {
        role: "provider 待审核 (青年志愿者)",
        username: "youthteam",
        password: "bridge-demo-9376",
    },
    DemoLogin {
        role: "family 爱心家庭 (王家，待乡镇评估)",
        username: "wangfamily",
        password: "bridge-demo-1487",
    },
    DemoLogin {
        role: "family 爱心家庭 (赵家，待县级审批)",
        username: "zhaofamily",
        password: "bridge-demo-3719",
    },
    DemoLogin {
        role: "family 爱心家庭 (李家，已批准)",
        username: "lifamily",
        password: "bridge-demo-4830",
    },
    DemoLogin {
        role: "department_staff 县教委",
        username: "jiaowei",
        password: "bridge-demo-5941",
    },
    DemoLogin {
        role: "department_staff 县民政局",
        username: "minzheng",
        password: "bridge-demo-6052",
    },
    DemoLogin {
        role: "department_staff 县残联",
        username: "canlian",
        password: "bridge-demo-7163",
    },
];

fn password_of(username: &str) -> String {
    LOGINS
        .iter()
        .find(|l| l.username == username)
        .map(|l| l.password.to_owned())
        .unwrap_or_default()
}

/// The principal of the demo account `username`, as it would log in.
async fn login(conn: &DatabaseConnection, username: &str) -> ServiceResult<Principal> {
    let user = db::users::find_by_username(conn, username)
        .await?
        .ok_or_else(|| ServiceError::internal(format!("demo account {username} missing")))?;
    super::auth::principal_of(&user)
}

/// Loads the demo data unless the database already has accounts.
/// Returns whether anything was loaded.
pub async fn load_if_empty(
    conn: &DatabaseConnection,
    vault: &Vault,
    k: u32,
) -> ServiceResult<bool> {
    if db::users::list_staff(conn, 1, 0).await?.0 > 0 {
        return Ok(false);
    }
    let system = RequestCtx::system();
    let admin = users::create_admin_from_cli(conn, "county", password_of("county")).await?;
    let admin = Principal {
        id: admin.id,
        username: admin.username,
        role: Role::CountyAdmin,
        township: None,
        village: None,
        provider_id: None,
        family_id: None,
        department: None,
    };
    let ctx = RequestCtx::new(Some(admin.clone()), None);
    let mut staff = Vec::new();
    for (username, role, township, village) in [
        ("qinglong", Role::TownshipOfficer, Some("500235001"), None),
        ("nanxi", Role::TownshipOfficer, Some("500235101"), None),
        (
            "shuangjiang",
            Role::TownshipOfficer,
            Some("500235002"),
            None,
        ),
        (
            "hongqi",
            Role::VillageSupervisor,
            None,
            Some("500235001201"),
        ),
    ] {
        let user = users::create_staff(
            conn,
            &ctx,
            &admin,
            UserInput {
                username: username.to_owned(),
                password: password_of(username),
                role: role.as_str().to_owned(),
                township: township.map(str::to_owned),
                village: village.map(str::to_owned),
                department: None,
            },
        )
        .await?;
        staff.push(Principal {
            id: user.id,
            username: user.username,
            role,
            township: user.township_code,
            village: user.village_code,
            provider_id: None,
            family_id: None,
            department: None,
        });
    }
    let (supervisors, officers): (Vec<Principal>, Vec<Principal>) = staff
        .into_iter()
        .partition(|p| p.role == Role::VillageSupervisor);
    if let Some(supervisor) = supervisors.first() {
        children::load(Store::new(conn, vault), &officers, supervisor).await?;
        reports::load(Store::new(conn, vault), &officers, supervisor).await?;
    }
    let sunshine = providers::register(
        conn,
        &system,
        RegistrationInput {
            kind: "social_work_agency".into(),
            name: "云阳县阳光社会工作服务中心".into(),
            credit_code: Some(demo_credit_code("52500235MJP5")),
            contact_name: "李社工".into(),
            contact_phone: "13800000001".into(),
            townships: vec!["500235001".into(), "500235002".into(), "500235101".into()],
            description: "专业社工机构，开展四点半课堂、心理疏导和困境儿童家庭走访服务。".into(),
            username: "sunshine".into(),
            password: password_of("sunshine"),
            password_confirm: None,
        },
    )
    .await?;
    providers::decide(
        conn,
        &ctx,
        &admin,
        &sunshine.provider.id,
        ProviderDecision::Verify,
        None,
    )
    .await?;
    offers::load(conn, "sunshine").await?;
    providers::register(
        conn,
        &system,
        RegistrationInput {
            kind: "youth_league".into(),
            name: "共青团云阳县委青年志愿者服务队".into(),
            credit_code: None,
            contact_name: "张队长".into(),
            contact_phone: "13800000002".into(),
            townships: vec!["500235101".into(), "500235102".into()],
            description: "青年志愿者结对陪伴、假期课业辅导。".into(),
            username: "youthteam".into(),
            password: password_of("youthteam"),
            password_confirm: None,
        },
    )
    .await?;
    families::load(conn, &admin, &officers).await?;
    matches::load(Store::new(conn, vault), &officers, k).await?;
    referrals::load(conn, Store::new(conn, vault), &admin, &officers).await?;
    month_end_snapshots(Store::new(conn, vault)).await?;
    Ok(true)
}

/// The month-end snapshots of the demo's year of history, as a server
/// running through it would have taken them: no demo file changes class
/// after it is opened, so counting each completed month now gives the
/// classes it had then, and the bands are worked out for each month's
/// last day.
async fn month_end_snapshots(store: Store<'_>) -> ServiceResult<()> {
    let now = store.clock.now();
    let running = crate::domain::period::Period::month_of(day_of(store.clock));
    for month in running.previous().trend_months() {
        super::oversight::snapshot::take(store, month, now).await?;
    }
    Ok(())
}

/// A valid unified social credit code made from a 12-character stem
/// (registration department, type and county code are fixed for the demo).
fn demo_credit_code(stem: &str) -> String {
    let first17 = format!("{stem}00000");
    let first17: String = first17.chars().take(17).collect();
    match crate::domain::credit_code::check_character(&first17) {
        Some(check) => format!("{first17}{check}"),
        None => first17,
    }
}

/// Moves the demo's own clock to `days_ago` days before now, so that what
/// the services write next is dated then (the dashboard's trend has a year
/// of history to show). Only the services' dates move: the audit log keeps
/// the real time of each entry, so its chain stays in order.
fn back_to(clock: &super::clock::Clock, days_ago: i64) {
    let target = chrono::Utc::now() - chrono::Duration::days(days_ago);
    clock.advance(target - clock.now());
}

/// The office day (local) of the demo's clock.
fn day_of(clock: &super::clock::Clock) -> chrono::NaiveDate {
    clock.now().with_timezone(&chrono::Local).date_naive()
}

/// Wrong demo data would be a programming error; name it clearly.
pub fn describe(err: &ServiceError) -> String {
    format!("demo data could not be loaded: {err}")
}
