//! One extension of a session's idle expiry per minute, however many of
//! the session's requests arrive together.
//!
//! Each request reads the session's `seen_at` from the row it loaded. When
//! the minute has passed, every request already in flight loaded the same
//! old value, so each of them would mark the session changed and rewrite
//! the row: an API client's parallel calls, or a load test's fifty
//! connections, become fifty writes of one row. On SQLite each write waits
//! for the one write lock while holding a pooled connection, so a herd of
//! them empties the pool and stalls every reader for seconds. The gate
//! lets the first request of the herd on this node extend the expiry and
//! the others skip it (they are within the minute of that extension).
//! Nodes sharing the database each extend at most once a minute.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, PoisonError};

/// How often an authenticated request may rewrite its session to slide the
/// idle expiry: often enough that activity keeps a session alive, rarely
/// enough that reading pages does not write a row each time.
pub const SLIDE_EVERY_SECS: i64 = 60;

/// Sessions remembered at most; past it, those not extended within the
/// minute are forgotten (they no longer hold anything back).
const REMEMBERED: usize = 50_000;

/// When this node last extended each session it extended within the
/// minute (unix seconds), by session id.
#[derive(Debug, Default)]
pub struct SlideGate {
    slid: Mutex<HashMap<i128, i64>>,
}

impl SlideGate {
    /// Whether the request on session `id`, which last saw the session
    /// extended at `seen` (unix seconds), should extend it now. Answers
    /// `true` to one request per session and minute on this node.
    pub fn claim(&self, id: i128, seen: i64, now: i64) -> bool {
        if now - seen < SLIDE_EVERY_SECS {
            return false;
        }
        let mut slid = self.slid.lock().unwrap_or_else(PoisonError::into_inner);
        if slid
            .get(&id)
            .is_some_and(|&last| now - last < SLIDE_EVERY_SECS)
        {
            return false;
        }
        if slid.len() >= REMEMBERED && !slid.contains_key(&id) {
            slid.retain(|_, last| now - *last < SLIDE_EVERY_SECS);
            if slid.len() >= REMEMBERED {
                slid.clear();
            }
        }
        slid.insert(id, now);
        true
    }
}

/// The gate of this process (one per node, shared by every app it serves).
pub static GATE: LazyLock<SlideGate> = LazyLock::new(SlideGate::default);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn within_the_minute_nothing_slides() {
        let gate = SlideGate::default();
        assert!(!gate.claim(1, 1_000, 1_059));
    }

    #[test]
    fn one_request_of_a_herd_slides_and_the_next_minute_again() {
        let gate = SlideGate::default();
        // Fifty requests that all loaded the session seen at 1 000.
        let claimed = (0..50).filter(|_| gate.claim(7, 1_000, 1_070)).count();
        assert_eq!(claimed, 1);
        // Another session is not held back.
        assert!(gate.claim(8, 1_000, 1_070));
        // A minute after the extension, the next request extends again.
        assert!(!gate.claim(7, 1_070, 1_129));
        assert!(gate.claim(7, 1_070, 1_130));
    }

    #[test]
    fn the_memory_is_bounded() {
        let gate = SlideGate::default();
        for id in 0..(REMEMBERED as i128 + 10) {
            assert!(gate.claim(id, 0, 100));
        }
        let kept = gate.slid.lock().map(|s| s.len()).unwrap_or(0);
        assert!(kept <= REMEMBERED, "{kept}");
    }
}
