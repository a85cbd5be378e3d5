//! Matches (对接) between needs and offers, their event timeline and service
//! records, and the township's home-visit assessments of caring families
//! (with the date a family's approval runs out).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Needs {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Offers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Families {
    Table,
    Id,
    ApprovedUntil,
}

#[derive(DeriveIden)]
enum Matches {
    Table,
    Id,
    NeedId,
    OfferId,
    /// The need's township, copied so that scope filters need no join.
    TownshipCode,
    Category,
    Status,
    /// `provider` (the offer's owner proposed) or `officer` (suggested).
    ProposedSide,
    ProposedBy,
    Note,
    HandoverNote,
    Feedback,
    Rating,
    CreatedAt,
    /// When the status last changed: what inboxes age by.
    StatusChangedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MatchEvents {
    Table,
    Id,
    MatchId,
    Action,
    FromStatus,
    ToStatus,
    ActorId,
    ActorRole,
    Note,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ServiceRecords {
    Table,
    Id,
    MatchId,
    ServedOn,
    Hours,
    Summary,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum FamilyAssessments {
    Table,
    Id,
    FamilyId,
    VisitedOn,
    Housing,
    Income,
    Health,
    Training,
    Findings,
    Recommend,
    AssessedBy,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Matches::Table)
                    .col(string_len(Matches::Id, 36).primary_key())
                    .col(string_len(Matches::NeedId, 36))
                    .col(string_len(Matches::OfferId, 36))
                    .col(string_len(Matches::TownshipCode, 9))
                    .col(string_len(Matches::Category, 32))
                    .col(string_len(Matches::Status, 24))
                    .col(string_len(Matches::ProposedSide, 16))
                    .col(string_len(Matches::ProposedBy, 36))
                    .col(text_null(Matches::Note))
                    .col(text_null(Matches::HandoverNote))
                    .col(text_null(Matches::Feedback))
                    .col(small_integer_null(Matches::Rating))
                    .col(timestamp_with_time_zone(Matches::CreatedAt))
                    .col(timestamp_with_time_zone(Matches::StatusChangedAt))
                    .col(timestamp_with_time_zone(Matches::UpdatedAt))
                    .check(
                        Expr::col(Matches::Rating)
                            .is_null()
                            .or(Expr::col(Matches::Rating).between(1, 5)),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Matches::Table, Matches::NeedId)
                            .to(Needs::Table, Needs::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Matches::Table, Matches::OfferId)
                            .to(Offers::Table, Offers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("idx_matches_need", vec![Matches::NeedId]),
            ("idx_matches_offer", vec![Matches::OfferId]),
            (
                "idx_matches_township_status",
                vec![Matches::TownshipCode, Matches::Status],
            ),
            ("idx_matches_status", vec![Matches::Status]),
        ] {
            let mut index = Index::create();
            index.name(name).table(Matches::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(MatchEvents::Table)
                    .col(string_len(MatchEvents::Id, 36).primary_key())
                    .col(string_len(MatchEvents::MatchId, 36))
                    .col(string_len(MatchEvents::Action, 24))
                    .col(string_len_null(MatchEvents::FromStatus, 24))
                    .col(string_len(MatchEvents::ToStatus, 24))
                    .col(string_len(MatchEvents::ActorId, 36))
                    .col(string_len(MatchEvents::ActorRole, 24))
                    .col(text_null(MatchEvents::Note))
                    .col(timestamp_with_time_zone(MatchEvents::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(MatchEvents::Table, MatchEvents::MatchId)
                            .to(Matches::Table, Matches::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_match_events_match")
                    .table(MatchEvents::Table)
                    .col(MatchEvents::MatchId)
                    .col(MatchEvents::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ServiceRecords::Table)
                    .col(string_len(ServiceRecords::Id, 36).primary_key())
                    .col(string_len(ServiceRecords::MatchId, 36))
                    .col(date(ServiceRecords::ServedOn))
                    .col(double_null(ServiceRecords::Hours))
                    .col(text(ServiceRecords::Summary))
                    .col(string_len(ServiceRecords::CreatedBy, 36))
                    .col(timestamp_with_time_zone(ServiceRecords::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ServiceRecords::Table, ServiceRecords::MatchId)
                            .to(Matches::Table, Matches::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_service_records_match")
                    .table(ServiceRecords::Table)
                    .col(ServiceRecords::MatchId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FamilyAssessments::Table)
                    .col(string_len(FamilyAssessments::Id, 36).primary_key())
                    .col(string_len(FamilyAssessments::FamilyId, 36))
                    .col(date(FamilyAssessments::VisitedOn))
                    .col(text(FamilyAssessments::Housing))
                    .col(text(FamilyAssessments::Income))
                    .col(text(FamilyAssessments::Health))
                    .col(text(FamilyAssessments::Training))
                    .col(text(FamilyAssessments::Findings))
                    .col(boolean(FamilyAssessments::Recommend))
                    .col(string_len(FamilyAssessments::AssessedBy, 36))
                    .col(timestamp_with_time_zone(FamilyAssessments::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(FamilyAssessments::Table, FamilyAssessments::FamilyId)
                            .to(Families::Table, Families::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_family_assessments_family")
                    .table(FamilyAssessments::Table)
                    .col(FamilyAssessments::FamilyId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Families::Table)
                    .add_column(date_null(Families::ApprovedUntil))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Families::Table)
                    .drop_column(Families::ApprovedUntil)
                    .to_owned(),
            )
            .await?;
        for table in [
            FamilyAssessments::Table.into_iden(),
            ServiceRecords::Table.into_iden(),
            MatchEvents::Table.into_iden(),
            Matches::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
