//! Resident ID numbers: the parser against a plain reference reading of
//! GB 11643 on arbitrary text, and the checksum's promises on numbers built
//! from the fuzzer's choices (every one-digit change and every swap of two
//! different neighbouring digits is refused).
#![no_main]

use arbitrary::Arbitrary;
use carebridge_domain::id_number::{IdNumber, IdNumberError, check_digit};
use chrono::{Datelike, Days, NaiveDate};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    /// Any text, parsed as typed.
    raw: &'a str,
    /// A number built from parts, so that valid numbers are common.
    region: u8,
    area: u16,
    birth_offset: u32,
    sequence: u16,
    /// Which digit to change or swap with its right neighbour, and by how much.
    position: u8,
    delta: u8,
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// The province-level codes as listed in GB 11643's region table.
fn reference_region(code: u32) -> bool {
    let mainland = [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51,
        52, 53, 54, 61, 62, 63, 64, 65,
    ];
    mainland.contains(&code) || [71, 81, 82, 83].contains(&code)
}

/// A reading of the standard written independently of the parser.
fn reference(input: &str, today: NaiveDate) -> Result<String, IdNumberError> {
    let number = input.trim().to_ascii_uppercase();
    let chars: Vec<char> = number.chars().collect();
    if chars.len() != 18 {
        return Err(IdNumberError::Length);
    }
    let format_ok = chars[..17].iter().all(char::is_ascii_digit)
        && (chars[17].is_ascii_digit() || chars[17] == 'X');
    if !format_ok {
        return Err(IdNumberError::Format);
    }
    let value = |range: std::ops::Range<usize>| -> u32 {
        chars[range]
            .iter()
            .fold(0, |acc, c| acc * 10 + c.to_digit(10).unwrap_or(0))
    };
    if !reference_region(value(0..2)) {
        return Err(IdNumberError::Region);
    }
    let date = NaiveDate::from_ymd_opt(value(6..10) as i32, value(10..12), value(12..14));
    match date {
        Some(d) if d.year() >= 1900 && d <= today => {}
        _ => return Err(IdNumberError::BirthDate),
    }
    let sum: u32 = chars[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    let expected = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize];
    if chars[17] != expected {
        return Err(IdNumberError::CheckDigit);
    }
    Ok(number)
}

/// Everything a parsed number promises about itself.
fn check_parsed(id: &IdNumber, today: NaiveDate) {
    let s = id.as_str();
    assert_eq!(s.len(), 18);
    assert_eq!(id.normalized(), s);
    assert_eq!(
        IdNumber::parse(s).as_ref(),
        Ok(id),
        "canonical text re-parses"
    );
    let padded = format!("\t {} \n", s.to_ascii_lowercase());
    assert_eq!(IdNumber::parse(&padded).as_ref(), Ok(id));
    assert_eq!(check_digit(&s[..17]), s.chars().last());
    let birth = id.birth_date();
    assert_eq!(birth.format("%Y%m%d").to_string(), &s[6..14]);
    assert!(birth.year() >= 1900 && birth <= today);
    assert_eq!(id.is_male(), (s.as_bytes()[16] - b'0') % 2 == 1);
    // Display and Debug never show the middle (birth date and sequence).
    let masked = format!("{}**********{}", &s[..4], &s[14..]);
    assert_eq!(id.masked(), masked);
    assert_eq!(id.to_string(), masked);
    assert_eq!(format!("{id:?}"), format!("IdNumber({masked})"));
}

fuzz_target!(|input: Input| {
    let today = chrono::Local::now().date_naive();

    // Arbitrary text: the parser agrees with the reference, error for error.
    let parsed = IdNumber::parse(input.raw);
    assert_eq!(
        parsed.as_ref().map(IdNumber::as_str).map_err(|e| *e),
        reference(input.raw, today).as_deref().map_err(|e| *e),
        "{:?}",
        input.raw
    );
    if let Ok(id) = &parsed {
        check_parsed(id, today);
    }
    if let Some(c) = check_digit(input.raw) {
        assert!(input.raw.len() == 17 && input.raw.bytes().all(|b| b.is_ascii_digit()));
        // With its check digit a body can only fail on its region or date.
        match IdNumber::parse(&format!("{}{c}", input.raw)) {
            Ok(_) | Err(IdNumberError::Region | IdNumberError::BirthDate) => {}
            Err(e) => panic!("{:?} with its check digit: {e:?}", input.raw),
        }
    }

    // A number built from parts: valid exactly when its region is.
    let first = NaiveDate::from_ymd_opt(1900, 1, 1).expect("a date");
    let span = (today - first).num_days() as u32 + 1;
    let birth = first + Days::new(u64::from(input.birth_offset % span));
    let region = 10 + u32::from(input.region % 80);
    let body = format!(
        "{region:02}{:04}{}{:03}",
        input.area % 10_000,
        birth.format("%Y%m%d"),
        input.sequence % 1000
    );
    let check = check_digit(&body).expect("17 digits");
    let number = format!("{body}{check}");
    let Ok(id) = IdNumber::parse(&number) else {
        assert!(!reference_region(region), "{number}");
        return;
    };
    assert!(reference_region(region));
    assert_eq!(id.birth_date(), birth);
    check_parsed(&id, today);

    // MOD 11-2 catches every one-digit change (weights are non-zero mod 11)...
    let mut digits: Vec<u8> = number.bytes().collect();
    let at = usize::from(input.position) % 17;
    let original = digits[at];
    digits[at] = b'0' + (original - b'0' + 1 + input.delta % 9) % 10;
    let changed = String::from_utf8(digits.clone()).expect("ASCII");
    assert!(IdNumber::parse(&changed).is_err(), "{number} -> {changed}");
    digits[at] = original;
    // ...and every swap of two different neighbours among the first 17
    // (neighbouring weights differ mod 11).
    if at < 16 && digits[at] != digits[at + 1] {
        digits.swap(at, at + 1);
        let swapped = String::from_utf8(digits).expect("ASCII");
        assert!(IdNumber::parse(&swapped).is_err(), "{number} -> {swapped}");
    }
    // Any other check character is refused as such.
    let other =
        ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X'][usize::from(input.delta) % 11];
    if other != check {
        let wrong = format!("{body}{other}");
        assert_eq!(IdNumber::parse(&wrong), Err(IdNumberError::CheckDigit));
    }
});
