//! Where the master key lives: `CAREBRIDGE_VAULT_KEY`, or `vault.key` in the
//! data directory, created with mode 0600 on the first start of an empty
//! database and never silently replaced afterwards.

use std::fs::OpenOptions;
use std::io::Write;
#[cfg(unix)]
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use super::{VaultError, VaultKey};

/// The key file's name in the data directory.
pub const FILE_NAME: &str = "vault.key";
/// A rotated key waits under this name until the database has committed.
pub const PENDING_NAME: &str = "vault.key.new";

/// Where the key in use came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    Environment,
    File(PathBuf),
    /// Created just now for an empty database.
    Created(PathBuf),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> VaultError + '_ {
    move |source| VaultError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Creates `dir` (and parents) owner-only, like the rest of the data
/// directory (the vault imports nothing of the app, so not `files`).
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(0o700);
    builder.create(dir)
}

/// Reads a key file.
pub fn read(path: &Path) -> Result<VaultKey, VaultError> {
    let text = zeroize::Zeroizing::new(std::fs::read_to_string(path).map_err(io(path))?);
    VaultKey::parse(&text)
}

/// Writes `key` to a new file readable by its owner only; refuses to
/// overwrite an existing file.
pub fn write_new(path: &Path, key: &VaultKey) -> Result<(), VaultError> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    let mut file = options.open(path).map_err(io(path))?;
    let mut text = key.encode();
    text.push('\n');
    file.write_all(text.as_bytes()).map_err(io(path))?;
    file.sync_all().map_err(io(path))
}

/// The key to use: the environment's if given, else the key file; creates
/// the key file only when `may_create` (the database holds no sealed data).
pub fn load(
    env_key: Option<&str>,
    data_dir: &Path,
    may_create: bool,
) -> Result<(VaultKey, KeySource), VaultError> {
    if let Some(text) = env_key {
        return Ok((VaultKey::parse(text)?, KeySource::Environment));
    }
    let path = data_dir.join(FILE_NAME);
    if path.exists() {
        return Ok((read(&path)?, KeySource::File(path)));
    }
    if !may_create {
        return Err(VaultError::Missing {
            path: path.display().to_string(),
        });
    }
    create_private_dir(data_dir).map_err(io(data_dir))?;
    let key = VaultKey::generate()?;
    write_new(&path, &key)?;
    Ok((key, KeySource::Created(path)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_file_is_created_once_with_owner_only_access() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (key, source) = load(None, dir.path(), true).expect("created");
        assert!(matches!(source, KeySource::Created(_)));
        let path = dir.path().join(FILE_NAME);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path)
                .expect("metadata")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let (again, source) = load(None, dir.path(), false).expect("read back");
        assert_eq!(source, KeySource::File(path.clone()));
        assert_eq!(key.encode(), again.encode());
        assert!(write_new(&path, &key).is_err(), "never overwritten");
    }

    #[test]
    fn a_missing_key_is_not_invented_for_a_database_with_data() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(matches!(
            load(None, dir.path(), false),
            Err(VaultError::Missing { .. })
        ));
        assert!(!dir.path().join(FILE_NAME).exists());
    }

    #[test]
    fn the_environment_wins_and_must_be_well_formed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let key = VaultKey::generate().expect("random");
        let (got, source) = load(Some(&key.encode()), dir.path(), true).expect("env");
        assert_eq!(source, KeySource::Environment);
        assert_eq!(got.encode(), key.encode());
        assert!(matches!(
            load(Some("not a key"), dir.path(), true),
            Err(VaultError::KeyFormat)
        ));
    }
}
