//! The `offer_townships` table: the townships an offer serves (none when it
//! serves the whole county).

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "offer_townships")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub offer_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub township_code: String,
}

impl ActiveModelBehavior for ActiveModel {}
