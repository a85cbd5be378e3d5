//! Backups (API.md: `carebridge backup FILE`, `carebridge restore FILE`).
//!
//! SQLite: `VACUUM INTO` writes a consistent copy from one read
//! transaction while the portal goes on writing (WAL mode); the copy is a
//! plain database file. PostgreSQL: `pg_dump --format=custom` (one
//! snapshot of the whole database), restored by `pg_restore` into an
//! empty database in a single transaction.
//!
//! Neither holds the vault key: a backup without its key opens no child's
//! identity, so the key is kept apart and the command says so. Nor the
//! search index: a restore rebuilds it from the database.

use std::path::{Path, PathBuf};
use std::process::Command;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement};

use crate::db;

/// Why a backup or restore did not complete; one line for the operator.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} already exists: choose a new file name, a backup never overwrites")]
    Exists(String),
    #[error(
        "the target database already holds tables: restore only into an empty database (a new data directory, or a newly created PostgreSQL database)"
    )]
    NotEmpty,
    #[error("{0} is not a CareBridge backup of this kind of database ({1})")]
    Format(String, &'static str),
    #[error(
        "{tool} is not installed (install the PostgreSQL client tools, version at least the server's): {source}"
    )]
    ToolMissing {
        tool: &'static str,
        source: std::io::Error,
    },
    #[error("{tool} failed: {detail}")]
    Tool { tool: &'static str, detail: String },
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Start(#[from] db::StartError),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// The first bytes of every SQLite database file.
const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";
/// The first bytes of a `pg_dump --format=custom` archive.
const PG_MAGIC: &[u8] = b"PGDMP";

/// Writes a consistent backup of the database at `url` (open as `conn`)
/// to `file`, which must not exist; returns its size in bytes.
pub async fn backup(conn: &DatabaseConnection, url: &str, file: &Path) -> Result<u64, BackupError> {
    if file.exists() {
        return Err(BackupError::Exists(file.display().to_string()));
    }
    if conn.get_database_backend() == DbBackend::Sqlite {
        // A string literal: VACUUM INTO takes the file name as an expression.
        let name = file.display().to_string().replace('\'', "''");
        conn.execute_raw(Statement::from_string(
            DbBackend::Sqlite,
            format!("VACUUM INTO '{name}'"),
        ))
        .await?;
    } else {
        let file = file.to_path_buf();
        let url = url.to_owned();
        run_blocking(move || {
            pg_tool(
                "pg_dump",
                &url,
                &[
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    "--file",
                    &file.display().to_string(),
                ],
            )
        })
        .await?;
    }
    Ok(std::fs::metadata(file).map_err(io(file))?.len())
}

/// Restores `file` into the empty database at `url`. The caller migrates
/// (a backup of an older version is brought up to date), verifies the
/// audit chain and rebuilds the index.
pub async fn restore(url: &str, file: &Path) -> Result<(), BackupError> {
    let head = read_head(file)?;
    let conn = db::connect(url).await?;
    let sqlite = conn.get_database_backend() == DbBackend::Sqlite;
    let (magic, kind) = if sqlite {
        (SQLITE_MAGIC, "expected a SQLite database file")
    } else {
        (PG_MAGIC, "expected a pg_dump custom-format archive")
    };
    if !head.starts_with(magic) {
        return Err(BackupError::Format(file.display().to_string(), kind));
    }
    if table_count(&conn).await? > 0 {
        return Err(BackupError::NotEmpty);
    }
    if sqlite {
        let files = db::sqlite_files(&conn);
        conn.close().await?;
        let Some(target) = files.first().cloned() else {
            return Err(BackupError::Format(
                "the database URL".to_owned(),
                "an in-memory SQLite database cannot be restored into",
            ));
        };
        // The empty database the connection created, and its WAL.
        for leftover in &files {
            match std::fs::remove_file(leftover) {
                Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                    return Err(io(leftover)(err));
                }
                _ => {}
            }
        }
        copy_private(file, &target)?;
    } else {
        conn.close().await?;
        let file = file.to_path_buf();
        let url = url.to_owned();
        run_blocking(move || {
            pg_tool(
                "pg_restore",
                &url,
                &[
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                    &file.display().to_string(),
                ],
            )
        })
        .await?;
    }
    Ok(())
}

fn read_head(file: &Path) -> Result<Vec<u8>, BackupError> {
    use std::io::Read;
    let mut head = Vec::with_capacity(SQLITE_MAGIC.len());
    std::fs::File::open(file)
        .map_err(io(file))?
        .take(SQLITE_MAGIC.len() as u64)
        .read_to_end(&mut head)
        .map_err(io(file))?;
    Ok(head)
}

/// Copies `from` to a new owner-only file `to` (a copy would otherwise
/// take the backup file's permissions).
fn copy_private(from: &Path, to: &Path) -> Result<(), BackupError> {
    let mut source = std::fs::File::open(from).map_err(io(from))?;
    let mut target = std::fs::File::create_new(to).map_err(io(to))?;
    crate::files::secure(to);
    std::io::copy(&mut source, &mut target).map_err(io(to))?;
    target.sync_all().map_err(io(to))
}

/// Tables in the database's own schema (SQLite: outside its catalogue).
async fn table_count(conn: &DatabaseConnection) -> Result<i64, DbErr> {
    let backend = conn.get_database_backend();
    let sql = match backend {
        DbBackend::Sqlite => {
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        _ => {
            "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema()"
        }
    };
    let row = conn
        .query_one_raw(Statement::from_string(backend, sql))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("table count".into()))?;
    row.try_get::<i64>("", "n")
}

async fn run_blocking(
    work: impl FnOnce() -> Result<(), BackupError> + Send + 'static,
) -> Result<(), BackupError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|err| BackupError::Tool {
            tool: "backup",
            detail: err.to_string(),
        })?
}

/// Runs a PostgreSQL client tool on the database at `url`; the password
/// travels in `PGPASSWORD`, never on the command line (`ps` shows that).
fn pg_tool(tool: &'static str, url: &str, args: &[&str]) -> Result<(), BackupError> {
    let (url, password) = split_password(url);
    let mut command = Command::new(tool);
    command.args(args).arg("--dbname").arg(&url);
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    let output = command
        .output()
        .map_err(|source| BackupError::ToolMissing { tool, source })?;
    if output.status.success() {
        Ok(())
    } else {
        Err(BackupError::Tool {
            tool,
            detail: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        })
    }
}

/// The URL without its password, and the password (decoded).
fn split_password(url: &str) -> (String, Option<String>) {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return (url.to_owned(), None);
    };
    let password = parsed.password().map(|p| {
        percent_encoding::percent_decode_str(p)
            .decode_utf8_lossy()
            .into_owned()
    });
    if password.is_some() && parsed.set_password(None).is_err() {
        return (url.to_owned(), None);
    }
    (parsed.to_string(), password)
}

/// The vault key file a backup leaves out, for the operator's message.
pub fn key_file_path(data_dir: &Path) -> PathBuf {
    data_dir.join(crate::vault::key_file::FILE_NAME)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_leaves_the_url_decoded() {
        let (url, password) = split_password("postgres://cb:p%40ss%3Aw@db.example:5432/carebridge");
        assert_eq!(url, "postgres://cb@db.example:5432/carebridge");
        assert_eq!(password.as_deref(), Some("p@ss:w"));
        let (url, password) = split_password("postgres://postgres@127.0.0.1:5432/test");
        assert_eq!(url, "postgres://postgres@127.0.0.1:5432/test");
        assert_eq!(password, None);
    }
}
