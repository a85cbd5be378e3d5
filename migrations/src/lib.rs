//! The CareBridge schema, one migration per change.
//!
//! Both SQLite and PostgreSQL run every migration; where the two dialects
//! differ (triggers), the migration branches on the backend. A released
//! migration is never edited: a change is a new file.

pub use sea_orm_migration::prelude::*;

mod m20260101_000020_change_counters;
mod m20261128_000001_foundation;
mod m20261128_000002_audit_log;
mod m20261128_000003_children;
mod m20261128_000004_offers_outbox;
mod m20261128_000005_matches;
mod m20261128_000009_inbox_indexes;
mod m20261130_000010_session_id_hashes;
mod m20261130_000011_throttle_buckets;
mod m20261130_000012_audit_action_index;
mod m20261130_000013_match_review;
mod m20261130_000014_population_columns;
mod m20261130_000015_needs_published_index;
mod m20261130_000021_needs_township_created_index;
mod m20261130_000022_audit_actor_target_indexes;
mod m20261201_000023_reports;
mod m20261201_000030_departments_school;
mod m20261201_000031_entitlements;
mod m20261201_000032_entitlement_gaps;
mod m20261201_000033_referrals;
mod m20261201_000034_intakes;
mod m20261201_000035_oversight_indexes;
mod m20261202_000036_notifications;
mod m20261202_000037_notification_recipient_indexes;
mod m20261202_000038_timeline;
mod m20261202_000039_volunteers;
mod m20261202_000040_owner_records;
mod m20261202_000041_need_escalation;
mod m20261202_000042_need_outcome_time;
mod m20261203_000043_due_notices;
mod m20261203_000044_service_amounts;
mod m20261203_000045_outcome_notes_asked;
mod m20261203_000046_child_closed_at;
mod m20261203_000047_visits_by_day;
mod m20261204_000048_population_snapshots;

/// The list of migrations, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_foundation::Migration),
            Box::new(m20261128_000002_audit_log::Migration),
            Box::new(m20261128_000003_children::Migration),
            Box::new(m20261128_000004_offers_outbox::Migration),
            Box::new(m20261128_000005_matches::Migration),
            Box::new(m20261128_000009_inbox_indexes::Migration),
            Box::new(m20261130_000010_session_id_hashes::Migration),
            Box::new(m20261130_000011_throttle_buckets::Migration),
            Box::new(m20261130_000012_audit_action_index::Migration),
            Box::new(m20261130_000013_match_review::Migration),
            Box::new(m20261130_000014_population_columns::Migration),
            Box::new(m20261130_000015_needs_published_index::Migration),
            Box::new(m20260101_000020_change_counters::Migration),
            Box::new(m20261130_000021_needs_township_created_index::Migration),
            Box::new(m20261130_000022_audit_actor_target_indexes::Migration),
            Box::new(m20261201_000023_reports::Migration),
            Box::new(m20261201_000030_departments_school::Migration),
            Box::new(m20261201_000031_entitlements::Migration),
            Box::new(m20261201_000032_entitlement_gaps::Migration),
            Box::new(m20261201_000033_referrals::Migration),
            Box::new(m20261201_000034_intakes::Migration),
            Box::new(m20261201_000035_oversight_indexes::Migration),
            Box::new(m20261202_000036_notifications::Migration),
            Box::new(m20261202_000037_notification_recipient_indexes::Migration),
            Box::new(m20261202_000038_timeline::Migration),
            Box::new(m20261202_000039_volunteers::Migration),
            Box::new(m20261202_000040_owner_records::Migration),
            Box::new(m20261202_000041_need_escalation::Migration),
            Box::new(m20261202_000042_need_outcome_time::Migration),
            Box::new(m20261203_000043_due_notices::Migration),
            Box::new(m20261203_000044_service_amounts::Migration),
            Box::new(m20261203_000045_outcome_notes_asked::Migration),
            Box::new(m20261203_000046_child_closed_at::Migration),
            Box::new(m20261203_000047_visits_by_day::Migration),
            Box::new(m20261204_000048_population_snapshots::Migration),
        ]
    }
}
