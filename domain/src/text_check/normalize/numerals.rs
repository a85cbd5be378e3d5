//! Numerals of every script folded to ASCII digits, so that the number rules
//! see "一三九…", "幺三八…", "①③⑨…" or "𝟏𝟑𝟗…" as the digits they spell, and
//! a map back to the original text so that findings still cover what the
//! officer typed.
//!
//! Only characters that stand for one digit each are folded, the way phone
//! and ID numbers are read out digit by digit. Positional words (十, 百, 千)
//! are not digits; [`chinese_value`] reads them where a date needs them.

use crate::text_check::Finding;

/// The zero of each block of ten Unicode decimal digits (general category
/// Nd, Unicode 17), ASCII and full-width included; each block runs zero..=zero+9.
const DECIMAL_ZEROS: [u32; 77] = [
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
    0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x10D40, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0,
    0x11650, 0x116C0, 0x116D0, 0x116DA, 0x11730, 0x118E0, 0x11950, 0x11BF0, 0x11C50, 0x11D50,
    0x11DA0, 0x11DE0, 0x11F50, 0x16130, 0x16A60, 0x16AC0, 0x16B50, 0x16D70, 0x1CCF0, 0x1D7CE,
    0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E4F0, 0x1E5F1, 0x1E950, 0x1FBF0,
];

/// Runs of other digit forms (circled, parenthesised, with a full stop,
/// superscript, …): first code point, last code point, value of the first.
const DIGIT_RUNS: [(u32, u32, u8); 20] = [
    (0x2070, 0x2070, 0),   // ⁰
    (0x00B9, 0x00B9, 1),   // ¹
    (0x00B2, 0x00B3, 2),   // ² ³
    (0x2074, 0x2079, 4),   // ⁴–⁹
    (0x2080, 0x2089, 0),   // ₀–₉
    (0x2460, 0x2468, 1),   // ①–⑨
    (0x2474, 0x247C, 1),   // ⑴–⑼
    (0x2488, 0x2490, 1),   // ⒈–⒐
    (0x24EA, 0x24EA, 0),   // ⓪
    (0x24F5, 0x24FD, 1),   // ⓵–⓽
    (0x24FF, 0x24FF, 0),   // ⓿
    (0x2776, 0x277E, 1),   // ❶–❾
    (0x2780, 0x2788, 1),   // ➀–➈
    (0x278A, 0x2792, 1),   // ➊–➒
    (0x1F100, 0x1F100, 0), // 🄀
    (0x1F101, 0x1F10A, 0), // 🄁–🄊
    (0x1F10B, 0x1F10B, 0), // 🄋
    (0x1F10C, 0x1F10C, 0), // 🄌
    (0x3220, 0x3228, 1),   // ㈠–㈨
    (0x3280, 0x3288, 1),   // ㊀–㊈
];

/// Chinese characters read as one digit each. 幺 is how 1 is read aloud in
/// phone numbers; ○ (a geometric circle) is often typed for 〇; the
/// financial forms (壹贰叁…) are used to write numbers that must not be
/// altered. 两 and 十 are not here: they never stand for a single digit.
const CHINESE_DIGITS: [(char, u8); 25] = [
    ('〇', 0),
    ('○', 0),
    ('零', 0),
    ('一', 1),
    ('幺', 1),
    ('壹', 1),
    ('二', 2),
    ('贰', 2),
    ('貳', 2),
    ('三', 3),
    ('叁', 3),
    ('參', 3),
    ('四', 4),
    ('肆', 4),
    ('五', 5),
    ('伍', 5),
    ('六', 6),
    ('陆', 6),
    ('陸', 6),
    ('七', 7),
    ('柒', 7),
    ('八', 8),
    ('捌', 8),
    ('九', 9),
    ('玖', 9),
];

/// The digit a Chinese character stands for when numbers are read digit by digit.
pub(in crate::text_check) fn chinese_digit(c: char) -> Option<u8> {
    CHINESE_DIGITS
        .iter()
        .find(|(k, _)| *k == c)
        .map(|(_, d)| *d)
}

/// The digit any non-Chinese character stands for: decimal digits of every
/// script and the circled, parenthesised and similar forms.
pub(in crate::text_check) fn script_digit(c: char) -> Option<u8> {
    let cp = c as u32;
    let decimal = DECIMAL_ZEROS
        .iter()
        .find(|&&z| (z..z + 10).contains(&cp))
        .map(|z| cp - z);
    let other = DIGIT_RUNS
        .iter()
        .find(|(a, b, _)| (*a..=*b).contains(&cp))
        .map(|(a, _, first)| cp - a + u32::from(*first));
    decimal.or(other).and_then(|d| u8::try_from(d).ok())
}

/// The digit `c` stands for in any script, Chinese included.
pub(in crate::text_check) fn any_digit(c: char) -> Option<u8> {
    script_digit(c).or_else(|| chinese_digit(c))
}

/// The value of a number written in Chinese with place words ("十二",
/// "二十五", "廿七", "两千零一十五"), or digit by digit ("二〇一五"); `None`
/// when the characters do not form one number. Values stay below 10,000.
pub(in crate::text_check) fn chinese_value(s: &str) -> Option<u32> {
    let place = |c: char| match c {
        '十' => Some(10),
        '百' => Some(100),
        '千' => Some(1000),
        _ => None,
    };
    if !s
        .chars()
        .any(|c| place(c).is_some() || "廿卅两".contains(c))
    {
        let digits = s.chars().map(any_digit).collect::<Option<Vec<u8>>>()?;
        return (!digits.is_empty() && digits.len() <= 4)
            .then(|| digits.iter().fold(0, |v, d| v * 10 + u32::from(*d)));
    }
    let (mut total, mut pending, mut last_place) = (0u32, None::<u32>, 10_000u32);
    for c in s.chars() {
        if let Some(p) = place(c) {
            if p >= last_place {
                return None;
            }
            // A leading 十 means 一十 (十二 = 12).
            total += pending.take().unwrap_or(1) * p;
            last_place = p;
        } else if c == '廿' || c == '卅' {
            if total != 0 || pending.is_some() || last_place <= 10 {
                return None;
            }
            total = if c == '廿' { 20 } else { 30 };
            last_place = 10;
        } else {
            let d = if c == '两' {
                2
            } else {
                u32::from(any_digit(c)?)
            };
            // Two digits in a row only after a zero (二千零一十五).
            if pending.is_some_and(|p| p != 0) {
                return None;
            }
            pending = Some(d);
        }
    }
    Some(total + pending.unwrap_or(0))
}

/// A text with numerals folded to ASCII digits, and where each of its
/// characters came from. Every character maps to exactly one character of
/// the original, so a range on char boundaries maps back to one.
pub(in crate::text_check) struct Folded {
    pub text: String,
    /// The original byte offset at each char boundary of `text` (entries
    /// inside a character are unused).
    origin: Vec<usize>,
}

impl Folded {
    /// Folds the numerals of every script; with `chinese: false`, Chinese
    /// characters stay text.
    pub fn new(original: &str, chinese: bool) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut origin = vec![0; original.len() + 1];
        for (i, c) in original.char_indices() {
            let d = if chinese {
                any_digit(c)
            } else {
                script_digit(c)
            };
            origin[text.len()] = i;
            match d {
                Some(d) => text.push(char::from(b'0' + d)),
                None => text.push(c),
            }
        }
        origin.truncate(text.len() + 1);
        origin[text.len()] = original.len();
        Self { text, origin }
    }

    /// The same finding in the original text.
    pub fn back(&self, f: Finding) -> Finding {
        Finding::new(f.kind, self.origin[f.start], self.origin[f.end])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text_check::FindingKind;

    #[test]
    fn every_listed_digit_is_a_numeric_character() {
        for z in DECIMAL_ZEROS {
            for v in 0..10 {
                let c = char::from_u32(z + v).expect("a code point");
                assert!(c.is_numeric(), "U+{:X}", z + v);
                assert_eq!(script_digit(c), Some(v as u8), "U+{:X}", z + v);
            }
        }
        for (a, b, _) in DIGIT_RUNS {
            assert!((a..=b).all(|cp| char::from_u32(cp).is_some_and(char::is_numeric)));
        }
        let samples = "٣۳३𝟏𝟙𝟷①⑨⓪❶➒⒈⑵²₇１";
        let digits: String = samples
            .chars()
            .map(|c| script_digit(c).map_or('?', |d| char::from(b'0' + d)))
            .collect();
        assert_eq!(digits, "3331111901912271");
        assert_eq!(any_digit('幺'), Some(1));
        assert_eq!(any_digit('十'), None);
        assert_eq!(script_digit('a'), None);
    }

    #[test]
    fn chinese_values_with_and_without_place_words() {
        let cases = [
            ("七", Some(7)),
            ("十", Some(10)),
            ("十二", Some(12)),
            ("二十", Some(20)),
            ("二十五", Some(25)),
            ("三十一", Some(31)),
            ("廿七", Some(27)),
            ("卅一", Some(31)),
            ("二〇一五", Some(2015)),
            ("二零一五", Some(2015)),
            ("两千零一十五", Some(2015)),
            ("二千零五", Some(2005)),
            ("一九九八", Some(1998)),
            ("十十", None),
            ("五五十", None),
            ("", None),
        ];
        for (s, v) in cases {
            assert_eq!(chinese_value(s), v, "{s}");
        }
    }

    #[test]
    fn folded_text_maps_back_to_the_original() {
        let original = "电话①三⑧ 𝟏𝟐x";
        let f = Folded::new(original, true);
        assert_eq!(f.text, "电话138 12x");
        let start = f.text.find('1').expect("digit");
        let back = f.back(Finding::new(FindingKind::Phone, start, f.text.len() - 1));
        assert_eq!(&original[back.start..back.end], "①三⑧ 𝟏𝟐");
        assert_eq!(Folded::new(original, false).text, "电话1三8 12x");
    }
}
