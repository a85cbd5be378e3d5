//! Reserving attempts in throttle buckets before the work they guard (a
//! password check, a registration's hash): the policies of each kind of
//! bucket, from the settings, and the reservation inside a write
//! transaction (so that parallel attempts are counted one after another).

use std::time::Duration;

use chrono::Utc;
use sea_orm::ConnectionTrait;

use crate::config::Settings;
use crate::db;
use crate::db::throttle::{BucketKey, BucketKind};
use crate::domain::throttle::Policy;

use super::{ServiceError, ServiceResult, ThrottledAction};

/// A login from an address where the account logged in within this long
/// is not slowed by other accounts' failures from that address (a township
/// office behind one NAT keeps working while someone there guesses).
pub const KNOWN_FOR: Duration = Duration::from_secs(90 * 24 * 60 * 60);

/// Now, in milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// Guesses at one account from one address: a few free, then a wait that
/// doubles from 5 seconds up to the window.
pub fn login_pair(settings: &Settings) -> Policy {
    Policy {
        free: settings.throttle_per_account,
        first_delay: Duration::from_secs(5),
        max_delay: settings.throttle_window,
        window: settings.throttle_window,
    }
}

/// Failures from one address across accounts (password spraying): many
/// free, then a wait that doubles from one second up to a minute, so that
/// an office behind one address is slowed, never locked out.
pub fn login_address(settings: &Settings) -> Policy {
    Policy {
        free: settings.throttle_per_address,
        first_delay: Duration::from_secs(1),
        max_delay: Duration::from_secs(60),
        window: settings.throttle_window,
    }
}

/// Registrations from one address (each costs a password hash).
pub fn register(settings: &Settings) -> Policy {
    Policy {
        free: settings.register_per_address,
        first_delay: Duration::from_secs(30),
        max_delay: Duration::from_secs(60 * 60),
        window: Duration::from_secs(60 * 60),
    }
}

/// Reserves one attempt in `key`'s bucket at `now`, inside `txn` (a write
/// transaction): `Throttled` when it must wait.
pub async fn reserve(
    txn: &impl ConnectionTrait,
    key: BucketKey<'_>,
    policy: &Policy,
    now: i64,
    action: ThrottledAction,
) -> ServiceResult<()> {
    let stored = db::throttle::load(txn, key).await?;
    match policy.reserve(stored.map(|s| s.bucket), now) {
        Ok(bucket) => {
            db::throttle::store(txn, key, &bucket).await?;
            Ok(())
        }
        Err(wait) => Err(ServiceError::Throttled {
            retry_after: wait.seconds(),
            action,
        }),
    }
}

/// Whether the account of `key` (a login pair) logged in from its address
/// within [`KNOWN_FOR`].
pub async fn known_pair(
    txn: &impl ConnectionTrait,
    key: BucketKey<'_>,
    now: i64,
) -> ServiceResult<bool> {
    debug_assert_eq!(key.kind, BucketKind::LoginPair);
    let known_since = now.saturating_sub(i64::try_from(KNOWN_FOR.as_millis()).unwrap_or(0));
    Ok(db::throttle::load(txn, key)
        .await?
        .and_then(|s| s.last_success_at)
        .is_some_and(|at| at >= known_since))
}

/// Reserves a registration from `address` (providers and families), in a
/// transaction of its own, before anything is hashed.
pub async fn reserve_registration(
    conn: &sea_orm::DatabaseConnection,
    settings: &Settings,
    address: &str,
) -> ServiceResult<()> {
    let txn = db::begin_write(conn).await?;
    let key = BucketKey {
        kind: BucketKind::Register,
        username: "",
        address,
    };
    reserve(
        &txn,
        key,
        &register(settings),
        now_ms(),
        ThrottledAction::Register,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
