//! Bulk inserts for synthetic data (`crate::synthetic`): many rows per
//! statement, inside the caller's transaction. Nothing else writes through
//! here: real writes go row by row through the services, with audit and
//! outbox entries.

use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, Iterable,
    PaginatorTrait,
};

use super::entities::{
    child, entitlement, entitlement_gap, need, offer, offer_township, provider, visit,
};

/// Bound parameters per statement: below SQLite's limit (32766) and
/// PostgreSQL's (65535).
const MAX_PARAMS: usize = 30_000;

/// Inserts `rows` in as few statements as the parameter limit allows.
async fn insert_chunked<A>(db: &impl ConnectionTrait, rows: Vec<A>) -> Result<(), DbErr>
where
    A: ActiveModelTrait + Send,
{
    let columns = <<A::Entity as EntityTrait>::Column as Iterable>::iter().count();
    let per_statement = (MAX_PARAMS / columns.max(1)).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(per_statement).collect();
        <A::Entity as EntityTrait>::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

fn active<M, A>(models: Vec<M>) -> Vec<A>
where
    M: IntoActiveModel<A>,
    A: ActiveModelTrait,
{
    models
        .into_iter()
        .map(|m| m.into_active_model().reset_all())
        .collect()
}

pub async fn insert_providers(
    db: &impl ConnectionTrait,
    rows: Vec<provider::Model>,
) -> Result<(), DbErr> {
    insert_chunked(db, active::<_, provider::ActiveModel>(rows)).await
}

pub async fn insert_offers(
    db: &impl ConnectionTrait,
    rows: Vec<offer::Model>,
) -> Result<(), DbErr> {
    insert_chunked(db, active::<_, offer::ActiveModel>(rows)).await
}

/// (offer id, township code) pairs.
pub async fn insert_offer_townships(
    db: &impl ConnectionTrait,
    rows: Vec<(String, String)>,
) -> Result<(), DbErr> {
    let rows = rows
        .into_iter()
        .map(|(offer_id, township_code)| {
            offer_township::Model {
                offer_id,
                township_code,
            }
            .into_active_model()
            .reset_all()
        })
        .collect();
    insert_chunked(db, rows).await
}

/// The visits behind the synthetic files' last visit dates.
pub async fn insert_visits(
    db: &impl ConnectionTrait,
    rows: Vec<visit::Model>,
) -> Result<(), DbErr> {
    insert_chunked(db, active::<_, visit::ActiveModel>(rows)).await
}

pub async fn insert_children(
    db: &impl ConnectionTrait,
    rows: Vec<child::Model>,
) -> Result<(), DbErr> {
    insert_chunked(db, active::<_, child::ActiveModel>(rows)).await
}

pub async fn insert_needs(db: &impl ConnectionTrait, rows: Vec<need::Model>) -> Result<(), DbErr> {
    insert_chunked(db, active::<_, need::ActiveModel>(rows)).await
}

pub async fn insert_entitlements(
    db: &impl ConnectionTrait,
    rows: Vec<entitlement::Model>,
) -> Result<(), DbErr> {
    insert_chunked(db, active::<_, entitlement::ActiveModel>(rows)).await
}

pub async fn insert_gaps(
    db: &impl ConnectionTrait,
    rows: Vec<entitlement_gap::Model>,
) -> Result<(), DbErr> {
    insert_chunked(db, active::<_, entitlement_gap::ActiveModel>(rows)).await
}

/// Offers plus child files on record.
pub async fn count_offers_and_children(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    Ok(offer::Entity::find().count(db).await? + child::Entity::find().count(db).await?)
}
