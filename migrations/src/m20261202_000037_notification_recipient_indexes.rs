//! Who receives a notification is found by role and scope (a township's
//! officers, an organisation's or a household's logins, a department's
//! staff): index those columns so that queueing reads only the recipients.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(Clone, Copy, DeriveIden)]
enum Users {
    Table,
    Role,
    TownshipCode,
    ProviderId,
    FamilyId,
    Department,
}

const INDEXES: &[(&str, &[Users])] = &[
    (
        "idx_users_role_township",
        &[Users::Role, Users::TownshipCode],
    ),
    (
        "idx_users_role_department",
        &[Users::Role, Users::Department],
    ),
    ("idx_users_provider", &[Users::ProviderId]),
    ("idx_users_family", &[Users::FamilyId]),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, cols) in INDEXES {
            let mut index = Index::create();
            index.name(*name).table(Users::Table);
            for col in *cols {
                index.col(*col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in INDEXES {
            manager
                .drop_index(Index::drop().name(*name).table(Users::Table).to_owned())
                .await?;
        }
        Ok(())
    }
}
