//! Counters of changes, one row per reader that caches something derived
//! from the data: `allocation` counts the changes the county allocation
//! plan depends on (needs, offers, matches, owners, child files), bumped in
//! the transaction of each change, so that a cached plan is known fresh by
//! reading one row.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ChangeCounters {
    Table,
    Name,
    Value,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ChangeCounters::Table)
                    .col(
                        ColumnDef::new(ChangeCounters::Name)
                            .string()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(ChangeCounters::Value)
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await?;
        let mut row = Query::insert();
        row.into_table(ChangeCounters::Table)
            .columns([ChangeCounters::Name, ChangeCounters::Value])
            .values(["allocation".into(), 0i64.into()])
            .map_err(|e| DbErr::Custom(e.to_string()))?;
        manager.exec_stmt(row).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ChangeCounters::Table).to_owned())
            .await
    }
}
