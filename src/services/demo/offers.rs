//! Demo offers of the verified demo provider, so that the search page and
//! the offer pages have something to show on first start.

use sea_orm::DatabaseConnection;

use super::super::offers::{self, OfferInput};
use super::super::{RequestCtx, ServiceResult};

/// (category, title, description, capacity, townships, ages, schedule)
type DemoOffer = (
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static [&'static str],
    (i64, i64),
    &'static str,
);

const OFFERS: &[DemoOffer] = &[
    (
        "tutoring",
        "四点半课堂课业辅导",
        "放学后在社区活动室辅导作业、阅读和书写，由社工和师范生志愿者带领。",
        20,
        &["500235001", "500235002"],
        (6, 12),
        "每周一至周五 16:30–18:00",
    ),
    (
        "rehabilitation",
        "孤独症儿童康复训练",
        "为孤独症儿童提供一对一康复训练，并为家长开展居家训练指导。",
        6,
        &["county"],
        (3, 12),
        "每周二、四上午",
    ),
    (
        "counselling",
        "留守儿童心理疏导",
        "专业社工开展个案心理疏导和小组活动，帮助孩子表达情绪、建立信心。",
        15,
        &["500235001", "500235101"],
        (6, 17),
        "每两周一次",
    ),
    (
        "donation_goods",
        "冬衣和学习用品捐赠",
        "为困境儿童捐赠冬季棉衣、棉鞋、书包和文具。",
        200,
        &["county"],
        (0, 17),
        "12月集中发放",
    ),
    (
        "family_education",
        "家庭教育指导讲座",
        "面向监护人的家庭教育讲座和入户指导，内容包括亲子沟通和安全教育。",
        40,
        &["500235101"],
        (0, 17),
        "每月第一个周六",
    ),
    (
        "legal_aid",
        "未成年人法律援助",
        "为困境儿童及其家庭提供法律咨询、权益维护和诉讼援助。",
        10,
        &["county"],
        (0, 17),
        "工作日预约",
    ),
    (
        "companionship",
        "大学生结对陪伴",
        "大学生志愿者与儿童一对一结对，每周陪伴学习和户外活动。",
        12,
        &["500235002"],
        (8, 15),
        "每周六下午",
    ),
    (
        "medical",
        "先天性心脏病筛查与救助",
        "联合医院开展先天性心脏病筛查，协助申请手术费用救助。",
        8,
        &["county"],
        (0, 14),
        "按医院安排",
    ),
];

/// Posts the demo offers as the provider `username`.
pub async fn load(conn: &DatabaseConnection, username: &str) -> ServiceResult<()> {
    let owner = super::login(conn, username).await?;
    let ctx = RequestCtx::new(Some(owner.clone()), None);
    for (category, title, description, capacity, townships, (age_min, age_max), schedule) in OFFERS
    {
        offers::create(
            conn,
            &ctx,
            &owner,
            OfferInput {
                category: (*category).into(),
                title: (*title).into(),
                description: (*description).into(),
                capacity: Some(*capacity),
                townships: townships.iter().map(|t| (*t).to_owned()).collect(),
                age_min: Some(*age_min),
                age_max: Some(*age_max),
                starts_on: None,
                ends_on: None,
                schedule: Some((*schedule).into()),
            },
        )
        .await?;
    }
    Ok(())
}
