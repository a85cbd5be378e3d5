//! The township's home visit (家庭评估) to a caring family, first or yearly
//! again: a recommendation sends the family to the county.

use chrono::{Local, NaiveDate, Utc};
use sea_orm::DatabaseConnection;

use crate::db;
use crate::db::entities::{family, family_assessment};
use crate::domain::dates::{day_text, parse_day};
use crate::domain::invalid::required_text;
use crate::domain::{Invalid, Role};

use super::super::audit::{self, Event};
use super::super::{Principal, RequestCtx, ServiceError, ServiceResult, new_id};
use super::{find_visible, moved_on, today};

/// The longest findings of a visit, in characters.
const FINDINGS_MAX: usize = 2000;
/// The longest of the other notes of a visit, in characters.
const NOTE_MAX: usize = 1000;

/// A home visit as typed. `recommend` is `None` when a form left it unchosen.
#[derive(Debug, Clone, Default)]
pub struct AssessmentInput {
    pub visited_on: String,
    pub housing: String,
    pub income: String,
    pub health: String,
    pub training: String,
    pub findings: String,
    pub recommend: Option<bool>,
}

/// A stored visit and the family as it stands after it.
#[derive(Debug, Clone)]
pub struct Assessed {
    pub assessment: family_assessment::Model,
    pub family: family::Model,
}

/// A visit with the username of the officer who recorded it.
#[derive(Debug, Clone)]
pub struct AssessmentView {
    pub assessment: family_assessment::Model,
    pub assessor: String,
}

struct Checked {
    visited_on: NaiveDate,
    housing: String,
    income: String,
    health: String,
    training: String,
    findings: String,
    recommend: bool,
}

/// An optional note: empty is fine, otherwise at most `max` characters.
fn note(invalid: &mut Invalid, field: &str, value: &str) -> String {
    if value.trim().is_empty() {
        return String::new();
    }
    invalid
        .check(field, required_text(value, NOTE_MAX))
        .unwrap_or_default()
}

fn check(input: &AssessmentInput, applied_on: NaiveDate) -> Result<Checked, Invalid> {
    let mut invalid = Invalid::new();
    let visited_on = match parse_day(&input.visited_on).ok_or(()) {
        Ok(d) if d > today() => {
            invalid.add("visited_on", "走访日期不能晚于今天");
            None
        }
        Ok(d) if d < applied_on => {
            invalid.add(
                "visited_on",
                format!("走访日期不能早于申请提交日期（{}）", day_text(applied_on)),
            );
            None
        }
        Ok(d) => Some(d),
        Err(_) => {
            invalid.add("visited_on", "请按“年/月/日”填写走访日期，如 2026/11/28");
            None
        }
    };
    let housing = note(&mut invalid, "housing", &input.housing);
    let income = note(&mut invalid, "income", &input.income);
    let health = note(&mut invalid, "health", &input.health);
    let training = note(&mut invalid, "training", &input.training);
    let findings = invalid.check("findings", required_text(&input.findings, FINDINGS_MAX));
    if input.recommend.is_none() {
        invalid.add("recommend", "请选择是否推荐该家庭");
    }
    invalid.into_result()?;
    match (visited_on, findings, input.recommend) {
        (Some(visited_on), Some(findings), Some(recommend)) => Ok(Checked {
            visited_on,
            housing,
            income,
            health,
            training,
            findings,
            recommend,
        }),
        _ => Err(Invalid::one("findings", "此项为必填项")),
    }
}

/// A township officer of the family's township records a home visit. A
/// recommendation sends the family to the county (an approved family too:
/// its approval stops counting until the county decides again); otherwise
/// the family is rejected with the findings as the reason it reads.
pub async fn assess(
    conn: &DatabaseConnection,
    ctx: &RequestCtx,
    caller: &Principal,
    family_id: &str,
    input: AssessmentInput,
) -> ServiceResult<Assessed> {
    caller.require_role(&[Role::TownshipOfficer])?;
    let current = find_visible(conn, caller, family_id).await?;
    let from = current.status;
    from.after_assessment(true).map_err(super::illegal_move)?;
    let applied_on = current.created_at.with_timezone(&Local).date_naive();
    let checked = check(&input, applied_on)?;
    let to = from
        .after_assessment(checked.recommend)
        .map_err(super::illegal_move)?;
    let now = Utc::now();
    let txn = db::begin_write(conn).await?;
    let reason = (!checked.recommend).then_some(checked.findings.as_str());
    let moved = db::families::transition(
        &txn,
        family_id,
        db::families::Transition {
            from: from.as_str(),
            to: to.as_str(),
            reason,
            decided_at: (!checked.recommend).then_some(now),
            approved_until: None,
        },
    )
    .await?;
    if !moved {
        return Err(moved_on());
    }
    let assessment = db::families::insert_assessment(
        &txn,
        family_assessment::Model {
            id: new_id(),
            family_id: family_id.to_owned(),
            visited_on: checked.visited_on,
            housing: checked.housing,
            income: checked.income,
            health: checked.health,
            training: checked.training,
            findings: checked.findings,
            recommend: checked.recommend,
            assessed_by: caller.id.clone(),
            created_at: now,
        },
    )
    .await?;
    // States and dates only: the findings may quote the family's phone or address.
    let detail = format!(
        "{} -> {}; assessment {}; visited_on {}",
        from.as_str(),
        to.as_str(),
        assessment.id,
        assessment.visited_on.format("%Y-%m-%d")
    );
    audit::append(
        &txn,
        ctx,
        Event::success("family.assessment", format!("family:{family_id}")).with_detail(detail),
    )
    .await?;
    let family = db::families::find(&txn, family_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    crate::services::notify::events::family_moved(
        &txn,
        crate::services::clock::SYSTEM.now(),
        family_id,
    )
    .await?;
    txn.commit().await?;
    Ok(Assessed { assessment, family })
}

/// A family's visits, most recent first: county staff and the officers of
/// its township.
pub async fn assessments(
    conn: &DatabaseConnection,
    caller: &Principal,
    family_id: &str,
) -> ServiceResult<Vec<AssessmentView>> {
    caller.require_role(&[Role::CountyAdmin, Role::TownshipOfficer])?;
    let family = find_visible(conn, caller, family_id).await?;
    let rows = db::families::assessments(conn, &family.id).await?;
    let mut views = Vec::with_capacity(rows.len());
    for assessment in rows {
        let assessor = db::users::find_by_id(conn, &assessment.assessed_by)
            .await?
            .map(|u| u.username)
            .unwrap_or_default();
        views.push(AssessmentView {
            assessment,
            assessor,
        });
    }
    Ok(views)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> AssessmentInput {
        AssessmentInput {
            visited_on: today().format("%Y-%m-%d").to_string(),
            findings: "住房宽敞，家庭和睦".into(),
            recommend: Some(true),
            ..AssessmentInput::default()
        }
    }

    fn fields(invalid: &Invalid) -> Vec<&str> {
        invalid.errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn the_minimal_visit_passes_with_empty_notes() {
        let checked = check(&input(), today()).expect("valid");
        assert!(checked.recommend);
        assert_eq!(checked.housing, "");
    }

    #[test]
    fn each_wrong_field_is_named() {
        let tomorrow = today().succ_opt().expect("tomorrow");
        let bad = AssessmentInput {
            visited_on: tomorrow.format("%Y-%m-%d").to_string(),
            housing: "房".repeat(NOTE_MAX + 1),
            income: "收入".into(),
            findings: "  ".into(),
            recommend: None,
            ..AssessmentInput::default()
        };
        let invalid = check(&bad, today()).err().expect("invalid");
        assert_eq!(
            fields(&invalid),
            ["visited_on", "housing", "findings", "recommend"]
        );
        let long = AssessmentInput {
            findings: "好".repeat(FINDINGS_MAX + 1),
            ..input()
        };
        assert_eq!(
            fields(&check(&long, today()).err().expect("long")),
            ["findings"]
        );
    }

    #[test]
    fn a_visit_before_the_application_is_refused() {
        let applied = today();
        let before = AssessmentInput {
            visited_on: applied
                .pred_opt()
                .expect("yesterday")
                .format("%Y-%m-%d")
                .to_string(),
            ..input()
        };
        let invalid = check(&before, applied).err().expect("before");
        assert_eq!(fields(&invalid), ["visited_on"]);
        let garbled = AssessmentInput {
            visited_on: "28/11/2026".into(),
            ..input()
        };
        assert!(check(&garbled, applied).is_err());
    }
}
