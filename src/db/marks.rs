//! Marks set once: a timestamp column written by a conditional update
//! (`… SET column = now WHERE id = ? AND column IS NULL AND <still due>`),
//! so that of two sweeps on two nodes only one changes the row, and a row
//! that moved on after a sweep read it is not marked. The sweeps of
//! escalation, of due notices and of reports record their moments this way.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

/// Sets `column` to `at` on the rows `only` selects (one row, by its key,
/// plus what must still hold) where it is empty; `true` when a row changed.
pub async fn mark_once<E: EntityTrait>(
    db: &impl ConnectionTrait,
    column: E::Column,
    at: DateTime<Utc>,
    only: Condition,
) -> Result<bool, DbErr> {
    let done = E::update_many()
        .col_expr(column, Expr::value(at))
        .filter(column.is_null())
        .filter(only)
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Empties `column` on the rows `only` selects where it is set, so that
/// the moment it marks can be recorded again.
pub async fn rearm<E: EntityTrait>(
    db: &impl ConnectionTrait,
    column: E::Column,
    only: Condition,
) -> Result<(), DbErr> {
    E::update_many()
        .col_expr(column, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(column.is_not_null())
        .filter(only)
        .exec(db)
        .await?;
    Ok(())
}
