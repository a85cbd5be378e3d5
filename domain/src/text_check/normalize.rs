//! Character classes and folding shared by the matchers: which characters
//! are invisible or separators, which may join the digit groups of one
//! number, and the width- and case-insensitive form text is compared in.
//! Numerals of other scripts are folded in [`numerals`].

mod numerals;

pub(super) use numerals::{Folded, any_digit, chinese_digit, chinese_value, script_digit};

/// Zero-width and soft characters, pasted by accident or inserted to dodge checks.
const INVISIBLE: &str = "\u{AD}\u{180E}\u{200B}\u{200C}\u{200D}\u{200E}\u{200F}\
                          \u{2060}\u{2061}\u{2062}\u{2063}\u{FEFF}";
const DASHES: &str =
    "-_\u{2010}\u{2011}\u{2012}\u{2013}\u{2014}\u{2015}\u{2212}\u{FE58}\u{FE63}\u{FF0D}";
const DOTS: &str = ".·•・‧∙･．\u{318D}";

pub(super) fn is_invisible(c: char) -> bool {
    INVISIBLE.contains(c)
}

pub(super) fn is_dash(c: char) -> bool {
    DASHES.contains(c)
}

pub(super) fn is_dot(c: char) -> bool {
    DOTS.contains(c)
}

/// Separators that plausibly sit inside one word; sentence punctuation is
/// excluded so that short patterns (given names, village stems) do not match
/// across a clause boundary by coincidence.
pub(super) fn is_light_sep(c: char) -> bool {
    c.is_whitespace() || is_invisible(c) || is_dash(c) || is_dot(c)
}

/// Any separator, including sentence punctuation (full names and whole place
/// strings are long enough to be matched across "张，小明").
pub(super) fn is_sep(c: char) -> bool {
    is_light_sep(c)
        || c.is_ascii_punctuation()
        || matches!(c as u32, 0x2016..=0x205E | 0x3000..=0x3004 | 0x3008..=0x3020 | 0x3030 | 0x303D
            | 0xFE10..=0xFE1F | 0xFE30..=0xFE6F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20
            | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65)
}

/// Characters allowed between the digit groups of one ID or phone number.
/// Line breaks, commas and Chinese text end a number, so separate numbers are not glued.
pub(super) fn is_joiner(c: char) -> bool {
    (c.is_whitespace()
        && !matches!(
            c,
            '\n' | '\r' | '\u{B}' | '\u{C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
        ))
        || is_invisible(c)
        || is_dash(c)
        || is_dot(c)
        || "()（）".contains(c)
}

/// Full-width ASCII to ASCII, then lower case, so that matching is width- and case-insensitive.
pub(super) fn fold(c: char) -> char {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    };
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

pub(super) fn digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(c as u32 - 0xFEE0),
        _ => None,
    }
}

/// A Han character (CJK unified ideographs and their extensions).
pub(super) fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3134F}')
}

/// The folded characters of `s` without any separators, as a name or place
/// from the file is matched.
pub(super) fn normalize(s: &str) -> Vec<char> {
    s.chars().map(fold).filter(|c| !is_sep(*c)).collect()
}
