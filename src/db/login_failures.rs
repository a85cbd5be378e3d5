//! Failed login attempts, kept for throttling (a day at most).
//!
//! Kept in the database rather than in memory so that throttling holds
//! across restarts and across several app nodes sharing one database.

use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};

use super::entities::login_failure;

pub async fn record(
    db: &impl ConnectionTrait,
    username: &str,
    address: &str,
    at: i64,
) -> Result<(), DbErr> {
    login_failure::Entity::insert(login_failure::ActiveModel {
        id: NotSet,
        username: Set(username.to_owned()),
        address: Set(address.to_owned()),
        at: Set(at),
    })
    .exec(db)
    .await?;
    Ok(())
}

/// The times of failures for `username` since `since`, oldest first.
pub async fn for_username(
    db: &impl ConnectionTrait,
    username: &str,
    since: i64,
) -> Result<Vec<i64>, DbErr> {
    times(db, login_failure::Column::Username.eq(username), since).await
}

/// The times of failures from `address` since `since`, oldest first.
pub async fn for_address(
    db: &impl ConnectionTrait,
    address: &str,
    since: i64,
) -> Result<Vec<i64>, DbErr> {
    times(db, login_failure::Column::Address.eq(address), since).await
}

async fn times(
    db: &impl ConnectionTrait,
    condition: sea_orm::sea_query::SimpleExpr,
    since: i64,
) -> Result<Vec<i64>, DbErr> {
    Ok(login_failure::Entity::find()
        .filter(condition)
        .filter(login_failure::Column::At.gte(since))
        .order_by_asc(login_failure::Column::At)
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.at)
        .collect())
}

/// Forgets an account's failures after a successful login.
pub async fn clear_username(db: &impl ConnectionTrait, username: &str) -> Result<(), DbErr> {
    login_failure::Entity::delete_many()
        .filter(login_failure::Column::Username.eq(username))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn delete_older_than(db: &impl ConnectionTrait, before: i64) -> Result<u64, DbErr> {
    Ok(login_failure::Entity::delete_many()
        .filter(login_failure::Column::At.lt(before))
        .exec(db)
        .await?
        .rows_affected)
}

/// Failures since `since` grouped by the name typed: (name, failures,
/// distinct addresses, last failure in Unix seconds), most failures first.
pub async fn by_username_since(
    db: &impl ConnectionTrait,
    since: i64,
    limit: u64,
) -> Result<Vec<(String, i64, i64, i64)>, DbErr> {
    use sea_orm::sea_query::{Expr, Func};
    use sea_orm::{QuerySelect, sea_query::SimpleExpr};
    let failures: SimpleExpr = Func::count(Expr::col(login_failure::Column::Id)).into();
    login_failure::Entity::find()
        .select_only()
        .column(login_failure::Column::Username)
        .column_as(failures.clone(), "failures")
        .column_as(
            SimpleExpr::from(Func::count_distinct(Expr::col(
                login_failure::Column::Address,
            ))),
            "addresses",
        )
        .column_as(
            SimpleExpr::from(Func::max(Expr::col(login_failure::Column::At))),
            "last_at",
        )
        .filter(login_failure::Column::At.gte(since))
        .group_by(login_failure::Column::Username)
        .order_by_desc(failures)
        .order_by_asc(login_failure::Column::Username)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await
}
