//! Unified social credit code (统一社会信用代码, GB 32100-2015).
//!
//! This module owns the [`CreditCode`] domain type: a pure value object that
//! can only be constructed through validation. It has no web, database or
//! serialization dependencies; adapters convert to and from it at the edges.
//!
//! Validation is deliberately lenient about the *meaning* of the code (the
//! registration authority, organisation type and region segments are not
//! checked) and strict about its *form*: 18 characters from the GB 32100
//! charset with a correct mod-31 check character.

use std::fmt;
use std::str::FromStr;

/// The 31 characters allowed in a credit code, in value order (I, O, S, V, Z
/// are excluded). A character's index is its numeric value.
const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights for positions 1–17 (3^i mod 31).
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Number of characters in a credit code.
const LEN: usize = 18;

/// A validated unified social credit code, stored in normalised
/// (trimmed, uppercase) form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreditCode(String);

/// Why a string is not a valid unified social credit code.
///
/// The `Display` messages are Chinese and meant for end users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    /// The trimmed input is not exactly 18 characters long.
    #[error("统一社会信用代码应为18位")]
    Length,
    /// The character at `position` (1-based) is outside the allowed charset.
    #[error("第{position}位含有无效字符")]
    Charset {
        /// 1-based position of the first offending character.
        position: usize,
    },
    /// The 18th character does not match the computed check character.
    #[error("校验位不正确，请核对")]
    CheckCharacter,
}

/// Numeric value of a charset character, or `None` if it is not allowed.
fn value_of(c: char) -> Option<u32> {
    let byte = u8::try_from(c).ok()?;
    CHARSET
        .iter()
        .position(|&b| b == byte)
        .and_then(|i| u32::try_from(i).ok())
}

/// Computes the check character for the first 17 characters of a credit code.
///
/// `first17` must be exactly 17 characters from the (uppercase) charset
/// `0123456789ABCDEFGHJKLMNPQRTUWXY`; otherwise `None` is returned.
pub fn check_character(first17: &str) -> Option<char> {
    if first17.chars().count() != WEIGHTS.len() {
        return None;
    }
    let mut sum: u32 = 0;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += value_of(c)? * w;
    }
    let index = (31 - sum % 31) % 31;
    CHARSET
        .get(usize::try_from(index).ok()?)
        .map(|&b| char::from(b))
}

impl CreditCode {
    /// Parses and validates a credit code.
    ///
    /// Surrounding whitespace is trimmed and ASCII letters are uppercased
    /// before validation. Checks, in order: length (18 characters), charset,
    /// check character.
    pub fn parse(input: &str) -> Result<Self, CreditCodeError> {
        let normalized = input.trim().to_ascii_uppercase();
        if normalized.chars().count() != LEN {
            return Err(CreditCodeError::Length);
        }
        if let Some(index) = normalized.chars().position(|c| value_of(c).is_none()) {
            return Err(CreditCodeError::Charset {
                position: index + 1,
            });
        }
        // All characters are ASCII now, so byte slicing is on char boundaries.
        let (body, check) = normalized.split_at(LEN - 1);
        match check_character(body) {
            Some(expected) if check.starts_with(expected) => Ok(Self(normalized)),
            _ => Err(CreditCodeError::CheckCharacter),
        }
    }

    /// The normalised 18-character code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for CreditCode {
    type Err = CreditCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Published example; check character verified by hand:
    /// sum = 9+3+27+135+26+420+8+900+112 = 1640, 1640 % 31 = 28, 31-28 = 3.
    const PUBLISHED: &str = "91350100M000100Y43";

    #[test]
    fn published_example_is_valid() {
        let code = CreditCode::parse(PUBLISHED).expect("known-valid example");
        assert_eq!(code.as_str(), PUBLISHED);
        assert_eq!(code.to_string(), PUBLISHED);
        assert_eq!(check_character("91350100M000100Y4"), Some('3'));
    }

    #[test]
    fn hand_computed_example() {
        // 9*1 + 1*3 + 1*9 + 1*27 = 48 (rest zeros); 48 % 31 = 17; 31-17 = 14 -> 'E'.
        assert_eq!(check_character("91110000000000000"), Some('E'));
        assert!(CreditCode::parse("91110000000000000E").is_ok());
        // All zeros: sum 0 -> c = 31 -> 0.
        assert_eq!(check_character("00000000000000000"), Some('0'));
        assert!(CreditCode::parse("000000000000000000").is_ok());
    }

    #[test]
    fn trims_and_uppercases() {
        let code = CreditCode::parse("  91350100m000100y43\t\n").expect("known-valid example");
        assert_eq!(code.as_str(), PUBLISHED);
        assert_eq!(
            "91350100m000100y43"
                .parse::<CreditCode>()
                .expect("known-valid example"),
            code
        );
    }

    #[test]
    fn debug_shows_code() {
        let code = CreditCode::parse(PUBLISHED).expect("known-valid example");
        assert_eq!(format!("{code:?}"), format!("CreditCode(\"{PUBLISHED}\")"));
    }

    #[test]
    fn length_errors() {
        for input in ["", "   ", "91350100M000100Y4", "91350100M000100Y433"] {
            assert_eq!(CreditCode::parse(input), Err(CreditCodeError::Length));
        }
        // Counted in characters, not bytes.
        assert_eq!(
            CreditCode::parse("统一社会信用代码"),
            Err(CreditCodeError::Length)
        );
    }

    #[test]
    fn charset_errors_report_first_position() {
        for (input, position) in [
            ("I1350100M000100Y43", 1),
            ("91350100M000100O43", 16),
            ("9135010ZM000100Y4S", 8),
            ("91350100M000100Y4V", 18),
            ("91350100M00-100Y43", 12),
            ("91350100M000100Y4统", 18),
        ] {
            assert_eq!(
                CreditCode::parse(input),
                Err(CreditCodeError::Charset { position }),
                "{input}"
            );
        }
    }

    #[test]
    fn check_character_error() {
        assert_eq!(
            CreditCode::parse("91350100M000100Y44"),
            Err(CreditCodeError::CheckCharacter)
        );
    }

    #[test]
    fn check_character_helper_rejects_bad_input() {
        assert_eq!(check_character(""), None);
        assert_eq!(check_character("91350100M000100Y"), None);
        assert_eq!(check_character("91350100M000100Y43"), None);
        assert_eq!(check_character("91350100m000100Y4"), None);
        assert_eq!(check_character("91350100I000100Y4"), None);
    }

    #[test]
    fn error_messages_are_chinese() {
        assert_eq!(
            CreditCodeError::Length.to_string(),
            "统一社会信用代码应为18位"
        );
        assert_eq!(
            CreditCodeError::Charset { position: 5 }.to_string(),
            "第5位含有无效字符"
        );
        assert_eq!(
            CreditCodeError::CheckCharacter.to_string(),
            "校验位不正确，请核对"
        );
    }

    /// Exhaustive check of the claim the substitution property relies on:
    /// every weight is non-zero mod 31 and 31 is prime, so changing one value
    /// by d (1 <= |d| <= 30) changes the sum by d*w, never 0 mod 31; and the
    /// 31 possible check values map to 31 distinct characters.
    #[test]
    fn single_substitution_always_changes_check_value() {
        for w in WEIGHTS {
            for d in 1..31u32 {
                assert_ne!((d * w) % 31, 0);
            }
        }
        let mut seen: Vec<u8> = CHARSET.to_vec();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 31);
    }

    fn charset_char() -> impl Strategy<Value = char> {
        proptest::sample::select(CHARSET.map(char::from).to_vec())
    }

    fn valid_code() -> impl Strategy<Value = String> {
        proptest::collection::vec(charset_char(), 17).prop_map(|chars| {
            let body: String = chars.into_iter().collect();
            let check = check_character(&body).expect("generated body is 17 charset chars");
            format!("{body}{check}")
        })
    }

    proptest! {
        #[test]
        fn generated_codes_parse(code in valid_code()) {
            let parsed = CreditCode::parse(&code).expect("generated code is valid");
            prop_assert_eq!(parsed.as_str(), code.as_str());
            let lower = format!(" {} ", code.to_ascii_lowercase());
            prop_assert_eq!(CreditCode::parse(&lower).expect("lowercase, padded code is valid"), parsed);
        }

        #[test]
        fn single_substitution_is_detected(
            code in valid_code(),
            position in 0..LEN,
            replacement in charset_char(),
        ) {
            let mut chars: Vec<char> = code.chars().collect();
            prop_assume!(chars[position] != replacement);
            chars[position] = replacement;
            let mutated: String = chars.into_iter().collect();
            prop_assert_eq!(
                CreditCode::parse(&mutated),
                Err(CreditCodeError::CheckCharacter)
            );
        }

        #[test]
        fn arbitrary_strings_never_panic(input in any::<String>()) {
            let _ = CreditCode::parse(&input);
            let _ = check_character(&input);
        }

        #[test]
        fn near_miss_strings_never_panic(input in "[0-9A-Za-z统 ]{15,21}") {
            if let Ok(code) = CreditCode::parse(&input) {
                prop_assert_eq!(code.as_str().len(), LEN);
            }
        }
    }
}
