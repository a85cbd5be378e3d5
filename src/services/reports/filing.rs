//! Filing a report: checked, throttled (public filings), sealed and
//! written in one transaction before any answer, so that a reference is
//! only ever shown for a report that is stored.

use chrono::{DateTime, Datelike, FixedOffset, Utc};

use crate::config::Settings;
use crate::db;
use crate::db::entities::report;
use crate::db::throttle::{BucketKey, BucketKind};
use crate::domain::Invalid;
use crate::domain::report::{
    Deadlines, FilingInput, LOOKUP_ALPHABET, LOOKUP_LEN, ReportStatus, StepKind, reference_of,
    reference_prefix,
};
use crate::domain::throttle::Policy;
use crate::services::files::identity;
use crate::services::throttle;
use crate::services::{
    Principal, RequestCtx, ServiceError, ServiceResult, Store, ThrottledAction, new_id,
};
use crate::vault::Vault;

use super::{record, seal, seal_opt};

/// What the reporter keeps: the reference and the one code that shows
/// its stage.
#[derive(Clone, Debug)]
pub struct Filed {
    pub id: String,
    pub reference: String,
    pub lookup_code: String,
}

/// What filing needs of the settings: the deadlines and the throttles.
#[derive(Clone, Copy, Debug)]
pub struct Intake {
    pub deadlines: Deadlines,
    /// Public reports from one address within an hour without delay.
    pub per_address: u32,
    /// Public reports from everyone within ten minutes without delay.
    pub global: u32,
}

impl From<&Settings> for Intake {
    fn from(settings: &Settings) -> Self {
        Intake {
            deadlines: settings.report_deadlines,
            per_address: settings.report_per_address,
            global: settings.report_global,
        }
    }
}

/// Reports from one address: the settings' number an hour, then a wait
/// that doubles from a minute up to an hour.
fn per_address(intake: &Intake) -> Policy {
    Policy {
        free: intake.per_address,
        first_delay: std::time::Duration::from_secs(60),
        max_delay: std::time::Duration::from_secs(60 * 60),
        window: std::time::Duration::from_secs(60 * 60),
    }
}

/// Reports from everyone together: a flood from many addresses is slowed
/// too, by seconds, never for long.
fn global(intake: &Intake) -> Policy {
    Policy {
        free: intake.global,
        first_delay: std::time::Duration::from_secs(2),
        max_delay: std::time::Duration::from_secs(60),
        window: std::time::Duration::from_secs(10 * 60),
    }
}

/// The address of the global bucket.
const EVERYONE: &str = "*";

/// A fresh lookup code from the unambiguous alphabet.
fn lookup_code() -> ServiceResult<String> {
    let mut code = String::with_capacity(LOOKUP_LEN);
    // 31 letters: bytes of 248 and above are drawn again, so that every
    // letter is equally likely.
    let limit = 256 - 256 % LOOKUP_ALPHABET.len();
    while code.len() < LOOKUP_LEN {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes)
            .map_err(|e| ServiceError::caused("randomness for a lookup code", e))?;
        for b in bytes {
            if usize::from(b) < limit && code.len() < LOOKUP_LEN {
                code.push(char::from(
                    LOOKUP_ALPHABET[usize::from(b) % LOOKUP_ALPHABET.len()],
                ));
            }
        }
    }
    Ok(code)
}

/// The blind index a reference and its lookup code are found by: the code
/// itself is never stored.
pub(super) fn lookup_index(vault: &Vault, reference: &str, code: &str) -> String {
    vault.blind_index("report_lookup", &format!("{reference}\u{0}{code}"))
}

/// The year a reference is numbered in: the county's (Beijing) year.
fn year_of(now: DateTime<Utc>) -> i32 {
    FixedOffset::east_opt(8 * 3600)
        .map(|beijing| now.with_timezone(&beijing).year())
        .unwrap_or_else(|| now.year())
}

/// Files a report. `caller` is the logged-in user filing from inside the
/// portal (staff filings are not throttled: the account answers for
/// them); `address` is the client's, for the public throttle.
pub async fn file(
    store: Store<'_>,
    intake: &Intake,
    ctx: &RequestCtx,
    caller: Option<&Principal>,
    input: FilingInput,
    address: &str,
) -> ServiceResult<Filed> {
    let filing = input.check()?;
    let township = filing.township.as_str();
    if db::regions::find_township(store.db, township)
        .await?
        .is_none()
    {
        return Err(Invalid::one("township", "没有这个乡镇（街道），请从列表中选择").into());
    }
    if let Some(village) = &filing.village
        && db::regions::find_village(store.db, village.as_str())
            .await?
            .is_none_or(|v| v.township_code != township)
    {
        return Err(Invalid::one("village", "所选村（社区）不属于所选乡镇").into());
    }
    let staff = caller.filter(|c| c.role.is_staff());
    let code = lookup_code()?;
    // Two filings at once may take the same number (PostgreSQL has no
    // write lock up front): the unique reference decides, and we retry.
    for _ in 0..5 {
        let txn = db::begin_write(store.db).await?;
        let now = store.clock.now();
        if staff.is_none() {
            for (key, policy) in [
                (
                    BucketKey {
                        kind: BucketKind::Report,
                        username: "",
                        address,
                    },
                    per_address(intake),
                ),
                (
                    BucketKey {
                        kind: BucketKind::Report,
                        username: "",
                        address: EVERYONE,
                    },
                    global(intake),
                ),
            ] {
                throttle::reserve(
                    &txn,
                    key,
                    &policy,
                    now.timestamp_millis(),
                    ThrottledAction::Report,
                )
                .await?;
            }
        }
        let prefix = reference_prefix(year_of(now));
        let prefix = prefix.as_str();
        let next = db::reports::last_reference(&txn, prefix)
            .await?
            .and_then(|r| r[prefix.len()..].parse::<u64>().ok())
            .unwrap_or(0)
            + 1;
        let reference = reference_of(year_of(now), next);
        let id = new_id();
        let vault = store.vault;
        let deadlines = intake.deadlines;
        let row = report::Model {
            id: id.clone(),
            reference: reference.clone(),
            lookup_index: lookup_index(vault, &reference, &code),
            township_code: township.to_owned(),
            urgent: filing.urgent,
            reporter_kind: filing.reporter_kind,
            channel: if staff.is_some() { "staff" } else { "public" }.to_owned(),
            filed_by: caller.map(|c| c.id.clone()),
            status: ReportStatus::Received,
            decision: None,
            risk_level: None,
            child_id: None,
            child_id_number_index: filing
                .child_id_number
                .as_ref()
                .map(|n| identity::id_number_index(vault, n.normalized())),
            village_sealed: seal_opt(
                vault,
                &id,
                "village",
                filing.village.as_ref().map(|v| v.as_str()),
            )?,
            description_sealed: seal(vault, &id, "description", &filing.description)?,
            child_location_sealed: seal_opt(
                vault,
                &id,
                "child_location",
                filing.child_location.as_deref(),
            )?,
            reporter_name_sealed: seal_opt(
                vault,
                &id,
                "reporter_name",
                filing.reporter_name.as_deref(),
            )?,
            reporter_contact_sealed: seal_opt(
                vault,
                &id,
                "reporter_contact",
                filing.reporter_contact.as_deref(),
            )?,
            child_name_sealed: seal_opt(vault, &id, "child_name", filing.child_name.as_deref())?,
            child_id_number_sealed: seal_opt(
                vault,
                &id,
                "child_id_number",
                filing.child_id_number.as_ref().map(|n| n.normalized()),
            )?,
            received_at: now,
            response_due: deadlines.response_due(now, filing.urgent),
            escalate_at: deadlines.escalate_at(now, filing.urgent),
            assigned_to: None,
            assigned_at: None,
            responded_at: None,
            assessed_at: None,
            decided_at: None,
            follow_up_due: None,
            followed_up_at: None,
            closed_at: None,
            overdue_noted_at: None,
            escalated_at: None,
            updated_at: now,
        };
        match db::reports::insert(&txn, row).await {
            Ok(saved) => {
                let detail = format!(
                    "township {township}; {}; {}",
                    if filing.urgent {
                        "urgent"
                    } else {
                        "not urgent"
                    },
                    saved.channel
                );
                record(
                    &txn,
                    vault,
                    ctx,
                    &saved.id,
                    StepKind::Filed,
                    now,
                    now,
                    None,
                    Some(detail),
                )
                .await?;
                crate::services::notify::events::report_filed(&txn, now, &saved.id).await?;
                txn.commit().await?;
                return Ok(Filed {
                    id: saved.id,
                    reference,
                    lookup_code: code,
                });
            }
            Err(err) if db::is_unique_violation(&err) => {
                txn.rollback().await?;
            }
            Err(err) => return Err(err.into()),
        }
    }
    Err(ServiceError::Conflict(
        "报告编号分配冲突，请再提交一次".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_codes_use_the_unambiguous_alphabet_and_differ() {
        let a = lookup_code().expect("code");
        let b = lookup_code().expect("code");
        assert_eq!(a.len(), LOOKUP_LEN);
        assert!(a.bytes().all(|c| LOOKUP_ALPHABET.contains(&c)));
        assert_ne!(a, b);
    }

    #[test]
    fn references_are_numbered_in_the_beijing_year() {
        let new_year_eve = DateTime::parse_from_rfc3339("2026-12-31T17:00:00Z")
            .expect("time")
            .with_timezone(&Utc);
        assert_eq!(year_of(new_year_eve), 2027);
    }
}
