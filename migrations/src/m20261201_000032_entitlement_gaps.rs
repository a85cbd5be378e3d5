//! The gap list kept as rows (`entitlement_gaps`): one row per child file
//! that is eligible for a guarantee it does not receive, written in the
//! transaction of every change to the file or its entitlement records and
//! by the daily re-check (birthdays move children across the rules' age
//! bounds). The list is then an index range in the order it is shown —
//! worst gap first, then most gaps, then the longest-standing — and no
//! request opens a sealed birth date to draw it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Children {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum EntitlementGaps {
    Table,
    ChildId,
    TownshipCode,
    Worst,
    GapCount,
    Rules,
    Since,
    CheckedOn,
}

const TOWNSHIP_INDEX: &str = "idx_entitlement_gaps_township_order";
const COUNTY_INDEX: &str = "idx_entitlement_gaps_order";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EntitlementGaps::Table)
                    .col(string_len(EntitlementGaps::ChildId, 36).primary_key())
                    .col(string_len(EntitlementGaps::TownshipCode, 9))
                    .col(small_integer(EntitlementGaps::Worst))
                    .col(integer(EntitlementGaps::GapCount))
                    .col(text(EntitlementGaps::Rules))
                    .col(date(EntitlementGaps::Since))
                    .col(date(EntitlementGaps::CheckedOn))
                    .foreign_key(
                        ForeignKey::create()
                            .from(EntitlementGaps::Table, EntitlementGaps::ChildId)
                            .to(Children::Table, Children::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(TOWNSHIP_INDEX)
                    .table(EntitlementGaps::Table)
                    .col(EntitlementGaps::TownshipCode)
                    .col((EntitlementGaps::Worst, IndexOrder::Desc))
                    .col((EntitlementGaps::GapCount, IndexOrder::Desc))
                    .col(EntitlementGaps::Since)
                    .col(EntitlementGaps::ChildId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(COUNTY_INDEX)
                    .table(EntitlementGaps::Table)
                    .col((EntitlementGaps::Worst, IndexOrder::Desc))
                    .col((EntitlementGaps::GapCount, IndexOrder::Desc))
                    .col(EntitlementGaps::Since)
                    .col(EntitlementGaps::ChildId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(EntitlementGaps::Table).to_owned())
            .await
    }
}
