//! The `entitlements` table: what a child receives (保障待遇), one record
//! per guarantee and period; an open record has no `ended_on`.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "entitlements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub child_id: String,
    /// The rule's code (a code no rule has any more is kept as it is).
    pub benefit: String,
    /// The guarantee's Chinese name when it was recorded.
    pub name: String,
    /// Since when (none for a migrated tick).
    pub since: Option<Date>,
    /// Monthly amount in yuan, when it is money.
    pub amount_yuan: Option<i64>,
    /// The benefit as granted, in words.
    pub detail: Option<String>,
    /// The decision's reference (文号).
    pub reference: Option<String>,
    pub ended_on: Option<Date>,
    /// `migrated`, `recorded` (by the township) or `referral` (granted).
    pub source: String,
    pub referral_id: Option<String>,
    pub recorded_by: Option<String>,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
