//! The `search_outbox` table: what changed for the search index, in order.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "search_outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub seq: i64,
    /// `offer`, `need` or `township` (every published need of a township).
    pub kind: String,
    pub ref_id: String,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
