//! A mobile number split across a line break or joined with '+'
//! ("138\n1234\n5678", "138+1234+5678"). Line breaks and '+' otherwise end a
//! number, so that numbers on separate lines are not glued; they are crossed
//! only when the pieces, each a whole group, have the grouping of a mobile
//! number (3-4-4, 3-8 or 7-4 digits) and together are exactly one. A list of
//! round quantities ("150\n2000\n3000") is left alone; a mobile number whose
//! groups look that round (138\n1200\n3400) is the price of that.

use super::phone::is_mobile;
use super::{Chunk, UNITS};
use crate::text_check::normalize::is_joiner;
use crate::text_check::{Finding, FindingKind};

const GROUPINGS: [&[usize]; 3] = [&[3, 4, 4], &[3, 8], &[7, 4]];

fn is_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{B}' | '\u{C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

fn is_plus(c: char) -> bool {
    c == '+' || c == '＋'
}

/// One line break (\r\n counts once) or one '+', with joiners around it.
fn is_weak_gap(gap: &str) -> bool {
    let marks = gap
        .replace("\r\n", "\n")
        .chars()
        .filter(|&c| is_break(c) || is_plus(c))
        .count();
    marks == 1
        && gap.chars().count() <= 5
        && gap
            .chars()
            .all(|c| is_joiner(c) || is_break(c) || is_plus(c))
}

/// Whether two chunks belong to one group (as in `runs`).
fn is_strong_gap(prev: &Chunk, gap: &str) -> bool {
    !prev.x && gap.chars().count() <= 3 && gap.chars().all(is_joiner)
}

/// Consecutive chunks joined by ordinary joiners, and whether the gap
/// before it is weak (so it may continue the group before it).
struct Group {
    first: usize,
    last: usize,
    digits: String,
    weak_before: bool,
}

fn groups(text: &str, chunks: &[Chunk]) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for (k, ch) in chunks.iter().enumerate() {
        if let Some(g) = out.last_mut() {
            let prev = &chunks[g.last];
            let gap = &text[prev.end..ch.start];
            if is_strong_gap(prev, gap) {
                g.last = k;
                g.digits.push_str(&ch.digits);
                continue;
            }
            let weak = !prev.x && is_weak_gap(gap);
            out.push(Group {
                first: k,
                last: k,
                digits: ch.digits.clone(),
                weak_before: weak,
            });
            continue;
        }
        out.push(Group {
            first: k,
            last: k,
            digits: ch.digits.clone(),
            weak_before: false,
        });
    }
    out
}

pub(super) fn split_mobile_findings(text: &str, chunks: &[Chunk], out: &mut Vec<Finding>) {
    let groups = groups(text, chunks);
    for i in 0..groups.len() {
        for grouping in GROUPINGS {
            let Some(window) = groups.get(i..i + grouping.len()) else {
                continue;
            };
            let shaped = window
                .iter()
                .map(|g| g.digits.len())
                .eq(grouping.iter().copied());
            let joined = window[1..].iter().all(|g| g.weak_before);
            if !shaped || !joined {
                continue;
            }
            let digits: String = window.iter().map(|g| g.digits.as_str()).collect();
            // Quantities are round: all later groups end in 00, and with
            // only two groups the first ends in 0 too ("1500000\n2000").
            let round = window[1..].iter().all(|g| g.digits.ends_with("00"))
                && (window.len() > 2 || window[0].digits.ends_with('0'));
            let (first, last) = (
                &chunks[window[0].first],
                &chunks[window[grouping.len() - 1].last],
            );
            let unit_after = text[last.end..]
                .chars()
                .next()
                .is_some_and(|c| UNITS.contains(c));
            if digits.len() == 11 && is_mobile(&digits) && !round && !unit_after && !last.x {
                out.push(Finding::new(
                    FindingKind::Phone,
                    first.start,
                    last.digits_end,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::text_check::FindingKind::Phone;
    use crate::text_check::tests::each_found;
    use crate::text_check::{Sensitive, check};

    #[test]
    fn mobiles_split_across_lines_or_joined_with_plus() {
        let none = Sensitive::default();
        each_found(
            "138\n1234\n5678|138\r\n1234\r\n5678|138+1234+5678|138 + 1234 + 5678\
             |138\n12345678|1381234\n5678|138 1234\n5678|一三八\n一二三四\n五六七八",
            "家长电话：{}。",
            &none,
            Phone,
        );
        for text in [
            "需要：\n150\n2000\n3000",
            "第1+1+N",
            "3+2",
            "138\n\n1234\n\n5678",
            "138\n1234\n5678元",
            "13\n8\n12345678",
            "2026\n11\n28",
        ] {
            assert!(
                check(text, &none).is_empty(),
                "{text:?}: {:?}",
                check(text, &none)
            );
        }
    }
}
