//! Owner-only files: the data directory holds the SQLite database (child
//! files, sessions, the audit log), the search index and the vault key, so
//! no other local account may read or write any of it.
//!
//! Three layers, because no single one covers every file:
//! - the process umask (set by `main` before anything is opened), for the
//!   files others create for us: SQLite's `-wal` and `-shm`, tantivy's
//!   segments, lock files and temporary files;
//! - directories created here with mode 0700;
//! - a check at start-up that tightens what an older version, a restore
//!   from backup or a careless `mkdir` left looser, and says so.
//!
//! Imports nothing of the app.

use std::io;
use std::path::{Path, PathBuf};

/// Mode of every directory the portal keeps data in.
pub const DIR_MODE: u32 = 0o700;
/// Mode of every file the portal keeps data in.
pub const FILE_MODE: u32 = 0o600;

/// Makes every file and directory this process creates from now on
/// accessible to its owner only (umask 077), whatever umask the process
/// inherited (a login shell's is usually 022).
///
/// Why the umask and not only explicit modes: SQLite creates the `-wal`
/// and `-shm` files itself, and tantivy its segment, lock and temporary
/// files, with mode 0644 less the umask; no option of either reaches them.
/// The umask is process-wide, so `main` sets it once, first.
#[cfg(unix)]
pub fn restrict_umask() {
    use rustix::fs::Mode;
    rustix::process::umask(Mode::from_raw_mode(0o077));
}

/// Elsewhere files get the platform's access rules.
#[cfg(not(unix))]
pub fn restrict_umask() {}

/// True when `mode` lets anyone but the owner read, write or enter.
pub fn too_open(mode: u32) -> bool {
    mode & 0o077 != 0
}

/// Creates `dir` and any missing parents with mode 0700 (an existing
/// directory is left as it is: see [`tighten`]).
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(DIR_MODE);
    }
    builder.create(dir)
}

/// What [`tighten`] did to a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tightened {
    /// Nothing there.
    Missing,
    /// Already owner-only.
    Unchanged,
    /// Was open to others with this mode; now owner-only.
    Changed { from: u32, to: u32 },
}

/// Takes group and other access away from `path` (0700 for a directory,
/// 0600 for a file) if it has any; a missing path is no error. A symbolic
/// link is followed: the data directory or database may well be one.
#[cfg(unix)]
pub fn tighten(path: &Path) -> io::Result<Tightened> {
    use std::os::unix::fs::PermissionsExt;
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Tightened::Missing),
        Err(err) => return Err(err),
    };
    let from = meta.permissions().mode() & 0o777;
    if !too_open(from) {
        return Ok(Tightened::Unchanged);
    }
    let to = if meta.is_dir() { DIR_MODE } else { FILE_MODE };
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(to))?;
    Ok(Tightened::Changed { from, to })
}

#[cfg(not(unix))]
pub fn tighten(_path: &Path) -> io::Result<Tightened> {
    Ok(Tightened::Unchanged)
}

/// [`tighten`]s `root` and everything below it, each directory before
/// what it holds. Symbolic links below `root` are left alone: nothing the
/// portal writes there is one, and following one could reach anywhere.
pub fn tighten_tree(root: &Path) -> io::Result<Vec<(PathBuf, Tightened)>> {
    let mut done = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(path) = pending.pop() {
        let outcome = tighten(&path)?;
        if std::fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
            for entry in std::fs::read_dir(&path)? {
                let entry = entry?;
                if !entry.file_type()?.is_symlink() {
                    pending.push(entry.path());
                }
            }
        }
        done.push((path, outcome));
    }
    Ok(done)
}

/// [`tighten`]s `path` at start-up and says what it did: a warning for a
/// path that was open to other local accounts (an older version, a restore
/// from backup or a careless `mkdir` left it so), and for one that could not
/// be changed, the command that would.
pub fn secure(path: &Path) {
    match tighten(path) {
        Ok(Tightened::Changed { from, to }) => tracing::warn!(
            path = %path.display(),
            "other local accounts could access this path (mode {from:o}); restricted to {to:o}"
        ),
        Ok(Tightened::Missing | Tightened::Unchanged) => {}
        Err(err) => {
            let mode = if path.is_dir() { DIR_MODE } else { FILE_MODE };
            tracing::warn!(
                path = %path.display(),
                error = %err,
                "cannot check or restrict access to this path: if other local accounts can read it, run `chmod {mode:o} {}`",
                path.display()
            );
        }
    }
}

/// [`secure`] for `root` and everything below it, with one warning for
/// the whole tree rather than one per file.
pub fn secure_tree(root: &Path) {
    match tighten_tree(root) {
        Ok(done) => {
            let changed = done
                .iter()
                .filter(|(_, t)| matches!(t, Tightened::Changed { .. }))
                .count();
            if changed > 0 {
                tracing::warn!(
                    path = %root.display(),
                    changed,
                    "other local accounts could access files or directories here; restricted to the owner"
                );
            }
        }
        Err(err) => tracing::warn!(
            path = %root.display(),
            error = %err,
            "cannot check or restrict access below this directory: run `chmod -R go-rwx {}`",
            root.display()
        ),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path)
            .expect("metadata")
            .permissions()
            .mode()
            & 0o777
    }

    fn set_mode(path: &Path, mode: u32) {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }

    #[test]
    fn any_group_or_other_bit_is_too_open() {
        for open in [
            0o755, 0o750, 0o705, 0o644, 0o640, 0o604, 0o777, 0o701, 0o610,
        ] {
            assert!(too_open(open), "{open:o}");
        }
        for closed in [0o700, 0o600, 0o400, 0o500, 0o000] {
            assert!(!too_open(closed), "{closed:o}");
        }
        // Only the permission bits count, not the file type above them.
        assert!(!too_open(0o40700));
        assert!(too_open(0o100644));
    }

    #[test]
    fn tightening_closes_a_0755_directory_and_a_0644_file_and_reports_it() {
        let temp = tempfile::tempdir().expect("temp dir");
        let dir = temp.path().join("data");
        std::fs::create_dir(&dir).expect("dir");
        set_mode(&dir, 0o755);
        let file = dir.join("carebridge.db");
        std::fs::write(&file, b"").expect("file");
        set_mode(&file, 0o644);

        let done = tighten_tree(&dir).expect("tighten");
        assert!(done.contains(&(
            dir.clone(),
            Tightened::Changed {
                from: 0o755,
                to: 0o700
            }
        )));
        assert!(done.contains(&(
            file.clone(),
            Tightened::Changed {
                from: 0o644,
                to: 0o600
            }
        )));
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&file), 0o600);
        assert_eq!(tighten(&dir).expect("again"), Tightened::Unchanged);
        assert_eq!(
            tighten(&dir.join("nothing")).expect("missing"),
            Tightened::Missing
        );
    }

    #[test]
    fn links_inside_a_tree_are_not_followed() {
        let temp = tempfile::tempdir().expect("temp dir");
        let outside = temp.path().join("someone_elses.txt");
        std::fs::write(&outside, b"").expect("file");
        set_mode(&outside, 0o644);
        let tree = temp.path().join("index");
        std::fs::create_dir(&tree).expect("dir");
        std::os::unix::fs::symlink(&outside, tree.join("link")).expect("symlink");
        tighten_tree(&tree).expect("tighten");
        assert_eq!(mode(&outside), 0o644);
    }

    #[test]
    fn new_private_directories_are_0700_whatever_the_umask() {
        let temp = tempfile::tempdir().expect("temp dir");
        let nested = temp.path().join("a").join("b");
        create_private_dir(&nested).expect("create");
        assert_eq!(mode(&temp.path().join("a")), 0o700);
        assert_eq!(mode(&nested), 0o700);
    }
}
