//! The reads behind suggestions: candidate offers by id (only the columns
//! that score them; whole rows for the page shown), their owners' standing
//! and record, and the open matches of a need or an offer. Each is one
//! query whatever the number of candidates.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, JoinType,
    QueryFilter, QueryOrder, QuerySelect, RelationDef,
};

use super::entities::{
    child, family, match_record, need, offer, offer_township, owner_record, provider,
};
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
        .filter(offer::Column::Id.is_in(crate::db::id_lists::padded(ids)))
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
        .filter(need::Column::Code.is_in(crate::db::id_lists::padded(codes)))
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
        .filter(child::Column::Id.is_in(crate::db::id_lists::padded(ids)))
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
        .filter(offer::Column::Id.is_in(crate::db::id_lists::padded(ids)))
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

/// An owner's completed matches over all its offers, the sum and number
/// of their ratings, and the outcomes recorded for the needs they served.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Record {
    pub completed: u32,
    pub rating_sum: i64,
    pub rated: u32,
    pub fully_met: u32,
    pub partly_met: u32,
    pub not_met: u32,
}

impl Record {
    /// The average rating, if any match was rated.
    pub fn average_rating(&self) -> Option<f32> {
        (self.rated > 0).then(|| self.rating_sum as f32 / self.rated as f32)
    }

    /// How many outcomes were recorded.
    pub fn outcomes(&self) -> u32 {
        self.fully_met + self.partly_met + self.not_met
    }
}

impl Owner {
    /// The kind and id the counter row is keyed by.
    fn key(&self) -> (&'static str, &str) {
        match self {
            Owner::Provider(id) => ("provider", id),
            Owner::Family(id) => ("family", id),
        }
    }
}

fn count(n: i64) -> u32 {
    u32::try_from(std::cmp::max(n, 0)).unwrap_or(u32::MAX)
}

/// The record of each of these owners: their counter rows, read by primary
/// key (one statement, as many rows as owners). Owners without a row are
/// absent.
pub async fn records(
    db: &impl ConnectionTrait,
    owners: &[Owner],
) -> Result<HashMap<Owner, Record>, DbErr> {
    if owners.is_empty() {
        return Ok(HashMap::new());
    }
    let mut whose = Condition::any();
    for owner in &crate::db::id_lists::padded(owners) {
        let (kind, id) = owner.key();
        whose = whose.add(
            Condition::all()
                .add(owner_record::Column::OwnerKind.eq(kind))
                .add(owner_record::Column::OwnerId.eq(id)),
        );
    }
    let rows = owner_record::Entity::find().filter(whose).all(db).await?;
    let mut out = HashMap::new();
    for row in rows {
        let owner = match row.owner_kind.as_str() {
            "provider" => Owner::Provider(row.owner_id),
            "family" => Owner::Family(row.owner_id),
            _ => continue,
        };
        out.insert(
            owner,
            Record {
                completed: count(row.completed),
                rating_sum: row.rating_sum,
                rated: count(row.rated),
                fully_met: count(row.fully_met),
                partly_met: count(row.partly_met),
                not_met: count(row.not_met),
            },
        );
    }
    Ok(out)
}

/// What one event adds to an owner's record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecordDelta {
    pub completed: i64,
    pub rating: Option<i16>,
    pub fully_met: i64,
    pub partly_met: i64,
    pub not_met: i64,
}

/// Adds `delta` to `owner`'s counters by one relative upsert (`INSERT …
/// ON CONFLICT DO UPDATE SET completed = completed + 1 …`), in the caller's
/// transaction: two events on one owner at once both count, whichever
/// commits first.
pub async fn bump_record(
    db: &impl ConnectionTrait,
    owner: &Owner,
    delta: RecordDelta,
) -> Result<(), DbErr> {
    use owner_record::Column as R;
    let (kind, id) = owner.key();
    let rating_sum = i64::from(delta.rating.unwrap_or(0));
    let rated = i64::from(delta.rating.is_some());
    let add = |c: R, by: i64| (c, Expr::col((owner_record::Entity, c)).add(by));
    let insert = Query::insert()
        .into_table(owner_record::Entity)
        .columns([
            R::OwnerKind,
            R::OwnerId,
            R::Completed,
            R::RatingSum,
            R::Rated,
            R::FullyMet,
            R::PartlyMet,
            R::NotMet,
        ])
        .values_panic([
            kind.into(),
            id.into(),
            delta.completed.into(),
            rating_sum.into(),
            rated.into(),
            delta.fully_met.into(),
            delta.partly_met.into(),
            delta.not_met.into(),
        ])
        .on_conflict(
            OnConflict::columns([R::OwnerKind, R::OwnerId])
                .values([
                    add(R::Completed, delta.completed),
                    add(R::RatingSum, rating_sum),
                    add(R::Rated, rated),
                    add(R::FullyMet, delta.fully_met),
                    add(R::PartlyMet, delta.partly_met),
                    add(R::NotMet, delta.not_met),
                ])
                .to_owned(),
        )
        .to_owned();
    db.execute(&insert).await?;
    Ok(())
}

/// The owners of the completed matches of a need (with repeats: an owner
/// with two completed matches on it counts twice).
pub async fn owners_of_completed(
    db: &impl ConnectionTrait,
    need_id: &str,
    completed: &str,
) -> Result<Vec<Owner>, DbErr> {
    #[derive(Debug, FromQueryResult)]
    struct Row {
        provider_id: Option<String>,
        family_id: Option<String>,
    }
    Ok(match_record::Entity::find()
        .select_only()
        .column(offer::Column::ProviderId)
        .column(offer::Column::FamilyId)
        .join(JoinType::InnerJoin, match_offer())
        .filter(match_record::Column::NeedId.eq(need_id))
        .filter(match_record::Column::Status.eq(completed))
        .into_model::<Row>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| Owner::from_ids(r.provider_id.as_ref(), r.family_id.as_ref()))
        .collect())
}

/// The join from a match to its offer (the entities declare no relations).
fn match_offer() -> RelationDef {
    match_record::Entity::belongs_to(offer::Entity)
        .from(match_record::Column::OfferId)
        .to(offer::Column::Id)
        .into()
}

/// Published needs that escalation widened, of categories other than
/// `category`, most recently widened first: what a county-wide offer is
/// offered beyond its own category. An index range of (status, widened_at).
pub async fn widened_need_facts(
    db: &impl ConnectionTrait,
    category: &str,
    limit: u64,
) -> Result<Vec<NeedFacts>, DbErr> {
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
        .filter(need::Column::Status.eq(NeedStatus::Published.as_str()))
        .filter(need::Column::WidenedAt.is_not_null())
        .filter(need::Column::Category.ne(category))
        .order_by_desc(need::Column::WidenedAt)
        .limit(limit)
        .into_model::<NeedFacts>()
        .all(db)
        .await
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
