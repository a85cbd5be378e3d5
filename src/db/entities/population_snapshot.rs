//! The `population_snapshots` table: files on file at a month's end per
//! township, difficulty class and age band ("" past 17).

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "population_snapshots")]
pub struct Model {
    /// The first day of the month.
    #[sea_orm(primary_key, auto_increment = false)]
    pub month: Date,
    #[sea_orm(primary_key, auto_increment = false)]
    pub township_code: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub difficulty_class: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub age_band: String,
    pub files: i64,
}

impl ActiveModelBehavior for ActiveModel {}
