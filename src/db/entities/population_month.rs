//! The `population_months` table: the months whose month-end snapshot of
//! files on file was taken (one row each; its key lets one node write it).

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "population_months")]
pub struct Model {
    /// The first day of the month.
    #[sea_orm(primary_key, auto_increment = false)]
    pub month: Date,
    pub taken_at: DateTimeUtc,
    /// Files on file at the month's end, all classes and bands.
    pub files: i64,
}

impl ActiveModelBehavior for ActiveModel {}
