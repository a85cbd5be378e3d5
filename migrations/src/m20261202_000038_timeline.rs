//! The child timeline and its warnings (issue 18): the day each match was
//! last served, kept on the match so that the township's list of service
//! gaps reads an index instead of every service record, and the indexes
//! the timeline and the warnings filter and sort by.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Matches {
    Table,
    Status,
    TownshipCode,
    LastServedOn,
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    ChildId,
}

const LAST_SERVED: &str = "idx_matches_status_last_served";
const REPORTS_CHILD: &str = "idx_reports_child";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Matches::Table)
                    .add_column(date_null(Matches::LastServedOn))
                    .to_owned(),
            )
            .await?;
        // Matches served before this column existed take their latest
        // service day; one statement, valid on both engines.
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE matches SET last_served_on = \
                 (SELECT MAX(s.served_on) FROM service_records s WHERE s.match_id = matches.id)",
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(LAST_SERVED)
                    .table(Matches::Table)
                    .col(Matches::Status)
                    .col(Matches::LastServedOn)
                    .col(Matches::TownshipCode)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(REPORTS_CHILD)
                    .table(Reports::Table)
                    .col(Reports::ChildId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(REPORTS_CHILD)
                    .table(Reports::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name(LAST_SERVED)
                    .table(Matches::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Matches::Table)
                    .drop_column(Matches::LastServedOn)
                    .to_owned(),
            )
            .await
    }
}
