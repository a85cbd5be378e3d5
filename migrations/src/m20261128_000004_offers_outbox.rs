//! Offers (服务/项目) with the townships they serve, and the search outbox:
//! every write that changes searchable data appends here in its own
//! transaction, and each node's indexer applies the entries in order.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Townships {
    Table,
    Code,
}

#[derive(DeriveIden)]
enum Offers {
    Table,
    Id,
    ProviderId,
    FamilyId,
    OwnerName,
    Category,
    Title,
    Description,
    Capacity,
    Remaining,
    CountyWide,
    AgeMin,
    AgeMax,
    StartsOn,
    EndsOn,
    Schedule,
    Status,
    ClosedReason,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OfferTownships {
    Table,
    OfferId,
    TownshipCode,
}

#[derive(DeriveIden)]
enum SearchOutbox {
    Table,
    Seq,
    Kind,
    RefId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Offers::Table)
                    .col(string_len(Offers::Id, 36).primary_key())
                    .col(string_len_null(Offers::ProviderId, 36))
                    .col(string_len_null(Offers::FamilyId, 36))
                    .col(string_len(Offers::OwnerName, 128))
                    .col(string_len(Offers::Category, 32))
                    .col(string_len(Offers::Title, 128))
                    .col(text(Offers::Description))
                    .col(integer(Offers::Capacity))
                    .col(integer(Offers::Remaining))
                    .col(boolean(Offers::CountyWide))
                    .col(small_integer_null(Offers::AgeMin))
                    .col(small_integer_null(Offers::AgeMax))
                    .col(date_null(Offers::StartsOn))
                    .col(date_null(Offers::EndsOn))
                    .col(string_len_null(Offers::Schedule, 200))
                    .col(string_len(Offers::Status, 16))
                    .col(text_null(Offers::ClosedReason))
                    .col(string_len(Offers::CreatedBy, 36))
                    .col(timestamp_with_time_zone(Offers::CreatedAt))
                    .col(timestamp_with_time_zone(Offers::UpdatedAt))
                    .check(Expr::col(Offers::Remaining).gte(0))
                    .check(Expr::col(Offers::Remaining).lte(Expr::col(Offers::Capacity)))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_offers_provider", Offers::ProviderId),
            ("idx_offers_family", Offers::FamilyId),
            ("idx_offers_status", Offers::Status),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Offers::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(OfferTownships::Table)
                    .col(string_len(OfferTownships::OfferId, 36))
                    .col(string_len(OfferTownships::TownshipCode, 9))
                    .primary_key(
                        Index::create()
                            .col(OfferTownships::OfferId)
                            .col(OfferTownships::TownshipCode),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(OfferTownships::Table, OfferTownships::OfferId)
                            .to(Offers::Table, Offers::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(OfferTownships::Table, OfferTownships::TownshipCode)
                            .to(Townships::Table, Townships::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SearchOutbox::Table)
                    .col(
                        big_integer(SearchOutbox::Seq)
                            .primary_key()
                            .auto_increment(),
                    )
                    .col(string_len(SearchOutbox::Kind, 16))
                    .col(string_len(SearchOutbox::RefId, 36))
                    .col(timestamp_with_time_zone(SearchOutbox::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SearchOutbox::Table.into_iden(),
            OfferTownships::Table.into_iden(),
            Offers::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
