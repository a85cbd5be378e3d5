//! Offers and the townships they serve.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    ExprTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::entities::{offer, offer_township};

pub async fn insert(db: &impl ConnectionTrait, model: offer::Model) -> Result<offer::Model, DbErr> {
    model.into_active_model().reset_all().insert(db).await
}

/// What an owner's edit writes: the typed fields and the new capacity.
/// Never `remaining`, `status` or the owner: those change by their own
/// statements.
pub struct OfferEdit<'a> {
    pub category: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub capacity: i32,
    pub county_wide: bool,
    pub age_min: Option<i16>,
    pub age_max: Option<i16>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub schedule: Option<&'a str>,
}

/// Writes an owner's edit if the offer is still in `status` and the new
/// capacity still holds every place taken. `remaining` moves by the
/// change of capacity, relative to its stored value (`remaining +
/// (new - capacity)`), so a place taken or given back by a match in the
/// meantime is never undone. False when no row qualified.
pub async fn edit(
    db: &impl ConnectionTrait,
    id: &str,
    status: &str,
    change: OfferEdit<'_>,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let capacity = Expr::col(offer::Column::Capacity);
    let remaining = Expr::col(offer::Column::Remaining);
    let result = offer::Entity::update_many()
        .col_expr(offer::Column::Category, Expr::value(change.category))
        .col_expr(offer::Column::Title, Expr::value(change.title))
        .col_expr(offer::Column::Description, Expr::value(change.description))
        .col_expr(
            offer::Column::Remaining,
            remaining.clone().add(change.capacity).sub(capacity.clone()),
        )
        .col_expr(offer::Column::Capacity, Expr::value(change.capacity))
        .col_expr(offer::Column::CountyWide, Expr::value(change.county_wide))
        .col_expr(offer::Column::AgeMin, Expr::value(change.age_min))
        .col_expr(offer::Column::AgeMax, Expr::value(change.age_max))
        .col_expr(offer::Column::StartsOn, Expr::value(change.starts_on))
        .col_expr(offer::Column::EndsOn, Expr::value(change.ends_on))
        .col_expr(
            offer::Column::Schedule,
            Expr::value(change.schedule.map(str::to_owned)),
        )
        .col_expr(offer::Column::UpdatedAt, Expr::value(at))
        .filter(offer::Column::Id.eq(id))
        .filter(offer::Column::Status.eq(status))
        .filter(capacity.sub(remaining).lte(change.capacity))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Moves the offer from `from` to `to` (pause, resume, close), only if it
/// is still in `from`; a close also stores its reason. False when someone
/// else moved it first.
pub async fn set_status(
    db: &impl ConnectionTrait,
    id: &str,
    from: &str,
    to: &str,
    closed_reason: Option<&str>,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let mut update = offer::Entity::update_many()
        .col_expr(offer::Column::Status, Expr::value(to))
        .col_expr(offer::Column::UpdatedAt, Expr::value(at));
    if let Some(reason) = closed_reason {
        update = update.col_expr(offer::Column::ClosedReason, Expr::value(reason));
    }
    let result = update
        .filter(offer::Column::Id.eq(id))
        .filter(offer::Column::Status.eq(from))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn find(db: &impl ConnectionTrait, id: &str) -> Result<Option<offer::Model>, DbErr> {
    offer::Entity::find_by_id(id.to_owned()).one(db).await
}

/// Replaces the townships an offer serves.
pub async fn set_townships(
    db: &impl ConnectionTrait,
    offer_id: &str,
    townships: &[String],
) -> Result<(), DbErr> {
    offer_township::Entity::delete_many()
        .filter(offer_township::Column::OfferId.eq(offer_id))
        .exec(db)
        .await?;
    if townships.is_empty() {
        return Ok(());
    }
    offer_township::Entity::insert_many(townships.iter().map(|t| offer_township::ActiveModel {
        offer_id: Set(offer_id.to_owned()),
        township_code: Set(t.clone()),
    }))
    .exec(db)
    .await
    .map(|_| ())
}

pub async fn townships(db: &impl ConnectionTrait, offer_id: &str) -> Result<Vec<String>, DbErr> {
    Ok(offer_township::Entity::find()
        .filter(offer_township::Column::OfferId.eq(offer_id))
        .order_by_asc(offer_township::Column::TownshipCode)
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.township_code)
        .collect())
}

/// Whose offers a list shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct OfferFilter<'a> {
    pub provider_id: Option<&'a str>,
    pub family_id: Option<&'a str>,
    pub status: Option<&'a str>,
}

/// Offers in the filter, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: OfferFilter<'_>,
    limit: u64,
    offset: u64,
) -> Result<(u64, Vec<offer::Model>), DbErr> {
    let mut query = offer::Entity::find();
    if let Some(p) = filter.provider_id {
        query = query.filter(offer::Column::ProviderId.eq(p));
    }
    if let Some(f) = filter.family_id {
        query = query.filter(offer::Column::FamilyId.eq(f));
    }
    if let Some(s) = filter.status {
        query = query.filter(offer::Column::Status.eq(s));
    }
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_desc(offer::Column::CreatedAt)
        .order_by_asc(offer::Column::Id)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?;
    Ok((total, items))
}

/// Offers of one status with an id after `after`, by id: a page of a
/// keyset walk over all of them.
pub async fn page_by_id(
    db: &impl ConnectionTrait,
    status: &str,
    after: &str,
    limit: u64,
) -> Result<Vec<offer::Model>, DbErr> {
    offer::Entity::find()
        .filter(offer::Column::Status.eq(status))
        .filter(offer::Column::Id.gt(after))
        .order_by_asc(offer::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// The townships of these offers, by offer id.
pub async fn townships_of(
    db: &impl ConnectionTrait,
    ids: &[String],
) -> Result<std::collections::HashMap<String, Vec<String>>, DbErr> {
    let mut map: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
    for row in offer_township::Entity::find()
        .filter(offer_township::Column::OfferId.is_in(crate::db::id_lists::padded(ids)))
        .order_by_asc(offer_township::Column::TownshipCode)
        .all(db)
        .await?
    {
        map.entry(row.offer_id).or_default().push(row.township_code);
    }
    Ok(map)
}
