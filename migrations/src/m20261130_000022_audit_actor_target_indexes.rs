//! Indexes on the audit log's actor and target with the sequence: the
//! county's audit page filters by user and by object (newest first) without
//! walking the whole log.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    ActorName,
    Target,
    Seq,
}

const ACTOR_INDEX: &str = "idx_audit_log_actor_seq";
const TARGET_INDEX: &str = "idx_audit_log_target_seq";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(ACTOR_INDEX)
                    .table(AuditLog::Table)
                    .col(AuditLog::ActorName)
                    .col(AuditLog::Seq)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(TARGET_INDEX)
                    .table(AuditLog::Table)
                    .col(AuditLog::Target)
                    .col(AuditLog::Seq)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in [TARGET_INDEX, ACTOR_INDEX] {
            manager
                .drop_index(Index::drop().name(name).table(AuditLog::Table).to_owned())
                .await?;
        }
        Ok(())
    }
}
