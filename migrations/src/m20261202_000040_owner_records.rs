//! Owners' records kept as counter rows (`owner_records`): one row per
//! provider or family with its completed matches, the sum and number of
//! their ratings, and the outcomes the township recorded for them. The
//! suggestions read the rows of the candidates' owners only, instead of
//! walking every completed match of the county per request (issue 12's
//! performance defect). The counters change by relative updates in the
//! transaction of the completion and of the outcome; `up` backfills them
//! from the completed matches already stored.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OwnerRecords {
    Table,
    OwnerKind,
    OwnerId,
    Completed,
    RatingSum,
    Rated,
    FullyMet,
    PartlyMet,
    NotMet,
}

/// Every completed match of an owned offer, grouped by its owner. Plain
/// SQL both engines read alike (`CASE`, `COALESCE`, `GROUP BY` ordinals).
const BACKFILL: &str = "INSERT INTO owner_records \
    (owner_kind, owner_id, completed, rating_sum, rated, fully_met, partly_met, not_met) \
    SELECT CASE WHEN o.provider_id IS NOT NULL THEN 'provider' ELSE 'family' END, \
           COALESCE(o.provider_id, o.family_id), \
           COUNT(*), COALESCE(SUM(m.rating), 0), COUNT(m.rating), 0, 0, 0 \
    FROM matches m JOIN offers o ON o.id = m.offer_id \
    WHERE m.status = 'completed' AND (o.provider_id IS NOT NULL OR o.family_id IS NOT NULL) \
    GROUP BY 1, 2";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OwnerRecords::Table)
                    .col(string_len(OwnerRecords::OwnerKind, 16))
                    .col(string_len(OwnerRecords::OwnerId, 36))
                    .col(big_integer(OwnerRecords::Completed).default(0))
                    .col(big_integer(OwnerRecords::RatingSum).default(0))
                    .col(big_integer(OwnerRecords::Rated).default(0))
                    .col(big_integer(OwnerRecords::FullyMet).default(0))
                    .col(big_integer(OwnerRecords::PartlyMet).default(0))
                    .col(big_integer(OwnerRecords::NotMet).default(0))
                    .primary_key(
                        Index::create()
                            .col(OwnerRecords::OwnerKind)
                            .col(OwnerRecords::OwnerId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(BACKFILL)
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OwnerRecords::Table).to_owned())
            .await
    }
}
