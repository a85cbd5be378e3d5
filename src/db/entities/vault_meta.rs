//! The `vault_meta` table: the fingerprint of the vault key in use.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "vault_meta")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    pub fingerprint: String,
    pub created_at: DateTimeUtc,
    pub rotated_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
