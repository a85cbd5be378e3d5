//! The staff needs list of a township (newest first, then by id) read in
//! its order through one index, so that a page of it neither walks the
//! township's needs nor sorts them in a temporary tree.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Needs {
    Table,
    TownshipCode,
    CreatedAt,
    Id,
}

const INDEX: &str = "idx_needs_township_created";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(Needs::Table)
                    .col(Needs::TownshipCode)
                    .col((Needs::CreatedAt, IndexOrder::Desc))
                    .col(Needs::Id)
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
