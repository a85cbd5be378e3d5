//! What the county allocation plan reads: open needs, offers with places,
//! who owns them, and the matches already made. Read-only.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::entities::{family, match_record, need, offer, offer_township, provider};

/// Needs of `status`, first published first (the order first come serves).
pub async fn needs_by_publication(
    db: &impl ConnectionTrait,
    status: &str,
) -> Result<Vec<need::Model>, DbErr> {
    need::Entity::find()
        .filter(need::Column::Status.eq(status))
        .order_by_asc(need::Column::PublishedAt)
        .order_by_asc(need::Column::Id)
        .all(db)
        .await
}

/// Offers of `status` with places left, oldest first.
pub async fn offers_with_places(
    db: &impl ConnectionTrait,
    status: &str,
) -> Result<Vec<offer::Model>, DbErr> {
    offer::Entity::find()
        .filter(offer::Column::Status.eq(status))
        .filter(offer::Column::Remaining.gt(0))
        .order_by_asc(offer::Column::CreatedAt)
        .order_by_asc(offer::Column::Id)
        .all(db)
        .await
}

/// Every (offer, township) row.
pub async fn offer_townships(db: &impl ConnectionTrait) -> Result<Vec<(String, String)>, DbErr> {
    offer_township::Entity::find()
        .select_only()
        .column(offer_township::Column::OfferId)
        .column(offer_township::Column::TownshipCode)
        .into_tuple()
        .all(db)
        .await
}

/// Ids of the providers of `status`.
pub async fn provider_ids(db: &impl ConnectionTrait, status: &str) -> Result<Vec<String>, DbErr> {
    provider::Entity::find()
        .select_only()
        .column(provider::Column::Id)
        .filter(provider::Column::Status.eq(status))
        .into_tuple()
        .all(db)
        .await
}

/// Families of `status`.
pub async fn families_of_status(
    db: &impl ConnectionTrait,
    status: &str,
) -> Result<Vec<family::Model>, DbErr> {
    family::Entity::find()
        .filter(family::Column::Status.eq(status))
        .all(db)
        .await
}

/// (need, offer, status) of the matches in `statuses`.
pub async fn matches_in(
    db: &impl ConnectionTrait,
    statuses: &[&str],
) -> Result<Vec<(String, String, String)>, DbErr> {
    match_record::Entity::find()
        .select_only()
        .column(match_record::Column::NeedId)
        .column(match_record::Column::OfferId)
        .column(match_record::Column::Status)
        .filter(match_record::Column::Status.is_in(statuses.iter().copied()))
        .into_tuple()
        .all(db)
        .await
}
