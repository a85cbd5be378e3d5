//! Password hashing with argon2id (m = 19 MiB, t = 2, p = 1).
//!
//! Hashing takes tens of milliseconds of CPU, so it runs on the blocking
//! pool, never on the async executor; and each one holds a 19 MiB buffer,
//! so no more run at once than there are cores (a permit of [`HASHING`] is
//! held for the whole computation): memory stays bounded however many
//! logins arrive, and the extra ones wait their turn instead of thrashing.

use std::sync::{LazyLock, OnceLock};

use tokio::sync::Semaphore;

use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};

use super::ServiceError;

/// Permits to hash: one per core.
static HASHING: LazyLock<Semaphore> = LazyLock::new(|| {
    Semaphore::new(std::thread::available_parallelism().map_or(2, std::num::NonZero::get))
});

/// Runs `work` on the blocking pool once a hashing permit is free.
async fn with_permit<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ServiceError> + Send + 'static,
) -> Result<T, ServiceError> {
    let _permit = HASHING
        .acquire()
        .await
        .map_err(|e| ServiceError::caused("hashing permits", e))?;
    tokio::task::spawn_blocking(work).await?
}

fn hasher() -> Result<Argon2<'static>, ServiceError> {
    let params = Params::new(19 * 1024, 2, 1, None)
        .map_err(|e| ServiceError::caused("argon2 parameters", e))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

fn hash_blocking(password: &str) -> Result<String, ServiceError> {
    hasher()?
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| ServiceError::caused("argon2 hash", e))
}

/// The PHC string of a fresh salted hash of `password`.
pub async fn hash(password: String) -> Result<String, ServiceError> {
    with_permit(move || hash_blocking(&password)).await
}

/// Whether `password` matches `stored`. With `stored = None` (no such user),
/// a dummy hash is checked instead, so that an unknown user costs the same
/// time as a wrong password and the two cannot be told apart.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, ServiceError> {
    with_permit(move || {
        let argon2 = hasher()?;
        match stored {
            Some(stored) => Ok(argon2
                .verify_password(password.as_bytes(), stored.as_str())
                .is_ok()),
            None => {
                let dummy = dummy_hash()?;
                let _ = argon2.verify_password(password.as_bytes(), dummy);
                Ok(false)
            }
        }
    })
    .await
}

fn dummy_hash() -> Result<&'static str, ServiceError> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(hash) = DUMMY.get() {
        return Ok(hash);
    }
    let hash = hash_blocking("carebridge-timing-equaliser")?;
    Ok(DUMMY.get_or_init(|| hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let stored = hash("correct horse battery staple".into())
            .await
            .expect("hash");
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            verify("correct horse battery staple".into(), Some(stored.clone()))
                .await
                .expect("verify")
        );
        assert!(
            !verify("wrong horse".into(), Some(stored))
                .await
                .expect("verify")
        );
        assert!(!verify("anything".into(), None).await.expect("verify"));
    }
}
