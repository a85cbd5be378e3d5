//! The child's birth date in any written form: digits with one kind of
//! separator (2015-03-07, 2015/3/7, 2015.03.07, also day or month first
//! with the year last), compact (20150307, also inside a longer digit run
//! such as a mistyped ID number), with 年月日 in digits or Chinese numerals
//! (2015年3月7日, 二〇一五年三月七日, 二零一五年三月七号, 一五年三月七日), and
//! the month and day alone when the text says that this is a birthday
//! (生日3月7日, 三月七日出生).
//!
//! Only the child's actual birth date is a finding: dates of services, or
//! the birth year alone (2015年出生), are ordinary text. The year and month
//! without the day are not flagged either: they say little more than the
//! age band the projection shows anyway.

use chrono::{Datelike, NaiveDate};

use super::normalize::{any_digit, chinese_digit, chinese_value, is_dash, is_dot, script_digit};
use super::{Finding, FindingKind};

/// Words before a month and day that make it a birthday ("生日：3月7日").
const BEFORE: [&str; 6] = ["生日", "出生", "生于", "诞生", "诞辰", "寿辰"];
/// Words after it ("3月7日出生", "3月7日是她的生日"), after optional fillers.
const AFTER: [&str; 5] = ["出生", "生日", "诞生", "生于", "生人"];
const FILLERS: &str = "是为的过他她其";
/// How far before a month and day a birthday word may stand, in characters.
const BEFORE_WINDOW: usize = 8;

/// A maximal run of numerals of one family: digits of any script but
/// Chinese, or Chinese numerals (with place words such as 十).
struct Num {
    start: usize,
    end: usize,
    chinese: bool,
    /// The digits when written digit by digit, else empty.
    digits: String,
    /// The byte offset of each character of the run, then its end.
    bounds: Vec<usize>,
    value: Option<u32>,
}

impl Num {
    fn is(&self, v: u32) -> bool {
        self.value == Some(v)
    }

    /// Written with one or two digits (or as a Chinese number) and equal to `v`.
    fn is_small(&self, v: u32) -> bool {
        self.is(v) && (self.chinese || (1..=2).contains(&self.digits.len()))
    }

    /// The start of the year `year` at the end of this run, if it is one:
    /// four digits (or a Chinese number such as 两千零一十五), or the last
    /// four of a longer Chinese run ("统一二〇一五" is read as 二〇一五);
    /// with `short`, also the last two digits (一五年).
    fn year_start(&self, year: u32, short: bool) -> Option<usize> {
        let n = self.digits.len();
        if (n == 4 || (n == 0 && self.chinese)) && self.is(year) {
            return Some(self.start);
        }
        let tail = |k: usize| {
            (n > k
                && self.chinese
                && self.digits[n - k..].parse::<u32>().ok()? == year % 10u32.pow(k as u32))
            .then(|| self.bounds[n - k])
        };
        match n {
            2 if short && self.is(year % 100) => Some(self.start),
            _ => tail(4).or_else(|| if short { tail(2) } else { None }),
        }
    }
}

fn is_place_word(c: char) -> bool {
    "十廿卅百千两".contains(c)
}

fn numbers(text: &str) -> Vec<Num> {
    let family = |c: char| {
        if chinese_digit(c).is_some() || is_place_word(c) {
            Some(true)
        } else {
            script_digit(c).map(|_| false)
        }
    };
    let mut out: Vec<Num> = Vec::new();
    let mut prev_end = None;
    for (i, c) in text.char_indices() {
        let Some(chinese) = family(c) else {
            prev_end = None;
            continue;
        };
        let end = i + c.len_utf8();
        match out.last_mut() {
            Some(n) if prev_end == Some(i) && n.chinese == chinese => {
                n.end = end;
                n.bounds.push(end);
            }
            _ => out.push(Num {
                start: i,
                end,
                chinese,
                digits: String::new(),
                bounds: vec![i, end],
                value: None,
            }),
        }
        prev_end = Some(end);
    }
    for n in &mut out {
        let s = &text[n.start..n.end];
        let digits: Option<String> = s
            .chars()
            .map(|c| any_digit(c).map(|d| char::from(b'0' + d)))
            .collect();
        n.digits = digits.unwrap_or_default();
        n.value = if n.chinese {
            chinese_value(s)
        } else if n.digits.len() <= 8 {
            n.digits.parse().ok()
        } else {
            None
        };
    }
    out
}

/// Whether only `mark` (年, 月), with optional whitespace, stands between two runs.
fn marked(text: &str, a: &Num, b: &Num, mark: char) -> bool {
    text[a.end..b.start].trim().chars().eq([mark])
}

/// The end of a day, with its 日 or 号 when present.
fn day_end(text: &str, d: &Num) -> usize {
    let rest = &text[d.end..];
    let trimmed = rest.trim_start();
    match trimmed.chars().next() {
        Some(c @ ('日' | '号')) => d.end + (rest.len() - trimmed.len()) + c.len_utf8(),
        _ => d.end,
    }
}

fn is_date_sep(s: &str) -> bool {
    let mut chars = s.chars();
    matches!((chars.next(), chars.next()), (Some(c), None)
        if is_dash(c) || is_dot(c) || "/／、\\".contains(c))
}

pub(super) fn birth_findings(text: &str, birth: Option<NaiveDate>, out: &mut Vec<Finding>) {
    let Some(birth) = birth else { return };
    let Ok(y) = u32::try_from(birth.year()) else {
        return;
    };
    let (m, d) = (birth.month(), birth.day());
    let nums = numbers(text);
    let mut add = |start, end| out.push(Finding::new(FindingKind::BirthDate, start, end));
    for (k, n) in nums.iter().enumerate() {
        // Compact: the eight digits anywhere in a run of digits.
        let compact = format!("{y:04}{m:02}{d:02}");
        for (at, _) in n.digits.match_indices(&compact) {
            add(n.bounds[at], n.bounds[at + 8]);
        }
        let [Some(b), Some(c)] = [nums.get(k + 1), nums.get(k + 2)] else {
            continue;
        };
        // 年月日, digits or Chinese, the year possibly in two digits.
        if marked(text, n, b, '年')
            && marked(text, b, c, '月')
            && b.is_small(m)
            && c.is_small(d)
            && let Some(start) = n.year_start(y, true)
        {
            add(start, day_end(text, c));
        }
        // One separator twice, in digits.
        let (g1, g2) = (&text[n.end..b.start], &text[b.end..c.start]);
        let plain = |x: &Num| !x.chinese;
        if g1 == g2 && is_date_sep(g1) && [n, b, c].into_iter().all(plain) {
            let year_first = n.digits.len() == 4 && n.is(y) && b.is_small(m) && c.is_small(d);
            let year_last = c.digits.len() == 4
                && c.is(y)
                && ((n.is_small(d) && b.is_small(m)) || (n.is_small(m) && b.is_small(d)));
            if year_first || year_last {
                add(n.start, c.end);
            }
        }
    }
    month_day_findings(text, &nums, (m, d), &mut add);
}

/// The month and day alone, when a birthday word stands next to them and
/// no year comes before them (a year other than the birth year makes it a
/// different date).
fn month_day_findings(
    text: &str,
    nums: &[Num],
    (m, d): (u32, u32),
    add: &mut impl FnMut(usize, usize),
) {
    for pair in nums.windows(2) {
        let [mo, day] = pair else { continue };
        let end = day_end(text, day);
        let after_year = text[..mo.start].trim_end().ends_with('年');
        if after_year || end == day.end || !marked(text, mo, day, '月') {
            continue;
        }
        if !(mo.is_small(m) && day.is_small(d)) {
            continue;
        }
        if birthday_before(&text[..mo.start]) || birthday_after(&text[end..]) {
            add(mo.start, end);
        }
    }
}

fn birthday_before(before: &str) -> bool {
    let window: String = before
        .chars()
        .rev()
        .take(BEFORE_WINDOW)
        .take_while(|c| !"。；;！!？?\n".contains(*c))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    BEFORE.iter().any(|w| window.contains(w))
}

fn birthday_after(after: &str) -> bool {
    let rest = after.trim_start();
    let skip: usize = rest
        .chars()
        .take(3)
        .take_while(|c| FILLERS.contains(*c))
        .map(char::len_utf8)
        .sum();
    let rest = &rest[skip..];
    let bare_sheng = rest.starts_with('生')
        && !rest['生'.len_utf8()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric());
    bare_sheng || AFTER.iter().any(|w| rest.starts_with(w))
}

#[cfg(test)]
mod tests {
    use crate::text_check::FindingKind::BirthDate;
    use crate::text_check::tests::each_found;
    use crate::text_check::{Sensitive, check};

    fn born() -> Sensitive {
        Sensitive {
            birth_date: chrono::NaiveDate::from_ymd_opt(2015, 3, 7),
            ..Sensitive::default()
        }
    }

    #[test]
    fn full_birth_dates_in_every_written_form() {
        let shapes = "2015-03-07|2015/3/7|2015.03.07|2015.3.7|20150307|2015年3月7日\
                      |2015 年 03 月 07 日|二〇一五年三月七日|二零一五年三月七号|二○一五年三月七日\
                      |两千零一十五年三月七日|一五年三月七日|15年3月7日|２０１５年３月７日\
                      |7/3/2015|03/07/2015|2015－03－07|2015年3月7";
        each_found(shapes, "孩子{}，需要辅导", &born(), BirthDate);
        // Inside a longer run (a mistyped ID number), only the date is marked.
        let text = "编号500235201503071";
        let f = check(text, &born());
        assert_eq!(f.len(), 1);
        assert_eq!(&text[f[0].start..f[0].end], "20150307");
        // After a word that ends in a numeral.
        each_found("二〇一五年三月七日", "统一{}", &born(), BirthDate);
    }

    #[test]
    fn month_and_day_only_as_a_birthday() {
        let s = born();
        each_found(
            "3月7日|三月七日|3月7号",
            "生日是{}，需要辅导",
            &s,
            BirthDate,
        );
        each_found("3月7日|三月七号", "出生于{}", &s, BirthDate);
        each_found("3月7日|三月七日", "孩子{}出生", &s, BirthDate);
        each_found("3月7日", "{}生，性格开朗", &s, BirthDate);
        each_found("3月7日", "{}是她的生日", &s, BirthDate);
        for text in [
            "3月7日开展活动",
            "3月7日组织学生参观",
            "2026年3月7日生日会",
            "生日会定在3月8日",
            "2015年出生",
            "2015年3月出生",
            "2016-03-07",
            "2015-03-08",
            "20150308",
            "生日。3月7日上课",
        ] {
            assert!(
                check(text, &s).is_empty(),
                "{text:?}: {:?}",
                check(text, &s)
            );
        }
    }
}
