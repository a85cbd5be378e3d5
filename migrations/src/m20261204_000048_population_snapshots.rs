//! Month-end snapshots of who was on file, by township, difficulty class
//! and age band, for the oversight figures of completed periods.
//!
//! A file's class can change and its band moves with its birthdays, while
//! the file keeps only its current class and (sealed) birth date: counting
//! a past month's files by their class and band *now* would change that
//! month's figures after the fact. The server takes one snapshot per month
//! shortly after it ends (`services::oversight::snapshot`): the files on
//! file at its end, each in the class it has then and the band of its age
//! on the month's last day. `population_months` records that a month was
//! taken (its key decides which of two nodes writes it); months before
//! this migration have no snapshot and are counted by the current classes,
//! as the pages say.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PopulationMonths {
    Table,
    Month,
    TakenAt,
    Files,
}

#[derive(DeriveIden)]
enum PopulationSnapshots {
    Table,
    Month,
    TownshipCode,
    DifficultyClass,
    AgeBand,
    Files,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PopulationMonths::Table)
                    .col(date(PopulationMonths::Month).primary_key())
                    .col(timestamp_with_time_zone(PopulationMonths::TakenAt))
                    .col(big_integer(PopulationMonths::Files))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PopulationSnapshots::Table)
                    .col(date(PopulationSnapshots::Month))
                    .col(string_len(PopulationSnapshots::TownshipCode, 9))
                    .col(string_len(PopulationSnapshots::DifficultyClass, 32))
                    // "" for a file without a band (18 or older).
                    .col(string_len(PopulationSnapshots::AgeBand, 16))
                    .col(big_integer(PopulationSnapshots::Files))
                    .primary_key(
                        Index::create()
                            .col(PopulationSnapshots::Month)
                            .col(PopulationSnapshots::TownshipCode)
                            .col(PopulationSnapshots::DifficultyClass)
                            .col(PopulationSnapshots::AgeBand),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(PopulationSnapshots::Table, PopulationSnapshots::Month)
                            .to(PopulationMonths::Table, PopulationMonths::Month),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PopulationSnapshots::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(PopulationMonths::Table).to_owned())
            .await
    }
}
