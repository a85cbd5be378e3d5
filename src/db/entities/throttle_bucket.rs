//! The `throttle_buckets` table (see `domain::throttle`).

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "throttle_buckets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: String,
    /// Empty for buckets of an address alone.
    #[sea_orm(primary_key, auto_increment = false)]
    pub username: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub address: String,
    pub failures: i32,
    /// Milliseconds since the Unix epoch.
    pub last_at: i64,
    pub not_before: i64,
    pub last_success_at: Option<i64>,
}

impl ActiveModelBehavior for ActiveModel {}
