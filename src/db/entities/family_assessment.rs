//! The `family_assessments` table: a township officer's home visit to a
//! caring-family applicant, and whether they recommend it.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "family_assessments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub family_id: String,
    pub visited_on: Date,
    pub housing: String,
    pub income: String,
    pub health: String,
    pub training: String,
    pub findings: String,
    pub recommend: bool,
    pub assessed_by: String,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
