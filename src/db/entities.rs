//! sea-orm entities, one file per table, no behaviour.

pub mod audit_log;
pub mod child;
pub mod child_event;
pub mod family;
pub mod family_assessment;
pub mod login_failure;
pub mod match_event;
pub mod match_record;
pub mod need;
pub mod offer;
pub mod offer_township;
pub mod provider;
pub mod provider_township;
pub mod report;
pub mod report_step;
pub mod search_outbox;
pub mod service_record;
pub mod session;
pub mod throttle_bucket;
pub mod township;
pub mod user;
pub mod vault_meta;
pub mod village;
pub mod visit;
