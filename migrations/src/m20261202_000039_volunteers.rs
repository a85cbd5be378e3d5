//! Volunteers of organisations and who served on each service record
//! (issue 18): what the volunteer-hours export is read from.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Providers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ServiceRecords {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Volunteers {
    Table,
    Id,
    ProviderId,
    Name,
    /// The organisation's own reference for the volunteer (e.g. the
    /// number of their registration on the national volunteer platform).
    Reference,
    /// Retired volunteers stay for the hours they served, but are no
    /// longer offered on the service form.
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ServiceVolunteers {
    Table,
    ServiceRecordId,
    VolunteerId,
}

const BY_PROVIDER: &str = "idx_volunteers_provider_reference";
const BY_VOLUNTEER: &str = "idx_service_volunteers_volunteer";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Volunteers::Table)
                    .col(string_len(Volunteers::Id, 36).primary_key())
                    .col(string_len(Volunteers::ProviderId, 36))
                    .col(string_len(Volunteers::Name, 50))
                    .col(string_len(Volunteers::Reference, 50))
                    .col(boolean(Volunteers::Active))
                    .col(timestamp_with_time_zone(Volunteers::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Volunteers::Table, Volunteers::ProviderId)
                            .to(Providers::Table, Providers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // One reference names one volunteer within an organisation.
        manager
            .create_index(
                Index::create()
                    .name(BY_PROVIDER)
                    .table(Volunteers::Table)
                    .col(Volunteers::ProviderId)
                    .col(Volunteers::Reference)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ServiceVolunteers::Table)
                    .col(string_len(ServiceVolunteers::ServiceRecordId, 36))
                    .col(string_len(ServiceVolunteers::VolunteerId, 36))
                    .primary_key(
                        Index::create()
                            .col(ServiceVolunteers::ServiceRecordId)
                            .col(ServiceVolunteers::VolunteerId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ServiceVolunteers::Table, ServiceVolunteers::ServiceRecordId)
                            .to(ServiceRecords::Table, ServiceRecords::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ServiceVolunteers::Table, ServiceVolunteers::VolunteerId)
                            .to(Volunteers::Table, Volunteers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(BY_VOLUNTEER)
                    .table(ServiceVolunteers::Table)
                    .col(ServiceVolunteers::VolunteerId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ServiceVolunteers::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Volunteers::Table).to_owned())
            .await
    }
}
