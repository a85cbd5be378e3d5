//! Accounts.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::entities::user;
use crate::domain::Role;

/// The fields of a new account.
pub struct NewUser<'a> {
    pub id: &'a str,
    pub username: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub township_code: Option<&'a str>,
    pub village_code: Option<&'a str>,
    pub provider_id: Option<&'a str>,
    pub family_id: Option<&'a str>,
    pub department: Option<crate::domain::department::Department>,
}

pub async fn insert(db: &impl ConnectionTrait, new: NewUser<'_>) -> Result<user::Model, DbErr> {
    user::ActiveModel {
        id: Set(new.id.to_owned()),
        username: Set(new.username.to_owned()),
        password_hash: Set(new.password_hash.to_owned()),
        role: Set(new.role),
        township_code: Set(new.township_code.map(str::to_owned)),
        village_code: Set(new.village_code.map(str::to_owned)),
        provider_id: Set(new.provider_id.map(str::to_owned)),
        family_id: Set(new.family_id.map(str::to_owned)),
        department: Set(new.department),
        disabled: Set(false),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await
}

pub async fn find_by_id(db: &impl ConnectionTrait, id: &str) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find_by_id(id.to_owned()).one(db).await
}

/// The usernames of the accounts `ids` (one statement however many).
pub async fn usernames(
    db: &impl ConnectionTrait,
    ids: &[&str],
) -> Result<std::collections::HashMap<String, String>, DbErr> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let rows: Vec<(String, String)> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::Username)
        .filter(user::Column::Id.is_in(ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

pub async fn find_by_username(
    db: &impl ConnectionTrait,
    username: &str,
) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(db)
        .await
}

pub async fn username_taken(db: &impl ConnectionTrait, username: &str) -> Result<bool, DbErr> {
    Ok(user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .count(db)
        .await?
        > 0)
}

/// Staff accounts (every role but provider and family), newest last.
pub async fn list_staff(
    db: &impl ConnectionTrait,
    limit: u64,
    offset: u64,
) -> Result<(u64, Vec<user::Model>), DbErr> {
    let query = user::Entity::find().filter(user::Column::Role.is_in([
        "county_admin",
        "township_officer",
        "village_supervisor",
        "department_staff",
    ]));
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_asc(user::Column::CreatedAt)
        .order_by_asc(user::Column::Id)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?;
    Ok((total, items))
}

pub async fn set_disabled(
    db: &impl ConnectionTrait,
    id: &str,
    disabled: bool,
) -> Result<(), DbErr> {
    user::Entity::update_many()
        .col_expr(
            user::Column::Disabled,
            sea_orm::sea_query::Expr::value(disabled),
        )
        .filter(user::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn find_for_provider(
    db: &impl ConnectionTrait,
    provider_id: &str,
) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find()
        .filter(user::Column::ProviderId.eq(provider_id))
        .one(db)
        .await
}
