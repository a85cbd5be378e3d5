//! Generated tests of the written forms: birth dates, phone digits in any
//! script and split across lines, names in pinyin, compounds and buildings;
//! and harmless text (other dates, quantities, ages) against a full file.

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;

use super::{found, pick, words};
use crate::text_check::FindingKind::{Address, BirthDate, Name, Phone};
use crate::text_check::{Finding, FindingKind, Sensitive, check};

const CN_DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// 0–99 the way months and days are written in Chinese (十二, 二十五).
fn cn_small(n: u32) -> String {
    let d = |k: u32| CN_DIGITS[k as usize];
    match n {
        0..=9 => d(n).to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", d(n % 10)),
        _ if n.is_multiple_of(10) => format!("{}十", d(n / 10)),
        _ => format!("{}十{}", d(n / 10), d(n % 10)),
    }
}

/// A year digit by digit (二〇一五, or with 零).
fn cn_year(y: i32, zero: char) -> String {
    y.to_string()
        .bytes()
        .map(|b| match b - b'0' {
            0 => zero,
            k => CN_DIGITS[usize::from(k)],
        })
        .collect()
}

fn wide(s: &str) -> String {
    s.chars()
        .map(|c| {
            c.to_digit(10)
                .and_then(|d| char::from_u32(0xFF10 + d))
                .unwrap_or(c)
        })
        .collect()
}

/// The date in written form number `form`.
fn date_form(date: NaiveDate, form: usize) -> String {
    let (y, m, d) = (date.year(), date.month(), date.day());
    match form {
        0 => format!("{y}-{m:02}-{d:02}"),
        1 => format!("{y}/{m}/{d}"),
        2 => format!("{y}.{m:02}.{d:02}"),
        3 => format!("{y}{m:02}{d:02}"),
        4 => format!("{y}年{m}月{d}日"),
        5 => format!("{y}年{m:02}月{d:02}号"),
        6 => format!("{}年{}月{}日", cn_year(y, '〇'), cn_small(m), cn_small(d)),
        7 => format!("{}年{}月{}号", cn_year(y, '零'), cn_small(m), cn_small(d)),
        8 => wide(&format!("{y}年{m}月{d}日")),
        _ => format!("{d}/{m}/{y}"),
    }
}

const DATE_FORMS: usize = 10;

fn date(years: std::ops::RangeInclusive<i32>) -> impl Strategy<Value = NaiveDate> {
    (years, 1u32..=12, 1u32..=31)
        .prop_filter_map("a real date", |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
}

/// One digit in a script chosen by `script`.
fn digit_in(d: u8, script: u8) -> char {
    let d32 = u32::from(d);
    let code = match (script, d) {
        (0, _) => u32::from(b'0') + d32,
        (1, _) => CN_DIGITS[usize::from(d)] as u32,
        (2, 1) => '幺' as u32,
        (2, 0) => '零' as u32,
        (2, _) => CN_DIGITS[usize::from(d)] as u32,
        (3, 0) => 0x24EA,           // ⓪
        (3, _) => 0x2460 + d32 - 1, // ①
        (4, 0) => 0x24FF,           // ⓿
        (4, _) => 0x2776 + d32 - 1, // ❶
        (5, _) => 0xFF10 + d32,     // full width
        (6, _) => 0x1D7CE + d32,    // mathematical bold
        (7, _) => 0x1D7F6 + d32,    // mathematical monospace
        _ => 0x0660 + d32,          // Arabic-Indic
    };
    char::from_u32(code).unwrap_or('?')
}

fn exactly(kind: FindingKind, pre: &str, shown: &str) -> Vec<Finding> {
    vec![Finding::new(kind, pre.len(), pre.len() + shown.len())]
}

proptest! {
    #[test]
    fn birth_dates_in_every_form_are_found(
        pre in words(),
        post in words(),
        birth in date(2008..=2025),
        form in 0..DATE_FORMS,
    ) {
        let shown = date_form(birth, form);
        let pre = format!("{pre}孩子");
        let s = Sensitive { birth_date: Some(birth), ..Sensitive::default() };
        prop_assert_eq!(check(&format!("{pre}{shown}，{post}"), &s), exactly(BirthDate, &pre, &shown));
    }

    #[test]
    fn mobiles_in_mixed_scripts_and_split_lines_are_found(
        pre in words(),
        post in words(),
        head in pick("13|14|15|16|17|18|19"),
        rest in 0u64..1_000_000_000,
        scripts in prop::collection::vec(0u8..9, 11),
        gaps in prop::collection::vec(pick("| |-|\n|+| + |\r\n| \n"), 2),
    ) {
        let digits = format!("{head}{rest:09}");
        // Groups ending in 00 may read as a list of round quantities.
        prop_assume!(!digits[3..7].ends_with("00") && !digits.ends_with("00"));
        let shown: String = digits
            .bytes()
            .enumerate()
            .map(|(i, b)| {
                let gap = match i { 3 => gaps[0], 7 => gaps[1], _ => "" };
                format!("{gap}{}", digit_in(b - b'0', scripts[i]))
            })
            .collect();
        let pre = format!("{pre}电话：");
        let f = check(&format!("{pre}{shown}。{post}"), &Sensitive::default());
        prop_assert_eq!(f, exactly(Phone, &pre, &shown));
    }

    #[test]
    fn names_in_pinyin_are_found(
        pre in words(),
        post in words(),
        surname in pick("王:wang|李:li|赵:zhao|欧阳:ouyang|诸葛:zhuge|曾:zeng"),
        given in prop::collection::vec(pick("梓:zi|涵:han|浩:hao|宇:yu|萱:xuan|睿:rui|欣:xin"), 1..3),
        order in 0u8..3,
        case in prop::collection::vec(0u8..3, 4),
        seps in prop::collection::vec(pick("| |-|'|·|\u{200B}"), 3),
        between in pick(" |-|  |\u{3000}"),
    ) {
        let split = |p: &str| p.split_once(':').map(|(h, l)| (h.to_owned(), l.to_owned())).unwrap_or_default();
        let (sur_han, sur) = split(surname);
        let given: Vec<(String, String)> = given.iter().map(|g| split(g)).collect();
        let styled = |i: usize, s: &str| match case[i % case.len()] {
            0 => s.to_owned(),
            1 => s.to_uppercase(),
            _ => s[..1].to_uppercase() + &s[1..],
        };
        let given_shown: Vec<String> = given.iter().enumerate().map(|(i, (_, l))| styled(i + 1, l)).collect();
        let given_shown = given_shown.iter().enumerate()
            .map(|(i, g)| format!("{}{g}", if i == 0 { "" } else { seps[i - 1] }))
            .collect::<String>();
        let sur_shown = styled(0, &sur);
        let shown = match order {
            0 => format!("{sur_shown}{between}{given_shown}"),
            1 => format!("{given_shown}{between}{sur_shown}"),
            _ if given.len() >= 2 => given_shown,
            _ => format!("{sur_shown}{given_shown}"),
        };
        let name = format!("{sur_han}{}", given.iter().map(|(h, _)| h.as_str()).collect::<String>());
        let s = Sensitive { names: vec![name], ..Sensitive::default() };
        let pre = format!("{pre}资助");
        prop_assert_eq!(check(&format!("{pre}{shown}同学{post}"), &s), exactly(Name, &pre, &shown));
    }

    #[test]
    fn compounds_and_buildings_are_found(
        pre in words(),
        post in words(),
        stem in pick("阳光|金色港湾|桂花|锦绣|翠湖|滨江明珠|书香"),
        suffix in pick("小区|花园|苑|公寓|大厦|家园"),
        building in 1u32..40,
        unit in pick("栋|幢|号楼|单元"),
        shape in 0u8..3,
    ) {
        let address = format!("双江街道人民路8号{stem}{suffix}{building}栋2单元501");
        let shown = match shape {
            0 => format!("{stem}{suffix}"),
            1 => format!("{stem}{suffix}{building}{unit}"),
            _ => format!("{stem}{suffix} {building} {unit}"),
        };
        let on_file = Sensitive { places: vec![address], ..Sensitive::default() };
        let pre = format!("{pre}住在");
        let text = format!("{pre}{shown}，{post}");
        prop_assert_eq!(check(&text, &on_file), exactly(Address, &pre, &shown));
        if shape > 0 {
            // A named compound with a building number needs no file.
            prop_assert_eq!(check(&text, &Sensitive::default()), exactly(Address, &pre, &shown));
        }
    }

    #[test]
    fn harmless_text_passes_a_full_file(
        birth in date(2008..=2025),
        items in prop::collection::vec(
            (super::pick(super::WORDS), 0u8..4, date(2020..=2030), 0..DATE_FORMS, 1u32..5000,
             pick("名|元|本|次|个|人|套|份|%"), 3u32..12, pick("| |，|\n")),
            0..8,
        ),
    ) {
        let s = Sensitive {
            names: vec!["张小明".into(), "柏建华".into()],
            places: vec!["红旗村".into(), "双江街道滨江路88号阳光花园小区3栋2单元501".into()],
            birth_date: Some(birth),
            phones: vec!["13912345678".into()],
        };
        let text: String = items
            .iter()
            .map(|(w, kind, day, form, n, unit, age, sep)| {
                // Day-first and month-first readings of 7/3/2015 differ.
                let swapped = NaiveDate::from_ymd_opt(day.year(), day.day(), day.month());
                let other_day = *day != birth && swapped != Some(birth);
                let item = match kind {
                    0 if other_day => date_form(*day, *form),
                    1 => format!("{n}{unit}"),
                    2 => format!("{age}-{}岁", age + 3),
                    _ => format!("{}年级", cn_small(age % 6 + 1)),
                };
                format!("{w}{sep}{item}{sep}")
            })
            .collect();
        prop_assert!(check(&text, &s).is_empty(), "{:?}", found(&text, &s));
    }
}
