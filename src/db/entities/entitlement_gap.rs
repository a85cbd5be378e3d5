//! The `entitlement_gaps` table: one row per file eligible for a guarantee
//! it does not receive (应享未享), kept by `services::entitlements::gaps`.

use sea_orm::entity::prelude::*;

use crate::db::columns::NameList;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "entitlement_gaps")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub child_id: String,
    pub township_code: String,
    /// The highest severity among the gaps (3 urgent … 1).
    pub worst: i16,
    pub gap_count: i32,
    /// The rules not received, worst first.
    pub rules: NameList,
    /// Since when the file has had a gap without a break.
    pub since: Date,
    pub checked_on: Date,
}

impl ActiveModelBehavior for ActiveModel {}
