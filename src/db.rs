//! The database: connecting, migrating, and the queries of each table.
//!
//! Plain async functions taking `&impl ConnectionTrait`, so that services
//! compose them inside one transaction. Only this module and `services`
//! name sea-orm; the web layer never does.
//!
//! SQLite runs in WAL mode with a busy timeout, and every write transaction
//! is opened with [`begin_write`] (`BEGIN IMMEDIATE`): a deferred transaction
//! that reads and then writes fails with SQLITE_BUSY at once, whatever the
//! timeout, when another writer got there first.

pub mod allocation;
pub mod audit;
pub mod bulk;
pub mod children;
pub mod columns;
pub mod due;
pub mod entities;
pub mod entitlements;
pub mod escalation;
pub mod families;
pub mod id_lists;
pub mod inbox;
pub mod login_failures;
pub mod marks;
pub mod matches;
pub mod needs;
pub mod notify;
pub mod offers;
pub mod outbox;
pub mod oversight;
pub mod providers;
pub mod referrals;
pub mod regions;
pub mod reports;
pub mod sessions;
pub mod statements;
pub mod suggestions;
pub mod throttle;
pub mod timeline;
pub mod users;
pub mod vault_meta;
pub mod volunteers;

use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

/// Why the database could not be made ready. Displays one line naming the
/// URL without its password.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot open database {url}: {source}")]
    Open { url: String, source: DbErr },
    #[error("cannot migrate database {url}: {source}")]
    Migrate { url: String, source: DbErr },
    #[error("cannot create data directory {dir}: {source}")]
    DataDir { dir: String, source: std::io::Error },
}

/// Opens the database at `url` (SQLite or PostgreSQL).
pub async fn connect(url: &str) -> Result<DatabaseConnection, StartError> {
    let mut options = ConnectOptions::new(url.to_owned());
    // Statements carry values, and values can be personal data: never log them.
    options
        .sqlx_logging(false)
        .max_connections(if is_sqlite(url) { 8 } else { 16 })
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30))
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        });
    let mut conn = Database::connect(options)
        .await
        .map_err(|source| StartError::Open {
            url: redact_url(url),
            source,
        })?;
    conn.set_metric_callback(statements::record);
    Ok(conn)
}

/// Runs every pending migration.
pub async fn migrate(db: &DatabaseConnection, url: &str) -> Result<(), StartError> {
    Migrator::up(db, None)
        .await
        .map_err(|source| StartError::Migrate {
            url: redact_url(url),
            source,
        })
}

/// How many times [`begin_write`] tries to take the write lock before it
/// gives up with the last (transient) error.
const BEGIN_ATTEMPTS: u32 = 3;

/// Opens a write transaction holding the one write lock of the portal.
///
/// **Lock order (the same for every write):** the write lock first, taken
/// here before anything is read; then the rows the transaction reads and
/// writes. On SQLite the lock is the database's own (`BEGIN IMMEDIATE`); on
/// PostgreSQL it is the audit head's row lock (`audit::lock_head`), which
/// every audited write needs anyway to extend the hash chain and which
/// makes outbox sequence order equal commit order. Because no transaction
/// takes a row lock before this one, two writers can never wait for each
/// other in a cycle (no deadlock), and whatever a transaction reads after
/// `begin_write` stays as read until it commits: a decision is always made
/// on current values. Read what you decide on through the transaction,
/// never through the pool (on SQLite another pooled connection would wait
/// for this very lock).
///
/// Waiting for the lock can still time out under heavy load (SQLite's busy
/// timeout): that is retried here a few times, then reported as a
/// transient error (503, never 500).
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let mut attempt = 1;
    loop {
        match try_begin_write(db).await {
            Err(err) if attempt < BEGIN_ATTEMPTS && is_transient(&err) => {
                tracing::warn!(attempt, "write lock busy, retrying");
                tokio::time::sleep(Duration::from_millis(50 * u64::from(attempt))).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// Brings the planner's statistics up to date after a bulk load. On
/// PostgreSQL, plans follow the statistics: before autovacuum's next
/// analyze, a table just filled with 100,000 needs still counts as empty,
/// and the officer's inbox sorts all of a township's needs (565 ms a
/// request) instead of reading 20 from an index (0.2 ms). SQLite's plans
/// here are chosen to hold without statistics (`tests/api/cost.rs`), so
/// nothing is run there.
pub async fn refresh_statistics(db: &DatabaseConnection) -> Result<(), DbErr> {
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        sea_orm::ConnectionTrait::execute_unprepared(db, "ANALYZE").await?;
    }
    Ok(())
}

async fn try_begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let txn = db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?;
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        audit::lock_head(&txn).await?;
    }
    Ok(txn)
}

/// True when `err` says "try again": the write lock or a row lock could
/// not be had in time, a deadlock or serialization failure was detected,
/// or no pooled connection was free. The request did nothing that stays.
pub fn is_transient(err: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    if matches!(err, DbErr::ConnectionAcquire(_)) {
        return true;
    }
    let (DbErr::Conn(RuntimeErr::SqlxError(e))
    | DbErr::Exec(RuntimeErr::SqlxError(e))
    | DbErr::Query(RuntimeErr::SqlxError(e))) = err
    else {
        return false;
    };
    match e.as_ref() {
        sea_orm::sqlx::Error::PoolTimedOut => true,
        sea_orm::sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            // PostgreSQL: serialization_failure, deadlock_detected,
            // lock_not_available. SQLite: BUSY and LOCKED with their
            // extended codes (the low byte is the primary code).
            matches!(code.as_ref(), "40001" | "40P01" | "55P03")
                || code.parse::<u32>().is_ok_and(|n| matches!(n & 0xff, 5 | 6))
        }),
        _ => false,
    }
}

pub fn is_sqlite(url: &str) -> bool {
    url.starts_with("sqlite:")
}

/// The files of an open SQLite database: the database itself, then its
/// write-ahead log and shared-memory index (which may not exist yet).
/// Empty for PostgreSQL and for an in-memory database.
pub fn sqlite_files(db: &DatabaseConnection) -> Vec<std::path::PathBuf> {
    if db.get_database_backend() != sea_orm::DbBackend::Sqlite {
        return Vec::new();
    }
    // The pool's own options: the file sqlx opened, however the URL said it.
    let options = db.get_sqlite_connection_pool().connect_options();
    let file = options.get_filename();
    if file.as_os_str().is_empty() || file.to_string_lossy().starts_with("file:") {
        return Vec::new();
    }
    let with_suffix = |suffix: &str| {
        let mut name = file.as_os_str().to_owned();
        name.push(suffix);
        std::path::PathBuf::from(name)
    };
    vec![file.to_path_buf(), with_suffix("-wal"), with_suffix("-shm")]
}

/// `url` with any password replaced by `***`, for messages and logs.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else {
        return url.to_owned();
    };
    let userinfo = &authority[..at];
    let Some(colon) = userinfo.find(':') else {
        return url.to_owned();
    };
    format!(
        "{}{}:***{}",
        &url[..scheme_end + 3],
        &userinfo[..colon],
        &rest[at..]
    )
}

/// True when `err` is a unique-constraint violation (a duplicate).
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_removed_from_urls() {
        assert_eq!(
            redact_url("postgres://cb:s3cret@db.example:5432/carebridge"),
            "postgres://cb:***@db.example:5432/carebridge"
        );
        assert_eq!(
            redact_url("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
        assert_eq!(
            redact_url("sqlite://./data/carebridge.db?mode=rwc"),
            "sqlite://./data/carebridge.db?mode=rwc"
        );
        assert_eq!(
            redact_url("postgres://u:p@ss@h/db"),
            "postgres://u:***@h/db"
        );
    }
}

/// How many connections a pool holds and how many of them are in use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolUse {
    pub open: u32,
    pub in_use: u32,
    pub max: u32,
}

/// The connection pool's use now (for monitoring).
pub fn pool_use(db: &DatabaseConnection) -> PoolUse {
    fn of<D: sea_orm::sqlx::Database>(pool: &sea_orm::sqlx::Pool<D>) -> PoolUse {
        let open = pool.size();
        let idle = u32::try_from(pool.num_idle()).unwrap_or(u32::MAX);
        PoolUse {
            open,
            in_use: open.saturating_sub(idle),
            max: pool.options().get_max_connections(),
        }
    }
    match db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => of(db.get_sqlite_connection_pool()),
        _ => of(db.get_postgres_connection_pool()),
    }
}
