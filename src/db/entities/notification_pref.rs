//! The `notification_prefs` table: one row per user who set their channels.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification_prefs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: String,
    pub email: Option<String>,
    pub email_confirmed_at: Option<DateTimeUtc>,
    /// SHA-256 (hex) of the pending confirmation token.
    pub email_token_hash: Option<String>,
    pub email_token_expires: Option<DateTimeUtc>,
    pub sms_phone: Option<String>,
    /// JSON object: inbox kind → channels (`domain::notification::Channels`).
    pub channels: String,
    /// `none` or `daily`.
    pub digest: String,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
