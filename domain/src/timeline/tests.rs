use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).expect("valid day")
}

fn support(id: &str, owner: &str, category: Category, from: NaiveDate) -> Support {
    Support {
        match_id: id.to_owned(),
        owner: owner.to_owned(),
        category,
        from,
        until: None,
        schedule: None,
    }
}

#[test]
fn two_donors_paying_the_same_fees_at_once_are_a_duplicate_from_the_later_start() {
    let a = support("m1", "org-a", Category::DonationMoney, day(9, 1));
    let b = support("m2", "org-b", Category::DonationMoney, day(10, 15));
    let found = duplicate_support(&[a, b], day(11, 30));
    assert_eq!(
        found,
        vec![Duplicate {
            match_ids: ["m1".into(), "m2".into()],
            since: day(10, 15)
        }]
    );
}

#[test]
fn the_same_owner_another_category_or_periods_apart_are_no_duplicate() {
    let today = day(11, 30);
    let a = support("m1", "org-a", Category::Tutoring, day(9, 1));
    let same_owner = support("m2", "org-a", Category::Tutoring, day(9, 2));
    let other_category = support("m3", "org-b", Category::Counselling, day(9, 2));
    let mut ended = support("m4", "org-b", Category::Tutoring, day(6, 1));
    ended.until = Some(day(8, 31));
    assert!(duplicate_support(&[a, same_owner, other_category, ended], today).is_empty());
}

#[test]
fn periods_sharing_their_last_day_overlap() {
    let mut a = support("m1", "org-a", Category::Tutoring, day(6, 1));
    a.until = Some(day(9, 1));
    let b = support("m2", "org-b", Category::Tutoring, day(9, 1));
    assert_eq!(duplicates(&a, &b, day(11, 30)), Some(day(9, 1)));
}

#[test]
fn a_match_approved_after_today_has_not_started() {
    let a = support("m1", "org-a", Category::Tutoring, day(6, 1));
    let b = support("m2", "org-b", Category::Tutoring, day(12, 1));
    assert_eq!(duplicates(&a, &b, day(11, 30)), None);
}

#[test]
fn tutors_on_different_weekdays_complement_each_other_but_the_same_evenings_duplicate() {
    let today = day(11, 30);
    let mut monday = support("m1", "org-a", Category::Tutoring, day(9, 1));
    monday.schedule = Schedule::parse("每周一 18:00-20:00");
    let mut thursday = support("m2", "org-b", Category::Tutoring, day(9, 1));
    thursday.schedule = Schedule::parse("每周四晚上");
    assert_eq!(duplicates(&monday, &thursday, today), None);
    let mut weekdays = support("m3", "org-c", Category::Tutoring, day(9, 1));
    weekdays.schedule = Schedule::parse("每周一至周五 16:30–18:30");
    assert_eq!(duplicates(&monday, &weekdays, today), Some(day(9, 1)));
    let mut mornings = support("m4", "org-d", Category::Tutoring, day(9, 1));
    mornings.schedule = Schedule::parse("每周一上午");
    assert_eq!(duplicates(&monday, &mornings, today), None);
    // An offer without a readable schedule may run any day.
    let unknown = support("m5", "org-e", Category::Tutoring, day(9, 1));
    assert_eq!(duplicates(&monday, &unknown, today), Some(day(9, 1)));
}

#[test]
fn schedules_are_read_from_the_words_offers_use() {
    let s = Schedule::parse("每周一至周五 16:30–18:00").expect("a schedule");
    assert_eq!(s.days, 0b001_1111);
    assert_eq!(s.time, Some((16 * 60 + 30, 18 * 60)));
    let s = Schedule::parse("每周二、四上午").expect("a schedule");
    assert_eq!(s.days, 0b000_1010);
    assert_eq!(s.time, Some((6 * 60, 12 * 60)));
    assert_eq!(Schedule::parse("周末").map(|s| s.days), Some(0b110_0000));
    assert_eq!(
        Schedule::parse("每天 9:00-10:00").map(|s| s.days),
        Some(0x7f)
    );
    assert_eq!(Schedule::parse("星期三").map(|s| s.days), Some(0b100));
    assert_eq!(Schedule::parse("每两周一次"), None);
    assert_eq!(Schedule::parse("每周一次"), None);
    assert_eq!(Schedule::parse("每周三次"), None);
    assert_eq!(Schedule::parse("按需提供"), None);
}

#[test]
fn a_match_is_a_gap_once_silent_for_longer_than_the_configured_days() {
    let approved = day(9, 1);
    assert_eq!(service_gap(approved, None, day(10, 1), 30), None);
    assert_eq!(service_gap(approved, None, day(10, 2), 30), Some(approved));
    assert_eq!(
        service_gap(approved, Some(day(10, 20)), day(11, 19), 30),
        None
    );
    assert_eq!(
        service_gap(approved, Some(day(10, 20)), day(11, 20), 30),
        Some(day(10, 20))
    );
}

fn any_day() -> impl Strategy<Value = NaiveDate> {
    (0i64..400).prop_map(|n| day(1, 1) + chrono::Duration::days(n))
}

fn any_support(id: usize) -> impl Strategy<Value = Support> {
    (
        0usize..3,
        0usize..2,
        any_day(),
        proptest::option::of(0i64..200),
        proptest::option::of((1u8..128, proptest::option::of((0u16..1400, 1u16..40)))),
    )
        .prop_map(move |(owner, cat, from, len, schedule)| Support {
            match_id: format!("m{id}"),
            owner: format!("org-{owner}"),
            category: [Category::Tutoring, Category::DonationMoney][cat],
            from,
            until: len.map(|l| from + chrono::Duration::days(l)),
            schedule: schedule.map(|(days, time)| Schedule {
                days,
                time: time.map(|(s, l)| (s, s + l)),
            }),
        })
}

proptest! {
    #[test]
    fn the_duplicate_rule_is_symmetric_and_starts_within_both_periods(
        a in any_support(1), b in any_support(2), today in any_day()
    ) {
        let ab = duplicates(&a, &b, today);
        prop_assert_eq!(ab, duplicates(&b, &a, today));
        if let Some(since) = ab {
            prop_assert!(a.owner != b.owner && a.category == b.category);
            for s in [&a, &b] {
                prop_assert!(since >= s.from && since <= today);
                prop_assert!(s.until.is_none_or(|u| since <= u));
            }
        }
    }

    #[test]
    fn every_pair_is_reported_once_whatever_the_order(
        list in proptest::collection::vec(any_support(0), 0..6), today in any_day()
    ) {
        let list: Vec<Support> = list
            .into_iter()
            .enumerate()
            .map(|(i, mut s)| { s.match_id = format!("m{i}"); s })
            .collect();
        let mut reversed = list.clone();
        reversed.reverse();
        let found = duplicate_support(&list, today);
        prop_assert_eq!(&found, &duplicate_support(&reversed, today));
        let mut pairs: Vec<_> = found.iter().map(|d| d.match_ids.clone()).collect();
        pairs.sort();
        pairs.dedup();
        prop_assert_eq!(pairs.len(), found.len());
    }

    #[test]
    fn the_gap_cutoff_agrees_with_the_gap_rule(
        approved in any_day(), served in proptest::option::of(any_day()),
        today in any_day(), days in 1u32..120
    ) {
        let quiet = served.map_or(approved, |d| d.max(approved));
        prop_assert_eq!(
            service_gap(approved, served, today, days).is_some(),
            quiet < gap_cutoff(today, days)
        );
    }

    #[test]
    fn reading_any_text_never_panics_and_names_some_day(text in "\\PC{0,40}") {
        if let Some(s) = Schedule::parse(&text) {
            prop_assert!(s.days != 0 && s.days < 128);
            if let Some((a, b)) = s.time { prop_assert!(a < b); }
        }
    }

    #[test]
    fn overlapping_schedules_is_symmetric(
        a in (1u8..128, proptest::option::of((0u16..1400, 1u16..40))),
        b in (1u8..128, proptest::option::of((0u16..1400, 1u16..40))),
    ) {
        let mk = |(days, t): (u8, Option<(u16, u16)>)| Schedule { days, time: t.map(|(s, l)| (s, s + l)) };
        let (a, b) = (mk(a), mk(b));
        prop_assert_eq!(a.overlaps(&b), b.overlaps(&a));
        prop_assert!(a.overlaps(&a));
    }
}
