//! Opening the vault at start-up against the database's key fingerprint,
//! and rotating the key.

use std::path::Path;

use sea_orm::DatabaseConnection;

use crate::db;
use crate::vault::key_file::{self, KeySource};
use crate::vault::{Vault, VaultError, VaultKey};

use super::audit::{self, Event};
use super::files::identity;
use super::{RequestCtx, ServiceResult};

/// Why the vault could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error("cannot read the vault fingerprint: {0}")]
    Db(#[from] sea_orm::DbErr),
}

/// Opens the vault: the key from the environment or the key file (created
/// only for a database that has never held sealed data), checked against
/// the fingerprint recorded in the database.
pub async fn open(
    conn: &DatabaseConnection,
    env_key: Option<&str>,
    data_dir: &Path,
) -> Result<(Vault, KeySource), OpenError> {
    let stored = db::vault_meta::fingerprint(conn).await?;
    let (key, source) = key_file::load(env_key, data_dir, stored.is_none())?;
    let vault = Vault::new(&key);
    match stored {
        None => {
            db::vault_meta::init(conn, vault.fingerprint()).await?;
            Ok((vault, source))
        }
        Some(expected) if expected == vault.fingerprint() => Ok((vault, source)),
        Some(expected) => {
            // A rotation that committed but did not get to swap the key file.
            let pending = data_dir.join(key_file::PENDING_NAME);
            if let KeySource::File(path) = &source
                && pending.exists()
            {
                let next = Vault::new(&key_file::read(&pending)?);
                if next.fingerprint() == expected {
                    std::fs::rename(&pending, path).map_err(|source| VaultError::Io {
                        path: path.display().to_string(),
                        source,
                    })?;
                    tracing::warn!("finished an interrupted vault key rotation");
                    return Ok((next, KeySource::File(path.clone())));
                }
            }
            Err(VaultError::Mismatch {
                given: vault.fingerprint().to_owned(),
                expected,
            }
            .into())
        }
    }
}

/// Re-seals every value under `new` and records its fingerprint, all in one
/// transaction: either every file moves to the new key or none does.
pub async fn rotate(conn: &DatabaseConnection, old: &Vault, new: &Vault) -> ServiceResult<u64> {
    let txn = db::begin_write(conn).await?;
    let children = db::children::all(&txn, None).await?;
    let count = children.len() as u64;
    for mut child in children {
        identity::reseal(old, new, &mut child)?;
        db::children::write_sealed(&txn, &child).await?;
    }
    db::vault_meta::rotate(&txn, new.fingerprint()).await?;
    audit::append(
        &txn,
        &RequestCtx::system(),
        Event::success("vault.rotate_key", "vault").with_detail(format!(
            "{count} files re-sealed; new key fingerprint {}",
            new.fingerprint()
        )),
    )
    .await?;
    txn.commit().await?;
    Ok(count)
}

/// The new key for a rotation: from `CAREBRIDGE_NEW_VAULT_KEY` when the
/// current key comes from the environment, else a fresh key written to the
/// pending key file (swapped in after the commit).
pub fn new_key(
    source: &KeySource,
    data_dir: &Path,
    env_new: Option<&str>,
) -> Result<VaultKey, VaultError> {
    match source {
        KeySource::Environment => VaultKey::parse(env_new.ok_or(VaultError::KeyFormat)?),
        KeySource::File(_) | KeySource::Created(_) => {
            let pending = data_dir.join(key_file::PENDING_NAME);
            // A leftover from a rotation that never committed: the database
            // still matches the current key, so the leftover is useless.
            if pending.exists() {
                std::fs::remove_file(&pending).map_err(|source| VaultError::Io {
                    path: pending.display().to_string(),
                    source,
                })?;
            }
            let key = VaultKey::generate()?;
            key_file::write_new(&pending, &key)?;
            Ok(key)
        }
    }
}

/// After a committed rotation with a key file: the pending file replaces it.
pub fn finish_file_rotation(data_dir: &Path) -> Result<(), VaultError> {
    let pending = data_dir.join(key_file::PENDING_NAME);
    let current = data_dir.join(key_file::FILE_NAME);
    std::fs::rename(&pending, &current).map_err(|source| VaultError::Io {
        path: current.display().to_string(),
        source,
    })
}
