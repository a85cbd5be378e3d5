//! The k-anonymity population read through an index instead of by opening
//! every file: each file carries the age band it counts in
//! (`counted_band`, the band only while no birthday moves it within the
//! counting horizon; NULL otherwise) and until when that stays true
//! (`counted_until`, set when the file is written and by the daily
//! refresh; a file not refreshed in time counts nowhere, which can only
//! hide a township, never show one under k). The birth date stays sealed;
//! the band is what projections publish anyway (DESIGN.md).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Children {
    Table,
    Status,
    TownshipCode,
    DifficultyClass,
    CountedBand,
    CountedUntil,
}

const INDEX: &str = "idx_children_population";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            string_len_null(Children::CountedBand, 16),
            date_null(Children::CountedUntil),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Children::Table)
                        .add_column(col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(Children::Table)
                    .col(Children::Status)
                    .col(Children::TownshipCode)
                    .col(Children::DifficultyClass)
                    .col(Children::CountedBand)
                    .col(Children::CountedUntil)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(INDEX).table(Children::Table).to_owned())
            .await?;
        for col in [Children::CountedUntil, Children::CountedBand] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Children::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
