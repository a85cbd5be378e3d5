//! Entitlements (保障待遇): the rules the portal started with ([`rules`]),
//! what the rules read of a file ([`facts`]), the records of what a child
//! receives ([`records`]) and the kept gap list ([`gaps`]).
//!
//! Builds on `services::files` (scope, the sealed birth date) only; the
//! file use cases (`children`) and referrals build on it.

pub mod facts;
pub mod gaps;
pub mod records;
pub mod rules;
