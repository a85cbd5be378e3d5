//! The `need_escalations` table: each escalation step of a need (widened,
//! asked to renew, renewed, a proposal overdue), shown on the need.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "need_escalations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub need_id: String,
    /// `domain::escalation::EscalationKind` code.
    pub kind: String,
    pub at: DateTimeUtc,
    pub match_id: Option<String>,
    /// Who did it (a renewal); `None` for the sweep.
    pub actor_id: Option<String>,
    pub note: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
