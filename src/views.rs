//! HTML views (maud): pure functions from data to markup. No I/O, no axum
//! extractors, no database types beyond the plain models they display.
//! maud escapes every interpolated value.

pub mod allocation;
pub mod assets;
pub mod audit;
pub mod auth;
pub mod charts;
pub mod children;
pub mod components;
pub mod entitlements;
pub mod errors;
pub mod families;
pub mod home;
pub mod inbox;
pub mod layout;
pub mod matches;
pub mod needs;
pub mod notify;
pub mod offers;
pub mod oversight;
pub mod providers;
pub mod referrals;
pub mod reports;
pub mod search;
pub mod status;
pub mod suggestions;
pub mod timeline;
pub mod users;
