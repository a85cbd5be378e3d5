//! Demo child files and needs: a few dozen children across three
//! townships with varied categories. 青龙街道 has enough children of one
//! age band and class for its needs to show the township; 南溪镇 and 双江街道
//! have few, so theirs generalize to the county. Names and ID numbers are
//! made up (valid check digits, region 500235).

use chrono::{Datelike, NaiveDate};

use crate::domain::child::DifficultyInput;
use crate::domain::id_number::check_digit;

use super::super::children::visits::{self, VisitInput};
use super::super::children::{self, ChildInput};
use super::super::clock::Clock;
use super::super::needs::{self, NeedInput};
use super::super::{Principal, RequestCtx, ServiceResult, Store};
use super::back_to;

/// How many days ago the `n`th demo file was opened: one every ten days
/// over the past year, so that the trend of files on file climbs.
fn opened_days_ago(n: usize) -> i64 {
    355 - 10 * n as i64
}

/// The file closed (a child moved away) and how many days ago.
const CLOSED: (usize, i64) = (28, 40);

const SURNAMES: &[&str] = &[
    "陈", "刘", "杨", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马",
];
const GIVEN: &[&str] = &[
    "雨桐", "子轩", "欣怡", "浩然", "梓涵", "宇航", "思琪", "俊杰", "佳怡", "博文", "语嫣", "志强",
    "婉清", "天佑", "诗雨", "明辉", "若曦", "家豪", "紫萱", "嘉乐",
];

/// One demo file: township, village, age in years, categories (with
/// details) and whether the guardian consented to publishing needs.
struct Spec {
    township: &'static str,
    village: &'static str,
    age: i32,
    kinds: &'static [&'static str],
    publish_consent: bool,
}

const fn spec(
    township: &'static str,
    village: &'static str,
    age: i32,
    kinds: &'static [&'static str],
) -> Spec {
    Spec {
        township,
        village,
        age,
        kinds,
        publish_consent: true,
    }
}

const QL: &str = "500235001";
const NX: &str = "500235101";
const SJ: &str = "500235002";

const SPECS: &[Spec] = &[
    // 青龙街道: seven poor primary-school children (k holds), and more.
    spec(QL, "500235001201", 7, &["poverty"]),
    spec(QL, "500235001201", 8, &["poverty"]),
    spec(QL, "500235001202", 9, &["poverty"]),
    spec(QL, "500235001202", 10, &["poverty"]),
    spec(QL, "500235001001", 6, &["poverty"]),
    spec(QL, "500235001001", 11, &["poverty"]),
    spec(QL, "500235001201", 9, &["poverty", "serious_illness"]),
    spec(QL, "500235001202", 8, &["poverty"]),
    spec(QL, "500235001001", 13, &["disability"]),
    spec(QL, "500235001201", 12, &["disability"]),
    spec(QL, "500235001202", 14, &["disability", "poverty"]),
    spec(QL, "500235001001", 13, &["disability"]),
    spec(QL, "500235001201", 12, &["disability"]),
    spec(QL, "500235001202", 10, &["orphan"]),
    spec(QL, "500235001001", 15, &["unsupported"]),
    spec(QL, "500235001201", 4, &["guardianship_improper"]),
    spec(QL, "500235001202", 16, &["poverty"]),
    Spec {
        publish_consent: false,
        ..spec(QL, "500235001001", 9, &["poverty"])
    },
    // 南溪镇: few of each kind, so needs generalize to the county.
    spec(NX, "500235101201", 7, &["poverty"]),
    spec(NX, "500235101201", 9, &["poverty"]),
    spec(NX, "500235101202", 12, &["disability"]),
    spec(NX, "500235101202", 13, &["disability"]),
    spec(NX, "500235101201", 10, &["orphan"]),
    spec(NX, "500235101202", 16, &["unsupported"]),
    spec(NX, "500235101201", 2, &["serious_illness"]),
    spec(NX, "500235101202", 5, &["guardianship_absent"]),
    spec(NX, "500235101201", 14, &["poverty", "disability"]),
    spec(NX, "500235101202", 8, &["poverty"]),
    // 双江街道.
    spec(SJ, "500235002201", 6, &["poverty"]),
    spec(SJ, "500235002202", 11, &["disability"]),
    spec(SJ, "500235002201", 15, &["orphan"]),
    spec(SJ, "500235002202", 3, &["poverty", "serious_illness"]),
    spec(SJ, "500235002201", 9, &["unsupported"]),
    spec(SJ, "500235002202", 12, &["poverty"]),
];

/// A valid made-up ID number for the `n`th demo child.
fn id_number(n: usize, age: i32, male: bool, today: NaiveDate) -> (String, &'static str) {
    let birth = NaiveDate::from_ymd_opt(
        today.year() - age - 1,
        1 + (n % 12) as u32,
        1 + (n * 7 % 28) as u32,
    )
    .unwrap_or(today);
    // The 17th digit is odd for men and even for women.
    let seq = 100 + (n * 2) as u32 + u32::from(male);
    let first17 = format!("500235{}{seq:03}", birth.format("%Y%m%d"));
    let check = check_digit(&first17).unwrap_or('0');
    (
        format!("{first17}{check}"),
        if male { "male" } else { "female" },
    )
}

fn difficulty_input(kinds: &[&str], n: usize) -> DifficultyInput {
    let has = |k: &str| kinds.contains(&k);
    DifficultyInput {
        kinds: kinds.iter().map(|k| (*k).to_owned()).collect(),
        poverty_type: has("poverty")
            .then(|| ["minimum_living", "extreme_poverty", "low_income"][n % 3].to_owned()),
        disability_type: has("disability")
            .then(|| ["intellectual", "physical", "hearing", "visual"][n % 4].to_owned()),
        disability_grade: has("disability").then_some(1 + (n % 4) as i64),
        unsupported_reason: has("unsupported")
            .then(|| ["imprisoned", "missing", "drug_rehab"][n % 3].to_owned()),
        illness: has("serious_illness")
            .then(|| ["白血病", "先天性心脏病", "肾病综合征"][n % 3].to_owned()),
    }
}

fn assistance_for(kinds: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for (kind, help) in [
        ("poverty", "minimum_living"),
        ("orphan", "orphan_allowance"),
        ("unsupported", "unsupported_allowance"),
        ("disability", "disability_subsidy"),
        ("serious_illness", "medical_aid"),
    ] {
        if kinds.contains(&kind) {
            out.push(help.to_owned());
        }
    }
    out
}

/// A need written for a file: (file index, category, title, description,
/// quantity, urgency, publish).
type DemoNeed = (
    usize,
    &'static str,
    &'static str,
    &'static str,
    Option<i64>,
    &'static str,
    bool,
);

const NEEDS: &[DemoNeed] = &[
    (
        0,
        "tutoring",
        "四年级数学课业辅导",
        "孩子数学基础薄弱，希望每周两次放学后的课业辅导，帮助完成作业、巩固基础。",
        Some(1),
        "normal",
        true,
    ),
    (
        1,
        "donation_goods",
        "冬季衣物和学习用品",
        "需要冬季棉衣一套、棉鞋一双、书包和文具，孩子身高约130厘米。",
        Some(4),
        "urgent",
        true,
    ),
    (
        3,
        "companionship",
        "周末结对陪伴",
        "父母长期外出务工，孩子性格内向，希望有志愿者周末陪伴阅读、户外活动。",
        Some(1),
        "normal",
        true,
    ),
    (
        6,
        "medical",
        "住院治疗费用救助",
        "孩子患重病正在治疗，医保报销后自付部分仍有较大缺口，需要医疗救助。",
        Some(20000),
        "critical",
        true,
    ),
    (
        9,
        "rehabilitation",
        "肢体康复训练",
        "需要专业的肢体康复训练，每周三次，希望康复机构提供上门或就近服务。",
        Some(1),
        "urgent",
        true,
    ),
    (
        13,
        "counselling",
        "心理疏导",
        "孩子失去双亲后情绪低落，需要专业心理疏导，每两周一次。",
        Some(1),
        "urgent",
        true,
    ),
    (
        18,
        "tutoring",
        "二年级语文阅读辅导",
        "希望有老师帮助提高阅读和写字能力，每周一至两次。",
        Some(1),
        "normal",
        true,
    ),
    (
        20,
        "rehabilitation",
        "孤独症儿童康复训练",
        "需要孤独症儿童康复训练和家长培训，希望就近的康复机构提供服务。",
        Some(1),
        "urgent",
        true,
    ),
    (
        22,
        "sponsorship",
        "爱心助养",
        "孩子为孤儿，由祖母照料，希望爱心家庭长期助养，资助生活和学习费用。",
        Some(1),
        "normal",
        true,
    ),
    (
        24,
        "medical",
        "先天性疾病手术救助",
        "需要手术治疗，家庭无力承担费用。",
        Some(30000),
        "critical",
        true,
    ),
    (
        29,
        "donation_goods",
        "助听设备",
        "需要适配助听设备一套，并提供使用指导。",
        Some(1),
        "urgent",
        true,
    ),
    (
        31,
        "daily_care",
        "放学后生活照料",
        "家中无人照料，需要放学后的托管和晚餐照料。",
        Some(1),
        "normal",
        false,
    ),
    (
        13,
        "foster_care",
        "寻找寄养家庭",
        "孩子父母双亡，现由年迈多病的祖父照料，希望由经过培训的爱心家庭寄养，照料日常生活和上学。",
        Some(1),
        "urgent",
        true,
    ),
    (
        17,
        "tutoring",
        "三年级课业辅导",
        "希望每周两次课业辅导。",
        Some(1),
        "normal",
        false,
    ),
];

/// Loads the demo files and needs. `officers` are the township officers
/// (each files the children of their township); the village supervisor
/// drafts two more files in 红旗村.
pub async fn load(
    store: Store<'_>,
    officers: &[Principal],
    supervisor: &Principal,
) -> ServiceResult<()> {
    let today = chrono::Local::now().date_naive();
    // Each file, visit and need is written on its own day of the past year
    // (see `back_to`).
    let clock = Clock::movable();
    let store = Store {
        clock: &clock,
        ..store
    };
    let mut ids = Vec::new();
    for (n, s) in SPECS.iter().enumerate() {
        let Some(officer) = officers
            .iter()
            .find(|o| o.township.as_deref() == Some(s.township))
        else {
            continue;
        };
        let ctx = RequestCtx::new(Some(officer.clone()), None);
        let male = n % 2 == 0;
        let (id_number, gender) = id_number(n, s.age, male, today);
        let cannot_consent = s.kinds.iter().any(|k| {
            [
                "orphan",
                "unsupported",
                "guardianship_absent",
                "guardianship_improper",
            ]
            .contains(k)
        });
        let surname = SURNAMES[n % SURNAMES.len()];
        let input = ChildInput {
            name: Some(format!("{surname}{}", GIVEN[n % GIVEN.len()])),
            id_number: Some(id_number),
            gender: Some(gender.into()),
            township: Some(s.township.into()),
            village: Some(s.village.into()),
            address: Some(format!("{}组{}号", 1 + n % 6, 10 + n)),
            guardian_name: Some(format!(
                "{surname}{}",
                ["建国", "秀英", "德明", "桂兰"][n % 4]
            )),
            guardian_relation: Some(["父亲", "母亲", "祖父", "祖母"][n % 4].into()),
            guardian_phone: Some(format!("139{:08}", 23_500_000 + n * 7919)),
            school: (s.age >= 6).then(|| "云阳县青龙小学".to_owned()),
            difficulties: Some(difficulty_input(s.kinds, n)),
            assistance: Some(assistance_for(s.kinds)),
            school_status: Some(
                if s.age < 6 {
                    "not_of_school_age"
                } else {
                    "enrolled"
                }
                .to_owned(),
            ),
            suspected_disability: Some(false),
            consent_keep_file: (!cannot_consent).then_some(true),
            consent_publish_needs: (!cannot_consent).then_some(s.publish_consent),
            statutory_basis: cannot_consent.then(|| {
                "《中华人民共和国未成年人保护法》第九十二条：监护缺失，由民政部门临时监护并建档"
                    .to_owned()
            }),
        };
        let opened = opened_days_ago(n);
        back_to(&clock, opened);
        let child = children::create(store, &ctx, officer, input).await?;
        // Some files were visited lately, some long ago, some never: the
        // lists show the overdue ones first. A visited file had its first
        // visit soon after it was opened.
        if let Some(last) = [Some(12), Some(150), None][n % 3] {
            let last = last.min(opened);
            let first = opened - 5;
            let days = if first > last + 30 {
                vec![first, last]
            } else {
                vec![last]
            };
            for days_ago in days {
                back_to(&clock, days_ago);
                visits::add(
                    store,
                    &ctx,
                    officer,
                    &child.id,
                    VisitInput {
                        visited_on: super::day_of(&clock).format("%Y-%m-%d").to_string(),
                        summary: "入户走访，了解孩子的学习、生活和健康情况，监护人配合。".into(),
                    },
                )
                .await?;
            }
        }
        ids.push((child.id, officer.clone()));
    }
    for (index, category, title, description, quantity, urgency, publish) in NEEDS {
        let Some((child_id, officer)) = ids.get(*index) else {
            continue;
        };
        // Written and published a week after the file was opened.
        back_to(&clock, (opened_days_ago(*index) - 7).max(1));
        let ctx = RequestCtx::new(Some(officer.clone()), None);
        let need = needs::create(
            store,
            &ctx,
            officer,
            NeedInput {
                child_id: child_id.clone(),
                category: (*category).into(),
                title: (*title).into(),
                description: (*description).into(),
                quantity: *quantity,
                urgency: (*urgency).into(),
            },
            5,
        )
        .await?;
        if *publish {
            needs::publish(store, &ctx, officer, &need.need.id, 5).await?;
        }
    }
    let (closed, closed_days_ago) = CLOSED;
    if let Some((child_id, officer)) = ids.get(closed) {
        back_to(&clock, closed_days_ago);
        let ctx = RequestCtx::new(Some(officer.clone()), None);
        children::close(store, &ctx, officer, child_id, "随父母迁居外省，转出结档").await?;
    }
    // The village supervisor's drafts are today's.
    back_to(&clock, 0);
    let ctx = RequestCtx::new(Some(supervisor.clone()), None);
    for (n, kinds) in [(40usize, &["poverty"][..]), (41, &["disability"][..])] {
        let male = n % 2 == 0;
        let (id_number, gender) = id_number(n, 8 + (n % 3) as i32, male, today);
        children::create(
            store,
            &ctx,
            supervisor,
            ChildInput {
                name: Some(format!(
                    "{}{}",
                    SURNAMES[n % SURNAMES.len()],
                    GIVEN[n % GIVEN.len()]
                )),
                id_number: Some(id_number),
                gender: Some(gender.into()),
                township: Some(QL.into()),
                village: supervisor.village.clone(),
                guardian_name: Some("郑桂芳".into()),
                guardian_relation: Some("母亲".into()),
                guardian_phone: Some(format!("137{:08}", 41_000_000 + n)),
                difficulties: Some(difficulty_input(kinds, n)),
                assistance: Some(assistance_for(kinds)),
                consent_keep_file: Some(true),
                consent_publish_needs: Some(true),
                ..ChildInput::default()
            },
        )
        .await?;
    }
    Ok(())
}
