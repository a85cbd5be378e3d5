//! Stored login sessions (the rows behind `web::session_store`).
//!
//! A row is keyed by the SHA-256 of the session id, never by the id itself:
//! whoever reads the table (a backup, a replica, a support query) learns
//! nothing that would let them present a live session cookie. Every
//! function here takes a [`StoredId`], so a raw id cannot reach a query.

use std::collections::HashMap;

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};

use super::entities::session;

/// The key of a session's row: the SHA-256 (lowercase hex) of the id the
/// cookie carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredId(String);

impl StoredId {
    /// The row key for the session id `cookie_id` (as the cookie carries it).
    pub fn of(cookie_id: &str) -> Self {
        Self(hex::encode(Sha256::digest(cookie_id.as_bytes())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The fields of a session row other than its key.
#[derive(Debug, Clone, Copy)]
pub struct SessionRow<'a> {
    /// The session record as JSON.
    pub data: &'a str,
    /// Unix seconds.
    pub expires_at: i64,
    /// The logged-in account, copied out of `data`.
    pub user_id: Option<&'a str>,
}

/// A stored session as read: its record decoded from the row's JSON.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub data: HashMap<String, serde_json::Value>,
    /// Unix seconds.
    pub expires_at: i64,
}

/// The session under `id`, if it exists and has not expired at `now`. A
/// row whose JSON does not decode is an error of the read, not an empty
/// session.
pub async fn load(
    db: &impl ConnectionTrait,
    id: &StoredId,
    now: i64,
) -> Result<Option<Loaded>, DbErr> {
    let Some(row) = session::Entity::find_by_id(id.as_str().to_owned())
        .filter(session::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let data = serde_json::from_str(&row.data)
        .map_err(|e| DbErr::Type(format!("a stored session does not decode: {e}")))?;
    Ok(Some(Loaded {
        data,
        expires_at: row.expires_at,
    }))
}

/// Inserts a new session; fails with a unique violation if the id exists.
pub async fn insert(
    db: &impl ConnectionTrait,
    id: &StoredId,
    row: SessionRow<'_>,
) -> Result<(), DbErr> {
    let active = session::ActiveModel {
        id: Set(id.as_str().to_owned()),
        data: Set(row.data.to_owned()),
        expires_at: Set(row.expires_at),
        user_id: Set(row.user_id.map(str::to_owned)),
    };
    session::Entity::insert(active).exec(db).await?;
    Ok(())
}

/// Writes a session back, only if its row still exists and has not expired
/// at `now`; returns whether it did.
///
/// Never an insert: a request that loaded the session before a logout (or
/// an account's disabling, or the expiry) ends after it, and writing its
/// copy back must not bring the deleted session to life again.
pub async fn update(
    db: &impl ConnectionTrait,
    id: &StoredId,
    row: SessionRow<'_>,
    now: i64,
) -> Result<bool, DbErr> {
    let result = session::Entity::update_many()
        .col_expr(session::Column::Data, Expr::value(row.data))
        .col_expr(session::Column::ExpiresAt, Expr::value(row.expires_at))
        .col_expr(
            session::Column::UserId,
            Expr::value(row.user_id.map(str::to_owned)),
        )
        .filter(session::Column::Id.eq(id.as_str()))
        .filter(session::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}

pub async fn delete(db: &impl ConnectionTrait, id: &StoredId) -> Result<(), DbErr> {
    session::Entity::delete_by_id(id.as_str().to_owned())
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of a user (account disabled).
pub async fn delete_for_user(db: &impl ConnectionTrait, user_id: &str) -> Result<u64, DbErr> {
    Ok(session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(db)
        .await?
        .rows_affected)
}

pub async fn delete_expired(db: &impl ConnectionTrait, now: i64) -> Result<u64, DbErr> {
    Ok(session::Entity::delete_many()
        .filter(session::Column::ExpiresAt.lte(now))
        .exec(db)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_id_is_the_sha256_of_the_cookie_id() {
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        assert_eq!(
            StoredId::of("abc").as_str(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_ne!(StoredId::of("abc"), StoredId::of("abd"));
    }
}
