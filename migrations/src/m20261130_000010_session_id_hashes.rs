//! Sessions are keyed by the SHA-256 (hex) of their id from now on, no
//! longer by the id the cookie carries, so that reading the table (a
//! backup, a replica, a support query) gives nobody a working cookie.
//!
//! The existing rows are deleted: their ids cannot be hashed in SQL that
//! both SQLite and PostgreSQL understand, and a row left under its plain id
//! would never be found again anyway. **Everyone logged in when this
//! migration runs is logged out and logs in again.** The column keeps its
//! type (64 characters holds a SHA-256 in hex), so no schema changes.
//!
//! `down` empties the table too: the older code cannot use hashed keys, so
//! going back also means logging in again.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Sessions {
    Table,
}

async fn end_all_sessions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .exec_stmt(Query::delete().from_table(Sessions::Table).to_owned())
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        end_all_sessions(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        end_all_sessions(manager).await
    }
}
