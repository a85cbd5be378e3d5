//! The personal-information check of public texts over arbitrary UTF-8 and
//! arbitrary files. Besides well-formed findings, it checks what the check
//! promises a child: a name on file, a valid ID number or a mobile number
//! typed into the text between commas is always found, whatever the rest of
//! the text says; knowing more about the child only ever finds more; and
//! spaces around a text change none of its findings' kinds.
#![no_main]

use std::collections::BTreeSet;

use arbitrary::Arbitrary;
use carebridge_domain::id_number::check_digit;
use carebridge_domain::text_check::{Finding, Sensitive, check, segments};
use chrono::{Days, NaiveDate};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    text: String,
    names: Vec<String>,
    places: Vec<String>,
    phones: Vec<String>,
    birth: Option<u16>,
    /// Inserted between commas: which name on file, an ID number and a mobile.
    name_at: u8,
    id_parts: (u16, u32, u16),
    mobile: (u8, u32),
}

/// Keeps the inputs small: the check is quadratic in places, and a long
/// input finds nothing a short one cannot.
fn small(mut s: String, max_chars: usize) -> String {
    if let Some((end, _)) = s.char_indices().nth(max_chars) {
        s.truncate(end);
    }
    s
}

fn well_formed(text: &str, found: &[Finding]) {
    for f in found {
        assert!(f.start < f.end && f.end <= text.len(), "{f:?} in {text:?}");
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
    }
    assert!(
        found.windows(2).all(|w| w[0].end <= w[1].start),
        "{found:?}"
    );
    let parts = segments(text, found);
    assert_eq!(parts.iter().map(|(t, _)| *t).collect::<String>(), text);
    let marked: Vec<_> = parts.iter().filter_map(|(_, k)| *k).collect();
    assert_eq!(marked, found.iter().map(|f| f.kind).collect::<Vec<_>>());
}

fn covered(found: &[Finding]) -> BTreeSet<usize> {
    found.iter().flat_map(|f| f.start..f.end).collect()
}

fn covers(found: &[Finding], start: usize, end: usize) -> bool {
    let bytes = covered(found);
    (start..end).all(|i| bytes.contains(&i))
}

/// The byte range of `name` from its first to its last letter, if the
/// check can promise to find it: letters (of any script, each with a
/// one-letter lower case) and at least two of them, with at most three
/// spaces, dots or dashes between two letters. Other characters (controls,
/// symbols) are kept in the pattern and may be skipped as separators in the
/// text, so names with them promise nothing here; the app accepts no such
/// names anyway.
fn findable(name: &str) -> Option<(usize, usize)> {
    // Letters are never separators; these three always are.
    let letter = |c: char| c.is_alphanumeric() && c.to_lowercase().count() == 1;
    let light = |c: char| c == ' ' || c == '·' || c == '-';
    if !name.chars().all(|c| letter(c) || light(c)) {
        return None;
    }
    let letters: Vec<(usize, char)> = name.char_indices().filter(|(_, c)| letter(*c)).collect();
    let (first, last) = (letters.first()?, letters.last()?);
    let end = last.0 + last.1.len_utf8();
    let inner = &name[first.0..end];
    let longest_gap = inner
        .split(letter)
        .map(|gap| gap.chars().count())
        .max()
        .unwrap_or(0);
    (letters.len() >= 2 && longest_gap <= 3).then_some((first.0, end))
}

fuzz_target!(|input: Input| {
    let text = small(input.text, 200);
    let list = |v: Vec<String>| {
        v.into_iter()
            .take(3)
            .map(|s| small(s, 30))
            .collect::<Vec<_>>()
    };
    let base = NaiveDate::from_ymd_opt(2005, 1, 1).expect("a date");
    let file = Sensitive {
        names: list(input.names),
        places: list(input.places),
        phones: list(input.phones),
        birth_date: input.birth.map(|d| base + Days::new(u64::from(d % 8000))),
    };

    let found = check(&text, &file);
    well_formed(&text, &found);
    assert_eq!(check(&text, &file), found, "the verdict is stable");

    // Knowing the child's file only adds findings: what an empty file finds
    // (numbers, address shapes) is still covered.
    let anonymous = check(&text, &Sensitive::default());
    well_formed(&text, &anonymous);
    assert!(covered(&anonymous).is_subset(&covered(&found)), "{text:?}");

    // Spaces around a text shift its findings and change nothing else.
    let padded = format!("  {text} ");
    let shifted: Vec<Finding> = check(&padded, &file)
        .into_iter()
        .map(|f| Finding {
            start: f.start - 2,
            end: f.end - 2,
            ..f
        })
        .collect();
    assert_eq!(shifted, found, "{text:?} padded");

    // A name on file, typed between commas, is found whatever surrounds it.
    if !file.names.is_empty() {
        let name = &file.names[usize::from(input.name_at) % file.names.len()];
        if let Some((start, end)) = findable(name) {
            let with = format!("{text}，{name}，{text}");
            let at = text.len() + "，".len();
            let found = check(&with, &file);
            assert!(
                covers(&found, at + start, at + end),
                "{name:?} in {with:?}: {found:?}"
            );
        }
    }

    // So is a valid ID number, even without any file.
    let (area, days, sequence) = input.id_parts;
    let birth =
        NaiveDate::from_ymd_opt(1950, 1, 1).expect("a date") + Days::new(u64::from(days % 27_000));
    let body = format!(
        "5002{:02}{}{:03}",
        area % 100,
        birth.format("%Y%m%d"),
        sequence % 1000
    );
    let id = format!("{body}{}", check_digit(&body).expect("17 digits"));
    let with = format!("{text}，{id}，{text}");
    let at = text.len() + "，".len();
    assert!(
        covers(&check(&with, &Sensitive::default()), at, at + id.len()),
        "{with:?}"
    );

    // And a mobile number.
    let mobile = format!(
        "1{}{:09}",
        3 + input.mobile.0 % 7,
        input.mobile.1 % 1_000_000_000
    );
    let with = format!("{text}，{mobile}，{text}");
    assert!(
        covers(&check(&with, &Sensitive::default()), at, at + mobile.len()),
        "{with:?}"
    );
});
