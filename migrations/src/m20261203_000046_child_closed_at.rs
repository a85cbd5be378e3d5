//! When a file was closed (`children.closed_at`), so that the oversight
//! figures count the files on file at the end of any period: a file counts
//! when it was opened before the end (`created_at`) and not closed before
//! it. Files closed before this migration take their last change as their
//! closing time: a closed file can no longer be edited, so its
//! `updated_at` is the moment it was closed (nothing later writes it).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Children {
    Table,
    ClosedAt,
    Status,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Children::Table)
                    .add_column(timestamp_with_time_zone_null(Children::ClosedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(Children::Table)
                    .value(Children::ClosedAt, Expr::col(Children::UpdatedAt))
                    .and_where(Expr::col(Children::Status).eq("closed"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Children::Table)
                    .drop_column(Children::ClosedAt)
                    .to_owned(),
            )
            .await
    }
}
