//! Demo caring families, one at each step that waits for someone: 王家 (双江街道)
//! has applied and waits for the township's home visit, 赵家 was recommended by
//! its township and waits for the county, and 李家 is approved and offers
//! sponsorship and foster care, so that placements show the county's
//! second approval.

use sea_orm::DatabaseConnection;

use crate::domain::family::FamilyDecision;
use crate::services::families::{self, ApplicationInput, AssessmentInput};
use crate::services::offers::{self, OfferInput};
use crate::services::{Principal, RequestCtx, ServiceError, ServiceResult};

use super::password_of;

/// Home-visit notes written as a township officer would.
const VISIT: (&str, &str, &str, &str, &str) = (
    "自有住房，儿童有独立房间，居住环境整洁安全。",
    "夫妻双方均有稳定工作收入，家庭无负债。",
    "家庭成员身体健康，无传染病史，无不良嗜好。",
    "已参加县民政局组织的寄养家庭岗前培训。",
    "家庭和睦，照料经验丰富，邻里评价良好，建议批准。",
);

/// Loads the demo families; returns 李家 as it logs in, for the demo matches.
pub(super) async fn load(
    conn: &DatabaseConnection,
    county: &Principal,
    officers: &[Principal],
) -> ServiceResult<Principal> {
    let system = RequestCtx::system();
    let officer_of = |township: &str| {
        officers
            .iter()
            .find(|o| o.township.as_deref() == Some(township))
            .cloned()
            .ok_or_else(|| ServiceError::internal("demo officer missing"))
    };
    let apply = |household: &str, township: &str, username: &str, phone: &str| ApplicationInput {
        household_name: household.into(),
        township: township.into(),
        members: Some(4),
        housing: "城区自有住房三室一厅，约110平方米，有独立儿童房间。".into(),
        contact_phone: phone.into(),
        care_types: vec![
            "foster_care".into(),
            "entrusted_care".into(),
            "sponsorship".into(),
        ],
        username: username.into(),
        password: password_of(username),
        password_confirm: None,
    };
    families::apply(
        conn,
        &system,
        ApplicationInput {
            care_types: vec!["foster_care".into(), "sponsorship".into()],
            ..apply("王家", "500235002", "wangfamily", "13800000003")
        },
    )
    .await?;
    let zhao = families::apply(
        conn,
        &system,
        apply("赵家", "500235101", "zhaofamily", "13800000004"),
    )
    .await?;
    let li = families::apply(
        conn,
        &system,
        apply("李家", "500235001", "lifamily", "13800000005"),
    )
    .await?;

    let visit = || AssessmentInput {
        visited_on: families::today().to_string(),
        housing: VISIT.0.into(),
        income: VISIT.1.into(),
        health: VISIT.2.into(),
        training: VISIT.3.into(),
        findings: VISIT.4.into(),
        recommend: Some(true),
    };
    for (family, township) in [(&zhao, "500235101"), (&li, "500235001")] {
        let officer = officer_of(township)?;
        let ctx = RequestCtx::new(Some(officer.clone()), None);
        families::assess(conn, &ctx, &officer, &family.id, visit()).await?;
    }
    let ctx = RequestCtx::new(Some(county.clone()), None);
    families::decide(conn, &ctx, county, &li.id, FamilyDecision::Approve, None).await?;

    let li_login = super::login(conn, "lifamily").await?;
    let ctx = RequestCtx::new(Some(li_login.clone()), None);
    for (category, title, description) in [
        (
            "sponsorship",
            "长期爱心助养一名孤儿",
            "每月资助生活费和学习费用，节假日探望陪伴，直至孩子完成学业。",
        ),
        (
            "foster_care",
            "家庭寄养一名学龄儿童",
            "已完成寄养家庭培训，可为一名6至12岁儿童提供家庭寄养，负责日常照料和上学接送。",
        ),
    ] {
        offers::create(
            conn,
            &ctx,
            &li_login,
            OfferInput {
                category: category.into(),
                title: title.into(),
                description: description.into(),
                capacity: Some(1),
                townships: vec![offers::COUNTY.into()],
                age_min: Some(0),
                age_max: Some(17),
                starts_on: None,
                ends_on: None,
                schedule: None,
            },
        )
        .await?;
    }
    Ok(li_login)
}
