//! Answers kept per searcher generation, as a search engine's request cache
//! does: an answer is reused only while the index reader still serves the
//! exact generation of segments it was computed from, so a cached answer is
//! the answer a fresh search would give, never an older one. A commit that
//! reloads the reader starts a new generation and every older entry becomes
//! a miss (and is dropped when met).
//!
//! Popular searches (a category, 辅导 in one township) repeat far more often
//! than the index changes; each one otherwise visits every matching document
//! for its exact total and facets.

use std::hash::Hash;
use std::num::NonZeroUsize;
use std::sync::{Mutex, PoisonError};

use lru::LruCache;

/// A bounded map from a request to its answer under one generation.
pub(crate) struct GenerationCache<K: Hash + Eq, V: Clone> {
    entries: Mutex<LruCache<K, (u64, V)>>,
}

impl<K: Hash + Eq, V: Clone> GenerationCache<K, V> {
    /// A cache of at most `capacity` answers (least recently used leave first).
    pub(crate) fn new(capacity: NonZeroUsize) -> Self {
        GenerationCache {
            entries: Mutex::new(LruCache::new(capacity)),
        }
    }

    /// The answer to `key` computed under `generation`, if kept.
    pub(crate) fn get(&self, key: &K, generation: u64) -> Option<V> {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        match entries.get(key) {
            Some((g, value)) if *g == generation => Some(value.clone()),
            Some(_) => {
                entries.pop(key);
                None
            }
            None => None,
        }
    }

    /// Keeps `value` as the answer to `key` under `generation`. An answer of
    /// an older generation than the one kept is not stored: a slow search
    /// that began before a reload must not replace a newer answer.
    pub(crate) fn put(&self, key: K, generation: u64, value: V) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((kept, _)) = entries.peek(&key)
            && *kept > generation
        {
            return;
        }
        entries.put(key, (generation, value));
    }

    /// How many answers are kept (of any generation).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(n: usize) -> GenerationCache<&'static str, u32> {
        GenerationCache::new(NonZeroUsize::new(n).expect("non-zero"))
    }

    #[test]
    fn an_answer_is_reused_only_within_its_generation() {
        let c = cache(4);
        c.put("辅导", 1, 10);
        assert_eq!(c.get(&"辅导", 1), Some(10));
        assert_eq!(c.get(&"辅导", 2), None);
        // The stale entry is gone once met.
        assert_eq!(c.len(), 0);
    }

    #[test]
    fn an_older_generation_never_replaces_a_newer_answer() {
        let c = cache(4);
        c.put("康复", 3, 30);
        c.put("康复", 2, 20);
        assert_eq!(c.get(&"康复", 3), Some(30));
        c.put("康复", 4, 40);
        assert_eq!(c.get(&"康复", 4), Some(40));
    }

    #[test]
    fn the_least_recently_used_answer_leaves_first() {
        let c = cache(2);
        c.put("a", 1, 1);
        c.put("b", 1, 2);
        assert_eq!(c.get(&"a", 1), Some(1));
        c.put("c", 1, 3);
        assert_eq!(c.get(&"b", 1), None);
        assert_eq!(c.get(&"a", 1), Some(1));
        assert_eq!(c.get(&"c", 1), Some(3));
    }
}
