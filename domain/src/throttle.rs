//! Slowing down guessing: the policy of a throttle bucket (one account
//! from one address, one address, registrations from one address).
//!
//! An attempt is *reserved* before the work it guards (a password check, a
//! registration's hash) and counted as a failure until it is known to have
//! succeeded, so that attempts sent in parallel cannot all slip through
//! before any of them is counted. The first `free` attempts within the
//! window pass at once; after that each attempt must wait a delay that
//! doubles with every further failure, up to `max_delay`. Nothing is ever
//! locked for good: a bucket forgets its failures once it has been quiet
//! for the window.
//!
//! Times are milliseconds since the Unix epoch.

use std::time::Duration;

/// How a kind of bucket slows attempts down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Attempts that pass without delay within the window.
    pub free: u32,
    /// The wait after the first attempt past `free`; doubled for each
    /// further one.
    pub first_delay: Duration,
    /// The longest wait.
    pub max_delay: Duration,
    /// A bucket quiet for this long starts again from zero.
    pub window: Duration,
}

/// A bucket's state as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Bucket {
    /// Attempts counted in the current window (reserved ones included).
    pub failures: u32,
    /// When the last attempt was reserved.
    pub last_at: i64,
    /// No attempt is allowed before this time.
    pub not_before: i64,
}

/// An attempt refused: try again after this long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wait(pub Duration);

impl Wait {
    /// Whole seconds, rounded up and at least one (for `Retry-After`).
    pub fn seconds(self) -> u64 {
        self.0.as_millis().div_ceil(1000).max(1) as u64
    }
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

impl Policy {
    /// The wait after the `n`-th attempt of a window (1-based).
    pub fn delay_after(&self, n: u32) -> Duration {
        if n < self.free {
            return Duration::ZERO;
        }
        let doublings = (n - self.free).min(30);
        self.first_delay
            .saturating_mul(1 << doublings)
            .min(self.max_delay)
    }

    /// Reserves one attempt at `now`: the bucket's new state to store, or
    /// the wait when the attempt must not be made yet (the bucket is then
    /// left as it was).
    pub fn reserve(&self, bucket: Option<Bucket>, now: i64) -> Result<Bucket, Wait> {
        let mut bucket = bucket.unwrap_or_default();
        if now < bucket.not_before {
            let wait = u64::try_from(bucket.not_before - now).unwrap_or(0);
            return Err(Wait(Duration::from_millis(wait)));
        }
        if now.saturating_sub(bucket.last_at) >= millis(self.window) {
            bucket.failures = 0;
        }
        bucket.failures = bucket.failures.saturating_add(1);
        bucket.last_at = now;
        bucket.not_before = now.saturating_add(millis(self.delay_after(bucket.failures)));
        Ok(bucket)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const LOGIN: Policy = Policy {
        free: 5,
        first_delay: Duration::from_secs(5),
        max_delay: Duration::from_secs(15 * 60),
        window: Duration::from_secs(15 * 60),
    };

    #[test]
    fn the_free_attempts_pass_at_once_then_each_must_wait_longer() {
        let mut bucket = None;
        let now = 1_000_000;
        for n in 1..=5 {
            let b = LOGIN.reserve(bucket, now).expect("free attempt");
            assert_eq!(b.failures, n);
            bucket = Some(b);
        }
        // The fifth attempt already set a wait: a sixth at the same moment waits.
        let wait = LOGIN.reserve(bucket, now).expect_err("sixth waits");
        assert_eq!(wait, Wait(Duration::from_secs(5)));
        assert_eq!(wait.seconds(), 5);
        let b = LOGIN.reserve(bucket, now + 5_000).expect("after the wait");
        assert_eq!(b.not_before, now + 5_000 + 10_000, "the wait doubled");
    }

    #[test]
    fn the_wait_never_exceeds_its_cap() {
        assert_eq!(LOGIN.delay_after(4), Duration::ZERO);
        assert_eq!(LOGIN.delay_after(5), Duration::from_secs(5));
        assert_eq!(LOGIN.delay_after(6), Duration::from_secs(10));
        assert_eq!(LOGIN.delay_after(100), Duration::from_secs(15 * 60));
        assert_eq!(LOGIN.delay_after(u32::MAX), Duration::from_secs(15 * 60));
    }

    #[test]
    fn a_quiet_bucket_starts_again() {
        let old = Bucket {
            failures: 40,
            last_at: 0,
            not_before: 900_000,
        };
        let b = LOGIN
            .reserve(Some(old), 900_000)
            .expect("quiet for the window");
        assert_eq!(b.failures, 1);
        assert_eq!(b.not_before, 900_000);
    }

    #[test]
    fn a_partial_second_is_announced_as_a_whole_one() {
        assert_eq!(Wait(Duration::from_millis(1)).seconds(), 1);
        assert_eq!(Wait(Duration::from_millis(1001)).seconds(), 2);
    }

    proptest! {
        /// However attempts arrive, no more than `free` pass within any
        /// stretch shorter than the first delay, and a refused attempt
        /// leaves the bucket as it was.
        #[test]
        fn bursts_pass_at_most_the_free_attempts(
            gaps in proptest::collection::vec(0i64..1_000, 1..200),
        ) {
            let mut bucket = None;
            let mut now = 10_000_000i64;
            let mut passed = Vec::new();
            for gap in gaps {
                now += gap;
                match LOGIN.reserve(bucket, now) {
                    Ok(b) => {
                        prop_assert!(b.failures >= 1);
                        bucket = Some(b);
                        passed.push(now);
                    }
                    Err(wait) => {
                        prop_assert!(wait.0 > Duration::ZERO);
                        prop_assert!(now + i64::try_from(wait.0.as_millis()).unwrap_or(0)
                            == bucket.map_or(0, |b| b.not_before));
                    }
                }
            }
            let first = LOGIN.first_delay.as_millis() as i64;
            for (i, start) in passed.iter().enumerate() {
                let within = passed[i..].iter().take_while(|t| **t - start < first).count();
                prop_assert!(within <= LOGIN.free as usize, "{} passed within {} ms", within, first);
            }
        }
    }
}
