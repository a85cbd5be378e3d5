//! What the county allocation plan reads: open needs, offers with places,
//! who owns them, and the matches already made; and the counter of the
//! changes it depends on (the only thing here that writes).

use std::cell::Cell;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::entities::{family, match_record, need, offer, offer_township, provider};
use crate::domain::category::Category;
use crate::domain::matching::MatchStatus;
use crate::domain::need::Urgency;
use crate::domain::offer::OfferStatus;

/// What the plan reads of a need, with the sealed birth date of its
/// child's file when that file is active.
#[derive(Debug, Clone)]
pub struct NeedRow {
    pub id: String,
    pub township_code: String,
    pub category: Category,
    pub urgency: Urgency,
    pub quantity: Option<i32>,
    pub child_id: String,
    pub published_at: Option<DateTime<Utc>>,
    pub birth_date_sealed: Option<Vec<u8>>,
}

/// Needs of `status` after the id `after`, by id, `limit` of them, each
/// with its child's sealed birth date when the file is of `file_status`:
/// only the columns the plan reads, walked along the primary key (a page
/// at a time keeps the rows the driver materialises small; the caller
/// orders them by publication).
pub async fn needs_page(
    db: &impl ConnectionTrait,
    status: &str,
    file_status: &str,
    after: Option<&str>,
    limit: u64,
) -> Result<Vec<NeedRow>, DbErr> {
    let (needs, children) = (Alias::new("needs"), Alias::new("children"));
    let col = |table: &Alias, name: &str| Expr::col((table.clone(), Alias::new(name)));
    let mut select = Query::select();
    for name in [
        "id",
        "township_code",
        "category",
        "urgency",
        "quantity",
        "child_id",
        "published_at",
    ] {
        select.expr_as(col(&needs, name), Alias::new(name));
    }
    select
        .expr_as(col(&children, "birth_date_sealed"), Alias::new("birth"))
        .from(needs.clone())
        .left_join(
            children.clone(),
            col(&children, "id")
                .equals((needs.clone(), Alias::new("child_id")))
                .and(col(&children, "status").eq(file_status)),
        )
        .and_where(col(&needs, "status").eq(status))
        .order_by((needs.clone(), Alias::new("id")), Order::Asc)
        .limit(limit);
    if let Some(after) = after {
        select.and_where(col(&needs, "id").gt(after));
    }
    db.query_all(&select)
        .await?
        .into_iter()
        .map(|row| {
            Ok(NeedRow {
                id: row.try_get("", "id")?,
                township_code: row.try_get("", "township_code")?,
                category: row.try_get("", "category")?,
                urgency: row.try_get("", "urgency")?,
                quantity: row.try_get("", "quantity")?,
                child_id: row.try_get("", "child_id")?,
                published_at: row.try_get("", "published_at")?,
                birth_date_sealed: row.try_get("", "birth")?,
            })
        })
        .collect()
}

/// How many offers of `offer_status` with places, and needs of
/// `need_status`, there are (for the job's progress).
pub async fn counts(
    db: &impl ConnectionTrait,
    offer_status: &str,
    need_status: &str,
) -> Result<(u64, u64), DbErr> {
    let offers = offer::Entity::find()
        .filter(offer::Column::Status.eq(offer_status))
        .filter(offer::Column::Remaining.gt(0))
        .count(db)
        .await?;
    let needs = need::Entity::find()
        .filter(need::Column::Status.eq(need_status))
        .count(db)
        .await?;
    Ok((offers, needs))
}

/// What the plan reads of an offer.
#[derive(Debug, Clone, sea_orm::FromQueryResult)]
pub struct OfferRow {
    pub id: String,
    pub provider_id: Option<String>,
    pub family_id: Option<String>,
    pub category: Category,
    pub remaining: i32,
    pub county_wide: bool,
    pub age_min: Option<i16>,
    pub age_max: Option<i16>,
    pub ends_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub status: OfferStatus,
}

/// Offers after the id `after`, by id, `limit` of them: only the columns
/// the plan reads, walked along the primary key (the caller keeps those of
/// the status it wants and with places: filtering here would make SQLite
/// walk the status index and sort every page).
pub async fn offers_page(
    db: &impl ConnectionTrait,
    after: Option<&str>,
    limit: u64,
) -> Result<Vec<OfferRow>, DbErr> {
    let mut query = offer::Entity::find().select_only().columns([
        offer::Column::Id,
        offer::Column::ProviderId,
        offer::Column::FamilyId,
        offer::Column::Category,
        offer::Column::Remaining,
        offer::Column::CountyWide,
        offer::Column::AgeMin,
        offer::Column::AgeMax,
        offer::Column::EndsOn,
        offer::Column::CreatedAt,
        offer::Column::Status,
    ]);
    if let Some(after) = after {
        query = query.filter(offer::Column::Id.gt(after));
    }
    query
        .order_by_asc(offer::Column::Id)
        .limit(limit)
        .into_model::<OfferRow>()
        .all(db)
        .await
}

/// (offer, township) rows of the offers `ids`.
pub async fn townships_of(
    db: &impl ConnectionTrait,
    ids: &[String],
) -> Result<Vec<(String, String)>, DbErr> {
    offer_township::Entity::find()
        .select_only()
        .column(offer_township::Column::OfferId)
        .column(offer_township::Column::TownshipCode)
        .filter(offer_township::Column::OfferId.is_in(crate::db::id_lists::padded(ids)))
        .into_tuple()
        .all(db)
        .await
}

/// (id, code, title) of the needs `ids`: what a page of the plan's pairs
/// shows of them (the plan itself keeps only ids).
pub async fn needs_shown(
    db: &impl ConnectionTrait,
    ids: &[String],
) -> Result<Vec<(String, String, String)>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    need::Entity::find()
        .select_only()
        .columns([need::Column::Id, need::Column::Code, need::Column::Title])
        .filter(need::Column::Id.is_in(crate::db::id_lists::padded(ids)))
        .into_tuple()
        .all(db)
        .await
}

/// (id, title, owner name) of the offers `ids`: what a page of the plan's
/// pairs shows of them.
pub async fn offers_shown(
    db: &impl ConnectionTrait,
    ids: &[String],
) -> Result<Vec<(String, String, String)>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    offer::Entity::find()
        .select_only()
        .columns([
            offer::Column::Id,
            offer::Column::Title,
            offer::Column::OwnerName,
        ])
        .filter(offer::Column::Id.is_in(crate::db::id_lists::padded(ids)))
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
) -> Result<Vec<(String, String, MatchStatus)>, DbErr> {
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

const COUNTERS: &str = "change_counters";
const ALLOCATION: &str = "allocation";

tokio::task_local! {
    /// The change count this request has read, if any (see [`once_per_request`]).
    static SEEN: Cell<Option<i64>>;
}

/// Runs `work` (one request) so that the values it finds kept are all
/// looked up under one change count, read once ([`changes_seen`]) instead of
/// once per kind of kept value: the navigation's inbox counts, a list's
/// total and the k-anonymity population each tag what they keep with it.
/// Reading it once, at the first lookup, is reading it before everything
/// the request computes after it, which is all a tag must be (an older tag
/// only makes what is kept miss sooner). A change the request counts
/// itself ([`count_change`]) forgets it, so that what the request reads
/// after its own write is never found under the count from before it.
pub async fn once_per_request<F: Future>(work: F) -> F::Output {
    SEEN.scope(Cell::new(None), work).await
}

/// The change count, read at most once per request inside
/// [`once_per_request`], and every time outside it (jobs, commands).
pub async fn changes_seen(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    if let Ok(Some(seen)) = SEEN.try_with(Cell::get) {
        return Ok(seen);
    }
    let read = changes(db).await?;
    let _ = SEEN.try_with(|seen| seen.set(Some(read)));
    Ok(read)
}

/// Counts one change the allocation plan depends on, inside the change's
/// transaction (a relative update: concurrent changes each count).
pub async fn count_change(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let _ = SEEN.try_with(|seen| seen.set(None));
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
