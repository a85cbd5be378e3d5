//! The `families` table.

use sea_orm::entity::prelude::*;

use crate::db::columns::CodeList;
use crate::domain::family::{CareType, FamilyStatus};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "families")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub household_name: String,
    pub township_code: String,
    pub members: i32,
    pub housing: String,
    pub contact_phone: String,
    /// JSON array of care-type identifiers.
    pub care_types: CodeList<CareType>,
    pub status: FamilyStatus,
    pub decision_reason: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    /// An approval runs out on this day; the family is assessed again.
    pub approved_until: Option<Date>,
    /// When the due-notice sweep told the township and the family that the
    /// approval entered its last days; cleared by a new approval.
    pub reassess_noted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
