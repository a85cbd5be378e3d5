//! The reads behind suggestions: candidate offers by id (only the columns
//! that score them; whole rows for the page shown), their owners' standing
//! and record, and the open matches of a need or an offer. Each is one
//! query whatever the number of candidates.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, JoinType,
    QueryFilter, QuerySelect, RelationDef,
};

use super::entities::{child, family, match_record, need, offer, offer_township, provider};
use crate::domain::category::Category;
use crate::domain::child::DifficultyClass;
use crate::domain::family::FamilyStatus;
use crate::domain::need::{NeedStatus, Urgency};
use crate::domain::offer::OfferStatus;
use crate::domain::provider::ProviderStatus;

/// What scores a candidate offer: no texts, no owner name; with its
/// owner's standing and whether it serves the township asked about, read
/// in the same statement (a pool of two hundred candidates would otherwise
/// cost three more statements and their rows).
#[derive(Debug, Clone, FromQueryResult)]
pub struct OfferFacts {
    pub id: String,
    pub provider_id: Option<String>,
    pub family_id: Option<String>,
    pub category: Category,
    pub remaining: i32,
    pub county_wide: bool,
    pub age_min: Option<i16>,
    pub age_max: Option<i16>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    status: OfferStatus,
    ends_on: Option<chrono::NaiveDate>,
    /// The owning provider's status (a provider's offer).
    pub provider_status: Option<ProviderStatus>,
    /// The owning family's status and approval end (a family's offer).
    pub family_status: Option<FamilyStatus>,
    pub family_approved_until: Option<chrono::NaiveDate>,
    /// Whether the offer lists the township asked about among those it
    /// serves.
    pub serves_township: bool,
}

/// Offers among `ids` in `status` (the active one) with places left and
/// not ended before `today`, reading only the columns of [`OfferFacts`]
/// (their owner's standing and whether they serve `township` included): a
/// pool of a few hundred candidates is scored from these, and only the
/// offers of the page shown are read whole ([`offers_by_id`]).
///
/// Reads by id alone and filters the rest here: given a status condition
/// too, SQLite (without statistics) walks the status index, i.e. every
/// active offer, instead of the ids — 70 ms instead of 1 at 100k offers.
/// The owners are joined by primary key and the township is one probe of
/// `offer_townships`' primary key per offer.
pub async fn offer_facts_with_places(
    db: &impl ConnectionTrait,
    ids: &[String],
    township: &str,
    status: &str,
    today: chrono::NaiveDate,
) -> Result<Vec<OfferFacts>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let serves = Query::select()
        .expr(Expr::val(1))
        .from(offer_township::Entity)
        .and_where(
            Expr::col((offer_township::Entity, offer_township::Column::OfferId))
                .equals((offer::Entity, offer::Column::Id)),
        )
        .and_where(
            Expr::col((offer_township::Entity, offer_township::Column::TownshipCode)).eq(township),
        )
        .to_owned();
    Ok(offer::Entity::find()
        .select_only()
        .columns([
            offer::Column::Id,
            offer::Column::ProviderId,
            offer::Column::FamilyId,
            offer::Column::Category,
            offer::Column::Remaining,
            offer::Column::CountyWide,
            offer::Column::AgeMin,
            offer::Column::AgeMax,
            offer::Column::CreatedAt,
            offer::Column::Status,
            offer::Column::EndsOn,
        ])
        .column_as(
            Expr::col((provider::Entity, provider::Column::Status)),
            "provider_status",
        )
        .column_as(
            Expr::col((family::Entity, family::Column::Status)),
            "family_status",
        )
        .column_as(
            Expr::col((family::Entity, family::Column::ApprovedUntil)),
            "family_approved_until",
        )
        .column_as(Expr::exists(serves), "serves_township")
        .join(
            JoinType::LeftJoin,
            offer::Entity::belongs_to(provider::Entity)
                .from(offer::Column::ProviderId)
                .to(provider::Column::Id)
                .into(),
        )
        .join(
            JoinType::LeftJoin,
            offer::Entity::belongs_to(family::Entity)
                .from(offer::Column::FamilyId)
                .to(family::Column::Id)
                .into(),
        )
        .filter(offer::Column::Id.is_in(ids.iter().cloned()))
        .into_model::<OfferFacts>()
        .all(db)
        .await?
        .into_iter()
        .filter(|o| {
            o.status.as_str() == status
                && o.remaining > 0
                && o.ends_on.is_none_or(|end| end >= today)
        })
        .collect())
}

/// What scores a candidate need for an offer: no texts.
#[derive(Debug, Clone, FromQueryResult)]
pub struct NeedFacts {
    pub id: String,
    pub code: String,
    pub child_id: String,
    pub category: Category,
    pub urgency: Urgency,
    pub status: NeedStatus,
    pub published_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The needs with these codes, reading only the columns of [`NeedFacts`].
pub async fn need_facts(
    db: &impl ConnectionTrait,
    codes: &[String],
) -> Result<Vec<NeedFacts>, DbErr> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    need::Entity::find()
        .select_only()
        .columns([
            need::Column::Id,
            need::Column::Code,
            need::Column::ChildId,
            need::Column::Category,
            need::Column::Urgency,
            need::Column::Status,
            need::Column::PublishedAt,
        ])
        .filter(need::Column::Code.is_in(codes.iter().cloned()))
        .into_model::<NeedFacts>()
        .all(db)
        .await
}

/// The columns of a file that place its needs (township, class, sealed
/// birth date), with nothing else of the file.
#[derive(Debug, Clone, FromQueryResult)]
pub struct FilePlace {
    pub id: String,
    pub township_code: String,
    pub difficulty_class: DifficultyClass,
    pub birth_date_sealed: Vec<u8>,
}

/// These files' [`FilePlace`] columns.
pub async fn file_places(
    db: &impl ConnectionTrait,
    ids: &[String],
) -> Result<Vec<FilePlace>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    child::Entity::find()
        .select_only()
        .columns([
            child::Column::Id,
            child::Column::TownshipCode,
            child::Column::DifficultyClass,
            child::Column::BirthDateSealed,
        ])
        .filter(child::Column::Id.is_in(ids.iter().cloned()))
        .into_model::<FilePlace>()
        .all(db)
        .await
}

/// These offers, whole, by id.
pub async fn offers_by_id(
    db: &impl ConnectionTrait,
    ids: &[String],
) -> Result<HashMap<String, offer::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(offer::Entity::find()
        .filter(offer::Column::Id.is_in(ids.iter().cloned()))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id.clone(), o))
        .collect())
}

/// Whose offers a record counts: a provider's or a family's.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Owner {
    Provider(String),
    Family(String),
}

impl Owner {
    /// The owner of `offer`, if it names one.
    pub fn of(offer: &offer::Model) -> Option<Owner> {
        Owner::from_ids(offer.provider_id.as_ref(), offer.family_id.as_ref())
    }

    /// The owner named by an offer's provider and family columns.
    pub fn from_ids(provider_id: Option<&String>, family_id: Option<&String>) -> Option<Owner> {
        match (provider_id, family_id) {
            (Some(p), _) => Some(Owner::Provider(p.clone())),
            (None, Some(f)) => Some(Owner::Family(f.clone())),
            (None, None) => None,
        }
    }
}

/// An owner's completed matches over all its offers, and the sum and
/// number of their ratings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Record {
    pub completed: u32,
    pub rating_sum: i64,
    pub rated: u32,
}

impl Record {
    /// The average rating, if any match was rated.
    pub fn average_rating(&self) -> Option<f32> {
        (self.rated > 0).then(|| self.rating_sum as f32 / self.rated as f32)
    }
}

#[derive(Debug, FromQueryResult)]
struct RecordRow {
    provider_id: Option<String>,
    family_id: Option<String>,
    completed: i64,
    rating_sum: Option<i64>,
    rated: i64,
}

/// The record of each of these owners, in one grouped query over the
/// matches in `completed` (the completed status) of all their offers.
/// Owners without such a match are absent.
pub async fn records(
    db: &impl ConnectionTrait,
    owners: &[Owner],
    completed: &str,
) -> Result<HashMap<Owner, Record>, DbErr> {
    let mut providers = Vec::new();
    let mut families = Vec::new();
    for owner in owners {
        match owner {
            Owner::Provider(id) => providers.push(id.clone()),
            Owner::Family(id) => families.push(id.clone()),
        }
    }
    if providers.is_empty() && families.is_empty() {
        return Ok(HashMap::new());
    }
    let mut whose = Condition::any();
    if !providers.is_empty() {
        whose = whose.add(offer::Column::ProviderId.is_in(providers));
    }
    if !families.is_empty() {
        whose = whose.add(offer::Column::FamilyId.is_in(families));
    }
    let id = Expr::col((match_record::Entity, match_record::Column::Id));
    let rating = Expr::col((match_record::Entity, match_record::Column::Rating));
    let rows = match_record::Entity::find()
        .select_only()
        .column(offer::Column::ProviderId)
        .column(offer::Column::FamilyId)
        .column_as(Expr::from(Func::count(id)), "completed")
        .column_as(Expr::from(Func::sum(rating.clone())), "rating_sum")
        .column_as(Expr::from(Func::count(rating)), "rated")
        .join(JoinType::InnerJoin, match_offer())
        .filter(match_record::Column::Status.eq(completed))
        .filter(whose)
        .group_by(offer::Column::ProviderId)
        .group_by(offer::Column::FamilyId)
        .into_model::<RecordRow>()
        .all(db)
        .await?;
    let mut out = HashMap::new();
    for row in rows {
        let owner = match (row.provider_id, row.family_id) {
            (Some(p), _) => Owner::Provider(p),
            (None, Some(f)) => Owner::Family(f),
            (None, None) => continue,
        };
        out.insert(
            owner,
            Record {
                completed: u32::try_from(row.completed).unwrap_or(u32::MAX),
                rating_sum: row.rating_sum.unwrap_or(0),
                rated: u32::try_from(row.rated).unwrap_or(u32::MAX),
            },
        );
    }
    Ok(out)
}

/// The join from a match to its offer (the entities declare no relations).
fn match_offer() -> RelationDef {
    match_record::Entity::belongs_to(offer::Entity)
        .from(match_record::Column::OfferId)
        .to(offer::Column::Id)
        .into()
}

/// The matches of a need in none of the `over` statuses (the final ones):
/// match id by offer id.
pub async fn open_matches_of_need(
    db: &impl ConnectionTrait,
    need_id: &str,
    over: &[&str],
) -> Result<HashMap<String, String>, DbErr> {
    Ok(match_record::Entity::find()
        .filter(match_record::Column::NeedId.eq(need_id))
        .filter(match_record::Column::Status.is_not_in(over.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.offer_id, m.id))
        .collect())
}

/// The matches of an offer in none of the `over` statuses: match id by
/// need id.
pub async fn open_matches_of_offer(
    db: &impl ConnectionTrait,
    offer_id: &str,
    over: &[&str],
) -> Result<HashMap<String, String>, DbErr> {
    Ok(match_record::Entity::find()
        .filter(match_record::Column::OfferId.eq(offer_id))
        .filter(match_record::Column::Status.is_not_in(over.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.need_id, m.id))
        .collect())
}
