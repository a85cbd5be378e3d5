//! The `referrals` table: a child's case sent to a department (转介).

use sea_orm::entity::prelude::*;

use crate::domain::department::Department;
use crate::domain::referral::ReferralStatus;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "referrals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub child_id: String,
    pub township_code: String,
    pub department: Department,
    /// The entitlement rule it is about, if any.
    pub rule_id: Option<String>,
    /// What it is about: the rule's name or the matter typed.
    pub matter: String,
    /// The case summary (text-checked).
    pub summary: String,
    pub status: ReferralStatus,
    pub due_working_days: i32,
    pub due_on: Date,
    /// Past this day, unanswered, it escalates to the county.
    pub escalate_on: Date,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub accepted_at: Option<DateTimeUtc>,
    pub answered_at: Option<DateTimeUtc>,
    pub answered_by: Option<String>,
    /// The benefit granted, or the reason of a refusal or a return.
    pub answer_text: Option<String>,
    /// How the department answered (kept when the township closes it):
    /// `granted`, `refused`, `returned` or `forwarded`.
    pub outcome: Option<ReferralStatus>,
    pub amount_yuan: Option<i64>,
    pub start_on: Option<Date>,
    pub decision_reference: Option<String>,
    pub forwarded_to: Option<String>,
    pub forwarded_from: Option<String>,
    pub intake_id: Option<String>,
    /// The department asked the township something not yet answered.
    pub asked_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    /// When the due-notice sweep told the township it was overdue (once).
    pub overdue_noted_at: Option<DateTimeUtc>,
    /// When the due-notice sweep told the county it escalated (once).
    pub escalation_noted_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
