//! The `intakes` table: one application at the township window (一门受理),
//! routed as referrals (`referrals.intake_id`).

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "intakes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub child_id: String,
    pub township_code: String,
    /// Who applies, by relation to the child (祖母, 本人…), never a name.
    pub applicant: String,
    /// What the family asks for, in words (text-checked).
    pub request: String,
    pub created_by: String,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
