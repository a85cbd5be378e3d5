//! The small parsers of typed codes: contact phone numbers, township and
//! village codes and the category codes, each against its rule as written
//! in its doc comment; what parses re-parses to itself.
#![no_main]

use carebridge_domain::category::Category;
use carebridge_domain::phone::Phone;
use carebridge_domain::region::{TownshipCode, VillageCode};
use libfuzzer_sys::fuzz_target;

/// "A mainland mobile number (1[3-9]x, 11 digits) or a landline with area
/// code (0xx-xxxxxxx[x]); separators (spaces, dashes) are removed."
fn reference_phone(input: &str) -> Option<String> {
    let digits: String = input
        .trim()
        .chars()
        .filter(|c| *c != ' ' && *c != '-')
        .collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mobile = digits.len() == 11
        && digits.starts_with('1')
        && matches!(digits.as_bytes()[1], b'3'..=b'9');
    let landline =
        (10..=12).contains(&digits.len()) && digits.starts_with('0') && !digits.starts_with("00");
    (mobile || landline).then_some(digits)
}

fn digits_only(s: &str, len: usize) -> bool {
    s.chars().count() == len && s.chars().all(|c| c.is_ascii_digit())
}

fuzz_target!(|input: &str| {
    let phone = Phone::parse(input);
    assert_eq!(
        phone.as_ref().ok().map(Phone::as_str),
        reference_phone(input).as_deref(),
        "{input:?}"
    );
    if let Ok(p) = &phone {
        assert_eq!(Phone::parse(p.as_str()).as_ref(), Ok(p));
    }

    let trimmed = input.trim();
    let township = TownshipCode::parse(input);
    assert_eq!(township.is_ok(), digits_only(trimmed, 9), "{input:?}");
    if let Ok(t) = &township {
        assert_eq!(t.as_str(), trimmed);
        assert_eq!(TownshipCode::parse(&t.to_string()).as_ref(), Ok(t));
    }
    let village = VillageCode::parse(input);
    assert_eq!(village.is_ok(), digits_only(trimmed, 12), "{input:?}");
    if let Ok(v) = &village {
        assert_eq!(v.as_str(), trimmed);
        assert_eq!(VillageCode::parse(&v.to_string()).as_ref(), Ok(v));
        // A village's township is read from the code: its first nine digits.
        let of = v.township();
        assert!(v.as_str().starts_with(of.as_str()));
        assert_eq!(TownshipCode::parse(of.as_str()).as_ref(), Ok(&of));
    }

    // A category is exactly one of the listed codes, as written.
    match input.parse::<Category>() {
        Ok(c) => assert_eq!(c.as_str(), input),
        Err(_) => assert!(Category::ALL.iter().all(|c| c.as_str() != input)),
    }
});
