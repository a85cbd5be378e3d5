//! The `service_records` table: services a provider logged on a match.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "service_records")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub match_id: String,
    pub served_on: Date,
    pub hours: Option<f64>,
    /// What a donation gave: yuan for money, items for goods; `None` for
    /// other categories (and records older than the column).
    pub amount: Option<i64>,
    pub summary: String,
    pub created_by: String,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
