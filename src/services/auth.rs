//! Logging in: credential checks, throttling and the principal of a session.
//!
//! An unknown user, a wrong password and a disabled account all answer
//! `Unauthenticated` after the same work (one argon2 verification, one
//! failure row, one audit entry), so that none can be told from the others.

use chrono::Utc;
use sea_orm::DatabaseConnection;

use crate::config::Settings;
use crate::db;
use crate::db::entities::user;
use crate::domain::Role;

use crate::db::throttle::{BucketKey, BucketKind};

use super::audit::{self, Event, Outcome};
use super::{
    Principal, RequestCtx, ServiceError, ServiceResult, ThrottledAction, passwords, throttle,
};

/// Login failures are recorded under at most this many characters of the name typed.
const MAX_NAME: usize = 64;

/// Counted on every refused login (for `/metrics`).
pub const LOGIN_FAILURES_METRIC: &str = "carebridge_login_failures_total";

/// Checks `username` and `password`; on success returns the principal.
///
/// The attempt is first reserved, in a write transaction of its own, in
/// the bucket of this account from this address and (unless the account
/// logged in from this address before) in the bucket of the address:
/// attempts sent in parallel are counted one after another, so no more
/// than the free ones are ever verified at once. A bucket that says wait
/// answers `Throttled` with the seconds to wait, and the password is not
/// checked. Failures delay further attempts of that account *from that
/// address* only: its owner elsewhere, or at an address it is known at,
/// logs in as usual.
pub async fn login(
    conn: &DatabaseConnection,
    settings: &Settings,
    username: &str,
    password: String,
    address: &str,
    request_id: Option<String>,
) -> ServiceResult<Principal> {
    let name: String = username
        .trim()
        .to_lowercase()
        .chars()
        .take(MAX_NAME)
        .collect();
    let pair = BucketKey {
        kind: BucketKind::LoginPair,
        username: &name,
        address,
    };
    let from_address = BucketKey {
        kind: BucketKind::LoginAddress,
        username: "",
        address,
    };
    let now = throttle::now_ms();
    let txn = db::begin_write(conn).await?;
    let known = throttle::known_pair(&txn, pair, now).await?;
    let policy = throttle::login_pair(settings);
    throttle::reserve(&txn, pair, &policy, now, ThrottledAction::Login).await?;
    if !known {
        let policy = throttle::login_address(settings);
        throttle::reserve(&txn, from_address, &policy, now, ThrottledAction::Login).await?;
    }
    txn.commit().await?;

    let found = db::users::find_by_username(conn, &name).await?;
    let stored = found.as_ref().map(|u| u.password_hash.clone());
    let matches = passwords::verify(password, stored).await?;
    let user = found.filter(|u| matches && !u.disabled);

    let txn = db::begin_write(conn).await?;
    let Some(user) = user else {
        db::login_failures::record(&txn, &name, address, now / 1000).await?;
        let ctx = RequestCtx::new(None, request_id);
        audit::append(
            &txn,
            &ctx,
            Event::success("session.login", format!("username:{name}"))
                .with_outcome(Outcome::Failure),
        )
        .await?;
        txn.commit().await?;
        metrics::counter!(LOGIN_FAILURES_METRIC).increment(1);
        return Err(ServiceError::Unauthenticated);
    };
    db::throttle::succeeded(&txn, pair, now).await?;
    if !known {
        db::throttle::forgive_one(&txn, from_address).await?;
    }
    let principal = principal_of(&user)?;
    let ctx = RequestCtx::new(Some(principal.clone()), request_id);
    audit::append(
        &txn,
        &ctx,
        Event::success("session.login", format!("user:{}", user.id)),
    )
    .await?;
    txn.commit().await?;
    Ok(principal)
}

/// Records a logout.
pub async fn logout(conn: &DatabaseConnection, ctx: &RequestCtx) -> ServiceResult<()> {
    let Some(actor) = &ctx.actor else {
        return Ok(());
    };
    let txn = db::begin_write(conn).await?;
    audit::append(
        &txn,
        ctx,
        Event::success("session.logout", format!("user:{}", actor.id)),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The principal of the account `user_id`, if it exists and is enabled.
/// Called on every request, so that disabling an account takes effect at once.
pub async fn load_principal(
    conn: &DatabaseConnection,
    user_id: &str,
) -> ServiceResult<Option<Principal>> {
    match db::users::find_by_id(conn, user_id).await? {
        Some(user) if !user.disabled => Ok(Some(principal_of(&user)?)),
        _ => Ok(None),
    }
}

pub(crate) fn principal_of(user: &user::Model) -> ServiceResult<Principal> {
    let role = user.role;
    Ok(Principal {
        id: user.id.clone(),
        username: user.username.clone(),
        role,
        township: user.township_code.clone(),
        village: user.village_code.clone(),
        provider_id: user.provider_id.clone(),
        family_id: user.family_id.clone(),
        department: user.department,
    })
}

/// Forgets sessions past their time, the failure log after a day, and
/// throttle buckets quiet for a day that remember no recent success (run
/// periodically).
pub async fn purge_expired(conn: &DatabaseConnection) -> ServiceResult<()> {
    let now = Utc::now().timestamp();
    db::sessions::delete_expired(conn, now).await?;
    db::login_failures::delete_older_than(conn, now - 24 * 60 * 60).await?;
    let now_ms = throttle::now_ms();
    let known = i64::try_from(throttle::KNOWN_FOR.as_millis()).unwrap_or(i64::MAX);
    db::throttle::delete_quiet(conn, now_ms - 24 * 60 * 60 * 1000, now_ms - known).await?;
    Ok(())
}

/// An account name that failed to log in in the last day, for the county:
/// the names under attack (typed names that match no account included).
#[derive(Debug, Clone)]
pub struct LoginPressure {
    pub username: String,
    pub failures: u64,
    /// Distinct addresses the failures came from.
    pub addresses: u64,
    pub last_at: chrono::DateTime<Utc>,
    /// Whether an account of that name exists.
    pub account_exists: bool,
}

/// The names with the most failed logins in the last 24 hours (county
/// staff only), most failures first.
pub async fn login_pressure(
    conn: &DatabaseConnection,
    caller: &Principal,
) -> ServiceResult<Vec<LoginPressure>> {
    caller.require_role(&[Role::CountyAdmin])?;
    let since = Utc::now().timestamp() - 24 * 60 * 60;
    let rows = db::login_failures::by_username_since(conn, since, 50).await?;
    let mut out = Vec::with_capacity(rows.len());
    for (username, failures, addresses, last_at) in rows {
        let account_exists = db::users::find_by_username(conn, &username)
            .await?
            .is_some();
        out.push(LoginPressure {
            failures: u64::try_from(failures).unwrap_or(0),
            addresses: u64::try_from(addresses).unwrap_or(0),
            last_at: chrono::DateTime::from_timestamp(last_at, 0).unwrap_or_default(),
            account_exists,
            username,
        });
    }
    Ok(out)
}
