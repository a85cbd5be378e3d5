//! Mandatory reports (强制报告) and their dated steps. What a reporter
//! wrote, who they are, the child's name and ID number, and every step's
//! details are sealed by the identity vault (`*_sealed`); the plain columns
//! are what the queue sorts and the deadlines run on.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Reports {
    Table,
    Id,
    Reference,
    LookupIndex,
    TownshipCode,
    Urgent,
    ReporterKind,
    Channel,
    FiledBy,
    Status,
    Decision,
    RiskLevel,
    ChildId,
    ChildIdNumberIndex,
    VillageSealed,
    DescriptionSealed,
    ChildLocationSealed,
    ReporterNameSealed,
    ReporterContactSealed,
    ChildNameSealed,
    ChildIdNumberSealed,
    ReceivedAt,
    ResponseDue,
    EscalateAt,
    AssignedTo,
    AssignedAt,
    RespondedAt,
    AssessedAt,
    DecidedAt,
    FollowUpDue,
    FollowedUpAt,
    ClosedAt,
    OverdueNotedAt,
    EscalatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ReportSteps {
    Table,
    Id,
    ReportId,
    Seq,
    Kind,
    HappenedAt,
    RecordedAt,
    ActorId,
    ActorName,
    DetailSealed,
}

#[derive(DeriveIden)]
enum Townships {
    Table,
    Code,
}

const INDEXES: &[(&str, &[Reports])] = &[
    (
        "idx_reports_township_queue",
        &[Reports::TownshipCode, Reports::Status, Reports::ReceivedAt],
    ),
    (
        "idx_reports_status_due",
        &[Reports::Status, Reports::ResponseDue],
    ),
    (
        "idx_reports_status_escalate",
        &[Reports::Status, Reports::EscalateAt],
    ),
    ("idx_reports_received", &[Reports::ReceivedAt]),
    ("idx_reports_child_number", &[Reports::ChildIdNumberIndex]),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Reports::Table)
                    .col(string_len(Reports::Id, 36).primary_key())
                    .col(string_len_uniq(Reports::Reference, 32))
                    .col(string_len(Reports::LookupIndex, 64))
                    .col(string_len(Reports::TownshipCode, 9))
                    .col(boolean(Reports::Urgent))
                    .col(string_len(Reports::ReporterKind, 32))
                    .col(string_len(Reports::Channel, 16))
                    .col(string_len_null(Reports::FiledBy, 36))
                    .col(string_len(Reports::Status, 16))
                    .col(string_len_null(Reports::Decision, 16))
                    .col(string_len_null(Reports::RiskLevel, 16))
                    .col(string_len_null(Reports::ChildId, 36))
                    .col(string_len_null(Reports::ChildIdNumberIndex, 64))
                    .col(blob_null(Reports::VillageSealed))
                    .col(blob(Reports::DescriptionSealed))
                    .col(blob_null(Reports::ChildLocationSealed))
                    .col(blob_null(Reports::ReporterNameSealed))
                    .col(blob_null(Reports::ReporterContactSealed))
                    .col(blob_null(Reports::ChildNameSealed))
                    .col(blob_null(Reports::ChildIdNumberSealed))
                    .col(timestamp_with_time_zone(Reports::ReceivedAt))
                    .col(timestamp_with_time_zone(Reports::ResponseDue))
                    .col(timestamp_with_time_zone(Reports::EscalateAt))
                    .col(string_len_null(Reports::AssignedTo, 36))
                    .col(timestamp_with_time_zone_null(Reports::AssignedAt))
                    .col(timestamp_with_time_zone_null(Reports::RespondedAt))
                    .col(timestamp_with_time_zone_null(Reports::AssessedAt))
                    .col(timestamp_with_time_zone_null(Reports::DecidedAt))
                    .col(timestamp_with_time_zone_null(Reports::FollowUpDue))
                    .col(timestamp_with_time_zone_null(Reports::FollowedUpAt))
                    .col(timestamp_with_time_zone_null(Reports::ClosedAt))
                    .col(timestamp_with_time_zone_null(Reports::OverdueNotedAt))
                    .col(timestamp_with_time_zone_null(Reports::EscalatedAt))
                    .col(timestamp_with_time_zone(Reports::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Reports::Table, Reports::TownshipCode)
                            .to(Townships::Table, Townships::Code),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns) in INDEXES {
            let mut index = Index::create();
            index.name(*name).table(Reports::Table);
            for column in *columns {
                index.col(*column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(ReportSteps::Table)
                    .col(string_len(ReportSteps::Id, 36).primary_key())
                    .col(string_len(ReportSteps::ReportId, 36))
                    .col(integer(ReportSteps::Seq))
                    .col(string_len(ReportSteps::Kind, 16))
                    .col(timestamp_with_time_zone(ReportSteps::HappenedAt))
                    .col(timestamp_with_time_zone(ReportSteps::RecordedAt))
                    .col(string_len_null(ReportSteps::ActorId, 36))
                    .col(string_len_null(ReportSteps::ActorName, 64))
                    .col(blob_null(ReportSteps::DetailSealed))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReportSteps::Table, ReportSteps::ReportId)
                            .to(Reports::Table, Reports::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_report_steps_report_seq")
                    .unique()
                    .table(ReportSteps::Table)
                    .col(ReportSteps::ReportId)
                    .col(ReportSteps::Seq)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ReportSteps::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Reports::Table).to_owned())
            .await
    }
}
