//! The `referral_events` table: a referral's timeline and comment thread.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "referral_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub referral_id: String,
    pub at: DateTimeUtc,
    pub actor_id: String,
    pub actor_name: String,
    /// `township`, `department` or `county`.
    pub side: String,
    /// `sent`, `accepted`, `comment`, `granted`, `refused`, `returned`,
    /// `forwarded`, `closed`.
    pub action: String,
    pub text: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
