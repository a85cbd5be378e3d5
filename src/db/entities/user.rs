//! The `users` table.

use sea_orm::entity::prelude::*;

use crate::domain::Role;
use crate::domain::department::Department;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    #[sea_orm(unique)]
    pub username: String,
    pub password_hash: String,
    pub role: Role,
    pub township_code: Option<String>,
    pub village_code: Option<String>,
    pub provider_id: Option<String>,
    pub family_id: Option<String>,
    /// The department of a `department_staff` account.
    pub department: Option<Department>,
    pub disabled: bool,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
