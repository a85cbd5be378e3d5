//! The session store: tower-sessions records kept in the application's own
//! database, so that sessions survive a restart and are shared by every node.
//!
//! No ready-made store fits sea-orm 2 (see STACK-NOTES.md), hence this one.
//! The account id is copied out of the record into its own column so that
//! disabling an account can end all of its sessions with one statement.
//! Rows are keyed by the SHA-256 of the session id, never the id itself.

use async_trait::async_trait;
use sea_orm::DatabaseConnection;
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result, SessionStore};

use crate::db;
use crate::db::sessions::{SessionRow, StoredId};

/// The session key holding the logged-in account's id.
pub const USER_KEY: &str = "uid";

#[derive(Clone)]
pub struct DbSessionStore {
    conn: DatabaseConnection,
}

impl std::fmt::Debug for DbSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbSessionStore")
    }
}

impl DbSessionStore {
    pub fn new(conn: DatabaseConnection) -> Self {
        Self { conn }
    }
}

fn backend(err: sea_orm::DbErr) -> Error {
    Error::Backend(err.to_string())
}

/// The row key of `id`: only its hash is stored (see `db::sessions`).
fn stored(id: &Id) -> StoredId {
    StoredId::of(&id.to_string())
}

/// The record as JSON and the account id copied out of it.
fn encode(record: &Record) -> Result<(String, Option<String>)> {
    let data = serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
    let user = record
        .data
        .get(USER_KEY)
        .and_then(|v| v.as_str())
        .map(str::to_owned);
    Ok((data, user))
}

/// tower-sessions calls `create` for a session without a row (none was
/// sent or found, or `cycle_id` at login dropped the old id), and `save`
/// for one it loaded from a row. So `create` inserts and `save` only ever
/// updates: a session deleted while a request held it stays deleted.
#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        let (data, user) = encode(record)?;
        // Ids are 128 random bits; a collision is astronomically unlikely, but
        // overwriting someone else's session would be a breach, so retry.
        for _ in 0..8 {
            let row = SessionRow {
                data: &data,
                expires_at: record.expiry_date.unix_timestamp(),
                user_id: user.as_deref(),
            };
            match db::sessions::insert(&self.conn, &stored(&record.id), row).await {
                Ok(()) => return Ok(()),
                Err(e) if db::is_unique_violation(&e) => record.id = Id::default(),
                Err(e) => return Err(backend(e)),
            }
        }
        Err(Error::Backend("could not find a free session id".into()))
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let (data, user) = encode(record)?;
        let row = SessionRow {
            data: &data,
            expires_at: record.expiry_date.unix_timestamp(),
            user_id: user.as_deref(),
        };
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let updated = db::sessions::update(&self.conn, &stored(&record.id), row, now)
            .await
            .map_err(backend)?;
        if !updated {
            // Logged out, disabled or expired while this request ran: the
            // request's copy is dropped, the cookie it answers with is dead.
            tracing::debug!("session ended during the request; not written back");
        }
        Ok(())
    }

    async fn load(&self, session_id: &Id) -> Result<Option<Record>> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let Some(row) = db::sessions::load(&self.conn, &stored(session_id), now)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data = row.data;
        let expiry_date = OffsetDateTime::from_unix_timestamp(row.expires_at)
            .map_err(|e| Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *session_id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, session_id: &Id) -> Result<()> {
        db::sessions::delete(&self.conn, &stored(session_id))
            .await
            .map_err(backend)
    }
}
