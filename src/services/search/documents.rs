//! What the index holds of an offer and of a need: public data only. A
//! need's document is built from its public projection and nothing else,
//! keyed by its public code.

use search_index::{Doc, DocKind};

use crate::db::entities::offer;
use crate::domain::projection::PublicNeed;

/// The township value of a need generalized to the county.
pub const COUNTY: &str = "county";

/// What an offer's index key starts with (then its id).
pub const OFFER_KEY_PREFIX: &str = "offer:";
/// What a need's index key starts with (then its public code).
pub const NEED_KEY_PREFIX: &str = "need:";

pub fn offer_key(id: &str) -> String {
    format!("{OFFER_KEY_PREFIX}{id}")
}

pub fn need_key(code: &str) -> String {
    format!("{NEED_KEY_PREFIX}{code}")
}

/// An offer's document. A county-wide offer serves every township, so it is
/// filed under each of them (and counts in each township's facet).
pub fn offer_doc(offer: &offer::Model, townships: &[String], all_townships: &[String]) -> Doc {
    let mut body = offer.description.clone();
    if let Some(schedule) = &offer.schedule {
        body.push('\n');
        body.push_str(schedule);
    }
    Doc {
        key: offer_key(&offer.id),
        kind: DocKind::Offer,
        id: offer.id.clone(),
        code: None,
        title: offer.title.clone(),
        body,
        category: offer.category.as_str().to_owned(),
        townships: if offer.county_wide {
            all_townships.to_vec()
        } else {
            townships.to_vec()
        },
        provider: Some(offer.owner_name.clone()),
        updated_at: offer.updated_at.timestamp(),
    }
}

/// A need's document, from its projection alone.
pub fn need_doc(public: &PublicNeed, updated_at: i64) -> Doc {
    Doc {
        key: need_key(&public.code),
        kind: DocKind::Need,
        id: public.code.clone(),
        code: Some(public.code.clone()),
        title: public.title.clone(),
        body: public.description.clone(),
        category: public.category.as_str().to_owned(),
        townships: vec![public.township.clone().unwrap_or_else(|| COUNTY.to_owned())],
        provider: None,
        updated_at,
    }
}
