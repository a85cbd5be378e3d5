//! Demo mandatory reports: three open, in two townships and three stages —
//! one urgent report left unanswered past its deadline (overdue and
//! escalated), one being assessed, one under guardianship intervention —
//! and one of two and a half months ago found unfounded and closed
//! (history for the trend).

use chrono::Duration;

use crate::domain::report::{Deadlines, FilingInput};
use crate::services::clock::Clock;
use crate::services::reports::{
    self, AssessInput, CloseInput, DecideInput, Intake, InterveneInput, RespondInput,
};
use crate::services::{Principal, RequestCtx, ServiceResult, Store};

/// Filing as it was `ago`: a store whose clock runs that far behind.
fn intake() -> Intake {
    Intake {
        deadlines: Deadlines::default(),
        per_address: u32::MAX,
        global: u32::MAX,
    }
}

fn report(township: &str, urgent: bool, description: &str, location: &str) -> FilingInput {
    FilingInput {
        township: township.to_owned(),
        description: description.to_owned(),
        child_location: location.to_owned(),
        urgent,
        reporter_kind: "school".to_owned(),
        ..FilingInput::default()
    }
}

/// Loads the reports; `officers` are the demo's township officers,
/// `supervisor` its village supervisor.
pub async fn load(
    store: Store<'_>,
    officers: &[Principal],
    supervisor: &Principal,
) -> ServiceResult<()> {
    let officer_of = |township: &str| {
        officers
            .iter()
            .find(|o| o.township.as_deref() == Some(township))
    };
    let (Some(qinglong), Some(nanxi)) = (officer_of("500235001"), officer_of("500235101")) else {
        return Ok(());
    };
    let before = |hours: i64| {
        let clock = Clock::movable();
        clock.advance(Duration::hours(-hours));
        clock
    };
    let intake = intake();

    // Two and a half months ago, answered within three hours, found
    // unfounded and closed: history for the dashboard's trend of reports and their
    // response times.
    let long_ago = before(75 * 24);
    let then = Store {
        clock: &long_ago,
        ..store
    };
    let ctx = RequestCtx::new(Some(qinglong.clone()), None);
    let filed = reports::file(
        then,
        &intake,
        &ctx,
        None,
        report(
            "500235001",
            false,
            "路人反映一名儿童深夜独自在广场玩耍，担心无人看护。",
            "滨江广场",
        ),
        "demo",
    )
    .await?;
    long_ago.advance(Duration::hours(3));
    reports::assign(then, &ctx, qinglong, &filed.id).await?;
    reports::respond(
        then,
        &ctx,
        qinglong,
        &filed.id,
        RespondInput {
            responders: "街道民政干部".into(),
            findings: "孩子由在广场跳舞的奶奶照看，家中照料正常。".into(),
            ..RespondInput::default()
        },
    )
    .await?;
    long_ago.advance(Duration::days(1));
    reports::assess(
        then,
        &ctx,
        qinglong,
        &filed.id,
        AssessInput {
            risk_level: "low".into(),
            factors: Vec::new(),
            note: String::new(),
        },
    )
    .await?;
    reports::decide(
        then,
        &Deadlines::default(),
        &ctx,
        qinglong,
        &filed.id,
        DecideInput {
            decision: "unfounded".into(),
            reason: "经入户核实，孩子由祖母看护，不存在无人照料情况。".into(),
        },
    )
    .await?;
    reports::close(
        then,
        &ctx,
        qinglong,
        &filed.id,
        CloseInput {
            followed_up_on: None,
            followed_up_on_unreadable: false,
            follow_up_note: String::new(),
            note: "核查不属实，结案。".into(),
        },
    )
    .await?;

    // Three hours old and nobody answered: overdue, and the county's.
    let three_hours = before(3);
    let late = Store {
        clock: &three_hours,
        ..store
    };
    let ctx = RequestCtx::new(Some(supervisor.clone()), None);
    let mut urgent = report(
        "500235001",
        true,
        "放学时发现一名二年级学生手臂有多处淤青，说不敢回家。",
        "学校门卫室",
    );
    urgent.reporter_kind = "village_committee".to_owned();
    reports::file(late, &intake, &ctx, Some(supervisor), urgent, "demo").await?;

    // Filed yesterday, answered within the day, being assessed.
    let yesterday = before(20);
    let then = Store {
        clock: &yesterday,
        ..store
    };
    let ctx = RequestCtx::new(Some(qinglong.clone()), None);
    let filed = reports::file(
        then,
        &intake,
        &ctx,
        None,
        report(
            "500235001",
            false,
            "邻居反映一名儿童父母外出务工，爷爷卧病，孩子常常一个人在家，没人做饭。",
            "家中",
        ),
        "demo",
    )
    .await?;
    reports::assign(store, &ctx, qinglong, &filed.id).await?;
    reports::respond(
        store,
        &ctx,
        qinglong,
        &filed.id,
        RespondInput {
            responders: "街道民政干部、村儿童主任".into(),
            findings: "孩子在家，身体无外伤，家中缺少食物，已联系姑姑临时照看。".into(),
            ..RespondInput::default()
        },
    )
    .await?;
    reports::assess(
        store,
        &ctx,
        qinglong,
        &filed.id,
        AssessInput {
            risk_level: "medium".into(),
            factors: vec!["neglect".into(), "no_carer".into()],
            note: String::new(),
        },
    )
    .await?;

    // Another township: intervention under way, follow-up due.
    let ctx = RequestCtx::new(Some(nanxi.clone()), None);
    let filed = reports::file(
        then,
        &intake,
        &ctx,
        None,
        report(
            "500235101",
            true,
            "医院接诊一名头部受伤的儿童，家长说法前后不一，疑似遭受家暴。",
            "县人民医院",
        ),
        "demo",
    )
    .await?;
    reports::assign(store, &ctx, nanxi, &filed.id).await?;
    reports::respond(
        store,
        &ctx,
        nanxi,
        &filed.id,
        RespondInput {
            responders: "乡镇民政干部、派出所民警".into(),
            findings: "儿童在医院治疗，已报警，公安机关介入调查。".into(),
            police_called: true,
            police_case_number: "110-DEMO-0001".into(),
            ..RespondInput::default()
        },
    )
    .await?;
    reports::assess(
        store,
        &ctx,
        nanxi,
        &filed.id,
        AssessInput {
            risk_level: "high".into(),
            factors: vec!["injury".into(), "abuse_suspected".into()],
            note: String::new(),
        },
    )
    .await?;
    reports::decide(
        store,
        &Deadlines::default(),
        &ctx,
        nanxi,
        &filed.id,
        DecideInput {
            decision: "intervention".into(),
            reason: String::new(),
        },
    )
    .await?;
    reports::intervene(
        store,
        &ctx,
        nanxi,
        &filed.id,
        InterveneInput {
            kind: "temporary_care".into(),
            placement: "rescue_protection".into(),
            place: "县未成年人救助保护中心".into(),
            note: "出院后由救助保护中心临时照护。".into(),
            ..InterveneInput::default()
        },
    )
    .await?;
    Ok(())
}
