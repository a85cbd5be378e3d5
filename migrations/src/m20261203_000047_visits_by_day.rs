//! Visits by day, for visit coverage as of the end of any period: the
//! oversight job counts the files with a visit in the 90 days before a
//! period's end with one range of `(visited_on, child_id)`.
//!
//! Every visit has been recorded in `visits` since the first migration,
//! beside the file's `last_visited_on`; a file whose last visit date has no
//! row behind it (data loaded in bulk, e.g. by `carebridge generate`) gets
//! one row for that date, so that coverage does not drop for it. Its id is
//! the file's own (one such row per file at most, so it is unique); what
//! was seen on that visit was never kept and the summary says so. Earlier
//! visits of such files cannot be recovered.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

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
enum Children {
    Table,
    Id,
    LastVisitedOn,
    CreatedBy,
    UpdatedAt,
}

const INDEX: &str = "idx_visits_day_child";
const SUMMARY: &str = "按档案记录的最近走访日期补录（走访内容未留存）";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let c = |col: Children| Expr::col((Children::Table, col));
        let backfill = Query::select()
            .expr(c(Children::Id))
            .expr(c(Children::Id))
            .expr(c(Children::LastVisitedOn))
            .expr(Expr::val(SUMMARY))
            .expr(c(Children::CreatedBy))
            .expr(Expr::val("（补录）"))
            .expr(c(Children::UpdatedAt))
            .from(Children::Table)
            .and_where(c(Children::LastVisitedOn).is_not_null())
            .and_where(Expr::not_exists(
                Query::select()
                    .expr(Expr::val(1))
                    .from(Visits::Table)
                    .and_where(
                        Expr::col((Visits::Table, Visits::ChildId))
                            .equals((Children::Table, Children::Id)),
                    )
                    .and_where(
                        Expr::col((Visits::Table, Visits::VisitedOn))
                            .gte(Expr::col((Children::Table, Children::LastVisitedOn))),
                    )
                    .to_owned(),
            ))
            .to_owned();
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(Visits::Table)
                    .columns([
                        Visits::Id,
                        Visits::ChildId,
                        Visits::VisitedOn,
                        Visits::Summary,
                        Visits::VisitorId,
                        Visits::VisitorName,
                        Visits::CreatedAt,
                    ])
                    .select_from(backfill)
                    .map_err(|e| DbErr::Custom(e.to_string()))?
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(Visits::Table)
                    .col(Visits::VisitedOn)
                    .col(Visits::ChildId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(INDEX).table(Visits::Table).to_owned())
            .await
    }
}
