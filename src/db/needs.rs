//! Needs.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::entities::need;

/// Which needs a query may return.
#[derive(Debug, Clone, Default)]
pub struct NeedFilter<'a> {
    pub township: Option<&'a str>,
    /// Only needs of these children (village supervisors' scope).
    pub child_ids: Option<&'a [String]>,
    pub child_id: Option<&'a str>,
    pub statuses: Option<&'a [&'a str]>,
    pub category: Option<&'a str>,
}

pub async fn insert(db: &impl ConnectionTrait, model: need::Model) -> Result<need::Model, DbErr> {
    model.into_active_model().reset_all().insert(db).await
}

/// The typed part of a need, as an edit of a draft writes it.
pub struct NeedTexts<'a> {
    pub category: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub quantity: Option<i32>,
    pub urgency: &'a str,
}

/// Writes an edit of the typed part, only if the need is still in
/// `status`. False when no row qualified.
pub async fn edit(
    db: &impl ConnectionTrait,
    id: &str,
    status: &str,
    texts: NeedTexts<'_>,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = need::Entity::update_many()
        .col_expr(need::Column::Category, Expr::value(texts.category))
        .col_expr(need::Column::Title, Expr::value(texts.title))
        .col_expr(need::Column::Description, Expr::value(texts.description))
        .col_expr(need::Column::Quantity, Expr::value(texts.quantity))
        .col_expr(need::Column::Urgency, Expr::value(texts.urgency))
        .col_expr(need::Column::UpdatedAt, Expr::value(at))
        .filter(need::Column::Id.eq(id))
        .filter(need::Column::Status.eq(status))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// What a status change writes beside the status.
#[derive(Debug, Clone, Copy, Default)]
pub enum Publication<'a> {
    /// Leave `published_at`/`published_by` as they are.
    #[default]
    Keep,
    /// Published now by this account.
    By(&'a str),
    /// Taken out of publication (back to draft): clear both.
    Withdrawn,
}

/// Moves a need from `from` to `to`, only if it is still in `from`; a
/// close stores its reason. False when someone else moved it first.
pub async fn set_status(
    db: &impl ConnectionTrait,
    id: &str,
    from: &str,
    to: &str,
    closed_reason: Option<&str>,
    publication: Publication<'_>,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let mut update = need::Entity::update_many()
        .col_expr(need::Column::Status, Expr::value(to))
        .col_expr(need::Column::UpdatedAt, Expr::value(at));
    if let Some(reason) = closed_reason {
        update = update.col_expr(need::Column::ClosedReason, Expr::value(reason));
    }
    update = match publication {
        Publication::Keep => update,
        Publication::By(user) => update
            .col_expr(need::Column::PublishedAt, Expr::value(at))
            // Publication starts the escalation clock.
            .col_expr(need::Column::WaitingSince, Expr::value(at))
            // Published again, it may wait unmatched again: told anew.
            .col_expr(
                need::Column::UnmatchedNotedAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(need::Column::PublishedBy, Expr::value(user)),
        Publication::Withdrawn => update
            .col_expr(
                need::Column::PublishedAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(
                need::Column::PublishedBy,
                Expr::value(Option::<String>::None),
            ),
    };
    let result = update
        .filter(need::Column::Id.eq(id))
        .filter(need::Column::Status.eq(from))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Records a need's outcome where none is recorded yet; `false` when one
/// was (the first outcome stands).
pub async fn set_outcome(
    db: &impl ConnectionTrait,
    id: &str,
    kind: &str,
    reason: Option<&str>,
    text: Option<&str>,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = need::Entity::update_many()
        .col_expr(need::Column::Outcome, Expr::value(kind))
        .col_expr(need::Column::OutcomeAt, Expr::value(at))
        .col_expr(need::Column::OutcomeReason, Expr::value(reason))
        .col_expr(need::Column::OutcomeDetail, Expr::value(text))
        .filter(need::Column::Id.eq(id))
        .filter(need::Column::Outcome.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Moves every need of a file to the file's new township.
pub async fn set_township_of_child(
    db: &impl ConnectionTrait,
    child_id: &str,
    township: &str,
) -> Result<(), DbErr> {
    need::Entity::update_many()
        .col_expr(need::Column::TownshipCode, Expr::value(township))
        .filter(need::Column::ChildId.eq(child_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The needs of one file in these statuses (all when `None`), oldest
/// first. A file has a handful; no page is needed.
pub async fn of_child(
    db: &impl ConnectionTrait,
    child_id: &str,
    statuses: Option<&[&str]>,
) -> Result<Vec<need::Model>, DbErr> {
    let mut query = need::Entity::find().filter(need::Column::ChildId.eq(child_id));
    if let Some(statuses) = statuses {
        query = query.filter(need::Column::Status.is_in(statuses.iter().copied()));
    }
    query
        .order_by_asc(need::Column::CreatedAt)
        .order_by_asc(need::Column::Id)
        .all(db)
        .await
}

pub async fn find(db: &impl ConnectionTrait, id: &str) -> Result<Option<need::Model>, DbErr> {
    need::Entity::find_by_id(id.to_owned()).one(db).await
}

pub async fn find_by_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<need::Model>, DbErr> {
    need::Entity::find()
        .filter(need::Column::Code.eq(code))
        .one(db)
        .await
}

/// Needs in the filter, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &NeedFilter<'_>,
    limit: u64,
    offset: u64,
) -> Result<(u64, Vec<need::Model>), DbErr> {
    let total = count(db, filter).await?;
    Ok((total, page(db, filter, limit, offset).await?))
}

/// How many needs pass `filter`.
pub async fn count(db: &impl ConnectionTrait, filter: &NeedFilter<'_>) -> Result<u64, DbErr> {
    filtered(filter).count(db).await
}

/// The needs passing `filter`, newest first, from `offset`.
pub async fn page(
    db: &impl ConnectionTrait,
    filter: &NeedFilter<'_>,
    limit: u64,
    offset: u64,
) -> Result<Vec<need::Model>, DbErr> {
    filtered(filter)
        .order_by_desc(need::Column::CreatedAt)
        .order_by_asc(need::Column::Id)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await
}

fn filtered(filter: &NeedFilter<'_>) -> sea_orm::Select<need::Entity> {
    let mut query = need::Entity::find();
    if let Some(t) = filter.township {
        query = query.filter(need::Column::TownshipCode.eq(t));
    }
    if let Some(ids) = filter.child_ids {
        query = query.filter(need::Column::ChildId.is_in(crate::db::id_lists::padded(ids)));
    }
    if let Some(id) = filter.child_id {
        query = query.filter(need::Column::ChildId.eq(id));
    }
    if let Some(statuses) = filter.statuses {
        query = query.filter(need::Column::Status.is_in(statuses.iter().copied()));
    }
    if let Some(c) = filter.category {
        query = query.filter(need::Column::Category.eq(c));
    }
    query
}

/// Needs of one status with an id after `after`, by id: a page of a
/// keyset walk over all of them.
pub async fn page_by_id(
    db: &impl ConnectionTrait,
    status: &str,
    after: &str,
    limit: u64,
) -> Result<Vec<need::Model>, DbErr> {
    need::Entity::find()
        .filter(need::Column::Status.eq(status))
        .filter(need::Column::Id.gt(after))
        .order_by_asc(need::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// The needs with these public codes.
pub async fn find_by_codes(
    db: &impl ConnectionTrait,
    codes: &[String],
) -> Result<Vec<need::Model>, DbErr> {
    need::Entity::find()
        .filter(need::Column::Code.is_in(crate::db::id_lists::padded(codes)))
        .all(db)
        .await
}
