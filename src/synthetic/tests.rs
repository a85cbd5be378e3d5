use chrono::{TimeZone, Utc};

use super::*;
use crate::domain::IdNumber;
use crate::domain::child::AgeBand;
use crate::domain::text_check;
use crate::services::files;

fn regions() -> Vec<Region> {
    let township = |code: &str, name: &str, villages: &[(&str, &str)]| Region {
        code: code.to_owned(),
        name: name.to_owned(),
        villages: villages
            .iter()
            .map(|(c, n)| ((*c).to_owned(), (*n).to_owned()))
            .collect(),
    };
    vec![
        township(
            "500235001",
            "青龙街道",
            &[
                ("500235001201", "红旗村"),
                ("500235001202", "民主村"),
                ("500235001001", "滨江社区"),
            ],
        ),
        township(
            "500235101",
            "南溪镇",
            &[("500235101201", "长安村"), ("500235101202", "平安村")],
        ),
        township(
            "500235103",
            "龙角镇",
            &[("500235103201", "故陵村"), ("500235103202", "龙洞村")],
        ),
    ]
}

fn generator(seed: u64) -> Generator {
    let now = Utc
        .with_ymd_and_hms(2026, 11, 28, 9, 30, 0)
        .single()
        .expect("valid time");
    Generator::new(seed, regions(), now)
}

#[test]
fn the_same_seed_gives_the_same_offers_and_needs() {
    let draw = |seed| {
        let mut g = generator(seed);
        let providers = g.providers(5);
        let offers: Vec<_> = (0..50).map(|_| g.offer()).collect();
        let child = g.child(2);
        (providers, offers, child.model, child.needs)
    };
    let (a, b) = (draw(7), draw(7));
    assert_eq!(a, b);
    let c = draw(8);
    assert_ne!(a.1, c.1);
}

#[test]
fn offers_are_varied_and_well_formed() {
    let mut g = generator(1);
    g.providers(10);
    let offers: Vec<_> = (0..500).map(|_| g.offer()).collect();
    let titles: HashSet<&str> = offers.iter().map(|(o, _)| o.title.as_str()).collect();
    assert!(titles.len() > 100, "only {} distinct titles", titles.len());
    for (offer, townships) in &offers {
        assert!(offer.title.chars().count() <= 60, "{}", offer.title);
        assert!(offer.remaining >= 0 && offer.remaining <= offer.capacity);
        assert!(offer.age_min <= offer.age_max);
        assert_eq!(offer.county_wide, townships.is_empty());
    }
}

#[test]
fn needs_carry_no_personal_data_of_their_child() {
    let mut g = generator(3);
    let today = g.today;
    for _ in 0..3_000 {
        let child = g.child(2);
        let person = &child.identity;
        let id = IdNumber::parse(&person.id_number).expect("valid ID number");
        assert_eq!(id.birth_date(), person.birth_date);
        assert_eq!(id.is_male(), child.model.gender == "male");
        assert!(
            AgeBand::of(person.birth_date, today).is_some(),
            "a child is 0–17"
        );
        let sensitive = files::sensitive::sensitive_from(person, Some(child.village_name.clone()));
        assert!(!child.needs.is_empty());
        for need in &child.needs {
            for text in [&need.title, &need.description] {
                let found = text_check::check(text, &sensitive);
                assert!(found.is_empty(), "{text:?} has {found:?}");
                assert!(!text.chars().any(|c| c.is_ascii_digit()), "{text:?}");
            }
            assert_eq!(need.township_code, child.model.township_code);
        }
    }
}

#[test]
fn rng_ranges_stay_in_bounds() {
    let mut rng = Rng::new(42);
    for _ in 0..10_000 {
        let v = rng.range(-3, 3);
        assert!((-3..=3).contains(&v));
        assert!(rng.below(7) < 7);
    }
    assert_eq!(rng.below(0), 0);
}
