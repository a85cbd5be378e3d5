//! One-door intake (一门受理): the township registers what a family asks
//! for at the window, once, and the portal routes each part to the
//! department responsible as a referral, so that the family applies once
//! and the township follows every part.

use crate::db;
use crate::db::entities::{intake, referral};
use crate::domain::Invalid;
use crate::domain::invalid::required_text;

use super::super::audit::{self, Event};
use super::super::{Principal, RequestCtx, ServiceError, ServiceResult, Store, new_id};
use super::{ReferralInput, check, check_text, insert, referable_file};

/// An application as typed.
#[derive(Clone, Debug, Default)]
pub struct IntakeInput {
    pub child_id: String,
    /// Who applies, by relation (祖母, 父亲, 本人…).
    pub applicant: String,
    /// What the family asks for, in words: the referrals' summary.
    pub request: String,
    /// The entitlements asked for (rule ids).
    pub entitlements: Vec<String>,
    /// Other matters: (department code, matter).
    pub matters: Vec<(String, String)>,
}

/// An intake with its referrals.
#[derive(Clone, Debug)]
pub struct IntakeView {
    pub intake: intake::Model,
    pub file_no: String,
    pub referrals: Vec<referral::Model>,
}

/// Registers an application and sends its referrals (township officer of
/// the file, county staff), all or none.
pub async fn create(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    input: IntakeInput,
) -> ServiceResult<IntakeView> {
    let mut invalid = Invalid::new();
    let applicant = invalid.check("applicant", required_text(&input.applicant, 20));
    let request = invalid.check("request", required_text(&input.request, 1000));
    let mut parts = Vec::new();
    let mut seen = Vec::new();
    for rule in input
        .entitlements
        .iter()
        .map(|r| r.trim())
        .filter(|r| !r.is_empty())
    {
        if seen.contains(&rule) {
            continue;
        }
        seen.push(rule);
        parts.push(ReferralInput {
            child_id: input.child_id.clone(),
            entitlement: Some(rule.to_owned()),
            summary: input.request.clone(),
            ..Default::default()
        });
    }
    for (department, matter) in &input.matters {
        parts.push(ReferralInput {
            child_id: input.child_id.clone(),
            department: Some(department.clone()),
            matter: Some(matter.clone()),
            summary: input.request.clone(),
            ..Default::default()
        });
    }
    if parts.is_empty() {
        invalid.add("entitlements", "请至少选择一项申请的保障或事项");
    }
    let mut checked = Vec::new();
    for part in &parts {
        match check(store.rules, part) {
            Ok(c) => checked.push(c),
            Err(errors) => {
                for e in errors.errors {
                    let field = if e.field == "summary" {
                        "request".to_owned()
                    } else {
                        e.field
                    };
                    invalid.add(&field, e.message);
                }
            }
        }
    }
    invalid.into_result()?;
    let (Some(applicant), Some(request)) = (applicant, request) else {
        return Err(ServiceError::internal("intake checked without values"));
    };
    let txn = db::begin_write(store.db).await?;
    let child = referable_file(store.within(&txn), caller, &input.child_id).await?;
    check_text(store.within(&txn), &child, "request", &request).await?;
    let now = store.clock.now();
    let saved = db::referrals::insert_intake(
        &txn,
        intake::Model {
            id: new_id(),
            child_id: child.id.clone(),
            township_code: child.township_code.clone(),
            applicant,
            request,
            created_by: caller.id.clone(),
            created_at: now,
        },
    )
    .await?;
    let mut referrals = Vec::new();
    for c in checked {
        referrals.push(
            insert(
                store.within(&txn),
                ctx,
                caller,
                &child,
                c,
                (Some(saved.id.clone()), None),
                now,
            )
            .await?,
        );
    }
    audit::append(
        &txn,
        ctx,
        Event::success("intake.create", format!("intake:{}", saved.id)).with_detail(format!(
            "child:{}; referrals: {}",
            child.id,
            referrals.len()
        )),
    )
    .await?;
    txn.commit().await?;
    Ok(IntakeView {
        intake: saved,
        file_no: child.file_no,
        referrals,
    })
}

/// One intake with its referrals (the township officer of its township,
/// county staff; others 404).
pub async fn get(store: Store<'_>, caller: &Principal, id: &str) -> ServiceResult<IntakeView> {
    let row = db::referrals::find_intake(store.db, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !caller.staff_reaches_township(&row.township_code)
        || caller.role == crate::domain::Role::VillageSupervisor
    {
        return Err(ServiceError::NotFound);
    }
    let (_, rows) = db::referrals::list(
        store.db,
        &db::referrals::ReferralFilter {
            intake_id: Some(&row.id),
            ..Default::default()
        },
        100,
        0,
    )
    .await?;
    let file_no = rows.first().map(|(_, n)| n.clone()).unwrap_or_default();
    Ok(IntakeView {
        intake: row,
        file_no,
        referrals: rows.into_iter().map(|(r, _)| r).collect(),
    })
}
