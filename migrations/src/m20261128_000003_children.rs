//! Child files with the identity vault, their history, visits and needs.
//!
//! Personal values live only in the `*_sealed` columns (AEAD ciphertexts);
//! the ID number and the village are reachable only through keyed hashes
//! (`id_number_index`, `village_index`). No column holds them in plain text.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Townships {
    Table,
    Code,
}

#[derive(DeriveIden)]
enum VaultMeta {
    Table,
    Id,
    Fingerprint,
    CreatedAt,
    RotatedAt,
}

#[derive(DeriveIden)]
enum Children {
    Table,
    Id,
    FileNo,
    TownshipCode,
    VillageIndex,
    IdNumberIndex,
    NameSealed,
    IdNumberSealed,
    BirthDateSealed,
    VillageSealed,
    AddressSealed,
    GuardianNameSealed,
    GuardianPhoneSealed,
    Gender,
    GuardianRelation,
    School,
    Difficulties,
    DifficultyClass,
    PovertyType,
    DisabilityType,
    DisabilityGrade,
    UnsupportedReason,
    Illness,
    Assistance,
    ConsentKeepFile,
    ConsentPublishNeeds,
    StatutoryBasis,
    Status,
    ClosedReason,
    LastVisitedOn,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ChildEvents {
    Table,
    Id,
    ChildId,
    At,
    ActorId,
    ActorName,
    Action,
    Fields,
    Note,
}

#[derive(DeriveIden)]
enum Visits {
    Table,
    Id,
    ChildId,
    VisitedOn,
    Summary,
    VisitorId,
    VisitorName,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Needs {
    Table,
    Id,
    Code,
    ChildId,
    TownshipCode,
    Category,
    Title,
    Description,
    Quantity,
    Urgency,
    Status,
    ClosedReason,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    PublishedAt,
    PublishedBy,
}

fn child_fk(from_table: impl IntoIden, from_col: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from_table, from_col)
        .to(Children::Table, Children::Id)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(VaultMeta::Table)
                    .col(integer(VaultMeta::Id).primary_key())
                    .col(string_len(VaultMeta::Fingerprint, 64))
                    .col(timestamp_with_time_zone(VaultMeta::CreatedAt))
                    .col(timestamp_with_time_zone_null(VaultMeta::RotatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Children::Table)
                    .col(string_len(Children::Id, 36).primary_key())
                    .col(string_len_uniq(Children::FileNo, 32))
                    .col(string_len(Children::TownshipCode, 9))
                    .col(string_len(Children::VillageIndex, 64))
                    .col(string_len_uniq(Children::IdNumberIndex, 64))
                    .col(blob(Children::NameSealed))
                    .col(blob(Children::IdNumberSealed))
                    .col(blob(Children::BirthDateSealed))
                    .col(blob(Children::VillageSealed))
                    .col(blob_null(Children::AddressSealed))
                    .col(blob_null(Children::GuardianNameSealed))
                    .col(blob_null(Children::GuardianPhoneSealed))
                    .col(string_len(Children::Gender, 8))
                    .col(string_len_null(Children::GuardianRelation, 32))
                    .col(string_len_null(Children::School, 128))
                    .col(text(Children::Difficulties))
                    .col(string_len(Children::DifficultyClass, 16))
                    .col(string_len_null(Children::PovertyType, 32))
                    .col(string_len_null(Children::DisabilityType, 32))
                    .col(small_integer_null(Children::DisabilityGrade))
                    .col(string_len_null(Children::UnsupportedReason, 32))
                    .col(string_len_null(Children::Illness, 128))
                    .col(text(Children::Assistance))
                    .col(boolean(Children::ConsentKeepFile))
                    .col(boolean(Children::ConsentPublishNeeds))
                    .col(text_null(Children::StatutoryBasis))
                    .col(string_len(Children::Status, 16))
                    .col(text_null(Children::ClosedReason))
                    .col(date_null(Children::LastVisitedOn))
                    .col(string_len(Children::CreatedBy, 36))
                    .col(timestamp_with_time_zone(Children::CreatedAt))
                    .col(timestamp_with_time_zone(Children::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Children::Table, Children::TownshipCode)
                            .to(Townships::Table, Townships::Code),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_children_township_status",
                vec![Children::TownshipCode, Children::Status],
            ),
            ("idx_children_village", vec![Children::VillageIndex]),
        ] {
            let mut index = Index::create();
            index.name(name).table(Children::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(ChildEvents::Table)
                    .col(big_integer(ChildEvents::Id).primary_key().auto_increment())
                    .col(string_len(ChildEvents::ChildId, 36))
                    .col(timestamp_with_time_zone(ChildEvents::At))
                    .col(string_len(ChildEvents::ActorId, 36))
                    .col(string_len(ChildEvents::ActorName, 64))
                    .col(string_len(ChildEvents::Action, 32))
                    .col(text(ChildEvents::Fields))
                    .col(text_null(ChildEvents::Note))
                    .foreign_key(&mut child_fk(ChildEvents::Table, ChildEvents::ChildId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_child_events_child")
                    .table(ChildEvents::Table)
                    .col(ChildEvents::ChildId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Visits::Table)
                    .col(string_len(Visits::Id, 36).primary_key())
                    .col(string_len(Visits::ChildId, 36))
                    .col(date(Visits::VisitedOn))
                    .col(text(Visits::Summary))
                    .col(string_len(Visits::VisitorId, 36))
                    .col(string_len(Visits::VisitorName, 64))
                    .col(timestamp_with_time_zone(Visits::CreatedAt))
                    .foreign_key(&mut child_fk(Visits::Table, Visits::ChildId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_visits_child")
                    .table(Visits::Table)
                    .col(Visits::ChildId)
                    .col(Visits::VisitedOn)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Needs::Table)
                    .col(string_len(Needs::Id, 36).primary_key())
                    .col(string_len_uniq(Needs::Code, 16))
                    .col(string_len(Needs::ChildId, 36))
                    .col(string_len(Needs::TownshipCode, 9))
                    .col(string_len(Needs::Category, 32))
                    .col(string_len(Needs::Title, 128))
                    .col(text(Needs::Description))
                    .col(integer_null(Needs::Quantity))
                    .col(string_len(Needs::Urgency, 16))
                    .col(string_len(Needs::Status, 16))
                    .col(text_null(Needs::ClosedReason))
                    .col(string_len(Needs::CreatedBy, 36))
                    .col(timestamp_with_time_zone(Needs::CreatedAt))
                    .col(timestamp_with_time_zone(Needs::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Needs::PublishedAt))
                    .col(string_len_null(Needs::PublishedBy, 36))
                    .foreign_key(&mut child_fk(Needs::Table, Needs::ChildId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_needs_township_status")
                    .table(Needs::Table)
                    .col(Needs::TownshipCode)
                    .col(Needs::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_needs_child")
                    .table(Needs::Table)
                    .col(Needs::ChildId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Needs::Table.into_iden(),
            Visits::Table.into_iden(),
            ChildEvents::Table.into_iden(),
            Children::Table.into_iden(),
            VaultMeta::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
