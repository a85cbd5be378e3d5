//! The township's steps on a report, each one conditional update of the
//! report's state in a write transaction with its dated, sealed record and
//! its audit entry. Of two steps racing on one report (take and decide,
//! decide and close, two assessments) one wins; the other finds the state
//! gone and answers 409 naming the state it found.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, Value};

use crate::db;
use crate::db::entities::report::{self, Column as R};
use crate::domain::family::FamilyStatus;
use crate::domain::invalid::required_text;
use crate::domain::report::{
    Decision, InterventionKind, Move, Placement, ReportStatus, RiskFactor, RiskLevel, StepKind,
    close_needs,
};
use crate::domain::{IdNumber, Invalid};
use crate::services::files::identity;
use crate::services::{Principal, RequestCtx, ServiceError, ServiceResult, Store};

use super::{StepDetail, load, may_act, record, refused};

/// What one step writes besides the new state.
struct Step {
    sets: Vec<(R, Value)>,
    /// Only while this column is still empty (a step done once).
    unset: Option<R>,
    kind: StepKind,
    happened_at: DateTime<Utc>,
    detail: Option<StepDetail>,
    audit_detail: Option<String>,
}

impl Step {
    fn new(kind: StepKind, happened_at: DateTime<Utc>) -> Step {
        Step {
            sets: Vec::new(),
            unset: None,
            kind,
            happened_at,
            detail: None,
            audit_detail: None,
        }
    }
}

/// Moves report `id` by `mv`: checks the caller and the state inside the
/// transaction, lets `plan` check the input against the report, then
/// writes the state conditionally, the step, the change count and the
/// audit entry (the lock order of `reports`).
async fn apply(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    mv: Move,
    plan: impl AsyncFnOnce(
        &sea_orm::DatabaseTransaction,
        &report::Model,
        DateTime<Utc>,
    ) -> ServiceResult<Step>,
) -> ServiceResult<report::Model> {
    let txn = db::begin_write(store.db).await?;
    let now = store.clock.now();
    let current = load(&txn, id).await?;
    may_act(caller, &current)?;
    let Some(to) = current.status.after(mv) else {
        return Err(refused(current.status, mv));
    };
    let step = plan(&txn, &current, now).await?;
    let mut sets = step.sets;
    sets.push((R::Status, Value::from(to.as_str())));
    let moved = db::reports::move_if(&txn, id, &[current.status], step.unset, sets, now).await?;
    if !moved {
        txn.rollback().await?;
        let found = load(store.db, id).await?;
        return Err(refused(found.status, mv));
    }
    record(
        &txn,
        store.vault,
        ctx,
        id,
        step.kind,
        step.happened_at,
        now,
        step.detail.as_ref(),
        step.audit_detail,
    )
    .await?;
    // Decided: the follow-up visit and the closing now wait.
    if to.after(Move::Close).is_some() && current.status.after(Move::Close).is_none() {
        crate::services::notify::events::report_waits(
            &txn,
            now,
            id,
            &current.township_code,
            crate::domain::inbox::InboxKind::ReportToClose,
            false,
        )
        .await?;
    }
    txn.commit().await?;
    load(store.db, id).await
}

/// Takes a received report: the caller is on it.
pub async fn assign(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
) -> ServiceResult<report::Model> {
    apply(store, ctx, caller, id, Move::Assign, async |_, _, now| {
        let mut step = Step::new(StepKind::Assigned, now);
        step.sets
            .push((R::AssignedTo, Value::from(caller.id.clone())));
        step.sets.push((R::AssignedAt, Value::from(now)));
        Ok(step)
    })
    .await
}

/// The first response as typed.
#[derive(Clone, Debug, Default)]
pub struct RespondInput {
    /// Who went (names or posts of the officers, the police…).
    pub responders: String,
    /// When they reached the child; `None` for now.
    pub responded_at: Option<DateTime<Utc>>,
    /// A time typed on the form that did not read as one.
    pub responded_at_unreadable: bool,
    pub findings: String,
    pub police_called: bool,
    pub police_case_number: String,
}

/// A moment typed for a step: not before the report, not in the future
/// (a few minutes of clock difference allowed).
fn check_moment(
    invalid: &mut Invalid,
    field: &str,
    at: Option<DateTime<Utc>>,
    unreadable: bool,
    after: DateTime<Utc>,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    if unreadable {
        invalid.add(field, "时间格式不对，请按“2026-11-30 14:05”填写");
        return now;
    }
    let at = at.unwrap_or(now);
    if at > now + Duration::minutes(5) {
        invalid.add(field, "时间不能晚于现在");
    } else if at < after {
        invalid.add(field, "时间不能早于接报时间");
    }
    at.min(now)
}

/// Records the first response: the report goes to assessment.
pub async fn respond(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    input: RespondInput,
) -> ServiceResult<report::Model> {
    apply(
        store,
        ctx,
        caller,
        id,
        Move::Respond,
        async |_, report, now| {
            let mut invalid = Invalid::new();
            let responders = invalid.check("responders", required_text(&input.responders, 200));
            let findings = invalid.check("findings", required_text(&input.findings, 2000));
            let at = check_moment(
                &mut invalid,
                "responded_at",
                input.responded_at,
                input.responded_at_unreadable,
                report.received_at,
                now,
            );
            let case = input.police_case_number.trim();
            let police_case_number = if case.is_empty() {
                None
            } else if !input.police_called {
                invalid.add("police_case_number", "未报警时不填写警情编号");
                None
            } else {
                invalid.check("police_case_number", required_text(case, 64))
            };
            invalid.into_result()?;
            let mut step = Step::new(StepKind::Responded, at);
            step.sets.push((R::RespondedAt, Value::from(at)));
            step.detail = Some(StepDetail::Responded {
                responders: responders.unwrap_or_default(),
                findings: findings.unwrap_or_default(),
                police_called: input.police_called,
                police_case_number,
            });
            let minutes = (at - report.received_at).num_minutes();
            step.audit_detail = Some(format!(
                "first response after {minutes} min; police {}",
                if input.police_called {
                    "called"
                } else {
                    "not called"
                }
            ));
            Ok(step)
        },
    )
    .await
}

/// The assessment as typed.
#[derive(Clone, Debug, Default)]
pub struct AssessInput {
    pub risk_level: String,
    pub factors: Vec<String>,
    pub note: String,
}

/// Records the assessment (once): the risk level and the factors found.
pub async fn assess(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    input: AssessInput,
) -> ServiceResult<report::Model> {
    apply(
        store,
        ctx,
        caller,
        id,
        Move::Assess,
        async |_, report, now| {
            if report.assessed_at.is_some() {
                return Err(ServiceError::StateConflict {
                    status: report.status.as_str().to_owned(),
                    message: "评估已记录，不能重复记录".into(),
                });
            }
            let mut invalid = Invalid::new();
            let level: Option<RiskLevel> =
                invalid.check("risk_level", input.risk_level.trim().parse());
            let mut factors = Vec::new();
            for raw in &input.factors {
                if let Some(f) = invalid.check::<RiskFactor, _>("factors", raw.trim().parse())
                    && !factors.contains(&f)
                {
                    factors.push(f);
                }
            }
            let note = if input.note.trim().is_empty() {
                None
            } else {
                invalid.check("note", required_text(&input.note, 1000))
            };
            invalid.into_result()?;
            let level = level.ok_or_else(|| Invalid::one("risk_level", "请选择风险等级"))?;
            let mut step = Step::new(StepKind::Assessed, now);
            step.unset = Some(R::AssessedAt);
            step.sets.push((R::AssessedAt, Value::from(now)));
            step.sets.push((R::RiskLevel, Value::from(level.as_str())));
            let codes: Vec<String> = factors.iter().map(|f| f.as_str().to_owned()).collect();
            step.audit_detail = Some(format!(
                "risk {}; factors {}",
                level.as_str(),
                codes.join(",")
            ));
            step.detail = Some(StepDetail::Assessed {
                risk_level: level.as_str().to_owned(),
                factors: codes,
                note,
            });
            Ok(step)
        },
    )
    .await
}

/// The decision as typed.
#[derive(Clone, Debug, Default)]
pub struct DecideInput {
    pub decision: String,
    /// Required when the report is unfounded.
    pub reason: String,
}

/// Decides after the assessment: intervention, assistance or unfounded.
pub async fn decide(
    store: Store<'_>,
    deadlines: &crate::domain::report::Deadlines,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    input: DecideInput,
) -> ServiceResult<report::Model> {
    // Every decision leaves the same state: the state is checked (409)
    // before the choice is (422), as for every other step.
    let chosen: Option<Decision> = input.decision.trim().parse().ok();
    let follow_up = *deadlines;
    apply(
        store,
        ctx,
        caller,
        id,
        Move::Decide(chosen.unwrap_or(Decision::Unfounded)),
        async |_, report, now| {
            let decision = chosen.ok_or_else(|| Invalid::one("decision", "请选择处置决定"))?;
            if report.assessed_at.is_none() {
                return Err(ServiceError::StateConflict {
                    status: report.status.as_str().to_owned(),
                    message: "请先记录评估，再作出处置决定".into(),
                });
            }
            let reason = if input.reason.trim().is_empty() {
                if decision == Decision::Unfounded {
                    return Err(Invalid::one("reason", "请说明核查不属实的理由").into());
                }
                None
            } else {
                Some(required_text(&input.reason, 500).map_err(|m| Invalid::one("reason", m))?)
            };
            let mut step = Step::new(StepKind::Decided, now);
            step.sets
                .push((R::Decision, Value::from(decision.as_str())));
            step.sets.push((R::DecidedAt, Value::from(now)));
            if decision != Decision::Unfounded {
                step.sets
                    .push((R::FollowUpDue, Value::from(follow_up.follow_up_due(now))));
            }
            step.audit_detail = Some(format!("decision {}", decision.as_str()));
            step.detail = Some(StepDetail::Decided {
                decision: decision.as_str().to_owned(),
                reason,
            });
            Ok(step)
        },
    )
    .await
}

/// One intervention step as typed.
#[derive(Clone, Debug, Default)]
pub struct InterveneInput {
    pub kind: String,
    /// The day it happened; `None` for today.
    pub happened_on: Option<NaiveDate>,
    pub happened_on_unreadable: bool,
    pub placement: String,
    pub place: String,
    /// The approved family, for a foster placement.
    pub family_id: String,
    pub note: String,
}

/// Records one step of guardianship intervention (temporary care, a
/// police warning, family education guidance, a court application).
pub async fn intervene(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    input: InterveneInput,
) -> ServiceResult<report::Model> {
    apply(
        store,
        ctx,
        caller,
        id,
        Move::Intervene,
        async |txn, report, now| {
            let mut invalid = Invalid::new();
            let kind: Option<InterventionKind> = invalid.check("kind", input.kind.trim().parse());
            let note = invalid.check("note", required_text(&input.note, 1000));
            let day = check_day(&mut invalid, "happened_on", &input, report, now);
            let (mut placement, mut place, mut family_id) = (None, None, None);
            if kind == Some(InterventionKind::TemporaryCare) {
                placement =
                    invalid.check::<Placement, _>("placement", input.placement.trim().parse());
                if placement == Some(Placement::FosterFamily) {
                    family_id = approved_family(txn, &input.family_id, &mut invalid).await?;
                } else {
                    place = invalid.check("place", required_text(&input.place, 200));
                }
            }
            invalid.into_result()?;
            let kind = kind.ok_or_else(|| Invalid::one("kind", "请选择干预措施"))?;
            let mut step = Step::new(StepKind::Intervened, day);
            step.audit_detail = Some(match placement {
                Some(p) => format!("{}; placement {}", kind.as_str(), p.as_str()),
                None => kind.as_str().to_owned(),
            });
            step.detail = Some(StepDetail::Intervened {
                kind: kind.as_str().to_owned(),
                placement: placement.map(|p| p.as_str().to_owned()),
                place,
                family_id,
                note: note.unwrap_or_default(),
            });
            Ok(step)
        },
    )
    .await
}

fn check_day(
    invalid: &mut Invalid,
    field: &str,
    input: &InterveneInput,
    report: &report::Model,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    let at = input
        .happened_on
        .map(|d| crate::domain::inbox::start_of(d) + Duration::hours(4));
    // A day typed is read as noon in Beijing (04:00 UTC), so that a step
    // done on the day of the report is not "before" it.
    let earliest = crate::domain::inbox::start_of(report.received_at.date_naive());
    check_moment(
        invalid,
        field,
        at,
        input.happened_on_unreadable,
        earliest,
        now + Duration::hours(20),
    )
}

/// The id of an approved family for a foster placement, or an error on
/// `family_id`.
async fn approved_family(
    conn: &impl ConnectionTrait,
    raw: &str,
    invalid: &mut Invalid,
) -> ServiceResult<Option<String>> {
    let raw = raw.trim();
    if raw.is_empty() {
        invalid.add("family_id", "请选择经批准的爱心家庭");
        return Ok(None);
    }
    match db::families::find(conn, raw).await? {
        Some(f) if f.status == FamilyStatus::Approved => Ok(Some(f.id)),
        _ => {
            invalid.add("family_id", "只能选择经县级批准的爱心家庭");
            Ok(None)
        }
    }
}

/// Which file to link: by its id, or by the child's ID number.
#[derive(Clone, Debug, Default)]
pub struct LinkInput {
    pub child_id: String,
    pub id_number: String,
}

/// Links the report to the child's file in the report's township.
pub async fn link(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    input: LinkInput,
) -> ServiceResult<report::Model> {
    apply(
        store,
        ctx,
        caller,
        id,
        Move::Link,
        async |txn, report, now| {
            let child = if !input.child_id.trim().is_empty() {
                db::children::find(txn, input.child_id.trim()).await?
            } else if !input.id_number.trim().is_empty() {
                let number = IdNumber::parse(&input.id_number)
                    .map_err(|e| Invalid::one("id_number", e.to_string()))?;
                let index = identity::id_number_index(store.vault, number.normalized());
                db::children::find_by_id_number_index(txn, &index).await?
            } else {
                return Err(Invalid::one("id_number", "请填写儿童的身份证号码或选择档案").into());
            };
            let child = child
                .filter(|c| c.township_code == report.township_code)
                .ok_or_else(|| {
                    Invalid::one("id_number", "本乡镇（街道）没有这名儿童的档案，请先建档")
                })?;
            Ok(link_step(&child, now))
        },
    )
    .await
}

fn link_step(child: &crate::db::entities::child::Model, now: DateTime<Utc>) -> Step {
    let mut step = Step::new(StepKind::Linked, now);
    step.sets.push((R::ChildId, Value::from(child.id.clone())));
    step.audit_detail = Some(format!("child:{}", child.id));
    step.detail = Some(StepDetail::Linked {
        child_id: child.id.clone(),
        file_no: child.file_no.clone(),
    });
    step
}

/// Links report `id` to a file just created in `txn` (the file's own
/// transaction): the file and the link are stored together or not at all.
pub async fn link_created(
    store: Store<'_, sea_orm::DatabaseTransaction>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    child: &crate::db::entities::child::Model,
) -> ServiceResult<()> {
    let txn = store.db;
    let now = store.clock.now();
    let current = load(txn, id).await?;
    may_act(caller, &current)?;
    if current.status.after(Move::Link).is_none() {
        return Err(refused(current.status, Move::Link));
    }
    if current.township_code != child.township_code {
        return Err(Invalid::one("township", "档案的乡镇应与报告的乡镇一致").into());
    }
    let step = link_step(child, now);
    if !db::reports::move_if(txn, id, &[current.status], None, step.sets, now).await? {
        return Err(refused(current.status, Move::Link));
    }
    record(
        txn,
        store.vault,
        ctx,
        id,
        step.kind,
        step.happened_at,
        now,
        step.detail.as_ref(),
        step.audit_detail,
    )
    .await
}

/// Closing as typed: the follow-up visit where one is due.
#[derive(Clone, Debug, Default)]
pub struct CloseInput {
    pub followed_up_on: Option<NaiveDate>,
    pub followed_up_on_unreadable: bool,
    pub follow_up_note: String,
    pub note: String,
}

/// Closes the report: after an intervention or assistance, with the
/// follow-up visit (and, after assistance, the child's file linked).
pub async fn close(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    input: CloseInput,
) -> ServiceResult<report::Model> {
    let txn = db::begin_write(store.db).await?;
    let now = store.clock.now();
    let current = load(&txn, id).await?;
    may_act(caller, &current)?;
    if current.status.after(Move::Close).is_none() {
        return Err(refused(current.status, Move::Close));
    }
    let needs = close_needs(current.status);
    if needs.file && current.child_id.is_none() {
        return Err(ServiceError::StateConflict {
            status: current.status.as_str().to_owned(),
            message: "评估帮扶的报告须先关联或建立儿童档案，才能结案".into(),
        });
    }
    let mut invalid = Invalid::new();
    let note = if input.note.trim().is_empty() {
        None
    } else {
        invalid.check("note", required_text(&input.note, 1000))
    };
    let follow_up = if needs.follow_up {
        let as_day = InterveneInput {
            happened_on: input.followed_up_on,
            happened_on_unreadable: input.followed_up_on_unreadable,
            ..InterveneInput::default()
        };
        if input.followed_up_on.is_none() && !input.followed_up_on_unreadable {
            invalid.add("followed_up_on", "请填写回访日期");
        }
        let day = check_day(&mut invalid, "followed_up_on", &as_day, &current, now);
        let text = invalid.check("follow_up_note", required_text(&input.follow_up_note, 1000));
        Some((day, text.unwrap_or_default()))
    } else {
        None
    };
    invalid.into_result()?;
    let mut sets = vec![
        (R::Status, Value::from(ReportStatus::Closed.as_str())),
        (R::ClosedAt, Value::from(now)),
    ];
    if let Some((day, _)) = &follow_up {
        sets.push((R::FollowedUpAt, Value::from(*day)));
    }
    if !db::reports::move_if(&txn, id, &[current.status], None, sets, now).await? {
        txn.rollback().await?;
        let found = load(store.db, id).await?;
        return Err(refused(found.status, Move::Close));
    }
    if let Some((day, text)) = follow_up {
        let detail = StepDetail::FollowedUp { note: text };
        let late = current.follow_up_due.is_some_and(|due| day > due);
        record(
            &txn,
            store.vault,
            ctx,
            id,
            StepKind::FollowedUp,
            day,
            now,
            Some(&detail),
            Some(if late { "late" } else { "on time" }.to_owned()),
        )
        .await?;
    }
    record(
        &txn,
        store.vault,
        ctx,
        id,
        StepKind::Closed,
        now,
        now,
        Some(&StepDetail::Closed { note }),
        Some(format!("from {}", current.status.as_str())),
    )
    .await?;
    txn.commit().await?;
    load(store.db, id).await
}
