//! Unified social credit codes: the parser against a plain reference
//! reading of GB 32100 on arbitrary text, and the mod-31 check's promises
//! on codes built from the fuzzer's choices (every one-character change
//! and every swap of two different neighbours in the body is refused).
#![no_main]

use arbitrary::Arbitrary;
use carebridge_domain::credit_code::{CreditCode, CreditCodeError, check_character};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    /// Any text, parsed as typed.
    raw: &'a str,
    /// A body of 17 charset characters (indices taken mod 31).
    body: [u8; 17],
    /// Which character to change or swap with its right neighbour, and to what.
    position: u8,
    delta: u8,
}

const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// A reading of the standard written independently of the parser.
fn reference(input: &str) -> Result<String, CreditCodeError> {
    let code = input.trim().to_ascii_uppercase();
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return Err(CreditCodeError::Length);
    }
    let values: Vec<Option<usize>> = chars.iter().map(|c| CHARSET.find(*c)).collect();
    if let Some(i) = values.iter().position(Option::is_none) {
        return Err(CreditCodeError::Charset { position: i + 1 });
    }
    // Weights 3^i mod 31, computed rather than copied.
    let mut weight = 1;
    let mut sum = 0;
    for v in values.iter().take(17).flatten() {
        sum += v * weight;
        weight = weight * 3 % 31;
    }
    let check = (31 - sum % 31) % 31;
    if values[17] != Some(check) {
        return Err(CreditCodeError::CheckCharacter);
    }
    Ok(code)
}

fn check_parsed(code: &CreditCode) {
    let s = code.as_str();
    assert_eq!(s.len(), 18);
    assert_eq!(code.to_string(), s);
    assert_eq!(
        CreditCode::parse(s).as_ref(),
        Ok(code),
        "canonical text re-parses"
    );
    let padded = format!(" \u{3000}{}\t", s.to_ascii_lowercase());
    assert_eq!(CreditCode::parse(&padded).as_ref(), Ok(code));
    assert_eq!(check_character(&s[..17]), s.chars().last());
}

fuzz_target!(|input: Input| {
    let parsed = CreditCode::parse(input.raw);
    assert_eq!(
        parsed.as_ref().map(CreditCode::as_str).map_err(|e| *e),
        reference(input.raw).as_deref().map_err(|e| *e),
        "{:?}",
        input.raw
    );
    if let Ok(code) = &parsed {
        check_parsed(code);
    }
    if let Some(c) = check_character(input.raw) {
        assert!(input.raw.chars().all(|c| CHARSET.contains(c)));
        let full = format!("{}{c}", input.raw);
        assert_eq!(CreditCode::parse(&full).map(|c| c.to_string()), Ok(full));
    }

    // A code built from charset characters always parses...
    let charset: Vec<char> = CHARSET.chars().collect();
    let mut chars: Vec<char> = input
        .body
        .iter()
        .map(|&b| charset[usize::from(b) % 31])
        .collect();
    let body: String = chars.iter().collect();
    let check = check_character(&body).expect("17 charset characters");
    chars.push(check);
    let code = CreditCode::parse(&format!("{body}{check}")).expect("built code is valid");
    check_parsed(&code);

    // ...every one-character change anywhere is refused (31 is prime, the
    // weights are non-zero mod 31)...
    let at = usize::from(input.position) % 18;
    let original = chars[at];
    let value = CHARSET.find(original).expect("charset");
    chars[at] = charset[(value + 1 + usize::from(input.delta) % 30) % 31];
    let changed: String = chars.iter().collect();
    assert_eq!(
        CreditCode::parse(&changed),
        Err(CreditCodeError::CheckCharacter),
        "{changed}"
    );
    chars[at] = original;
    // ...and so is every swap of two different neighbours in the body
    // (neighbouring weights differ mod 31).
    if at < 16 && chars[at] != chars[at + 1] {
        chars.swap(at, at + 1);
        let swapped: String = chars.iter().collect();
        assert_eq!(
            CreditCode::parse(&swapped),
            Err(CreditCodeError::CheckCharacter)
        );
    }
});
