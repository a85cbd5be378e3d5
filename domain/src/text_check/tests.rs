//! Tests of the whole check: ordinary texts, merging and segments, and the
//! generated (property) tests; plus the helpers the submodules' tests share.

mod forms;

use super::numbers::valid_date;
use super::*;
use crate::id_number::check_digit;
use FindingKind::*;
use chrono::NaiveDate;
use proptest::prelude::*;

pub(super) fn with_check(first17: &str) -> String {
    format!("{first17}{}", check_digit(first17).expect("17 digits"))
}

pub(super) fn found(text: &str, s: &Sensitive) -> Vec<(FindingKind, String)> {
    let f = check(text, s);
    f.iter()
        .map(|f| (f.kind, text[f.start..f.end].to_string()))
        .collect()
}

/// Embeds each `|`-separated shape in `around` (at `{}`) and expects exactly it as one finding.
pub(super) fn each_found(shapes: &str, around: &str, s: &Sensitive, kind: FindingKind) {
    for shape in shapes.split('|') {
        let text = around.replace("{}", shape);
        assert_eq!(found(&text, s), [(kind, shape.to_string())], "in {text:?}");
    }
}

pub(super) fn file() -> Sensitive {
    let names = ["张小明", "欧阳娜娜", "Li Ming", "阿依古丽·买买提"];
    let places = ["龙角镇红旗村3组", "幸福社区"];
    Sensitive {
        names: names.map(String::from).to_vec(),
        places: places.map(String::from).to_vec(),
        ..Sensitive::default()
    }
}

#[test]
fn ordinary_text_has_no_findings() {
    let s = Sensitive {
        names: vec!["王芳".into(), "张小明".into()],
        places: vec![
            "柳树村".into(),
            "双江街道滨江路88号阳光花园小区3栋2单元501".into(),
        ],
        birth_date: NaiveDate::from_ymd_opt(2015, 3, 7),
        phones: vec!["13912345678".into()],
    };
    let texts = "2026-11-28|2026年11月28日|2026/11/28|11月28日|2026-11-28 50名|15:30\
        |下午4点半|3000元|50名儿童|每周2次|4点半课堂|10 个|200本图书|¥1,200.50|1200.00元|85%\
        |一年级|三级残疾|肢体二级|6-12岁|2025年|12355|12338|110|120|热线12355|课业辅导\
        |康复训练|四点半课堂|孤独症|张老师王老师李阿姨|分成3组，每组10人|复习第三单元\
        |2025-2026学年|2026-11-28 2026-12-05|2026.11.28—2026.12.28|联系时间2026-11-28|11月28号\
        |一二三四五六七八九十|一 二 三 四 五 六 七 八 九 十|第1+1+N|分3栋楼|社区活动室|小区\
        |2015年出生|2015年3月出生|2016年3月7日|3月7日开展活动|2026年12月5日|二〇二六年十二月五日\
        |三年级|一三五下午|每周一三五|统一组织|150\n2000\n3000|100+200+300|1+1|12355热线\
        |滨江小学|阳光心理|阳光少年|张老师|Xiao老师|ming天|2015-2016学年|生日会定在12月5日\
        |前三名|一对一辅导|三三两两|七八个孩子|一二年级|十一月|二〇一五级|三单元|阳光社区\
        |新华书店3楼|市民中心5楼|三八妇女节|五一劳动节|六一儿童节|一九四九年";
    for text in texts.split('|') {
        assert!(
            check(text, &s).is_empty(),
            "{text:?}: {:?}",
            found(text, &s)
        );
    }
}

#[test]
fn overlaps_merge_and_segments_round_trip() {
    let s = Sensitive {
        places: vec!["龙角镇红旗村3组12号".into()],
        ..Sensitive::default()
    };
    let text = "住龙角镇红旗村3组12号，电话13812345678。";
    let f = check(text, &s);
    assert_eq!(
        f.iter().map(|f| f.kind).collect::<Vec<_>>(),
        [Village, Phone]
    );
    let segs = segments(text, &f);
    assert_eq!(segs.iter().map(|(t, _)| *t).collect::<String>(), text);
    assert_eq!(segs[1], ("龙角镇红旗村3组12号", Some(Village)));
    let junk = [
        Finding::new(Name, 4, 2),
        Finding::new(Name, 1, 3),
        Finding::new(Name, 0, 99),
    ];
    assert_eq!(segments(text, &junk), [(text, None)]);
    assert!(segments("", &[]).is_empty());
    assert_eq!(
        (Village.code(), IdNumber.label()),
        ("village", "身份证号码")
    );
}

const WORDS: &str = "孩子|需要|课业辅导|康复训练|每周|陪伴|学习用品|心理疏导|家庭|困难\
                     |留守|儿童|希望|志愿者|提供|帮助|冬季衣物|，|。|、";
const HARMLESS: &str = "3名|12岁|2026-11-28|2026年11月28日|11月28日|2026/11/28|15:30|3000元\
                        |每周2次|4点半课堂|10 个|200本图书|¥1,200.50|1200.00元|85%|6-12岁\
                        |2025年|12355|12338|110|一年级|三级残疾";

fn pick(pool: &'static str) -> impl Strategy<Value = &'static str> {
    prop::sample::select(pool.split('|').collect::<Vec<_>>())
}

fn words() -> impl Strategy<Value = String> {
    prop::collection::vec(pick(WORDS), 0..6).prop_map(|v| v.concat())
}

/// Inserts `sep` before the characters chosen by `cuts` (never before the first).
fn split(s: &str, cuts: &[bool], sep: &str) -> String {
    let cut = |i: usize| i > 0 && cuts.get(i).copied().unwrap_or(false);
    s.chars()
        .enumerate()
        .map(|(i, c)| format!("{}{c}", if cut(i) { sep } else { "" }))
        .collect()
}

fn id_number() -> impl Strategy<Value = String> {
    let parts = (
        11u32..=65,
        0u32..10_000,
        1990u32..=2025,
        1u32..=12,
        1u32..=31,
        0u32..1000,
    );
    parts.prop_filter_map("valid date", |(r, c, y, m, d, q)| {
        let date_ok = valid_date(&y.to_string(), &m.to_string(), &d.to_string());
        date_ok.then(|| with_check(&format!("{r:02}{c:04}{y}{m:02}{d:02}{q:03}")))
    })
}

fn wide(s: &str) -> String {
    let w = |c: char| char::from_u32(c as u32 + 0xFEE0).filter(|_| c.is_ascii_alphanumeric());
    s.chars().map(|c| w(c).unwrap_or(c)).collect()
}

proptest! {
    #[test]
    fn generated_ids_are_found(
        pre in words(),
        post in words(),
        id in id_number(),
        cuts in prop::collection::vec(any::<bool>(), 18),
        sep in pick(" |-|—|  | - |\u{3000}"),
        full_width in any::<bool>(),
    ) {
        let id = split(&id, &cuts, sep);
        let id = if full_width { wide(&id) } else { id };
        let f = check(&format!("{pre}{id}{post}"), &Sensitive::default());
        prop_assert_eq!(f, [Finding::new(IdNumber, pre.len(), pre.len() + id.len())]);
    }

    #[test]
    fn generated_mobiles_are_found(
        pre in words(),
        post in words(),
        head in pick("13|14|15|16|17|18|19"),
        rest in 0u64..1_000_000_000,
        cuts in prop::collection::vec(any::<bool>(), 11),
        sep in pick(" |-|—|  | - "),
        grouped in any::<bool>(),
        prefix in pick("|+86 |0086-|86"),
    ) {
        let cuts = if grouped { (0..11).map(|i| i == 3 || i == 7).collect() } else { cuts };
        let phone = format!("{prefix}{}", split(&format!("{head}{rest:09}"), &cuts, sep));
        let f = check(&format!("{pre}{phone}{post}"), &Sensitive::default());
        prop_assert_eq!(f, [Finding::new(Phone, pre.len(), pre.len() + phone.len())]);
    }

    #[test]
    fn ordinary_generated_text_is_clean(
        parts in prop::collection::vec((pick(WORDS), pick(HARMLESS), pick("| |，")), 0..10),
    ) {
        let text: String = parts.iter().map(|(w, h, s)| format!("{w}{s}{h}{s}")).collect();
        let none = Sensitive::default();
        prop_assert!(check(&text, &none).is_empty(), "{:?}", found(&text, &none));
    }

    #[test]
    fn check_never_panics_and_findings_are_well_formed(
        text in any::<String>(),
        names in prop::collection::vec(any::<String>(), 0..3),
        places in prop::collection::vec(any::<String>(), 0..3),
    ) {
        let f = check(&text, &Sensitive { names, places, ..Sensitive::default() });
        let on_chars = |x: &Finding| [x.start, x.end].iter().all(|&i| text.is_char_boundary(i));
        prop_assert!(f.windows(2).all(|w| w[0].end <= w[1].start));
        prop_assert!(f.iter().all(|x| x.start < x.end && on_chars(x)));
        let joined: String = segments(&text, &f).iter().map(|(t, _)| *t).collect();
        prop_assert_eq!(joined, text);
    }

    #[test]
    fn split_names_are_found(
        pre in words(),
        post in words(),
        surname in pick("王|李|赵|欧阳|诸葛"),
        given in prop::collection::vec(pick("梓|涵|浩|宇|萱|睿"), 1..3),
        gaps in prop::collection::vec(pick("| |·|，|\u{200B}|-|、| · "), 3),
    ) {
        let name = format!("{surname}{}", given.concat());
        let gap = |i: usize| if i == 0 { "" } else { gaps[i - 1] };
        let shown: String =
            name.chars().enumerate().map(|(i, c)| format!("{}{c}", gap(i))).collect();
        let file = Sensitive { names: vec![name], ..Sensitive::default() };
        let f = check(&format!("{pre}{shown}{post}"), &file);
        prop_assert_eq!(f, [Finding::new(Name, pre.len(), pre.len() + shown.len())]);
    }
}
