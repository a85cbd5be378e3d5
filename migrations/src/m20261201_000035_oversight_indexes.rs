//! Indexes for the oversight dashboards (issue 16): every figure is a
//! grouped count over an index range, so a dashboard costs the same at
//! 100,000 files.
//!
//! - open files by township with their last visit (visit coverage);
//! - needs by publication time (the period's needs and their outcome);
//! - matches by status and time of the last change (completions, waits);
//! - match events by target status and time (first approvals, decisions);
//! - service records by day (services and hours of a period);
//! - referrals by creation time (the period's referrals).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Children {
    Table,
    Status,
    TownshipCode,
    LastVisitedOn,
}

#[derive(DeriveIden)]
enum Needs {
    Table,
    PublishedAt,
    TownshipCode,
    Status,
}

#[derive(DeriveIden)]
enum Matches {
    Table,
    Status,
    StatusChangedAt,
    TownshipCode,
}

#[derive(DeriveIden)]
enum MatchEvents {
    Table,
    ToStatus,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ServiceRecords {
    Table,
    ServedOn,
}

#[derive(DeriveIden)]
enum Referrals {
    Table,
    CreatedAt,
}

fn indexes() -> Vec<IndexCreateStatement> {
    vec![
        Index::create()
            .name("idx_children_status_township_visited")
            .table(Children::Table)
            .col(Children::Status)
            .col(Children::TownshipCode)
            .col(Children::LastVisitedOn)
            .to_owned(),
        Index::create()
            .name("idx_needs_published_township")
            .table(Needs::Table)
            .col(Needs::PublishedAt)
            .col(Needs::TownshipCode)
            .col(Needs::Status)
            .to_owned(),
        Index::create()
            .name("idx_matches_status_changed")
            .table(Matches::Table)
            .col(Matches::Status)
            .col(Matches::StatusChangedAt)
            .col(Matches::TownshipCode)
            .to_owned(),
        Index::create()
            .name("idx_match_events_to_created")
            .table(MatchEvents::Table)
            .col(MatchEvents::ToStatus)
            .col(MatchEvents::CreatedAt)
            .to_owned(),
        Index::create()
            .name("idx_service_records_served")
            .table(ServiceRecords::Table)
            .col(ServiceRecords::ServedOn)
            .to_owned(),
        Index::create()
            .name("idx_referrals_created")
            .table(Referrals::Table)
            .col(Referrals::CreatedAt)
            .to_owned(),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for index in indexes() {
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let drops = [
            (
                "idx_children_status_township_visited",
                Children::Table.into_iden(),
            ),
            ("idx_needs_published_township", Needs::Table.into_iden()),
            ("idx_matches_status_changed", Matches::Table.into_iden()),
            (
                "idx_match_events_to_created",
                MatchEvents::Table.into_iden(),
            ),
            (
                "idx_service_records_served",
                ServiceRecords::Table.into_iden(),
            ),
            ("idx_referrals_created", Referrals::Table.into_iden()),
        ];
        for (name, table) in drops {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
