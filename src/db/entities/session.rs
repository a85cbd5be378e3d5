//! The `sessions` table.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The session record as JSON.
    pub data: String,
    /// Unix seconds.
    pub expires_at: i64,
    pub user_id: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
