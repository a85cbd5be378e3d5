//! Throttle buckets: the state of each slowed-down kind of attempt (logins
//! of one account from one address, logins from one address,
//! registrations from one address). An attempt is reserved in its bucket
//! before the work it guards; `login_failures` stays as the log of failed
//! logins that the county reads.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ThrottleBuckets {
    Table,
    Kind,
    Username,
    Address,
    Failures,
    LastAt,
    NotBefore,
    LastSuccessAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ThrottleBuckets::Table)
                    .col(string_len(ThrottleBuckets::Kind, 16))
                    // Empty for buckets of an address alone.
                    .col(string_len(ThrottleBuckets::Username, 64))
                    .col(string_len(ThrottleBuckets::Address, 64))
                    .col(integer(ThrottleBuckets::Failures))
                    // Milliseconds since the Unix epoch.
                    .col(big_integer(ThrottleBuckets::LastAt))
                    .col(big_integer(ThrottleBuckets::NotBefore))
                    .col(big_integer_null(ThrottleBuckets::LastSuccessAt))
                    .primary_key(
                        Index::create()
                            .col(ThrottleBuckets::Kind)
                            .col(ThrottleBuckets::Username)
                            .col(ThrottleBuckets::Address),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_throttle_buckets_last_at")
                    .table(ThrottleBuckets::Table)
                    .col(ThrottleBuckets::LastAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ThrottleBuckets::Table).to_owned())
            .await
    }
}
