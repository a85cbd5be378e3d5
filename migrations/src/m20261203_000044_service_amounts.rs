//! The amount a service record gives (issue 18): yuan for a money
//! donation, items for a goods donation (the units the need's quantity
//! uses), so that the timeline and the match page show what was actually
//! given rather than what the need asked for. Empty for other categories
//! and for records written before this migration.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ServiceRecords {
    Table,
    Amount,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ServiceRecords::Table)
                    .add_column(big_integer_null(ServiceRecords::Amount))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ServiceRecords::Table)
                    .drop_column(ServiceRecords::Amount)
                    .to_owned(),
            )
            .await
    }
}
