//! The `service_volunteers` table: which volunteers served on a service record.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "service_volunteers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub service_record_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub volunteer_id: String,
}

impl ActiveModelBehavior for ActiveModel {}
