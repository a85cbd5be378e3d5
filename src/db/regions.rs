//! Townships and villages.

use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryOrder};

use super::entities::{township, village};

pub async fn list_townships(db: &impl ConnectionTrait) -> Result<Vec<township::Model>, DbErr> {
    township::Entity::find()
        .order_by_asc(township::Column::Code)
        .all(db)
        .await
}

pub async fn list_villages(db: &impl ConnectionTrait) -> Result<Vec<village::Model>, DbErr> {
    village::Entity::find()
        .order_by_asc(village::Column::Code)
        .all(db)
        .await
}

pub async fn find_township(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<township::Model>, DbErr> {
    township::Entity::find_by_id(code.to_owned()).one(db).await
}

pub async fn find_village(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<village::Model>, DbErr> {
    village::Entity::find_by_id(code.to_owned()).one(db).await
}

pub async fn count_townships(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    township::Entity::find().count(db).await
}

pub async fn insert_township(
    db: &impl ConnectionTrait,
    code: &str,
    name: &str,
) -> Result<(), DbErr> {
    township::Entity::insert(township::ActiveModel {
        code: Set(code.to_owned()),
        name: Set(name.to_owned()),
    })
    .exec(db)
    .await?;
    Ok(())
}

pub async fn insert_village(
    db: &impl ConnectionTrait,
    code: &str,
    township_code: &str,
    name: &str,
) -> Result<(), DbErr> {
    village::Entity::insert(village::ActiveModel {
        code: Set(code.to_owned()),
        township_code: Set(township_code.to_owned()),
        name: Set(name.to_owned()),
    })
    .exec(db)
    .await?;
    Ok(())
}
