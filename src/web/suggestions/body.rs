//! The answers of the suggestion lists: offers ranked for a need, needs
//! ranked for an offer, each item with its score and the reasons for it.

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::projection::PublicNeed;
use crate::domain::scoring::Score;
use crate::services::offers::OfferView;
use crate::services::suggestions::{NeedSuggestions, OfferSuggestions, Suggested};

use super::super::needs::body::PublicNeedBody;

/// Offers ranked for a need, best first.
#[derive(Serialize, ToSchema)]
pub struct RankedOffersBody {
    need: RankedNeedBody,
    /// How many offers were scored.
    total: u64,
    items: Vec<OfferSuggestionBody>,
}

/// The need the offers are ranked for, as staff see it.
#[derive(Serialize, ToSchema)]
pub struct RankedNeedBody {
    id: String,
    code: String,
    title: String,
    category: String,
    /// The township's code.
    township: String,
    /// The child's age band today; null from 18.
    #[schema(required = true)]
    age_band: Option<&'static str>,
    difficulty_class: &'static str,
    urgency: String,
    status: String,
}

impl From<NeedSuggestions> for RankedOffersBody {
    fn from(found: NeedSuggestions) -> Self {
        let n = found.need;
        Self {
            need: RankedNeedBody {
                id: n.id,
                code: n.code,
                title: n.title,
                category: n.category.as_str().to_owned(),
                township: n.township_code,
                age_band: found.age_band.map(|b| b.as_str()),
                difficulty_class: found.difficulty_class.as_str(),
                urgency: n.urgency.as_str().to_owned(),
                status: n.status.as_str().to_owned(),
            },
            total: found.total,
            items: found
                .items
                .into_iter()
                .map(OfferSuggestionBody::from)
                .collect(),
        }
    }
}

/// Published needs ranked for an offer, best first (public projections).
#[derive(Serialize, ToSchema)]
pub struct RankedNeedsBody {
    offer: SuggestedOfferBody,
    /// How many needs were scored.
    total: u64,
    items: Vec<NeedSuggestionBody>,
}

impl From<OfferSuggestions> for RankedNeedsBody {
    fn from(found: OfferSuggestions) -> Self {
        Self {
            offer: found.offer.into(),
            total: found.total,
            items: found
                .items
                .into_iter()
                .map(NeedSuggestionBody::from)
                .collect(),
        }
    }
}

/// An offer as a suggestion shows it: public facts only.
#[derive(Serialize, ToSchema)]
pub struct SuggestedOfferBody {
    id: String,
    title: String,
    owner_name: String,
    category: String,
    remaining: i32,
    capacity: i32,
    /// The township codes it serves (empty when county-wide).
    townships: Vec<String>,
    county_wide: bool,
    #[schema(required = true)]
    age_min: Option<i16>,
    #[schema(required = true)]
    age_max: Option<i16>,
    status: String,
}

impl From<OfferView> for SuggestedOfferBody {
    fn from(view: OfferView) -> Self {
        let o = view.offer;
        Self {
            id: o.id,
            title: o.title,
            owner_name: o.owner_name,
            category: o.category.as_str().to_owned(),
            remaining: o.remaining,
            capacity: o.capacity,
            townships: view.townships,
            county_wide: o.county_wide,
            age_min: o.age_min,
            age_max: o.age_max,
            status: o.status.as_str().to_owned(),
        }
    }
}

/// An offer suggested for a need.
#[derive(Serialize, ToSchema)]
pub struct OfferSuggestionBody {
    offer: SuggestedOfferBody,
    #[serde(flatten)]
    rank: RankBody,
}

impl From<Suggested<OfferView>> for OfferSuggestionBody {
    fn from(s: Suggested<OfferView>) -> Self {
        Self {
            rank: RankBody::new(s.score, s.open_match),
            offer: s.item.into(),
        }
    }
}

/// A need suggested for an offer.
#[derive(Serialize, ToSchema)]
pub struct NeedSuggestionBody {
    need: PublicNeedBody,
    #[serde(flatten)]
    rank: RankBody,
}

impl From<Suggested<PublicNeed>> for NeedSuggestionBody {
    fn from(s: Suggested<PublicNeed>) -> Self {
        Self {
            rank: RankBody::new(s.score, s.open_match),
            need: s.item.into(),
        }
    }
}

/// Where a suggestion ranks, why, and whether the two are already matched.
#[derive(Serialize, ToSchema)]
pub struct RankBody {
    /// Out of 100.
    score: u32,
    reasons: Vec<ReasonBody>,
    already_matched: bool,
    /// The open match of the two; null when there is none.
    #[schema(required = true)]
    match_id: Option<String>,
}

impl RankBody {
    fn new(score: Score, open_match: Option<String>) -> Self {
        Self {
            score: score.total,
            reasons: score
                .reasons
                .into_iter()
                .map(|r| ReasonBody {
                    component: r.component.as_str(),
                    points: r.points,
                    text: r.text,
                })
                .collect(),
            already_matched: open_match.is_some(),
            match_id: open_match,
        }
    }
}

/// A part of the score and why it was given.
#[derive(Serialize, ToSchema)]
pub struct ReasonBody {
    component: &'static str,
    points: u32,
    text: String,
}
