//! The `reports` table: mandatory reports (强制报告). What the reporter
//! wrote and who they are is sealed (see `crate::vault`); never add a plain
//! column for it.

use sea_orm::entity::prelude::*;

use crate::domain::report::{Decision, ReportStatus, ReporterKind, RiskLevel};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// `BG-2026-000123`, what the reporter keeps.
    pub reference: String,
    /// Blind index of the reference and the lookup code together.
    pub lookup_index: String,
    pub township_code: String,
    pub urgent: bool,
    pub reporter_kind: ReporterKind,
    /// `public` (the open form) or `staff` (filed by a logged-in user).
    pub channel: String,
    pub filed_by: Option<String>,
    pub status: ReportStatus,
    pub decision: Option<Decision>,
    pub risk_level: Option<RiskLevel>,
    /// The child's file, once the officer linked or created it.
    pub child_id: Option<String>,
    /// Blind index of the child's ID number, when the reporter gave it.
    pub child_id_number_index: Option<String>,
    pub village_sealed: Option<Vec<u8>>,
    pub description_sealed: Vec<u8>,
    pub child_location_sealed: Option<Vec<u8>>,
    pub reporter_name_sealed: Option<Vec<u8>>,
    pub reporter_contact_sealed: Option<Vec<u8>>,
    pub child_name_sealed: Option<Vec<u8>>,
    pub child_id_number_sealed: Option<Vec<u8>>,
    pub received_at: DateTimeUtc,
    /// The first response is due by then.
    pub response_due: DateTimeUtc,
    /// Unanswered by then, the report waits for the county.
    pub escalate_at: DateTimeUtc,
    pub assigned_to: Option<String>,
    pub assigned_at: Option<DateTimeUtc>,
    /// When the first response happened (as the officer recorded it).
    pub responded_at: Option<DateTimeUtc>,
    pub assessed_at: Option<DateTimeUtc>,
    pub decided_at: Option<DateTimeUtc>,
    pub follow_up_due: Option<DateTimeUtc>,
    pub followed_up_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    /// When the sweep recorded the missed deadline (audited once).
    pub overdue_noted_at: Option<DateTimeUtc>,
    /// When the sweep escalated the report to the county (audited once).
    pub escalated_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
