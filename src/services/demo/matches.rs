//! Demo matches, one in each state that waits for someone, so that every
//! role's inbox has something on first start: a provider's proposal for the
//! township to decide, officers' suggestions for a provider and a caring
//! family to accept, a
//! sponsorship approved by the township and waiting for the county, an
//! approved match waiting for its first service record, one in service
//! waiting for the township to confirm completion, and one completed with a
//! rating (which feeds the provider's record in suggestions); plus a
//! rejected, a withdrawn and a cancelled one for the timelines. They go
//! through the same services users do.

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::db::entities::{need, offer};
use crate::services::clock::Clock;
use crate::services::matches::{self, MoveInput, ProposeInput, ServiceInput};
use crate::services::{Principal, RequestCtx, ServiceError, ServiceResult, Store};

use super::{back_to, day_of};

/// When the steps of a match happened, in days ago: proposed, approved,
/// each service record, completed. The matches in service and completed
/// began months ago, so that services, hours, days to a match and the
/// rating have a history; the others happen today.
struct Dates {
    proposed: i64,
    approved: i64,
    services: &'static [i64],
    completed: i64,
}

fn dates(goal: Goal) -> Dates {
    match goal {
        Goal::Completed => Dates {
            proposed: 100,
            approved: 97,
            services: &[90, 62, 33],
            completed: 25,
        },
        Goal::InService => Dates {
            proposed: 130,
            approved: 126,
            services: &[120, 75, 8],
            completed: 0,
        },
        _ => Dates {
            proposed: 0,
            approved: 0,
            services: &[0, 0],
            completed: 0,
        },
    }
}

/// How far each demo match goes.
#[derive(Clone, Copy)]
enum Goal {
    Proposed,
    Suggested,
    TownshipApproved,
    Approved,
    InService,
    Completed,
    Rejected,
    Withdrawn,
    Cancelled,
}

/// (need title, offer title, how far it goes).
const PLAN: &[(&str, &str, Goal)] = &[
    ("冬季衣物和学习用品", "冬衣和学习用品捐赠", Goal::Proposed),
    ("肢体康复训练", "孤独症儿童康复训练", Goal::Suggested),
    ("爱心助养", "长期爱心助养一名孤儿", Goal::TownshipApproved),
    ("寻找寄养家庭", "家庭寄养一名学龄儿童", Goal::Suggested),
    ("住院治疗费用救助", "先天性心脏病筛查与救助", Goal::Approved),
    ("孤独症儿童康复训练", "孤独症儿童康复训练", Goal::InService),
    (
        "先天性疾病手术救助",
        "先天性心脏病筛查与救助",
        Goal::Completed,
    ),
    ("助听设备", "冬衣和学习用品捐赠", Goal::Rejected),
    ("四年级数学课业辅导", "四点半课堂课业辅导", Goal::Withdrawn),
    ("心理疏导", "留守儿童心理疏导", Goal::Cancelled),
];

fn missing(what: &str) -> ServiceError {
    ServiceError::internal(format!("demo {what} missing"))
}

/// The owner's login of an offer: the demo provider or the approved family.
async fn owner_of(conn: &DatabaseConnection, offer: &offer::Model) -> ServiceResult<Principal> {
    super::login(
        conn,
        if offer.family_id.is_some() {
            "lifamily"
        } else {
            "sunshine"
        },
    )
    .await
}

pub(super) async fn load(store: Store<'_>, officers: &[Principal], k: u32) -> ServiceResult<()> {
    let conn = store.db;
    let clock = Clock::movable();
    let store = Store {
        clock: &clock,
        ..store
    };
    for (need_title, offer_title, goal) in PLAN {
        let dates = dates(*goal);
        back_to(&clock, dates.proposed);
        let need = need::Entity::find()
            .filter(need::Column::Title.eq(*need_title))
            .one(conn)
            .await?
            .ok_or_else(|| missing("need"))?;
        let offer = offer::Entity::find()
            .filter(offer::Column::Title.eq(*offer_title))
            .one(conn)
            .await?
            .ok_or_else(|| missing("offer"))?;
        let owner = owner_of(conn, &offer).await?;
        let officer = officers
            .iter()
            .find(|o| o.township.as_deref() == Some(need.township_code.as_str()))
            .cloned()
            .ok_or_else(|| missing("township officer"))?;
        let as_owner = RequestCtx::new(Some(owner.clone()), None);
        let as_officer = RequestCtx::new(Some(officer.clone()), None);

        let suggested = matches!(goal, Goal::Suggested);
        let (proposer, ctx, note) = if suggested {
            (
                &officer,
                &as_officer,
                "该机构康复师可就近上门服务，建议对接。",
            )
        } else {
            (&owner, &as_owner, "我们可以承担这项服务，请乡镇审核。")
        };
        let proposal = matches::propose(
            store,
            ctx,
            proposer,
            ProposeInput {
                need_code: need.code.clone(),
                offer_id: offer.id.clone(),
                note: Some(note.into()),
            },
            k,
        )
        .await?;
        let id = proposal.id.as_str();
        let step = |caller: &Principal, ctx: &RequestCtx, input: MoveInput| {
            let caller = caller.clone();
            let ctx = ctx.clone();
            async move { matches::apply_move(store, &ctx, &caller, id, input).await }
        };
        let approve = || MoveInput::Approve {
            note: Some("经核实，同意对接。".into()),
            handover_note: Some(
                "请先与乡镇儿童督导员联系，由督导员陪同首次入户；服务时间请避开上课时间。".into(),
            ),
        };
        match goal {
            Goal::Proposed | Goal::Suggested => {}
            Goal::Rejected => {
                step(
                    &officer,
                    &as_officer,
                    MoveInput::Reject {
                        reason: "该需求已由县残联统一适配，无需重复捐赠。".into(),
                    },
                )
                .await?;
            }
            Goal::Withdrawn => {
                step(
                    &owner,
                    &as_owner,
                    MoveInput::Withdraw {
                        reason: Some("本学期辅导老师时间已排满，撤回申请。".into()),
                    },
                )
                .await?;
            }
            Goal::TownshipApproved => {
                step(&officer, &as_officer, approve()).await?;
            }
            Goal::Approved | Goal::InService | Goal::Completed | Goal::Cancelled => {
                back_to(&clock, dates.approved);
                step(&officer, &as_officer, approve()).await?;
                if matches!(goal, Goal::InService | Goal::Completed) {
                    let summaries = [
                        (2.0, "首次入户，了解孩子情况，制定服务计划。"),
                        (1.5, "按计划开展服务，孩子配合良好。"),
                        (3.0, "阶段回访，与监护人一起评估服务效果。"),
                    ];
                    for (days_ago, (hours, summary)) in dates.services.iter().zip(summaries) {
                        back_to(&clock, *days_ago);
                        matches::log_service(
                            store,
                            &as_owner,
                            &owner,
                            id,
                            ServiceInput {
                                served_on: day_of(&clock).to_string(),
                                hours: Some(hours),
                                // A donation's two records give half each.
                                amount: matches::records_amount(need.category).then(|| {
                                    need.quantity.map_or(1, |q| (i64::from(q) / 2).max(1))
                                }),
                                summary: summary.into(),
                                volunteers: Vec::new(),
                            },
                        )
                        .await?;
                    }
                }
                if matches!(goal, Goal::Completed) {
                    back_to(&clock, dates.completed);
                    step(
                        &officer,
                        &as_officer,
                        MoveInput::Complete {
                            feedback: "服务及时、专业，孩子已顺利完成手术并出院。".into(),
                            rating: Some(5),
                        },
                    )
                    .await?;
                }
                if matches!(goal, Goal::Cancelled) {
                    step(
                        &owner,
                        &as_owner,
                        MoveInput::Cancel {
                            reason: "负责的社工调离，暂时无法继续服务，名额退回。".into(),
                        },
                    )
                    .await?;
                }
            }
        }
    }
    Ok(())
}
