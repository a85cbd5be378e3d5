//! Suggestions kept between requests while nothing they are computed from
//! has changed: a need's or an offer's page of suggestions is read again
//! and again (the need page, the list and back, colleagues looking at the
//! same need) far more often than offers, needs, matches or owners change.
//!
//! An answer is tagged with what it was computed under, all read *before*
//! the computation: the portal's change count (`services::kept`: every
//! audited write to needs, offers, matches, files, families and providers
//! counts one in its own transaction, on every node), the index version the
//! candidates were ranked in (a commit or a rebuild makes a new one), and
//! the office day (ages, ends of offers and approvals move with it). It is
//! given again only under the very same tag, so a kept answer is the one a
//! fresh computation would have given when the tag was read.
//!
//! Only the computed answer is kept, never who may see it: the need's file
//! is checked against the caller's scope, and the offer against its owner,
//! on every request before anything kept is looked at.

use std::hash::Hash;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::NaiveDate;
use lru::LruCache;

use super::super::Paging;
use super::super::search::IndexVersion;
use super::{NeedSuggestions, OfferSuggestions};

/// Answers kept per side. A page of 20 suggestions with their offers (or
/// needs) and reasons is 20–40 KB, so each side stays under about 10 MB.
const KEPT_ANSWERS: NonZeroUsize = NonZeroUsize::new(256).expect("non-zero");

/// What an answer was computed under (see the module's note).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub changes: i64,
    pub index: IndexVersion,
    pub day: NaiveDate,
}

/// Which answer: the need or offer, the page, and (offers) the k of the
/// k-anonymity the needs were placed with.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    id: String,
    offset: u64,
    limit: u64,
    k: u32,
}

impl Key {
    pub fn new(id: &str, paging: Paging, k: u32) -> Key {
        Key {
            id: id.to_owned(),
            offset: paging.offset,
            limit: paging.limit,
            k,
        }
    }
}

/// The suggestions kept by one server, for needs and for offers.
#[derive(Debug)]
pub struct Answers {
    needs: Side<NeedSuggestions>,
    offers: Side<OfferSuggestions>,
}

impl Default for Answers {
    fn default() -> Self {
        Answers {
            needs: Side::new(KEPT_ANSWERS),
            offers: Side::new(KEPT_ANSWERS),
        }
    }
}

impl Answers {
    /// The suggestions for a need kept under `tag`, if any.
    pub fn need(&self, key: &Key, tag: &Tag) -> Option<NeedSuggestions> {
        self.needs.get(key, tag)
    }

    /// Keeps the suggestions for a need computed under `tag`.
    pub fn keep_need(&self, key: Key, tag: Tag, answer: &NeedSuggestions) {
        self.needs.put(key, tag, answer);
    }

    /// The suggestions for an offer kept under `tag`, if any.
    pub fn offer(&self, key: &Key, tag: &Tag) -> Option<OfferSuggestions> {
        self.offers.get(key, tag)
    }

    /// Keeps the suggestions for an offer computed under `tag`.
    pub fn keep_offer(&self, key: Key, tag: Tag, answer: &OfferSuggestions) {
        self.offers.put(key, tag, answer);
    }
}

/// One side's answers, least recently used leaving first.
struct Side<V> {
    entries: Mutex<LruCache<Key, (Tag, Arc<V>)>>,
}

impl<V> std::fmt::Debug for Side<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Side").finish_non_exhaustive()
    }
}

impl<V: Clone> Side<V> {
    fn new(capacity: NonZeroUsize) -> Self {
        Side {
            entries: Mutex::new(LruCache::new(capacity)),
        }
    }

    fn get(&self, key: &Key, tag: &Tag) -> Option<V> {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let kept = match entries.get(key) {
            Some((kept_tag, answer)) if kept_tag == tag => Arc::clone(answer),
            Some(_) => {
                // Computed under another tag: never good again for this
                // key once a newer one is asked for.
                entries.pop(key);
                return None;
            }
            None => return None,
        };
        drop(entries);
        Some((*kept).clone())
    }

    /// Keeps `answer` unless an answer computed under more changes is kept
    /// already (a slow computation that began before a change must not
    /// replace a newer answer).
    fn put(&self, key: Key, tag: Tag, answer: &V) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries
            .peek(&key)
            .is_some_and(|(kept, _)| kept.changes > tag.changes)
        {
            return;
        }
        entries.put(key, (tag, Arc::new(answer.clone())));
    }
}
