//! Caring-family applications.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::entities::family;

pub struct NewFamily<'a> {
    pub id: &'a str,
    pub household_name: &'a str,
    pub township_code: &'a str,
    pub members: i32,
    pub housing: &'a str,
    pub contact_phone: &'a str,
    pub care_types_json: &'a str,
}

pub async fn insert(db: &impl ConnectionTrait, new: NewFamily<'_>) -> Result<family::Model, DbErr> {
    family::ActiveModel {
        id: Set(new.id.to_owned()),
        household_name: Set(new.household_name.to_owned()),
        township_code: Set(new.township_code.to_owned()),
        members: Set(new.members),
        housing: Set(new.housing.to_owned()),
        contact_phone: Set(new.contact_phone.to_owned()),
        care_types: Set(new.care_types_json.to_owned()),
        status: Set("submitted".to_owned()),
        decision_reason: Set(None),
        decided_at: Set(None),
        approved_until: Set(None),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await
}

pub async fn find(db: &impl ConnectionTrait, id: &str) -> Result<Option<family::Model>, DbErr> {
    family::Entity::find_by_id(id.to_owned()).one(db).await
}

/// Applications, oldest first, optionally of one township and one status.
pub async fn list(
    db: &impl ConnectionTrait,
    township: Option<&str>,
    status: Option<&str>,
    limit: u64,
    offset: u64,
) -> Result<(u64, Vec<family::Model>), DbErr> {
    let mut query = family::Entity::find();
    if let Some(township) = township {
        query = query.filter(family::Column::TownshipCode.eq(township));
    }
    if let Some(status) = status {
        query = query.filter(family::Column::Status.eq(status));
    }
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_asc(family::Column::CreatedAt)
        .order_by_asc(family::Column::Id)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?;
    Ok((total, items))
}
