//! The time the use cases read. The portal runs on the system clock; tests
//! move an app's clock forward to reach a deadline without sleeping, and
//! every service that decides by the time (deadlines, overdue items,
//! escalation) reads it here rather than from `Utc::now()`.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, Utc};

/// The system time, shifted by what a test moved it forward. Cloning
/// shares the shift: the server's requests and its background jobs see the
/// same time.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    /// Milliseconds added to the system time; `None` for the plain system
    /// clock of commands that run once.
    shift_ms: Option<Arc<AtomicI64>>,
}

/// The system clock, for stores built without an app (commands, jobs).
pub static SYSTEM: Clock = Clock { shift_ms: None };

impl Clock {
    /// A clock that reads the system time until it is moved.
    pub fn movable() -> Clock {
        Clock {
            shift_ms: Some(Arc::default()),
        }
    }

    /// Now, as the services see it.
    pub fn now(&self) -> DateTime<Utc> {
        let now = Utc::now();
        match &self.shift_ms {
            Some(shift) => now + Duration::milliseconds(shift.load(Ordering::Relaxed)),
            None => now,
        }
    }

    /// Moves the clock forward by `by` (tests only; nothing in the portal
    /// moves its own clock). The system clock cannot be moved: `false`.
    pub fn advance(&self, by: Duration) -> bool {
        match &self.shift_ms {
            Some(shift) => {
                shift.fetch_add(by.num_milliseconds(), Ordering::Relaxed);
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moved_clock_is_ahead_by_what_it_was_moved_and_its_clones_follow() {
        let clock = Clock::movable();
        let shared = clock.clone();
        assert!(clock.advance(Duration::hours(2)));
        let ahead = shared.now() - Utc::now();
        assert!(ahead >= Duration::minutes(119) && ahead <= Duration::minutes(121));
    }

    #[test]
    fn the_system_clock_cannot_be_moved() {
        assert!(!SYSTEM.advance(Duration::hours(1)));
        assert!((SYSTEM.now() - Utc::now()).num_seconds().abs() < 5);
    }
}
