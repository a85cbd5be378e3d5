//! The reporter's lookup: with the reference and the lookup code, the
//! stage only (received / being handled / closed) — never the content,
//! the steps or the child. An unknown reference and a wrong code get the
//! same answer, and lookups from one address are throttled.

use std::time::Duration;

use crate::config::Settings;
use crate::db;
use crate::db::throttle::{BucketKey, BucketKind};
use crate::domain::report::Stage;
use crate::domain::throttle::Policy;
use crate::services::throttle;
use crate::services::{ServiceError, ServiceResult, Store, ThrottledAction};

use super::filing::lookup_index;

/// Lookups from one address: 30 an hour, then a wait doubling from 10
/// seconds (a reporter checks now and then; a guesser is slowed at once).
fn policy() -> Policy {
    Policy {
        free: 30,
        first_delay: Duration::from_secs(10),
        max_delay: Duration::from_secs(60 * 60),
        window: Duration::from_secs(60 * 60),
    }
}

fn normalized_reference(raw: &str) -> String {
    raw.trim().to_uppercase()
}

fn normalized_code(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_uppercase()
}

/// The stage of the report `reference` when `code` is its lookup code;
/// `NotFound` otherwise (the same for both).
pub async fn stage(
    store: Store<'_>,
    _settings: &Settings,
    reference: &str,
    code: &str,
    address: &str,
) -> ServiceResult<(String, Stage)> {
    let reference = normalized_reference(reference);
    let wanted = lookup_index(store.vault, &reference, &normalized_code(code));
    let txn = db::begin_write(store.db).await?;
    throttle::reserve(
        &txn,
        BucketKey {
            kind: BucketKind::ReportLookup,
            username: "",
            address,
        },
        &policy(),
        store.clock.now().timestamp_millis(),
        ThrottledAction::ReportLookup,
    )
    .await?;
    txn.commit().await?;
    match db::reports::find_by_reference(store.db, &reference).await? {
        Some(report) if report.lookup_index == wanted => Ok((reference, report.status.stage())),
        _ => Err(ServiceError::NotFound),
    }
}
