//! The `needs` table. The public projection is computed from a need and its
//! child's file at read time; it is never stored.

use sea_orm::entity::prelude::*;

use crate::domain::category::Category;
use crate::domain::need::{NeedStatus, Urgency};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "needs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub code: String,
    pub child_id: String,
    pub township_code: String,
    pub category: Category,
    pub title: String,
    pub description: String,
    pub quantity: Option<i32>,
    pub urgency: Urgency,
    pub status: NeedStatus,
    pub closed_reason: Option<String>,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
    pub published_by: Option<String>,
    /// When the escalation clock started: publication, or the last renewal.
    pub waiting_since: Option<DateTimeUtc>,
    /// When the sweep widened the need to county-wide offers (once).
    pub widened_at: Option<DateTimeUtc>,
    /// When the sweep asked the officer to renew or close it.
    pub renewal_asked_at: Option<DateTimeUtc>,
    /// How it ended (`domain::outcome::NeedOutcome`, stored as three columns).
    pub outcome: Option<String>,
    pub outcome_reason: Option<String>,
    pub outcome_detail: Option<String>,
    /// When the outcome was recorded (what the period figures count by).
    pub outcome_at: Option<DateTimeUtc>,
    /// When the due-notice sweep told the township the need waits unmatched;
    /// cleared when it leaves that state (a proposal, a new publication).
    pub unmatched_noted_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
