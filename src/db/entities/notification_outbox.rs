//! The `notification_outbox` table: messages to send, written in the same
//! transaction as the event they tell of.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification_outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub user_id: String,
    /// An inbox kind's code, `email_confirm` or `digest`.
    pub kind: String,
    /// `email` or `sms`.
    pub channel: String,
    pub address: String,
    pub subject: String,
    pub body: String,
    pub path: String,
    /// `pending`, `held` (for the daily digest), `sent` or `digested`.
    pub status: String,
    pub due_at: DateTimeUtc,
    pub attempts: i32,
    pub lease_owner: Option<String>,
    pub lease_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub digest_id: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
