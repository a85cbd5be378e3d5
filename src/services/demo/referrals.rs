//! Demo departments and referrals: accounts for education, civil affairs
//! and the Disabled Persons' Federation; referrals in every state (one
//! overdue, dated back), a department's question, a one-door intake; the
//! demo files already leave gaps in every township (ticks of 低保 without
//! the premium subsidy, suspected disabilities).

use sea_orm::DatabaseConnection;

use crate::db;
use crate::domain::child::FileStatus;
use crate::domain::referral::ReferralMove;

use super::super::entitlements::gaps;
use super::super::referrals::moves::{self, AnswerInput};
use super::super::referrals::{self, ReferralInput, intake};
use super::super::users::{self, UserInput};
use super::super::{Paging, Principal, RequestCtx, ServiceResult, Store};
use super::{login, password_of};

/// The demo department accounts: (username, department).
pub const DEPARTMENTS: [(&str, &str); 3] = [
    ("jiaowei", "education"),
    ("minzheng", "civil_affairs"),
    ("canlian", "disabled_persons_federation"),
];

async fn files_of(conn: &DatabaseConnection, township: &str) -> ServiceResult<Vec<String>> {
    let (_, rows) = db::children::list(
        conn,
        &db::children::ChildFilter {
            township: Some(township),
            status: Some(FileStatus::Active.as_str()),
            ..Default::default()
        },
        Some(100),
        0,
    )
    .await?;
    Ok(rows.into_iter().map(|c| c.id).collect())
}

fn matter(child: &str, department: &str, matter: &str, summary: &str) -> ReferralInput {
    ReferralInput {
        child_id: child.to_owned(),
        department: Some(department.to_owned()),
        matter: Some(matter.to_owned()),
        summary: summary.to_owned(),
        ..ReferralInput::default()
    }
}

fn reason(text: &str) -> AnswerInput {
    AnswerInput {
        reason: Some(text.to_owned()),
        ..AnswerInput::default()
    }
}

fn grant(benefit: &str) -> AnswerInput {
    AnswerInput {
        benefit: Some(benefit.to_owned()),
        start_on: Some(chrono::Local::now().date_naive().to_string()),
        decision_reference: Some("云阳民〔2026〕12号".to_owned()),
        amount_yuan: Some(300),
        ..AnswerInput::default()
    }
}

/// Loads the departments and the referrals of the demo.
pub async fn load(
    conn: &DatabaseConnection,
    store: Store<'_>,
    admin: &Principal,
    officers: &[Principal],
) -> ServiceResult<()> {
    let admin_ctx = RequestCtx::new(Some(admin.clone()), None);
    let mut departments = Vec::new();
    for (username, department) in DEPARTMENTS {
        users::create_staff(
            conn,
            &admin_ctx,
            admin,
            UserInput {
                username: username.to_owned(),
                password: password_of(username),
                role: "department_staff".to_owned(),
                township: None,
                village: None,
                department: Some(department.to_owned()),
            },
        )
        .await?;
        departments.push(login(conn, username).await?);
    }
    let [education, civil, dpf] = [&departments[0], &departments[1], &departments[2]];
    let (Some(first), Some(second)) = (officers.first(), officers.get(1)) else {
        return Ok(());
    };
    let a_ctx = RequestCtx::new(Some(first.clone()), None);
    let files = files_of(conn, first.township.as_deref().unwrap_or("")).await?;
    if files.len() < 8 {
        return Ok(());
    }
    let send = |input: ReferralInput| referrals::create(store, &a_ctx, first, input);
    let step = |who: &Principal, id: String, mv: ReferralMove, input: AnswerInput| {
        let ctx = RequestCtx::new(Some(who.clone()), None);
        let who = who.clone();
        async move { moves::make(store, &ctx, &who, &id, mv, input).await }
    };

    // Sent and already overdue (dated back three weeks).
    let overdue = send(matter(
        &files[0],
        "education",
        "就近入学安排",
        "儿童随祖母迁居，需就近安排入学。",
    ))
    .await?;
    db::referrals::backdate(conn, &overdue.id, 21).await?;
    // Sent, within its deadline.
    send(matter(
        &files[1],
        "disabled_persons_federation",
        "残疾评定和康复需求评估",
        "家长反映孩子说话较晚，希望评估。",
    ))
    .await?;
    // Accepted, with the department's question waiting for the township.
    let asked = send(matter(
        &files[2],
        "civil_affairs",
        "临时救助",
        "家中房屋受损，生活临时困难。",
    ))
    .await?;
    step(
        civil,
        asked.id.clone(),
        ReferralMove::Accept,
        AnswerInput::default(),
    )
    .await?;
    moves::comment(
        store,
        &RequestCtx::new(Some(civil.clone()), None),
        civil,
        &asked.id,
        "请补充受灾情况说明和村委会证明。",
    )
    .await?;
    // Granted: an entitlement from the township's gap list when there is
    // one for these departments (it is recorded on the file), otherwise
    // a matter.
    let gap = gaps::list(store, &a_ctx, first, None, Paging::new(Some(50), None))
        .await?
        .items
        .into_iter()
        .find_map(|item| {
            item.gaps
                .into_iter()
                .find(|g| !g.referred && g.department.as_str() == "civil_affairs")
                .map(|g| (item.child_id, g.rule_id))
        });
    let granted = match gap {
        Some((child, rule)) => {
            send(ReferralInput {
                child_id: child,
                entitlement: Some(rule),
                summary: "符合条件，尚未纳入保障，请审核。".to_owned(),
                ..ReferralInput::default()
            })
            .await?
        }
        None => {
            send(matter(
                &files[3],
                "civil_affairs",
                "低保提标",
                "家庭收入下降，申请调整救助水平。",
            ))
            .await?
        }
    };
    step(
        civil,
        granted.id.clone(),
        ReferralMove::Accept,
        AnswerInput::default(),
    )
    .await?;
    step(
        civil,
        granted.id.clone(),
        ReferralMove::Grant,
        grant("已纳入保障，按月发放"),
    )
    .await?;
    // Refused.
    let refused = send(matter(
        &files[4],
        "education",
        "寄宿生生活补助",
        "家距学校较远，申请寄宿补助。",
    ))
    .await?;
    step(
        education,
        refused.id.clone(),
        ReferralMove::Accept,
        AnswerInput::default(),
    )
    .await?;
    step(
        education,
        refused.id,
        ReferralMove::Refuse,
        reason("该生就读学校不提供寄宿，不符合条件"),
    )
    .await?;
    // Returned.
    let returned = send(matter(
        &files[5],
        "disabled_persons_federation",
        "学费减免",
        "申请减免学费。",
    ))
    .await?;
    step(
        dpf,
        returned.id,
        ReferralMove::Return,
        reason("非本部门事项，请转教育部门"),
    )
    .await?;
    // Forwarded.
    let forwarded = send(matter(
        &files[6],
        "civil_affairs",
        "义务教育资助",
        "家庭困难，申请教育资助。",
    ))
    .await?;
    let forward = AnswerInput {
        department: Some("education".to_owned()),
        reason: Some("属教育部门职责".to_owned()),
        ..AnswerInput::default()
    };
    step(civil, forwarded.id, ReferralMove::Forward, forward).await?;
    // Granted and closed by the township.
    let closed = send(matter(
        &files[7],
        "civil_affairs",
        "临时生活困难",
        "父亲住院，家庭临时困难。",
    ))
    .await?;
    step(
        civil,
        closed.id.clone(),
        ReferralMove::Accept,
        AnswerInput::default(),
    )
    .await?;
    step(
        civil,
        closed.id.clone(),
        ReferralMove::Grant,
        grant("临时救助一次性发放"),
    )
    .await?;
    step(
        first,
        closed.id,
        ReferralMove::Close,
        AnswerInput::default(),
    )
    .await?;

    // The second township: a one-door intake.
    let b_files = files_of(conn, second.township.as_deref().unwrap_or("")).await?;
    if let Some(child) = b_files.first() {
        intake::create(
            store,
            &RequestCtx::new(Some(second.clone()), None),
            second,
            intake::IntakeInput {
                child_id: child.clone(),
                applicant: "祖母".to_owned(),
                request: "祖母到镇便民服务中心申请临时救助和孩子的康复评估。".to_owned(),
                entitlements: Vec::new(),
                matters: vec![
                    ("civil_affairs".to_owned(), "临时救助".to_owned()),
                    (
                        "disabled_persons_federation".to_owned(),
                        "康复评估".to_owned(),
                    ),
                ],
            },
        )
        .await?;
    }
    Ok(())
}
