//! Stored login sessions (the rows behind `web::session_store`).

use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use super::entities::session;

pub async fn load(
    db: &impl ConnectionTrait,
    id: &str,
    now: i64,
) -> Result<Option<session::Model>, DbErr> {
    session::Entity::find_by_id(id.to_owned())
        .filter(session::Column::ExpiresAt.gt(now))
        .one(db)
        .await
}

fn active(id: &str, data: &str, expires_at: i64, user_id: Option<&str>) -> session::ActiveModel {
    session::ActiveModel {
        id: Set(id.to_owned()),
        data: Set(data.to_owned()),
        expires_at: Set(expires_at),
        user_id: Set(user_id.map(str::to_owned)),
    }
}

/// Inserts a new session; fails with a unique violation if the id exists.
pub async fn insert(
    db: &impl ConnectionTrait,
    id: &str,
    data: &str,
    expires_at: i64,
    user_id: Option<&str>,
) -> Result<(), DbErr> {
    session::Entity::insert(active(id, data, expires_at, user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Inserts or replaces a session.
pub async fn upsert(
    db: &impl ConnectionTrait,
    id: &str,
    data: &str,
    expires_at: i64,
    user_id: Option<&str>,
) -> Result<(), DbErr> {
    session::Entity::insert(active(id, data, expires_at, user_id))
        .on_conflict(
            OnConflict::column(session::Column::Id)
                .update_columns([
                    session::Column::Data,
                    session::Column::ExpiresAt,
                    session::Column::UserId,
                ])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}

pub async fn delete(db: &impl ConnectionTrait, id: &str) -> Result<(), DbErr> {
    session::Entity::delete_by_id(id.to_owned())
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
