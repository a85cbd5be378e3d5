//! An index for the county's inbox: families by status alone (the county
//! counts `recommended` families on every page it shows; the existing index
//! leads with the township and cannot serve a county-wide status count).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Families {
    Table,
    Status,
}

const INDEX: &str = "idx_families_status";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(Families::Table)
                    .col(Families::Status)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(INDEX).table(Families::Table).to_owned())
            .await
    }
}
