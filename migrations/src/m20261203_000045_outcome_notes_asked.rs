//! When a match's completion asked its owner and officer for their
//! outcome notes (`matches.notes_asked_at`, set by the completion). Matches
//! completed before the outcome-note feature were never asked: the column
//! stays empty for them, and the inboxes list only matches asked.
//!
//! The inbox indexes of migration 000041 gain the column, so that the
//! counts stay index-only: `(township_code, status, officer_outcome,
//! notes_asked_at)` and `(offer_id, status, owner_outcome_note,
//! notes_asked_at)` replace the two without it (their prefixes).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Matches {
    Table,
    Status,
    TownshipCode,
    OfferId,
    OfficerOutcome,
    OwnerOutcomeNote,
    NotesAskedAt,
}

const OLD_OFFICER: &str = "idx_matches_township_officer_outcome";
const OLD_OWNER: &str = "idx_matches_offer_owner_outcome";
const NEW_OFFICER: &str = "idx_matches_township_officer_asked";
const NEW_OWNER: &str = "idx_matches_offer_owner_asked";

fn officer_index(name: &str, asked: bool) -> IndexCreateStatement {
    let mut index = Index::create();
    index
        .name(name)
        .table(Matches::Table)
        .col(Matches::TownshipCode)
        .col(Matches::Status)
        .col(Matches::OfficerOutcome);
    if asked {
        index.col(Matches::NotesAskedAt);
    }
    index.to_owned()
}

fn owner_index(name: &str, asked: bool) -> IndexCreateStatement {
    let mut index = Index::create();
    index
        .name(name)
        .table(Matches::Table)
        .col(Matches::OfferId)
        .col(Matches::Status)
        .col(Matches::OwnerOutcomeNote);
    if asked {
        index.col(Matches::NotesAskedAt);
    }
    index.to_owned()
}

async fn drop_index(manager: &SchemaManager<'_>, name: &str) -> Result<(), DbErr> {
    manager
        .drop_index(Index::drop().name(name).table(Matches::Table).to_owned())
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Matches::Table)
                    .add_column(timestamp_with_time_zone_null(Matches::NotesAskedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(officer_index(NEW_OFFICER, true))
            .await?;
        manager.create_index(owner_index(NEW_OWNER, true)).await?;
        drop_index(manager, OLD_OFFICER).await?;
        drop_index(manager, OLD_OWNER).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(officer_index(OLD_OFFICER, false))
            .await?;
        manager.create_index(owner_index(OLD_OWNER, false)).await?;
        drop_index(manager, NEW_OFFICER).await?;
        drop_index(manager, NEW_OWNER).await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Matches::Table)
                    .drop_column(Matches::NotesAskedAt)
                    .to_owned(),
            )
            .await
    }
}
