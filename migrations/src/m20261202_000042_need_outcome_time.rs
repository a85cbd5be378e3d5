//! When a need's outcome was recorded (`needs.outcome_at`), so that the
//! oversight figures count the needs closed or fulfilled in a period by
//! their outcome with one index range: `(outcome_at, township_code,
//! outcome, outcome_reason)` covers the grouped count, whatever the
//! number of needs outside the period. Outcomes recorded before this
//! migration take the need's last change as their time.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Needs {
    Table,
    OutcomeAt,
    Outcome,
    OutcomeReason,
    TownshipCode,
    UpdatedAt,
}

const INDEX: &str = "idx_needs_outcome_at";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Needs::Table)
                    .add_column(timestamp_with_time_zone_null(Needs::OutcomeAt))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(Needs::Table)
                    .value(Needs::OutcomeAt, Expr::col(Needs::UpdatedAt))
                    .and_where(Expr::col(Needs::Outcome).is_not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(Needs::Table)
                    .col(Needs::OutcomeAt)
                    .col(Needs::TownshipCode)
                    .col(Needs::Outcome)
                    .col(Needs::OutcomeReason)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(INDEX).table(Needs::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Needs::Table)
                    .drop_column(Needs::OutcomeAt)
                    .to_owned(),
            )
            .await
    }
}
