//! Resident identity card number (居民身份证号码, GB 11643-1999).
//!
//! This module owns the [`IdNumber`] domain type: a pure value object that
//! can only be constructed through validation. It has no web, database or
//! serialization dependencies; adapters convert to and from it at the edges.
//!
//! An ID number is personal data. `Display` and `Debug` only ever show the
//! masked form, so the full number cannot leak into a log line by accident;
//! code that truly needs it (e.g. storage) must ask via [`IdNumber::as_str`].

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

/// Weights for digits 1–17 (2^(17-i) mod 11, ISO 7064 MOD 11-2).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// Check characters indexed by the weighted sum mod 11.
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

/// Number of characters in an ID number.
const LEN: usize = 18;

/// A validated 18-character resident ID number, stored in normalised
/// (trimmed, uppercase `X`) form.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdNumber {
    // Both fields private; the date is cached at parse time so that
    // `birth_date()` needs no fallible re-parse.
    number: String,
    birth_date: NaiveDate,
}

/// Why a string is not a valid resident ID number.
///
/// The `Display` messages are Chinese and meant for end users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    /// The trimmed input is not exactly 18 characters long.
    #[error("身份证号码应为18位")]
    Length,
    /// Not 17 digits followed by a digit or `X`.
    #[error("身份证号码格式不正确")]
    Format,
    /// The first two digits are not a known province-level code.
    #[error("身份证号码地区码不正确")]
    Region,
    /// Digits 7–14 are not a calendar date between 1900-01-01 and today.
    #[error("身份证号码中的出生日期不正确")]
    BirthDate,
    /// The 18th character does not match the computed check digit.
    #[error("身份证号码校验位不正确，请核对")]
    CheckDigit,
}

/// Computes the MOD 11-2 check character (`0`–`9` or `X`) for the first 17
/// digits of an ID number; `None` unless `first17` is exactly 17 ASCII digits.
pub fn check_digit(first17: &str) -> Option<char> {
    let bytes = first17.as_bytes();
    if bytes.len() != WEIGHTS.len() || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = bytes
        .iter()
        .zip(WEIGHTS)
        .map(|(&b, w)| u32::from(b - b'0') * w)
        .sum();
    let index = usize::try_from(sum % 11).ok()?;
    CHECK_CHARS.get(index).map(|&b| char::from(b))
}

/// Province-level codes: mainland provinces, Taiwan (71), Hong Kong (81),
/// Macao (82) and Taiwan residence permits (83).
fn is_valid_region(code: u32) -> bool {
    matches!(
        code,
        11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81..=83
    )
}

/// Decimal value of a run of ASCII digits (caller guarantees digits).
fn number_of(digits: &[u8]) -> u32 {
    digits
        .iter()
        .fold(0, |acc, &b| acc * 10 + u32::from(b.wrapping_sub(b'0')))
}

impl IdNumber {
    /// Parses and validates an ID number against today's local date.
    ///
    /// Surrounding whitespace is trimmed and a lowercase `x` is accepted as
    /// `X`. Checks, in order: length, format, region code, birth date
    /// (a real date, not before 1900-01-01 and not after today), check digit.
    pub fn parse(input: &str) -> Result<Self, IdNumberError> {
        Self::parse_on(input, chrono::Local::now().date_naive())
    }

    /// [`IdNumber::parse`] with an explicit "today", for deterministic tests.
    fn parse_on(input: &str, today: NaiveDate) -> Result<Self, IdNumberError> {
        let number = input.trim().to_ascii_uppercase();
        if number.chars().count() != LEN {
            return Err(IdNumberError::Length);
        }
        let bytes = number.as_bytes();
        let is_format_char =
            |(i, b): (usize, &u8)| b.is_ascii_digit() || (i == LEN - 1 && *b == b'X');
        if bytes.len() != LEN || !bytes.iter().enumerate().all(is_format_char) {
            return Err(IdNumberError::Format);
        }
        // From here on the number is 18 ASCII bytes, so slicing is safe.
        if !is_valid_region(number_of(&bytes[0..2])) {
            return Err(IdNumberError::Region);
        }
        let (year, month, day) = (
            number_of(&bytes[6..10]),
            number_of(&bytes[10..12]),
            number_of(&bytes[12..14]),
        );
        let birth_date = i32::try_from(year)
            .ok()
            .filter(|y| *y >= 1900)
            .and_then(|y| NaiveDate::from_ymd_opt(y, month, day))
            .filter(|d| *d <= today)
            .ok_or(IdNumberError::BirthDate)?;
        match check_digit(&number[..LEN - 1]) {
            Some(expected) if number.ends_with(expected) => Ok(Self { number, birth_date }),
            _ => Err(IdNumberError::CheckDigit),
        }
    }

    /// The full normalised number. Personal data: store it, never log it.
    pub fn as_str(&self) -> &str {
        &self.number
    }

    /// The full number, trimmed and with an uppercase `X` (identical to
    /// [`IdNumber::as_str`]). Personal data: store it, never log it.
    pub fn normalized(&self) -> &str {
        &self.number
    }

    /// Date of birth encoded in digits 7–14.
    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    /// Whether the holder is male (the 17th digit is odd).
    pub fn is_male(&self) -> bool {
        self.number.as_bytes()[LEN - 2] % 2 == 1
    }

    /// First 4 and last 4 characters with 10 asterisks between,
    /// e.g. `5002**********1234`. Safe to show and log.
    pub fn masked(&self) -> String {
        format!("{}**********{}", &self.number[..4], &self.number[LEN - 4..])
    }
}

/// Prints the masked form only.
impl fmt::Display for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// Prints `IdNumber(<masked>)`, never the full number.
impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdNumber({})", self.masked())
    }
}

impl FromStr for IdNumber {
    type Err = IdNumberError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use IdNumberError::*;
    use proptest::prelude::*;

    /// Published example; check digit verified by hand: weighted sum 167,
    /// 167 % 11 = 2 -> 'X'.
    const PUBLISHED: &str = "11010519491231002X";

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    fn with_check(first17: &str) -> String {
        format!(
            "{first17}{}",
            check_digit(first17).expect("test body is 17 digits")
        )
    }

    #[test]
    fn published_example_is_valid() {
        let id = IdNumber::parse(PUBLISHED).expect("known-valid example");
        assert_eq!((id.as_str(), id.normalized()), (PUBLISHED, PUBLISHED));
        assert_eq!(id.birth_date(), date(1949, 12, 31));
        assert!(!id.is_male());
        assert_eq!(check_digit("11010519491231002"), Some('X'));
        // Trims whitespace and accepts a lowercase x.
        let lower = IdNumber::parse("  11010519491231002x\n").expect("known-valid example");
        assert_eq!((lower.normalized(), &lower), (PUBLISHED, &id));
        assert_eq!(
            " 11010519491231002x"
                .parse::<IdNumber>()
                .expect("known-valid example"),
            id
        );
    }

    #[test]
    fn hand_computed_example() {
        // 5*7+0*9+0*10+2*5+2*8+3*4+1*2+9*1+9*6+0*3+0*7+1*9+0*10+1*5+1*8+2*4+3*2
        // = 174; 174 % 11 = 9 -> '3'.
        assert_eq!(check_digit("50022319900101123"), Some('3'));
        let id = IdNumber::parse("500223199001011233").expect("known-valid example");
        assert_eq!(id.birth_date(), date(1990, 1, 1));
        assert!(id.is_male());
        let female =
            IdNumber::parse(&with_check("50022319900101122")).expect("known-valid example");
        assert!(!female.is_male());
    }

    #[test]
    fn masking_hides_the_number() {
        let id = IdNumber::parse("500223199001011233").expect("known-valid example");
        assert_eq!(id.masked(), "5002**********1233");
        assert_eq!(id.to_string(), "5002**********1233");
        assert_eq!(format!("{id:?}"), "IdNumber(5002**********1233)");
        assert!(!format!("{id:?} {id} {id:#?}").contains("19900101"));
    }

    #[test]
    fn each_error_variant() {
        let cases = [
            ("", Length),
            ("11010519491231002", Length),
            ("11010519491231002X1", Length),
            ("身份证号码身份证号码", Length),
            ("1101051949123100X2", Format),
            ("11010519491231002Y", Format),
            ("110105 9491231002X", Format),
            ("11010519491231002统", Format),
            ("110105194912310021", CheckDigit),
        ];
        for (input, expected) in cases {
            assert_eq!(IdNumber::parse(input), Err(expected), "{input:?}");
        }
    }

    #[test]
    fn region_codes() {
        assert_eq!((0..100).filter(|&c| is_valid_region(c)).count(), 35);
        for prefix in [
            "00", "10", "16", "20", "39", "47", "55", "70", "72", "80", "84",
        ] {
            let input = with_check(&format!("{prefix}010519491231002"));
            assert_eq!(IdNumber::parse(&input), Err(Region), "{input}");
        }
        for prefix in ["11", "15", "37", "46", "54", "65", "71", "81", "82", "83"] {
            let input = with_check(&format!("{prefix}010519491231002"));
            assert!(IdNumber::parse(&input).is_ok(), "{input}");
        }
    }

    #[test]
    fn birth_date_errors_and_bounds() {
        for birth in ["19490230", "19491301", "19490001", "19490100", "18991231"] {
            let input = with_check(&format!("110105{birth}002"));
            assert_eq!(IdNumber::parse(&input), Err(BirthDate), "{input}");
        }
        let today = date(2024, 6, 15);
        let future = with_check("11010520240616002");
        assert_eq!(IdNumber::parse_on(&future, today), Err(BirthDate));
        assert!(IdNumber::parse_on(&with_check("11010520240615002"), today).is_ok());
        let earliest =
            IdNumber::parse(&with_check("11010519000101002")).expect("known-valid example");
        assert_eq!(earliest.birth_date(), date(1900, 1, 1));
        assert!(IdNumber::parse(&with_check("11010520000229002")).is_ok());
        let tomorrow = chrono::Local::now().date_naive() + chrono::Days::new(1);
        let input = with_check(&format!("110105{}002", tomorrow.format("%Y%m%d")));
        assert_eq!(IdNumber::parse(&input), Err(BirthDate));
    }

    #[test]
    fn check_digit_helper_rejects_bad_input() {
        for input in [
            "",
            "1101051949123100",
            "11010519491231002X",
            "1101051949123100X",
        ] {
            assert_eq!(check_digit(input), None, "{input}");
        }
    }

    #[test]
    fn error_messages_are_chinese() {
        let cases = [
            (Length, "身份证号码应为18位"),
            (Format, "身份证号码格式不正确"),
            (Region, "身份证号码地区码不正确"),
            (BirthDate, "身份证号码中的出生日期不正确"),
            (CheckDigit, "身份证号码校验位不正确，请核对"),
        ];
        for (error, message) in cases {
            assert_eq!(error.to_string(), message);
        }
    }

    /// (number, birth date, sequence) for a random valid ID number.
    fn valid_id() -> impl Strategy<Value = (String, NaiveDate, u32)> {
        let first = date(1900, 1, 1);
        let span = (chrono::Local::now().date_naive() - first).num_days();
        let regions: Vec<u32> = (10..100).filter(|&c| is_valid_region(c)).collect();
        let region = proptest::sample::select(regions);
        (region, 0..10_000u32, 0..=span, 0..1000u32).prop_map(move |(region, area, offset, seq)| {
            let birth =
                first + chrono::Days::new(u64::try_from(offset).expect("offset is non-negative"));
            let body = format!("{region:02}{area:04}{}{seq:03}", birth.format("%Y%m%d"));
            (with_check(&body), birth, seq)
        })
    }

    proptest! {
        #[test]
        fn generated_ids_parse_and_round_trip((number, birth, seq) in valid_id()) {
            let id = IdNumber::parse(&number).expect("generated number is valid");
            prop_assert_eq!(id.as_str(), number.as_str());
            prop_assert_eq!(id.birth_date(), birth);
            prop_assert_eq!(id.is_male(), seq % 2 == 1);
            prop_assert_eq!(id.masked().len(), LEN);
            let lower = format!(" {} ", number.to_ascii_lowercase());
            prop_assert_eq!(IdNumber::parse(&lower).expect("lowercase, padded number is valid"), id);
        }

        #[test]
        fn wrong_check_digit_always_fails(
            (number, _, _) in valid_id(),
            replacement in proptest::sample::select(CHECK_CHARS.to_vec()),
        ) {
            let replacement = char::from(replacement);
            prop_assume!(!number.ends_with(replacement));
            let mutated = format!("{}{replacement}", &number[..LEN - 1]);
            prop_assert_eq!(IdNumber::parse(&mutated), Err(CheckDigit));
        }

        #[test]
        fn arbitrary_strings_never_panic(input in any::<String>()) {
            let _ = IdNumber::parse(&input);
            let _ = check_digit(&input);
        }

        #[test]
        fn near_miss_strings_never_panic(input in "[0-9xX统 ]{16,20}") {
            if let Ok(id) = IdNumber::parse(&input) {
                prop_assert_eq!(id.masked().len(), LEN);
            }
        }
    }
}
