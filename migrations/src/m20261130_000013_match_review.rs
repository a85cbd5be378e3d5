//! `matches.review_since`: when the guardian's consent to publish was
//! withdrawn while the match held its place (approved or in service). Such
//! a match is not cut off silently: it waits in the township officer's
//! inbox, from this time, until the officer continues or cancels it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Matches {
    Table,
    ReviewSince,
    TownshipCode,
}

const INDEX: &str = "idx_matches_township_review";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Matches::Table)
                    .add_column(timestamp_with_time_zone_null(Matches::ReviewSince))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(Matches::Table)
                    .col(Matches::TownshipCode)
                    .col(Matches::ReviewSince)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(INDEX).table(Matches::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Matches::Table)
                    .drop_column(Matches::ReviewSince)
                    .to_owned(),
            )
            .await
    }
}
