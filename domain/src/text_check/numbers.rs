//! ID and phone numbers: digit groups are scanned, joined into candidate
//! numbers across short separators, and classified; full dates and numbers
//! followed by a unit (年, 元, 岁 …) are kept out. The shapes of phone
//! numbers are in [`phone`], mobiles split across lines in [`lines`], and
//! the phone numbers on file split in any way in [`known`]. The text comes
//! with its numerals already folded to ASCII digits (see `Folded`).

mod known;
mod lines;
mod phone;

pub(super) use self::known::known_phone_findings;

use crate::id_number::check_digit;

use self::phone::{extend_back, is_landline, is_mobile, keyword_before};
use super::normalize::{digit, fold, is_joiner};
use super::{Finding, FindingKind};

/// A number directly followed by one of these is a quantity, date or time,
/// never the end of a phone number split into groups.
const UNITS: &str = "年月日号时点分秒岁周名个人次户本件台套份张元角块万千百米斤克%％";

/// A maximal run of digits, possibly ending in the X of an ID number.
struct Chunk {
    start: usize,
    digits_end: usize,
    end: usize,
    digits: String,
    x: bool,
}

fn scan_chunks(text: &str) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut it = text.char_indices().peekable();
    while let Some((start, c)) = it.next() {
        let Some(d) = digit(c) else { continue };
        let mut digits = String::from(d);
        let mut end = start + c.len_utf8();
        while let Some(&(i, c)) = it.peek()
            && let Some(d) = digit(c)
        {
            digits.push(d);
            end = i + c.len_utf8();
            it.next();
        }
        let digits_end = end;
        // The X of an ID may also be split off ("…798 X"), but not be the
        // start of a Latin word.
        let rest = &text[end..];
        let gap = rest.char_indices().take(4).find(|&(_, c)| !is_joiner(c));
        let mut x = false;
        if let Some((g, c)) = gap
            && matches!(c, 'x' | 'X' | 'ｘ' | 'Ｘ')
            && !rest[g + c.len_utf8()..]
                .chars()
                .next()
                .is_some_and(|a| fold(a).is_ascii_alphanumeric())
        {
            x = true;
            end += g + c.len_utf8();
            while it.peek().is_some_and(|&(i, _)| i < end) {
                it.next();
            }
        }
        out.push(Chunk {
            start,
            digits_end,
            end,
            digits,
            x,
        });
    }
    out
}

/// Groups chunks joined only by short separator runs into candidate numbers.
fn runs(text: &str, chunks: &[Chunk]) -> Vec<Vec<usize>> {
    let mut runs = Vec::new();
    let mut cur: Vec<usize> = Vec::new();
    for (k, ch) in chunks.iter().enumerate() {
        if let Some(&p) = cur.last() {
            let gap = &text[chunks[p].end..ch.start];
            if chunks[p].x || gap.chars().count() > 3 || !gap.chars().all(is_joiner) {
                runs.push(std::mem::take(&mut cur));
            }
        }
        cur.push(k);
    }
    runs.push(cur);
    runs
}

/// Takes full dates (2026-11-28) out of a run so that they never get glued to
/// a neighbouring number.
fn split_dates(text: &str, chunks: &[Chunk], run: &[usize]) -> Vec<Vec<usize>> {
    let seps: Vec<&str> = run
        .windows(2)
        .map(|w| &text[chunks[w[0]].end..chunks[w[1]].start])
        .collect();
    let is_date = |t: usize| {
        let [y, m, d] = [run[t], run[t + 1], run[t + 2]].map(|k| &chunks[k]);
        y.digits.len() == 4
            && (1..=2).contains(&m.digits.len())
            && (1..=2).contains(&d.digits.len())
            && !d.x
            && seps[t] == seps[t + 1]
            && seps[t].chars().count() == 1
            && (t == 0 || seps[t - 1] != seps[t])
            && seps.get(t + 2).is_none_or(|s| *s != seps[t])
            && valid_date(&y.digits, &m.digits, &d.digits)
    };
    let (mut out, mut cur, mut t) = (Vec::new(), Vec::new(), 0);
    while t < run.len() {
        if t + 2 < run.len() && is_date(t) {
            out.push(std::mem::take(&mut cur));
            t += 3;
        } else {
            cur.push(run[t]);
            t += 1;
        }
    }
    out.push(cur);
    out.retain(|r| !r.is_empty());
    out
}

pub(super) fn valid_date(y: &str, m: &str, d: &str) -> bool {
    let num = |s: &str| s.parse::<u32>().unwrap_or(0);
    let (y, m, d) = (num(y), num(m), num(d));
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => 0,
    };
    (1900..=2099).contains(&y) && (1..=days).contains(&d)
}

pub(super) fn number_findings(text: &str, out: &mut Vec<Finding>) {
    let chunks = scan_chunks(text);
    for run in runs(text, &chunks) {
        // An ID may show its birth date as a date ("500235 2015-03-12 123X"),
        // so IDs are also looked for before dates are taken out.
        let ids = candidates(text, &chunks, &run).filter(|f| f.kind == FindingKind::IdNumber);
        out.extend(ids);
        for part in split_dates(text, &chunks, &run) {
            out.extend(candidates(text, &chunks, &part));
        }
    }
    lines::split_mobile_findings(text, &chunks, out);
}

/// Classifies every sequence of consecutive chunks of a run; a match never
/// starts or ends inside a digit group.
fn candidates<'a>(
    text: &'a str,
    chunks: &'a [Chunk],
    run: &'a [usize],
) -> impl Iterator<Item = Finding> + 'a {
    (0..run.len())
        .flat_map(move |i| {
            let mut digits = String::new();
            (i..run.len()).map_while(move |j| {
                digits.push_str(&chunks[run[j]].digits);
                let parts = j - i + 1;
                (parts == 1 || digits.len() <= 24)
                    .then(|| classify(text, &chunks[run[i]], &chunks[run[j]], parts, &digits))
            })
        })
        .flatten()
}

/// Decides whether the chunks `a..=b` (`parts` of them, `digits` concatenated)
/// form an ID or phone number.
fn classify(text: &str, a: &Chunk, b: &Chunk, parts: usize, digits: &str) -> Option<Finding> {
    let unit_after = text[b.end..]
        .chars()
        .next()
        .is_some_and(|c| UNITS.contains(c));
    if parts > 1 && unit_after {
        return None;
    }
    if is_id(digits, b.x, parts > 1) {
        return Some(Finding::new(FindingKind::IdNumber, a.start, b.end));
    }
    let start = if is_mobile(digits) {
        extend_back(text, a.start, &['+', '＋'])
    } else if is_landline(digits, a.digits.len(), parts > 1) {
        extend_back(text, a.start, &['(', '（'])
    } else if (7..=8).contains(&digits.len())
        && parts <= 2
        && !unit_after
        && keyword_before(text, a.start)
    {
        a.start
    } else {
        return None;
    };
    Some(Finding::new(FindingKind::Phone, start, b.digits_end))
}

/// Exactly 18 characters with a valid check character. When the number was
/// written in groups, the birth date must also be plausible, so that unrelated
/// numbers joined by spaces are not taken for an ID by the 1-in-11 chance of
/// the check digit. An unbroken run of 19+ digits is flagged whole when an
/// 18-character window in it is a valid ID with a plausible birth date: it is
/// most likely an ID with a typo or extra digits, and a bank card number
/// caught this way is personal too.
fn is_id(digits: &str, x: bool, grouped: bool) -> bool {
    let mut s = digits.to_string();
    if x {
        s.push('X');
    }
    let valid = |w: &str| check_digit(&w[..17]).is_some_and(|c| w.ends_with(c));
    let birth = |w: &str| valid_date(&w[6..10], &w[10..12], &w[12..14]);
    match s.len() {
        18 => valid(&s) && (!grouped || birth(&s)),
        19.. if !grouped => {
            (0..=s.len() - 18).any(|w| valid(&s[w..w + 18]) && birth(&s[w..w + 18]))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text_check::tests::{each_found, with_check};
    use crate::text_check::{Sensitive, check};
    use FindingKind::*;

    #[test]
    fn id_numbers_in_many_shapes() {
        let none = Sensitive::default();
        let id = with_check("50023520150312123");
        let x = (100..1000)
            .map(|seq| format!("50023520150312{seq}"))
            .find(|f| check_digit(f) == Some('X'))
            .map(|f| f + "X")
            .expect("some sequence number gives X");
        let wide: String = x
            .chars()
            .map(|c| char::from_u32(c as u32 + 0xFEE0).expect("full width"))
            .collect();
        let shapes = [
            format!("{} {} {} {}", &x[..6], &x[6..10], &x[10..14], &x[14..]),
            format!("{}-{}-{}-{}", &id[..3], &id[3..6], &id[6..14], &id[14..]),
            format!(
                "{}|{}|{wide}|{}|{} X",
                x.to_lowercase(),
                id.replace("2015", "—2015."),
                id,
                &x[..17]
            ),
            format!(
                "{} {}-{}-{} {}",
                &x[..6],
                &x[6..10],
                &x[10..12],
                &x[12..14],
                &x[14..]
            ),
        ];
        each_found(&shapes.join("|"), "身份证{}，请核实", &none, IdNumber);
        let wrong = format!("{}{}", &id[..17], if id.ends_with('0') { '1' } else { '0' });
        assert!(check(&wrong, &none).is_empty(), "wrong check digit");
        // Glued into a longer unbroken run: flagged whole (see `is_id`).
        each_found(&format!("9{id}"), "编号{}", &none, IdNumber);
        assert!(check("12345678901234567890", &none).is_empty());
    }
}
