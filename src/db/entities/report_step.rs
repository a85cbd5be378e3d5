//! The `report_steps` table: one dated record per step of a report. The
//! step's details (who went, what was found…) are sealed.

use sea_orm::entity::prelude::*;

use crate::domain::report::StepKind;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "report_steps")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub report_id: String,
    /// 1, 2, … in the order the steps were recorded (the report's row is
    /// held by the step's transaction, so numbers never collide).
    pub seq: i32,
    pub kind: StepKind,
    /// When it happened, as recorded (the response's time may be earlier
    /// than when it was typed in).
    pub happened_at: DateTimeUtc,
    pub recorded_at: DateTimeUtc,
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    /// JSON of the step's details, sealed.
    pub detail_sealed: Option<Vec<u8>>,
}

impl ActiveModelBehavior for ActiveModel {}
