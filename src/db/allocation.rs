//! What the county allocation plan reads: open needs, offers with places,
//! who owns them, and the matches already made; and the counter of the
//! changes it depends on (the only thing here that writes).

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::entities::{family, match_record, need, offer, offer_township, provider};

/// What the plan reads of a need: id, code, title, township, category,
/// urgency, quantity, child id.
pub type NeedRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    Option<i32>,
    String,
);

/// Needs of `status`, first published first (the order first come serves):
/// only the columns the plan reads.
pub async fn needs_by_publication(
    db: &impl ConnectionTrait,
    status: &str,
) -> Result<Vec<NeedRow>, DbErr> {
    need::Entity::find()
        .select_only()
        .columns([
            need::Column::Id,
            need::Column::Code,
            need::Column::Title,
            need::Column::TownshipCode,
            need::Column::Category,
            need::Column::Urgency,
            need::Column::Quantity,
            need::Column::ChildId,
        ])
        .filter(need::Column::Status.eq(status))
        .order_by_asc(need::Column::PublishedAt)
        .order_by_asc(need::Column::Id)
        .into_tuple()
        .all(db)
        .await
}

/// What the plan reads of an offer.
#[derive(Debug, Clone, sea_orm::FromQueryResult)]
pub struct OfferRow {
    pub id: String,
    pub provider_id: Option<String>,
    pub family_id: Option<String>,
    pub owner_name: String,
    pub category: String,
    pub title: String,
    pub remaining: i32,
    pub county_wide: bool,
    pub age_min: Option<i16>,
    pub age_max: Option<i16>,
    pub ends_on: Option<NaiveDate>,
}

/// Offers of `status` with places left, oldest first: only the columns
/// the plan reads.
pub async fn offers_with_places(
    db: &impl ConnectionTrait,
    status: &str,
) -> Result<Vec<OfferRow>, DbErr> {
    offer::Entity::find()
        .select_only()
        .columns([
            offer::Column::Id,
            offer::Column::ProviderId,
            offer::Column::FamilyId,
            offer::Column::OwnerName,
            offer::Column::Category,
            offer::Column::Title,
            offer::Column::Remaining,
            offer::Column::CountyWide,
            offer::Column::AgeMin,
            offer::Column::AgeMax,
            offer::Column::EndsOn,
        ])
        .filter(offer::Column::Status.eq(status))
        .filter(offer::Column::Remaining.gt(0))
        .order_by_asc(offer::Column::CreatedAt)
        .order_by_asc(offer::Column::Id)
        .into_model::<OfferRow>()
        .all(db)
        .await
}

const COUNTERS: &str = "change_counters";
const ALLOCATION: &str = "allocation";

/// Counts one change the allocation plan depends on, inside the change's
/// transaction (a relative update: concurrent changes each count).
pub async fn count_change(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let bump = Query::update()
        .table(Alias::new(COUNTERS))
        .value(Alias::new("value"), Expr::col(Alias::new("value")).add(1))
        .and_where(Expr::col(Alias::new("name")).eq(ALLOCATION))
        .to_owned();
    db.execute(&bump).await.map(|_| ())
}

/// The number of changes counted so far: one row by its key.
pub async fn changes(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    let select = Query::select()
        .column(Alias::new("value"))
        .from(Alias::new(COUNTERS))
        .and_where(Expr::col(Alias::new("name")).eq(ALLOCATION))
        .to_owned();
    match db.query_one(&select).await? {
        Some(row) => row.try_get("", "value"),
        None => Err(DbErr::RecordNotFound(COUNTERS.to_owned())),
    }
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
