//! Needs.

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

pub async fn update(db: &impl ConnectionTrait, model: need::Model) -> Result<need::Model, DbErr> {
    model.into_active_model().reset_all().update(db).await
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
    let mut query = need::Entity::find();
    if let Some(t) = filter.township {
        query = query.filter(need::Column::TownshipCode.eq(t));
    }
    if let Some(ids) = filter.child_ids {
        query = query.filter(need::Column::ChildId.is_in(ids.iter().cloned()));
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
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_desc(need::Column::CreatedAt)
        .order_by_asc(need::Column::Id)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?;
    Ok((total, items))
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
        .filter(need::Column::Code.is_in(codes.iter().cloned()))
        .all(db)
        .await
}
