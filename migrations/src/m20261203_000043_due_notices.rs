//! The moments the inbox kinds dated by a deadline fall due, each marked
//! once by the due-notice sweep (`services::notify::due`) so that their
//! people are told exactly once (issue 18):
//!
//! - `referrals.overdue_noted_at` (`referral_overdue`: past `due_on`) and
//!   `referrals.escalation_noted_at` (`referral_escalated`: past
//!   `escalate_on`);
//! - `needs.unmatched_noted_at` (`need_unmatched`: published longer than
//!   the inbox's overdue days without an open match); cleared when the
//!   need leaves that state (a proposal, a new publication);
//! - `families.reassess_noted_at` (`family_to_reassess` for the township
//!   and `approval_expiring` for the family: the approval entered its
//!   last 60 days); cleared when a new approval sets a new end.
//!
//! Each sweep reads an index range that starts with the status and the
//! empty mark, then the date, so that rows already told (or long closed)
//! are never walked. Rows due before this migration are not marked: their
//! people were never told, and the first sweep tells them once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Referrals {
    Table,
    Status,
    DueOn,
    EscalateOn,
    OverdueNotedAt,
    EscalationNotedAt,
}

#[derive(DeriveIden)]
enum Needs {
    Table,
    Status,
    PublishedAt,
    UnmatchedNotedAt,
}

#[derive(DeriveIden)]
enum Families {
    Table,
    Status,
    ApprovedUntil,
    ReassessNotedAt,
}

const INDEXES: &[(&str, &str)] = &[
    ("idx_referrals_overdue_noted", "referrals"),
    ("idx_referrals_escalation_noted", "referrals"),
    ("idx_needs_unmatched_noted", "needs"),
    ("idx_families_reassess_noted", "families"),
];

fn indexes() -> Vec<IndexCreateStatement> {
    vec![
        Index::create()
            .name(INDEXES[0].0)
            .table(Referrals::Table)
            .col(Referrals::Status)
            .col(Referrals::OverdueNotedAt)
            .col(Referrals::DueOn)
            .to_owned(),
        Index::create()
            .name(INDEXES[1].0)
            .table(Referrals::Table)
            .col(Referrals::Status)
            .col(Referrals::EscalationNotedAt)
            .col(Referrals::EscalateOn)
            .to_owned(),
        Index::create()
            .name(INDEXES[2].0)
            .table(Needs::Table)
            .col(Needs::Status)
            .col(Needs::UnmatchedNotedAt)
            .col(Needs::PublishedAt)
            .to_owned(),
        Index::create()
            .name(INDEXES[3].0)
            .table(Families::Table)
            .col(Families::Status)
            .col(Families::ReassessNotedAt)
            .col(Families::ApprovedUntil)
            .to_owned(),
    ]
}

async fn add(
    manager: &SchemaManager<'_>,
    table: impl IntoIden,
    column: impl IntoIden,
) -> Result<(), DbErr> {
    // One column per statement: SQLite's ALTER TABLE adds one at a time.
    manager
        .alter_table(
            Table::alter()
                .table(table)
                .add_column(timestamp_with_time_zone_null(column))
                .to_owned(),
        )
        .await
}

async fn drop(
    manager: &SchemaManager<'_>,
    table: impl IntoIden,
    column: impl IntoIden,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).drop_column(column).to_owned())
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add(manager, Referrals::Table, Referrals::OverdueNotedAt).await?;
        add(manager, Referrals::Table, Referrals::EscalationNotedAt).await?;
        add(manager, Needs::Table, Needs::UnmatchedNotedAt).await?;
        add(manager, Families::Table, Families::ReassessNotedAt).await?;
        for index in indexes() {
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in INDEXES {
            manager
                .drop_index(
                    Index::drop()
                        .name(*name)
                        .table(Alias::new(*table))
                        .to_owned(),
                )
                .await?;
        }
        drop(manager, Referrals::Table, Referrals::OverdueNotedAt).await?;
        drop(manager, Referrals::Table, Referrals::EscalationNotedAt).await?;
        drop(manager, Needs::Table, Needs::UnmatchedNotedAt).await?;
        drop(manager, Families::Table, Families::ReassessNotedAt).await
    }
}
