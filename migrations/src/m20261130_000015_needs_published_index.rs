//! The inbox's unmatched needs of a township (published before a cutoff,
//! oldest first) read through one index: township, status and publication
//! time, so that neither the count nor the page walks the township's
//! needs or sorts them in a temporary tree.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Needs {
    Table,
    TownshipCode,
    Status,
    PublishedAt,
}

const INDEX: &str = "idx_needs_township_status_published";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(Needs::Table)
                    .col(Needs::TownshipCode)
                    .col(Needs::Status)
                    .col(Needs::PublishedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(INDEX).table(Needs::Table).to_owned())
            .await
    }
}
