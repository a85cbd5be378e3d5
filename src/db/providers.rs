//! Providers and the townships they serve.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::entities::{provider, provider_township};
use crate::domain::provider::{ProviderKind, ProviderStatus};

pub struct NewProvider<'a> {
    pub id: &'a str,
    pub kind: ProviderKind,
    pub name: &'a str,
    pub credit_code: Option<&'a str>,
    pub contact_name: &'a str,
    pub contact_phone: &'a str,
    pub description: &'a str,
    pub townships: &'a [String],
}

pub async fn insert(
    db: &impl ConnectionTrait,
    new: NewProvider<'_>,
) -> Result<provider::Model, DbErr> {
    let model = provider::ActiveModel {
        id: Set(new.id.to_owned()),
        kind: Set(new.kind),
        name: Set(new.name.to_owned()),
        credit_code: Set(new.credit_code.map(str::to_owned)),
        contact_name: Set(new.contact_name.to_owned()),
        contact_phone: Set(new.contact_phone.to_owned()),
        description: Set(new.description.to_owned()),
        status: Set(ProviderStatus::Pending),
        decision_reason: Set(None),
        decided_at: Set(None),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    for code in new.townships {
        provider_township::ActiveModel {
            provider_id: Set(new.id.to_owned()),
            township_code: Set(code.clone()),
        }
        .insert(db)
        .await?;
    }
    Ok(model)
}

pub async fn find(db: &impl ConnectionTrait, id: &str) -> Result<Option<provider::Model>, DbErr> {
    provider::Entity::find_by_id(id.to_owned()).one(db).await
}

pub async fn credit_code_taken(db: &impl ConnectionTrait, code: &str) -> Result<bool, DbErr> {
    Ok(provider::Entity::find()
        .filter(provider::Column::CreditCode.eq(code))
        .count(db)
        .await?
        > 0)
}

pub async fn townships_of(db: &impl ConnectionTrait, id: &str) -> Result<Vec<String>, DbErr> {
    Ok(provider_township::Entity::find()
        .filter(provider_township::Column::ProviderId.eq(id))
        .order_by_asc(provider_township::Column::TownshipCode)
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.township_code)
        .collect())
}

/// Providers, optionally of one status, oldest first (the queue order), and optionally
/// only those serving `township`.
pub async fn list(
    db: &impl ConnectionTrait,
    status: Option<&str>,
    township: Option<&str>,
    limit: u64,
    offset: u64,
) -> Result<(u64, Vec<provider::Model>), DbErr> {
    let mut query = provider::Entity::find();
    if let Some(status) = status {
        query = query.filter(provider::Column::Status.eq(status));
    }
    if let Some(township) = township {
        let serving: Vec<String> = provider_township::Entity::find()
            .filter(provider_township::Column::TownshipCode.eq(township))
            .all(db)
            .await?
            .into_iter()
            .map(|row| row.provider_id)
            .collect();
        query = query.filter(provider::Column::Id.is_in(serving));
    }
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_asc(provider::Column::CreatedAt)
        .order_by_asc(provider::Column::Id)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?;
    Ok((total, items))
}

/// Moves a provider from `from` to `to`; returns false when its status was no
/// longer `from` (someone decided first), so that two decisions cannot both win.
pub async fn transition(
    db: &impl ConnectionTrait,
    id: &str,
    from: &str,
    to: &str,
    reason: Option<&str>,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = provider::Entity::update_many()
        .col_expr(
            provider::Column::Status,
            sea_orm::sea_query::Expr::value(to),
        )
        .col_expr(
            provider::Column::DecisionReason,
            sea_orm::sea_query::Expr::value(reason.map(str::to_owned)),
        )
        .col_expr(
            provider::Column::DecidedAt,
            sea_orm::sea_query::Expr::value(at),
        )
        .filter(provider::Column::Id.eq(id))
        .filter(provider::Column::Status.eq(from))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}
