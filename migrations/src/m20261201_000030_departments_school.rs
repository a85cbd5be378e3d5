//! Department accounts and what the entitlement rules need of a file:
//! `users.department` (the department of a `department_staff` account),
//! `children.school_status` (enrolled / not enrolled / not of school age;
//! NULL while not recorded) and `children.suspected_disability`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Department,
}

#[derive(DeriveIden)]
enum Children {
    Table,
    SchoolStatus,
    SuspectedDisability,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(string_len_null(Users::Department, 32))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Children::Table)
                    .add_column(string_len_null(Children::SchoolStatus, 24))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Children::Table)
                    .add_column(boolean(Children::SuspectedDisability).default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for col in [Children::SuspectedDisability, Children::SchoolStatus] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Children::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::Department)
                    .to_owned(),
            )
            .await
    }
}
