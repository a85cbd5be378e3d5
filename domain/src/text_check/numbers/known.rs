//! The phone numbers on file (the guardian's), found however they are split:
//! their digits as whole digit groups, in order, within a short stretch of
//! text ("前七位1381234，后四位5678", "138 1234 和 5678"). Groups in between
//! that are not part of the number (the 七 of 前七位, read as 7) are skipped.
//! A landline is also looked for without its area code.

use crate::text_check::normalize::any_digit;
use crate::text_check::{Finding, FindingKind};

/// Characters from the first digit of the number to its last.
const WINDOW: usize = 40;
/// Each piece has at least this many digits, so that single digits
/// scattered in a text never spell a number.
const MIN_PIECE: usize = 2;
const MAX_PIECES: usize = 5;
/// Shorter numbers (a local number without its area code is 7 or 8 digits)
/// are not looked for.
const MIN_DIGITS: usize = 7;

/// A maximal run of ASCII digits: byte range and character position.
struct Group<'a> {
    start: usize,
    end: usize,
    char_start: usize,
    char_end: usize,
    digits: &'a str,
}

/// The digit strings to look for: each number without its country code,
/// and a landline also without its area code (010 and 02x have three
/// digits, the others four).
fn targets(phones: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for phone in phones {
        let digits: String = phone
            .chars()
            .filter_map(any_digit)
            .map(|d| char::from(b'0' + d))
            .collect();
        let national = ["0086", "86"]
            .iter()
            .find_map(|p| {
                digits
                    .strip_prefix(p)
                    .filter(|r| r.len() == 11 && r.starts_with('1'))
            })
            .unwrap_or(&digits);
        out.push(national.to_owned());
        if national.starts_with('0') {
            let area = if matches!(national.as_bytes().get(1), Some(b'1' | b'2')) {
                3
            } else {
                4
            };
            out.extend(national.get(area..).map(str::to_owned));
        }
    }
    out.retain(|t| t.len() >= MIN_DIGITS);
    out.sort();
    out.dedup();
    out
}

fn groups(text: &str) -> Vec<Group<'_>> {
    let mut out: Vec<Group<'_>> = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    // A sentinel past the end closes the last group.
    let ends = text.char_indices().chain([(text.len(), ' ')]);
    for (chars, (i, c)) in ends.enumerate() {
        match (c.is_ascii_digit() && i < text.len(), open) {
            (true, None) => open = Some((i, chars)),
            (false, Some((start, char_start))) => {
                out.push(Group {
                    start,
                    end: i,
                    char_start,
                    char_end: chars,
                    digits: &text[start..i],
                });
                open = None;
            }
            _ => {}
        }
    }
    out
}

/// The index of the last group that completes `rest` from group `from` on
/// (`pieces` already used), each piece whole, the whole within [`WINDOW`]
/// characters of `first`; groups that do not fit are skipped.
fn complete(
    groups: &[Group<'_>],
    first: &Group<'_>,
    from: usize,
    rest: &str,
    pieces: usize,
) -> Option<usize> {
    for (k, g) in groups.iter().enumerate().skip(from) {
        if g.char_end - first.char_start > WINDOW {
            break;
        }
        let Some(left) = rest.strip_prefix(g.digits) else {
            continue;
        };
        if g.digits.len() < MIN_PIECE {
            continue;
        }
        if left.is_empty() {
            return Some(k);
        }
        if pieces + 1 < MAX_PIECES
            && let Some(last) = complete(groups, first, k + 1, left, pieces + 1)
        {
            return Some(last);
        }
    }
    None
}

/// `text` has its numerals folded to ASCII digits.
pub(in crate::text_check) fn known_phone_findings(
    text: &str,
    phones: &[String],
    out: &mut Vec<Finding>,
) {
    let targets = targets(phones);
    if targets.is_empty() {
        return;
    }
    let groups = groups(text);
    for target in &targets {
        for (i, first) in groups.iter().enumerate() {
            let Some(rest) = target.strip_prefix(first.digits) else {
                continue;
            };
            let last = match rest {
                "" => Some(i),
                _ if first.digits.len() >= MIN_PIECE => complete(&groups, first, i + 1, rest, 1),
                _ => None,
            };
            if let Some(last) = last {
                out.push(Finding::new(
                    FindingKind::Phone,
                    first.start,
                    groups[last].end,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::targets;
    use crate::text_check::FindingKind::Phone;
    use crate::text_check::tests::each_found;
    use crate::text_check::{Sensitive, check};

    fn with_phones(phones: &[&str]) -> Sensitive {
        Sensitive {
            phones: phones.iter().map(|p| p.to_string()).collect(),
            ..Sensitive::default()
        }
    }

    #[test]
    fn the_phone_on_file_split_in_any_way() {
        let s = with_phones(&["138-1234-5678", "023-55123456"]);
        each_found(
            "1381234，后四位5678|138 1234 和 5678|138，中间1234，最后5678|13812，345678\
             |一三八一二三四，后四位五六七八|55123456|5512和3456",
            "前七位{}。",
            &s,
            Phone,
        );
        for text in [
            "前七位1381234",
            "尾号5678",
            "138人参加，另外还有很多很多很多很多很多很多很多很多很多人，1234本书和5678元",
        ] {
            assert!(
                check(text, &s).is_empty(),
                "{text:?}: {:?}",
                check(text, &s)
            );
        }
        assert_eq!(
            targets(&["+86 138 1234 5678".into(), "0755-2345678".into()]),
            ["07552345678", "13812345678", "2345678"]
        );
    }
}
