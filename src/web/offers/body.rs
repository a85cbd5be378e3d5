//! The answer of `/api/v1/offers…`: an offer as anyone may read it.

use serde::Serialize;
use utoipa::ToSchema;

use crate::services::offers::{COUNTY, OfferView};

/// An offer (public: no account ids, only the owner's name).
#[derive(Serialize, ToSchema)]
pub struct OfferBody {
    id: String,
    /// The provider's or the family's name.
    owner: String,
    /// `provider` or `family`.
    owner_type: &'static str,
    category: String,
    title: String,
    description: String,
    capacity: i32,
    /// Places left.
    remaining: i32,
    /// Township codes, or `["county"]` for the whole county.
    townships: Vec<String>,
    #[schema(required = true)]
    age_min: Option<i16>,
    #[schema(required = true)]
    age_max: Option<i16>,
    /// `YYYY-MM-DD`.
    #[schema(required = true)]
    starts_on: Option<String>,
    /// `YYYY-MM-DD`.
    #[schema(required = true)]
    ends_on: Option<String>,
    #[schema(required = true)]
    schedule: Option<String>,
    status: String,
    #[schema(required = true)]
    closed_reason: Option<String>,
    created_at: String,
    updated_at: String,
}

impl From<OfferView> for OfferBody {
    fn from(view: OfferView) -> Self {
        let o = view.offer;
        Self {
            owner_type: owner_type(o.provider_id.is_some()),
            townships: if o.county_wide {
                vec![COUNTY.to_owned()]
            } else {
                view.townships
            },
            starts_on: o.starts_on.map(|d| d.to_string()),
            ends_on: o.ends_on.map(|d| d.to_string()),
            created_at: o.created_at.to_rfc3339(),
            updated_at: o.updated_at.to_rfc3339(),
            id: o.id,
            owner: o.owner_name,
            category: o.category.as_str().to_owned(),
            title: o.title,
            description: o.description,
            capacity: o.capacity,
            remaining: o.remaining,
            age_min: o.age_min,
            age_max: o.age_max,
            schedule: o.schedule,
            status: o.status.as_str().to_owned(),
            closed_reason: o.closed_reason,
        }
    }
}

/// `provider` for a provider's offer, `family` for a family's.
pub fn owner_type(by_provider: bool) -> &'static str {
    if by_provider { "provider" } else { "family" }
}
