//! One-door intake (一门受理): an application a family makes at the
//! township window for a child, registered once and routed to the
//! departments responsible as referrals (`referrals.intake_id`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Children {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Intakes {
    Table,
    Id,
    ChildId,
    TownshipCode,
    Applicant,
    Request,
    CreatedBy,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Intakes::Table)
                    .col(string_len(Intakes::Id, 36).primary_key())
                    .col(string_len(Intakes::ChildId, 36))
                    .col(string_len(Intakes::TownshipCode, 9))
                    .col(string_len(Intakes::Applicant, 32))
                    .col(text(Intakes::Request))
                    .col(string_len(Intakes::CreatedBy, 36))
                    .col(timestamp_with_time_zone(Intakes::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Intakes::Table, Intakes::ChildId)
                            .to(Children::Table, Children::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_intakes_township_created")
                    .table(Intakes::Table)
                    .col(Intakes::TownshipCode)
                    .col(Intakes::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Intakes::Table).to_owned())
            .await
    }
}
