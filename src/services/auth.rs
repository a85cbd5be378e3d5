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

use super::audit::{self, Event, Outcome};
use super::{Principal, RequestCtx, ServiceError, ServiceResult, passwords};

/// Login failures are recorded under at most this many characters of the name typed.
const MAX_NAME: usize = 64;

/// Checks `username` and `password`; on success returns the principal.
///
/// Throttling comes first: past the per-account or per-address limit within
/// the window, the answer is `Throttled` with the seconds until the oldest
/// counted failure leaves the window, and the password is not even checked.
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
    let now = Utc::now().timestamp();
    let window = settings.throttle_window.as_secs() as i64;
    let since = now - window;

    let by_account = db::login_failures::for_username(conn, &name, since).await?;
    let by_address = db::login_failures::for_address(conn, address, since).await?;
    let retry_after = [
        (by_account, settings.throttle_per_account as usize),
        (by_address, settings.throttle_per_address as usize),
    ]
    .into_iter()
    .filter(|(times, limit)| times.len() >= *limit)
    .filter_map(|(times, limit)| times.get(times.len() - limit).copied())
    .map(|oldest_counted| (oldest_counted + window - now).max(1) as u64)
    .max();
    if let Some(retry_after) = retry_after {
        return Err(ServiceError::Throttled { retry_after });
    }

    let found = db::users::find_by_username(conn, &name).await?;
    let stored = found.as_ref().map(|u| u.password_hash.clone());
    let matches = passwords::verify(password, stored).await?;
    let user = found.filter(|u| matches && !u.disabled);

    let txn = db::begin_write(conn).await?;
    let Some(user) = user else {
        db::login_failures::record(&txn, &name, address, now).await?;
        let ctx = RequestCtx::new(None, request_id);
        audit::append(
            &txn,
            &ctx,
            Event::success("session.login", format!("username:{name}"))
                .with_outcome(Outcome::Failure),
        )
        .await?;
        txn.commit().await?;
        return Err(ServiceError::Unauthenticated);
    };
    db::login_failures::clear_username(&txn, &name).await?;
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
    let role: Role = user
        .role
        .parse()
        .map_err(|_| ServiceError::Internal(format!("user {} has an unknown role", user.id)))?;
    Ok(Principal {
        id: user.id.clone(),
        username: user.username.clone(),
        role,
        township: user.township_code.clone(),
        village: user.village_code.clone(),
        provider_id: user.provider_id.clone(),
        family_id: user.family_id.clone(),
    })
}

/// Forgets failures and sessions past their time (run periodically).
pub async fn purge_expired(conn: &DatabaseConnection) -> ServiceResult<()> {
    let now = Utc::now().timestamp();
    db::sessions::delete_expired(conn, now).await?;
    db::login_failures::delete_older_than(conn, now - 24 * 60 * 60).await?;
    Ok(())
}
