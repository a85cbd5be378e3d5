//! Escalation of what waits and outcomes (issue 18).
//!
//! - `needs.waiting_since`: when the need's escalation clock started (its
//!   publication, or the officer's last renewal); backfilled from
//!   `published_at`.
//! - `needs.widened_at`, `needs.renewal_asked_at`: each escalation step
//!   recorded once by a conditional update (`… WHERE widened_at IS NULL`).
//! - `needs.outcome`, `outcome_reason`, `outcome_detail`: how a closed or
//!   fulfilled need ended.
//! - `matches.escalated_at`: a proposal past the township's deadline, once;
//!   `matches.officer_outcome`, `officer_outcome_note`, `owner_outcome_note`:
//!   the notes asked for when a match completes.
//! - `need_escalations`: every escalation step of a need, shown on it.
//!
//! Indexes serve the sweep (published needs by urgency and clock, not yet
//! widened; not yet asked to renew), the inboxes (a township's widened and
//! to-renew needs; the county's overdue proposals; completed matches
//! without their notes) and the widened needs offered to county-wide offers.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Needs {
    Table,
    Status,
    Urgency,
    TownshipCode,
    PublishedAt,
    WaitingSince,
    WidenedAt,
    RenewalAskedAt,
    Outcome,
    OutcomeReason,
    OutcomeDetail,
}

#[derive(DeriveIden)]
enum Matches {
    Table,
    Status,
    TownshipCode,
    CreatedAt,
    EscalatedAt,
    OfficerOutcome,
    OfficerOutcomeNote,
    OwnerOutcomeNote,
    OfferId,
}

#[derive(DeriveIden)]
enum NeedEscalations {
    Table,
    Id,
    NeedId,
    Kind,
    At,
    MatchId,
    ActorId,
    Note,
}

const INDEXES: &[(&str, &str)] = &[
    ("idx_needs_escalate_widen", "needs"),
    ("idx_needs_escalate_renew", "needs"),
    ("idx_needs_township_escalation", "needs"),
    ("idx_needs_widened", "needs"),
    ("idx_matches_status_escalated", "matches"),
    ("idx_matches_status_created", "matches"),
    ("idx_matches_township_officer_outcome", "matches"),
    ("idx_matches_offer_owner_outcome", "matches"),
    ("idx_need_escalations_need", "need_escalations"),
];

fn indexes() -> Vec<IndexCreateStatement> {
    vec![
        Index::create()
            .name(INDEXES[0].0)
            .table(Needs::Table)
            .col(Needs::Status)
            .col(Needs::Urgency)
            .col(Needs::WidenedAt)
            .col(Needs::WaitingSince)
            .to_owned(),
        Index::create()
            .name(INDEXES[1].0)
            .table(Needs::Table)
            .col(Needs::Status)
            .col(Needs::RenewalAskedAt)
            .col(Needs::WaitingSince)
            .to_owned(),
        Index::create()
            .name(INDEXES[2].0)
            .table(Needs::Table)
            .col(Needs::TownshipCode)
            .col(Needs::Status)
            .col(Needs::RenewalAskedAt)
            .col(Needs::WidenedAt)
            .to_owned(),
        Index::create()
            .name(INDEXES[3].0)
            .table(Needs::Table)
            .col(Needs::Status)
            .col(Needs::WidenedAt)
            .to_owned(),
        Index::create()
            .name(INDEXES[4].0)
            .table(Matches::Table)
            .col(Matches::Status)
            .col(Matches::EscalatedAt)
            .to_owned(),
        Index::create()
            .name(INDEXES[5].0)
            .table(Matches::Table)
            .col(Matches::Status)
            .col(Matches::CreatedAt)
            .to_owned(),
        Index::create()
            .name(INDEXES[6].0)
            .table(Matches::Table)
            .col(Matches::TownshipCode)
            .col(Matches::Status)
            .col(Matches::OfficerOutcome)
            .to_owned(),
        Index::create()
            .name(INDEXES[7].0)
            .table(Matches::Table)
            .col(Matches::OfferId)
            .col(Matches::Status)
            .col(Matches::OwnerOutcomeNote)
            .to_owned(),
        Index::create()
            .name(INDEXES[8].0)
            .table(NeedEscalations::Table)
            .col(NeedEscalations::NeedId)
            .col(NeedEscalations::At)
            .to_owned(),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        for column in [
            timestamp_with_time_zone_null(Needs::WaitingSince),
            timestamp_with_time_zone_null(Needs::WidenedAt),
            timestamp_with_time_zone_null(Needs::RenewalAskedAt),
            string_len_null(Needs::Outcome, 16),
            string_len_null(Needs::OutcomeReason, 24),
            text_null(Needs::OutcomeDetail),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(Needs::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [
            timestamp_with_time_zone_null(Matches::EscalatedAt),
            string_len_null(Matches::OfficerOutcome, 16),
            text_null(Matches::OfficerOutcomeNote),
            text_null(Matches::OwnerOutcomeNote),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(Matches::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .exec_stmt(
                Query::update()
                    .table(Needs::Table)
                    .value(Needs::WaitingSince, Expr::col(Needs::PublishedAt))
                    .and_where(Expr::col(Needs::PublishedAt).is_not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NeedEscalations::Table)
                    .col(string_len(NeedEscalations::Id, 36).primary_key())
                    .col(string_len(NeedEscalations::NeedId, 36))
                    .col(string_len(NeedEscalations::Kind, 24))
                    .col(timestamp_with_time_zone(NeedEscalations::At))
                    .col(string_len_null(NeedEscalations::MatchId, 36))
                    .col(string_len_null(NeedEscalations::ActorId, 36))
                    .col(text_null(NeedEscalations::Note))
                    .to_owned(),
            )
            .await?;
        for index in indexes() {
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in INDEXES {
            if *table != "need_escalations" {
                manager
                    .drop_index(
                        Index::drop()
                            .name(*name)
                            .table(Alias::new(*table))
                            .to_owned(),
                    )
                    .await?;
            }
        }
        manager
            .drop_table(Table::drop().table(NeedEscalations::Table).to_owned())
            .await?;
        for column in [
            Matches::EscalatedAt,
            Matches::OfficerOutcome,
            Matches::OfficerOutcomeNote,
            Matches::OwnerOutcomeNote,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Matches::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [
            Needs::WaitingSince,
            Needs::WidenedAt,
            Needs::RenewalAskedAt,
            Needs::Outcome,
            Needs::OutcomeReason,
            Needs::OutcomeDetail,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Needs::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
