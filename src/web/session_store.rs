//! The session store: tower-sessions records kept in the application's own
//! database, so that sessions survive a restart and are shared by every node.
//!
//! No ready-made store fits sea-orm 2 (see STACK-NOTES.md), hence this one.
//! The account id is copied out of the record into its own column so that
//! disabling an account can end all of its sessions with one statement.

use async_trait::async_trait;
use sea_orm::DatabaseConnection;
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result, SessionStore};

use crate::db;

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

fn encode(record: &Record) -> Result<(String, Option<String>)> {
    let data = serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
    let user = record
        .data
        .get(USER_KEY)
        .and_then(|v| v.as_str())
        .map(str::to_owned);
    Ok((data, user))
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        let (data, user) = encode(record)?;
        // Ids are 128 random bits; a collision is astronomically unlikely, but
        // overwriting someone else's session would be a breach, so retry.
        for _ in 0..8 {
            let id = record.id.to_string();
            let expires = record.expiry_date.unix_timestamp();
            match db::sessions::insert(&self.conn, &id, &data, expires, user.as_deref()).await {
                Ok(()) => return Ok(()),
                Err(e) if db::is_unique_violation(&e) => record.id = Id::default(),
                Err(e) => return Err(backend(e)),
            }
        }
        Err(Error::Backend("could not find a free session id".into()))
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let (data, user) = encode(record)?;
        db::sessions::upsert(
            &self.conn,
            &record.id.to_string(),
            &data,
            record.expiry_date.unix_timestamp(),
            user.as_deref(),
        )
        .await
        .map_err(backend)
    }

    async fn load(&self, session_id: &Id) -> Result<Option<Record>> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let Some(row) = db::sessions::load(&self.conn, &session_id.to_string(), now)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data = serde_json::from_str(&row.data).map_err(|e| Error::Decode(e.to_string()))?;
        let expiry_date = OffsetDateTime::from_unix_timestamp(row.expires_at)
            .map_err(|e| Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *session_id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, session_id: &Id) -> Result<()> {
        db::sessions::delete(&self.conn, &session_id.to_string())
            .await
            .map_err(backend)
    }
}
