//! The shapes of phone numbers: mobiles (with an optional +86 / 0086
//! prefix), landlines with an area code, and bare local numbers after a
//! keyword such as 电话.

use crate::text_check::normalize::{digit, fold};

const PHONE_KEYWORDS: [&str; 7] = ["电话", "联系", "手机", "座机", "致电", "拨打", "tel"];

pub(super) fn is_mobile(d: &str) -> bool {
    let core = [d.strip_prefix("0086"), d.strip_prefix("86")]
        .into_iter()
        .flatten()
        .find(|c| c.len() == 11)
        .unwrap_or(d);
    let b = core.as_bytes();
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
}

/// 0 + 2–3 digit area code + 7–8 digit number. When grouped, the first group
/// is the area code. An ungrouped run must split the way real area codes do
/// (010 and 02x have three digits, the others four; the number starts with
/// 2–9), because a bare 10–12 digit run starting with 0 is often a code.
pub(super) fn is_landline(d: &str, first_len: usize, grouped: bool) -> bool {
    let b = d.as_bytes();
    let area = if grouped {
        first_len
    } else if matches!(b.get(1), Some(b'1' | b'2')) {
        3
    } else {
        4
    };
    (10..=12).contains(&b.len())
        && b[0] == b'0'
        && b[1] != b'0'
        && (3..=4).contains(&area)
        && (7..=8).contains(&(b.len() - area))
        && (grouped || (b[1] != b'1' || b[2] == b'0') && b[area] >= b'2')
}

/// A bare 7–8 digit number is only a phone number when a keyword closely
/// precedes it; otherwise it is far more likely an amount or a code.
pub(super) fn keyword_before(text: &str, start: usize) -> bool {
    let mut window: Vec<char> = text[..start]
        .chars()
        .rev()
        .take(8)
        .take_while(|c| digit(*c).is_none())
        .collect();
    window.reverse();
    let window: String = window.into_iter().map(fold).collect();
    PHONE_KEYWORDS.iter().any(|k| window.contains(k))
}

pub(super) fn extend_back(text: &str, start: usize, marks: &[char]) -> usize {
    match text[..start].chars().next_back() {
        Some(c) if marks.contains(&c) => start - c.len_utf8(),
        _ => start,
    }
}

#[cfg(test)]
mod tests {
    use crate::text_check::tests::each_found;
    use crate::text_check::{FindingKind::Phone, Sensitive, check};

    #[test]
    fn phone_numbers_in_many_shapes() {
        let none = Sensitive::default();
        let mobiles = "13812345678|138 1234 5678|138-1234-5678|+86 138 1234 5678|0086-13812345678\
                       |8613812345678";
        each_found(mobiles, "家长{}。", &none, Phone);
        each_found(
            "023-55123456|(023)5512 3456|0235-1234567|02355123456|07552345678\
             |０２３－５５１２３４５６",
            "座{}。",
            &none,
            Phone,
        );
        each_found("5512345|5512 3456", "联系电话：{}", &none, Phone);
        each_found("55123456", "Tel: {}", &none, Phone);
        assert_eq!(check("手机13812345678，座机87654321", &none).len(), 2);
        assert_eq!(check("13812345678 13912345678", &none).len(), 2);
        assert!(
            check("采购55123456元物资", &none).is_empty(),
            "bare 8 digits is an amount"
        );
        for text in [
            "订单号 12345678，拨打12355",
            "编号0123456789",
            "QQ群 123456789",
        ] {
            assert!(check(text, &none).is_empty(), "{text:?}");
        }
    }
}
