//! The ledger export read a page at a time: files of a scope in id order
//! (the primary key), and for one page the counts of its needs and
//! matches. Memory holds one page, whatever the county's size.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::{count, count_when};
use crate::db::entities::{child, match_record, need};
use crate::domain::matching::MatchStatus;
use crate::domain::need::NeedStatus;

fn in_scope(township: Option<&str>) -> sea_orm::Condition {
    let mut cond = sea_orm::Condition::all();
    if let Some(t) = township {
        cond = cond.add(child::Column::TownshipCode.eq(t));
    }
    cond
}

/// How many files the scope holds (the row count an export announces).
pub async fn count_files(db: &impl ConnectionTrait, township: Option<&str>) -> Result<u64, DbErr> {
    child::Entity::find()
        .filter(in_scope(township))
        .count(db)
        .await
}

/// The next page of the scope's files after id `after`.
pub async fn files_after(
    db: &impl ConnectionTrait,
    township: Option<&str>,
    after: &str,
    limit: u64,
) -> Result<Vec<child::Model>, DbErr> {
    child::Entity::find()
        .filter(in_scope(township))
        .filter(child::Column::Id.gt(after))
        .order_by_asc(child::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Per file of `ids`: (needs, of them met: matched or fulfilled).
pub async fn needs_of(
    db: &impl ConnectionTrait,
    ids: &[String],
) -> Result<HashMap<String, (u64, u64)>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(String, i64, Option<i64>)> = need::Entity::find()
        .select_only()
        .column(need::Column::ChildId)
        .column_as(Expr::col(need::Column::Id).count(), "n")
        .expr_as(
            count_when(
                need::Column::Status
                    .is_in([NeedStatus::Matched.as_str(), NeedStatus::Fulfilled.as_str()]),
            ),
            "met",
        )
        .filter(need::Column::ChildId.is_in(crate::db::id_lists::padded(ids)))
        .group_by(need::Column::ChildId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(c, n, m)| (c, (count(n), count(m.unwrap_or(0)))))
        .collect())
}

/// Per file of `ids`: approved matches (approved, in service or completed).
pub async fn matches_of(
    db: &impl ConnectionTrait,
    ids: &[String],
) -> Result<HashMap<String, u64>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let select = Query::select()
        .column((need::Entity, need::Column::ChildId))
        .expr(Expr::col((match_record::Entity, match_record::Column::Id)).count())
        .from(match_record::Entity)
        .inner_join(
            need::Entity,
            Expr::col((need::Entity, need::Column::Id))
                .equals((match_record::Entity, match_record::Column::NeedId)),
        )
        .and_where(
            Expr::col((need::Entity, need::Column::ChildId))
                .is_in(crate::db::id_lists::padded(ids)),
        )
        .and_where(
            Expr::col((match_record::Entity, match_record::Column::Status)).is_in([
                MatchStatus::Approved.as_str(),
                MatchStatus::InService.as_str(),
                MatchStatus::Completed.as_str(),
            ]),
        )
        .group_by_col((need::Entity, need::Column::ChildId))
        .to_owned();
    let mut out = HashMap::new();
    for row in db.query_all(&select).await? {
        let n: i64 = row.try_get_by_index(1)?;
        out.insert(row.try_get_by_index(0)?, count(n));
    }
    Ok(out)
}
