//! The fingerprint of the vault key this database was sealed with.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};

use super::entities::vault_meta;

const ROW: i32 = 1;

pub async fn fingerprint(db: &impl ConnectionTrait) -> Result<Option<String>, DbErr> {
    Ok(vault_meta::Entity::find_by_id(ROW)
        .one(db)
        .await?
        .map(|m| m.fingerprint))
}

/// Records the fingerprint of the first key (fails if one is recorded).
pub async fn init(db: &impl ConnectionTrait, fingerprint: &str) -> Result<(), DbErr> {
    vault_meta::ActiveModel {
        id: Set(ROW),
        fingerprint: Set(fingerprint.to_owned()),
        created_at: Set(Utc::now()),
        rotated_at: Set(None),
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// Records a new key after rotation.
pub async fn rotate(db: &impl ConnectionTrait, fingerprint: &str) -> Result<(), DbErr> {
    vault_meta::ActiveModel {
        id: Set(ROW),
        fingerprint: Set(fingerprint.to_owned()),
        rotated_at: Set(Some(Utc::now())),
        ..Default::default()
    }
    .update(db)
    .await
    .map(|_| ())
}
