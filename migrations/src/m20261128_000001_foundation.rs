//! Regions, accounts, sessions, login throttling, providers and families.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Townships {
    Table,
    Code,
    Name,
}

#[derive(DeriveIden)]
enum Villages {
    Table,
    Code,
    TownshipCode,
    Name,
}

#[derive(DeriveIden)]
enum Providers {
    Table,
    Id,
    Kind,
    Name,
    CreditCode,
    ContactName,
    ContactPhone,
    Description,
    Status,
    DecisionReason,
    DecidedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ProviderTownships {
    Table,
    ProviderId,
    TownshipCode,
}

#[derive(DeriveIden)]
enum Families {
    Table,
    Id,
    HouseholdName,
    TownshipCode,
    Members,
    Housing,
    ContactPhone,
    CareTypes,
    Status,
    DecisionReason,
    DecidedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Username,
    PasswordHash,
    Role,
    TownshipCode,
    VillageCode,
    ProviderId,
    FamilyId,
    Disabled,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    Data,
    ExpiresAt,
    UserId,
}

#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    Id,
    Username,
    Address,
    At,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Townships::Table)
                    .col(string_len(Townships::Code, 9).primary_key())
                    .col(string_len(Townships::Name, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Villages::Table)
                    .col(string_len(Villages::Code, 12).primary_key())
                    .col(string_len(Villages::TownshipCode, 9))
                    .col(string_len(Villages::Name, 64))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Villages::Table, Villages::TownshipCode)
                            .to(Townships::Table, Townships::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Providers::Table)
                    .col(string_len(Providers::Id, 36).primary_key())
                    .col(string_len(Providers::Kind, 32))
                    .col(string_len(Providers::Name, 128))
                    .col(string_len_null(Providers::CreditCode, 18).unique_key())
                    .col(string_len(Providers::ContactName, 64))
                    .col(string_len(Providers::ContactPhone, 32))
                    .col(text(Providers::Description))
                    .col(string_len(Providers::Status, 16))
                    .col(text_null(Providers::DecisionReason))
                    .col(timestamp_with_time_zone_null(Providers::DecidedAt))
                    .col(timestamp_with_time_zone(Providers::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_providers_status")
                    .table(Providers::Table)
                    .col(Providers::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProviderTownships::Table)
                    .col(string_len(ProviderTownships::ProviderId, 36))
                    .col(string_len(ProviderTownships::TownshipCode, 9))
                    .primary_key(
                        Index::create()
                            .col(ProviderTownships::ProviderId)
                            .col(ProviderTownships::TownshipCode),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProviderTownships::Table, ProviderTownships::ProviderId)
                            .to(Providers::Table, Providers::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProviderTownships::Table, ProviderTownships::TownshipCode)
                            .to(Townships::Table, Townships::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Families::Table)
                    .col(string_len(Families::Id, 36).primary_key())
                    .col(string_len(Families::HouseholdName, 64))
                    .col(string_len(Families::TownshipCode, 9))
                    .col(integer(Families::Members))
                    .col(text(Families::Housing))
                    .col(string_len(Families::ContactPhone, 32))
                    .col(text(Families::CareTypes))
                    .col(string_len(Families::Status, 16))
                    .col(text_null(Families::DecisionReason))
                    .col(timestamp_with_time_zone_null(Families::DecidedAt))
                    .col(timestamp_with_time_zone(Families::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Families::Table, Families::TownshipCode)
                            .to(Townships::Table, Townships::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_families_township_status")
                    .table(Families::Table)
                    .col(Families::TownshipCode)
                    .col(Families::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(string_len(Users::Id, 36).primary_key())
                    .col(string_len_uniq(Users::Username, 64))
                    .col(string_len(Users::PasswordHash, 255))
                    .col(string_len(Users::Role, 32))
                    .col(string_len_null(Users::TownshipCode, 9))
                    .col(string_len_null(Users::VillageCode, 12))
                    .col(string_len_null(Users::ProviderId, 36))
                    .col(string_len_null(Users::FamilyId, 36))
                    .col(boolean(Users::Disabled).default(false))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Users::Table, Users::TownshipCode)
                            .to(Townships::Table, Townships::Code),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Users::Table, Users::VillageCode)
                            .to(Villages::Table, Villages::Code),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Users::Table, Users::ProviderId)
                            .to(Providers::Table, Providers::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Users::Table, Users::FamilyId)
                            .to(Families::Table, Families::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(string_len(Sessions::Id, 64).primary_key())
                    .col(text(Sessions::Data))
                    .col(big_integer(Sessions::ExpiresAt))
                    .col(string_len_null(Sessions::UserId, 36))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sessions_user")
                    .table(Sessions::Table)
                    .col(Sessions::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sessions_expires")
                    .table(Sessions::Table)
                    .col(Sessions::ExpiresAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LoginFailures::Table)
                    .col(big_pk_auto(LoginFailures::Id))
                    .col(string_len(LoginFailures::Username, 64))
                    .col(string_len(LoginFailures::Address, 64))
                    .col(big_integer(LoginFailures::At))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_login_failures_username", LoginFailures::Username),
            ("idx_login_failures_address", LoginFailures::Address),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(LoginFailures::Table)
                        .col(col)
                        .col(LoginFailures::At)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            LoginFailures::Table.into_iden(),
            Sessions::Table.into_iden(),
            Users::Table.into_iden(),
            Families::Table.into_iden(),
            ProviderTownships::Table.into_iden(),
            Providers::Table.into_iden(),
            Villages::Table.into_iden(),
            Townships::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
