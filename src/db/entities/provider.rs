//! The `providers` table.

use sea_orm::entity::prelude::*;

use crate::domain::provider::{ProviderKind, ProviderStatus};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "providers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub kind: ProviderKind,
    pub name: String,
    pub credit_code: Option<String>,
    pub contact_name: String,
    pub contact_phone: String,
    pub description: String,
    pub status: ProviderStatus,
    pub decision_reason: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
