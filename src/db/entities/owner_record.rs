//! The `owner_records` table: one provider's or family's record of
//! completed matches, ratings and outcomes, kept by relative updates
//! (`db::suggestions::bump_record`).

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "owner_records")]
pub struct Model {
    /// `provider` or `family`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub owner_kind: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub owner_id: String,
    pub completed: i64,
    pub rating_sum: i64,
    pub rated: i64,
    pub fully_met: i64,
    pub partly_met: i64,
    pub not_met: i64,
}

impl ActiveModelBehavior for ActiveModel {}
