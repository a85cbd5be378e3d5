//! The `offers` table: programs posted by providers and approved families.

use sea_orm::entity::prelude::*;

use crate::domain::category::Category;
use crate::domain::offer::OfferStatus;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "offers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub provider_id: Option<String>,
    pub family_id: Option<String>,
    /// The organisation's or household's name, shown on the offer.
    pub owner_name: String,
    pub category: Category,
    pub title: String,
    pub description: String,
    pub capacity: i32,
    pub remaining: i32,
    pub county_wide: bool,
    pub age_min: Option<i16>,
    pub age_max: Option<i16>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub schedule: Option<String>,
    pub status: OfferStatus,
    pub closed_reason: Option<String>,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
