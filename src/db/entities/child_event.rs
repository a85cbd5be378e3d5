//! The `child_events` table: the history of a file (who changed what, when).
//! It names the fields that changed, never their values.

use sea_orm::entity::prelude::*;

use crate::db::columns::NameList;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "child_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub child_id: String,
    pub at: DateTimeUtc,
    pub actor_id: String,
    pub actor_name: String,
    pub action: String,
    pub fields: NameList,
    pub note: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
