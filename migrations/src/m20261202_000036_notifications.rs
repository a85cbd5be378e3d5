//! Notifications (issue 18): each user's channels and confirmed address,
//! and the outbox of messages written in the same transaction as the event
//! that puts something in someone's inbox, sent by a background worker.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum NotificationPrefs {
    Table,
    UserId,
    Email,
    EmailConfirmedAt,
    /// SHA-256 of the confirmation token (hex); the token itself only
    /// travels in the confirmation mail.
    EmailTokenHash,
    EmailTokenExpires,
    SmsPhone,
    /// JSON object: inbox kind → list of channels.
    Channels,
    Digest,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum NotificationOutbox {
    Table,
    Id,
    UserId,
    /// The inbox kind, `email_confirm`, or `digest`.
    Kind,
    Channel,
    Address,
    Subject,
    Body,
    /// Where the reader acts, a path of the portal (the worker puts the
    /// portal's address before it).
    Path,
    /// `pending`, `held` (waiting for the daily digest), `sent`, `digested`.
    Status,
    DueAt,
    Attempts,
    LeaseOwner,
    LeaseUntil,
    LastError,
    DigestId,
    CreatedAt,
    SentAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(NotificationPrefs::Table)
                    .col(string_len(NotificationPrefs::UserId, 36).primary_key())
                    .col(string_len_null(NotificationPrefs::Email, 254))
                    .col(timestamp_with_time_zone_null(
                        NotificationPrefs::EmailConfirmedAt,
                    ))
                    .col(string_len_null(NotificationPrefs::EmailTokenHash, 64))
                    .col(timestamp_with_time_zone_null(
                        NotificationPrefs::EmailTokenExpires,
                    ))
                    .col(string_len_null(NotificationPrefs::SmsPhone, 20))
                    .col(text(NotificationPrefs::Channels))
                    .col(string_len(NotificationPrefs::Digest, 8))
                    .col(timestamp_with_time_zone(NotificationPrefs::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(NotificationPrefs::Table, NotificationPrefs::UserId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notification_prefs_token")
                    .table(NotificationPrefs::Table)
                    .col(NotificationPrefs::EmailTokenHash)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NotificationOutbox::Table)
                    .col(string_len(NotificationOutbox::Id, 36).primary_key())
                    .col(string_len(NotificationOutbox::UserId, 36))
                    .col(string_len(NotificationOutbox::Kind, 40))
                    .col(string_len(NotificationOutbox::Channel, 8))
                    .col(string_len(NotificationOutbox::Address, 254))
                    .col(text(NotificationOutbox::Subject))
                    .col(text(NotificationOutbox::Body))
                    .col(string_len(NotificationOutbox::Path, 200))
                    .col(string_len(NotificationOutbox::Status, 10))
                    .col(timestamp_with_time_zone(NotificationOutbox::DueAt))
                    .col(integer(NotificationOutbox::Attempts).default(0))
                    .col(string_len_null(NotificationOutbox::LeaseOwner, 36))
                    .col(timestamp_with_time_zone_null(
                        NotificationOutbox::LeaseUntil,
                    ))
                    .col(text_null(NotificationOutbox::LastError))
                    .col(string_len_null(NotificationOutbox::DigestId, 36))
                    .col(timestamp_with_time_zone(NotificationOutbox::CreatedAt))
                    .col(timestamp_with_time_zone_null(NotificationOutbox::SentAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(NotificationOutbox::Table, NotificationOutbox::UserId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // The worker's claim: due messages of one status, oldest first.
        manager
            .create_index(
                Index::create()
                    .name("idx_notification_outbox_status_due")
                    .table(NotificationOutbox::Table)
                    .col(NotificationOutbox::Status)
                    .col(NotificationOutbox::DueAt)
                    .to_owned(),
            )
            .await?;
        // A digest gathers one user's held messages of one channel.
        manager
            .create_index(
                Index::create()
                    .name("idx_notification_outbox_user_status")
                    .table(NotificationOutbox::Table)
                    .col(NotificationOutbox::UserId)
                    .col(NotificationOutbox::Status)
                    .col(NotificationOutbox::Channel)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(NotificationOutbox::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(NotificationPrefs::Table).to_owned())
            .await
    }
}
