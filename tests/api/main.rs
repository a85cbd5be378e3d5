//! Integration tests: the application driven over HTTP, in process.
//!
//! Each test gets its own database: a temporary SQLite file, or with
//! `CAREBRIDGE_TEST_POSTGRES` set to a server URL, a PostgreSQL database of
//! its own that is dropped when the test ends.

mod allocation;
mod api_errors;
mod assets;
mod audit;
mod auth;
mod backup;
mod child_pages;
mod children;
mod cli;
mod concurrency;
mod consent;
mod cost;
mod demo;
mod due_notices;
mod entitlements;
mod escalation;
mod families;
mod family_assessment;
mod files;
mod fuzz_bodies;
mod helpers;
mod inbox;
mod match_capacity;
mod match_helpers;
mod match_moves;
mod match_pages;
mod match_privacy;
mod matches;
mod metrics;
mod migrations;
mod needs;
mod notify;
mod notify_events;
mod notify_servers;
mod offer_pages;
mod offers;
mod openapi;
mod outcome;
mod outcome_effects;
mod outcome_notes;
mod oversight;
mod oversight_history;
mod privacy;
mod providers;
mod races;
mod referrals;
mod report_pages;
mod reports;
mod request_bodies;
mod scope;
mod search;
mod security;
mod service_amounts;
mod sessions;
mod suggestions;
mod synthetic;
mod terms;
mod throttle;
mod timeline;
mod vault;
mod volunteers;
