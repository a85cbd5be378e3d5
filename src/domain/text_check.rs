//! Personal-information check for the public texts (title, description) of a need.
//!
//! Owns the decision whether a text about to be published contains an ID
//! number, a phone number, a name or village from the child's file, or a
//! street-address shape. It only reports findings as byte ranges; the caller
//! refuses the text (422) and shows them. The text is never edited here, so
//! that the officer removes the information knowingly.

use std::cmp::Reverse;
use std::sync::LazyLock;

use regex::Regex;

use crate::domain::id_number::check_digit;

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FindingKind {
    IdNumber,
    Phone,
    Name,
    Village,
    Address,
}

impl FindingKind {
    /// Stable machine-readable code, used in API responses.
    pub fn code(self) -> &'static str {
        match self {
            Self::IdNumber => "id_number",
            Self::Phone => "phone",
            Self::Name => "name",
            Self::Village => "village",
            Self::Address => "address",
        }
    }

    /// Chinese label shown to the officer.
    pub fn label(self) -> &'static str {
        match self {
            Self::IdNumber => "身份证号码",
            Self::Phone => "电话号码",
            Self::Name => "姓名",
            Self::Village => "村（社区）或住址",
            Self::Address => "详细地址",
        }
    }

    /// One Chinese sentence telling the officer how to fix the text.
    pub fn advice(self) -> &'static str {
        match self {
            Self::IdNumber => "请删除身份证号码，公开需求中不能出现。",
            Self::Phone => "请删除电话号码，联系方式只通过平台对接，不能公开。",
            Self::Name => "请删除儿童或监护人的姓名，可改用“该儿童”“其监护人”等称呼。",
            Self::Village => "请删除村（社区）名称或档案中登记的住址，公开需求最多只显示到乡镇。",
            Self::Address => "请删除门牌号、楼栋、组号等详细地址。",
        }
    }

    /// Tie-break when two overlapping findings are equally long: the kind
    /// that is more clearly identifying (earlier in the declaration) wins.
    fn rank(self) -> u8 {
        self as u8
    }
}

/// One piece of personal information found in a text: byte range into the
/// checked text (on char boundaries), covering the whole match including
/// separators inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: FindingKind,
    pub start: usize,
    pub end: usize,
}

impl Finding {
    fn new(kind: FindingKind, start: usize, end: usize) -> Self {
        Self { kind, start, end }
    }
}

/// The identifying words of one child's file that must not appear in its public texts.
#[derive(Debug, Clone, Default)]
pub struct Sensitive {
    /// Child's and guardians' full names.
    pub names: Vec<String>,
    /// Village name(s), and the address text.
    pub places: Vec<String>,
}

/// Checks one text; findings are sorted by start and non-overlapping
/// (overlapping matches are merged into their union, labelled with the kind
/// of the longer one).
pub fn check(text: &str, sensitive: &Sensitive) -> Vec<Finding> {
    let mut found = Vec::new();
    number_findings(text, &mut found);
    word_findings(text, sensitive, &mut found);
    for re in ADDRESS.iter() {
        found.extend(
            re.find_iter(text)
                .map(|m| Finding::new(FindingKind::Address, m.start(), m.end())),
        );
    }
    merge(found)
}

/// Splits text into segments for highlighting; their concatenation equals
/// `text`. Findings that are out of range, off char boundaries or overlap an
/// earlier one are ignored rather than trusted.
pub fn segments<'a>(text: &'a str, findings: &[Finding]) -> Vec<(&'a str, Option<FindingKind>)> {
    let mut sorted: Vec<&Finding> = findings.iter().collect();
    sorted.sort_by_key(|f| (f.start, Reverse(f.end)));
    let mut out = Vec::new();
    let mut pos = 0;
    for f in sorted {
        let usable = f.start >= pos
            && f.start < f.end
            && f.end <= text.len()
            && text.is_char_boundary(f.start)
            && text.is_char_boundary(f.end);
        if !usable {
            continue;
        }
        if f.start > pos {
            out.push((&text[pos..f.start], None));
        }
        out.push((&text[f.start..f.end], Some(f.kind)));
        pos = f.end;
    }
    if pos < text.len() {
        out.push((&text[pos..], None));
    }
    out
}

fn merge(mut found: Vec<Finding>) -> Vec<Finding> {
    found.sort_by_key(|f| (f.start, Reverse(f.end)));
    // Each kept finding with the length of the match that gave it its kind.
    let mut out: Vec<(Finding, usize)> = Vec::new();
    for f in found {
        let len = f.end - f.start;
        match out.last_mut() {
            Some((last, best)) if f.start < last.end => {
                if len > *best || (len == *best && f.kind.rank() < last.kind.rank()) {
                    (last.kind, *best) = (f.kind, len);
                }
                last.end = last.end.max(f.end);
            }
            _ => out.push((f, len)),
        }
    }
    out.into_iter().map(|(f, _)| f).collect()
}

// ---------------------------------------------------------------------------
// Characters

/// Zero-width and soft characters, pasted by accident or inserted to dodge checks.
const INVISIBLE: &str = "\u{AD}\u{180E}\u{200B}\u{200C}\u{200D}\u{200E}\u{200F}\
                          \u{2060}\u{2061}\u{2062}\u{2063}\u{FEFF}";
const DASHES: &str =
    "-_\u{2010}\u{2011}\u{2012}\u{2013}\u{2014}\u{2015}\u{2212}\u{FE58}\u{FE63}\u{FF0D}";
const DOTS: &str = ".·•・‧∙･．\u{318D}";

fn is_invisible(c: char) -> bool {
    INVISIBLE.contains(c)
}

fn is_dash(c: char) -> bool {
    DASHES.contains(c)
}

fn is_dot(c: char) -> bool {
    DOTS.contains(c)
}

/// Separators that plausibly sit inside one word; sentence punctuation is
/// excluded so that short patterns (given names, village stems) do not match
/// across a clause boundary by coincidence.
fn is_light_sep(c: char) -> bool {
    c.is_whitespace() || is_invisible(c) || is_dash(c) || is_dot(c)
}

/// Any separator, including sentence punctuation (full names and whole place
/// strings are long enough to be matched across "张，小明").
fn is_sep(c: char) -> bool {
    is_light_sep(c)
        || c.is_ascii_punctuation()
        || matches!(c as u32, 0x2016..=0x205E | 0x3000..=0x3004 | 0x3008..=0x3020 | 0x3030 | 0x303D
            | 0xFE10..=0xFE1F | 0xFE30..=0xFE6F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20
            | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65)
}

/// Characters allowed between the digit groups of one ID or phone number.
/// Line breaks, commas and Chinese text end a number, so separate numbers are not glued.
fn is_joiner(c: char) -> bool {
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
fn fold(c: char) -> char {
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

fn digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(c as u32 - 0xFEE0),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// ID and phone numbers

/// A number directly followed by one of these is a quantity, date or time,
/// never the end of a phone number split into groups.
const UNITS: &str = "年月日号时点分秒岁周名个人次户本件台套份张元角块万千百米斤克%％";
const PHONE_KEYWORDS: [&str; 7] = ["电话", "联系", "手机", "座机", "致电", "拨打", "tel"];

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

fn valid_date(y: &str, m: &str, d: &str) -> bool {
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

fn number_findings(text: &str, out: &mut Vec<Finding>) {
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

fn is_mobile(d: &str) -> bool {
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
fn is_landline(d: &str, first_len: usize, grouped: bool) -> bool {
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
fn keyword_before(text: &str, start: usize) -> bool {
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

fn extend_back(text: &str, start: usize, marks: &[char]) -> usize {
    match text[..start].chars().next_back() {
        Some(c) if marks.contains(&c) => start - c.len_utf8(),
        _ => start,
    }
}

// ---------------------------------------------------------------------------
// Names and places from the child's file

const COMPOUND_SURNAMES: [&str; 26] = [
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文",
    "司徒", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "百里", "呼延", "赫连", "澹台", "万俟",
    "闻人", "第五",
];
const VILLAGE_SUFFIXES: [&str; 4] = ["村委会", "居委会", "社区", "村"];
/// Township and higher levels are public (the projection shows the
/// township), so they only delimit the village part of a place string.
const ADMIN_SUFFIXES: [&str; 7] = ["街道", "省", "市", "县", "区", "镇", "乡"];
/// Most separator characters tolerated between two characters of a name or place.
const MAX_GAP: usize = 3;

struct Pattern {
    chars: Vec<char>,
    kind: FindingKind,
    /// Only light separators may split it (short, more coincidental patterns).
    strict: bool,
}

fn normalize(s: &str) -> Vec<char> {
    s.chars().map(fold).filter(|c| !is_sep(*c)).collect()
}

fn patterns(sensitive: &Sensitive) -> Vec<Pattern> {
    let mut out: Vec<Pattern> = Vec::new();
    let mut add = |chars: Vec<char>, kind, strict| {
        if chars.len() >= 2 && !out.iter().any(|p| p.chars == chars) {
            out.push(Pattern {
                chars,
                kind,
                strict,
            });
        }
    };
    for name in &sensitive.names {
        let full = normalize(name);
        add(full.clone(), FindingKind::Name, false);
        if full.len() < 2 || full.iter().any(char::is_ascii_alphanumeric) {
            continue; // Latin names: no surname/given-name split.
        }
        if name.chars().any(is_dot) {
            // Transliterated names (阿依古丽·买买提): each part identifies.
            for part in name.split(is_dot) {
                add(normalize(part), FindingKind::Name, true);
            }
        } else {
            let head: String = full.iter().take(2).collect();
            let surname = 1 + usize::from(COMPOUND_SURNAMES.contains(&head.as_str()));
            add(
                full[surname.min(full.len())..].to_vec(),
                FindingKind::Name,
                true,
            );
        }
    }
    for place in &sensitive.places {
        let full = normalize(place);
        add(full.clone(), FindingKind::Village, false);
        // Cut the place after each administrative or village suffix and keep
        // the village parts ("龙角镇红旗村3组" → 红旗村, stem 红旗).
        let mut begin = 0;
        for end in 1..=full.len() {
            let part: String = full[begin..end].iter().collect();
            if end - begin < 2 {
                continue;
            }
            if let Some(suffix) = VILLAGE_SUFFIXES.iter().find(|s| part.ends_with(*s)) {
                add(full[begin..end].to_vec(), FindingKind::Village, false);
                add(
                    full[begin..end - suffix.chars().count()].to_vec(),
                    FindingKind::Village,
                    true,
                );
                begin = end;
            } else if ADMIN_SUFFIXES.iter().any(|s| part.ends_with(s)) {
                begin = end;
            }
        }
    }
    out
}

fn word_findings(text: &str, sensitive: &Sensitive, out: &mut Vec<Finding>) {
    let pats = patterns(sensitive);
    if pats.is_empty() {
        return;
    }
    let chars: Vec<(usize, char, usize)> = text
        .char_indices()
        .map(|(i, c)| (i, fold(c), c.len_utf8()))
        .collect();
    for p in &pats {
        let at = |k: usize| Some(Finding::new(p.kind, chars[k].0, match_at(&chars, k, p)?));
        out.extend((0..chars.len()).filter_map(at));
    }
}

fn match_at(chars: &[(usize, char, usize)], k: usize, p: &Pattern) -> Option<usize> {
    // Latin names must match whole words ("Ann" is not in "Annual").
    let word = |c: char| c.is_ascii_alphanumeric();
    let (first, last) = (*p.chars.first()?, *p.chars.last()?);
    if chars[k].1 != first || (word(first) && k > 0 && word(chars[k - 1].1)) {
        return None;
    }
    let mut pos = k;
    for &want in &p.chars[1..] {
        pos += 1;
        let mut gap = 0;
        let skippable = |c: &(usize, char, usize)| {
            if p.strict {
                is_light_sep(c.1)
            } else {
                is_sep(c.1)
            }
        };
        while gap < MAX_GAP && chars.get(pos).is_some_and(skippable) {
            pos += 1;
            gap += 1;
        }
        if chars.get(pos)?.1 != want {
            return None;
        }
    }
    if word(last) && chars.get(pos + 1).is_some_and(|c| word(c.1)) {
        return None;
    }
    Some(chars[pos].0 + chars[pos].2)
}

// ---------------------------------------------------------------------------
// Address shapes

/// Up to four characters of a road name; function words that usually
/// precede an address ("住在…") are not taken as part of it.
const ROAD: &str = r"[\p{Han}&&[^在住于家的是和与及到从往向近靠位]]{1,4}(?:路|街|大道|巷|胡同|弄)";

/// Separate expressions (not one alternation) so that overlapping shapes such
/// as "人民路5号楼1单元302" are all found and then merged.
static ADDRESS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    let n = "[0-9０-９一二三四五六七八九十百千零〇两]+";
    [
        format!(r"{ROAD}\s*{n}(?:\s*[-－]\s*{n})?\s*号"),
        format!(r"{n}\s*(?:栋|幢|号楼)\s*{n}\s*单元(?:\s*{n}\s*(?:室|号)?)?"),
        format!(r"{n}\s*(?:栋|幢|号楼)\s*{n}\s*(?:室|号)"),
        format!(r"{n}\s*单元\s*{n}\s*室"),
        format!(r"{n}\s*组\s*{n}\s*号"),
        format!(r"{n}\s*社\s*{n}\s*组"),
    ]
    .iter()
    .map(|p| Regex::new(p).expect("address pattern is a valid regex"))
    .collect()
});

#[cfg(test)]
mod tests {
    use super::*;
    use FindingKind::*;
    use proptest::prelude::*;

    fn with_check(first17: &str) -> String {
        format!("{first17}{}", check_digit(first17).expect("17 digits"))
    }

    fn found(text: &str, s: &Sensitive) -> Vec<(FindingKind, String)> {
        let f = check(text, s);
        f.iter()
            .map(|f| (f.kind, text[f.start..f.end].to_string()))
            .collect()
    }

    /// Embeds each `|`-separated shape in `around` (at `{}`) and expects exactly it as one finding.
    fn each_found(shapes: &str, around: &str, s: &Sensitive, kind: FindingKind) {
        for shape in shapes.split('|') {
            let text = around.replace("{}", shape);
            assert_eq!(found(&text, s), [(kind, shape.to_string())], "in {text:?}");
        }
    }

    fn file() -> Sensitive {
        let names = ["张小明", "欧阳娜娜", "Li Ming", "阿依古丽·买买提"];
        let places = ["龙角镇红旗村3组", "幸福社区"];
        Sensitive {
            names: names.map(String::from).to_vec(),
            places: places.map(String::from).to_vec(),
        }
    }

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

    #[test]
    fn names_whole_split_and_given() {
        let s = file();
        each_found(
            "张小明|张 小 明|张·小明|张，小明|张\u{200B}小明|张-小-明",
            "为{}提供辅导",
            &s,
            Name,
        );
        each_found(
            "小明|娜娜|买买提|阿依古丽|LI  MING|liming",
            "{}需要陪伴",
            &s,
            Name,
        );
        for text in ["小，明天上课", "Limingx", "欧阳老师和张老师", "阿依"] {
            assert!(check(text, &s).is_empty(), "{text:?}");
        }
    }

    #[test]
    fn villages_whole_split_and_stem() {
        let s = file();
        each_found(
            "红旗村|红 旗 村|红旗|幸福|幸福社区|龙角镇红旗村3组|龙角镇 红旗村 3 组",
            "家住{}附近",
            &s,
            Village,
        );
        assert!(
            check("龙角镇中心小学", &s).is_empty(),
            "the township is public"
        );
    }

    #[test]
    fn address_shapes() {
        let shapes = "滨江路123号|人民街 12 号|解放大道8-2号|3栋2单元501室|5号楼1单元302\
                      |三组12号|5组8号|2社3组|十二幢3号|２单元５０１室|人民路5号楼1单元302";
        each_found(shapes, "住在{}附近", &Sensitive::default(), Address);
    }

    #[test]
    fn ordinary_text_has_no_findings() {
        let s = Sensitive {
            names: vec!["王芳".into()],
            places: vec!["柳树村".into()],
        };
        let texts = "2026-11-28|2026年11月28日|2026/11/28|11月28日|2026-11-28 50名|15:30\
            |下午4点半|3000元|50名儿童|每周2次|4点半课堂|10 个|200本图书|¥1,200.50|1200.00元|85%\
            |一年级|三级残疾|肢体二级|6-12岁|2025年|12355|12338|110|120|热线12355|课业辅导\
            |康复训练|四点半课堂|孤独症|张老师王老师李阿姨|分成3组，每组10人|复习第三单元\
            |2025-2026学年|2026-11-28 2026-12-05|2026.11.28—2026.12.28|联系时间2026-11-28|11月28号";
        for text in texts.split('|') {
            assert!(
                check(text, &s).is_empty(),
                "{text:?}: {:?}",
                found(text, &s)
            );
        }
    }

    #[test]
    fn overlaps_merge_and_segments_round_trip() {
        let s = Sensitive {
            names: vec![],
            places: vec!["龙角镇红旗村3组12号".into()],
        };
        let text = "住龙角镇红旗村3组12号，电话13812345678。";
        let f = check(text, &s);
        assert_eq!(
            f.iter().map(|f| f.kind).collect::<Vec<_>>(),
            [Village, Phone]
        );
        let segs = segments(text, &f);
        assert_eq!(segs.iter().map(|(t, _)| *t).collect::<String>(), text);
        assert_eq!(segs[1], ("龙角镇红旗村3组12号", Some(Village)));
        let junk = [
            Finding::new(Name, 4, 2),
            Finding::new(Name, 1, 3),
            Finding::new(Name, 0, 99),
        ];
        assert_eq!(segments(text, &junk), [(text, None)]);
        assert!(segments("", &[]).is_empty());
        assert_eq!(
            (Village.code(), IdNumber.label()),
            ("village", "身份证号码")
        );
    }

    const WORDS: &str = "孩子|需要|课业辅导|康复训练|每周|陪伴|学习用品|心理疏导|家庭|困难\
                         |留守|儿童|希望|志愿者|提供|帮助|冬季衣物|，|。|、";
    const HARMLESS: &str = "3名|12岁|2026-11-28|2026年11月28日|11月28日|2026/11/28|15:30|3000元\
                            |每周2次|4点半课堂|10 个|200本图书|¥1,200.50|1200.00元|85%|6-12岁\
                            |2025年|12355|12338|110|一年级|三级残疾";

    fn pick(pool: &'static str) -> impl Strategy<Value = &'static str> {
        prop::sample::select(pool.split('|').collect::<Vec<_>>())
    }

    fn words() -> impl Strategy<Value = String> {
        prop::collection::vec(pick(WORDS), 0..6).prop_map(|v| v.concat())
    }

    /// Inserts `sep` before the characters chosen by `cuts` (never before the first).
    fn split(s: &str, cuts: &[bool], sep: &str) -> String {
        let cut = |i: usize| i > 0 && cuts.get(i).copied().unwrap_or(false);
        s.chars()
            .enumerate()
            .map(|(i, c)| format!("{}{c}", if cut(i) { sep } else { "" }))
            .collect()
    }

    fn id_number() -> impl Strategy<Value = String> {
        let parts = (
            11u32..=65,
            0u32..10_000,
            1990u32..=2025,
            1u32..=12,
            1u32..=31,
            0u32..1000,
        );
        parts.prop_filter_map("valid date", |(r, c, y, m, d, q)| {
            let date_ok = valid_date(&y.to_string(), &m.to_string(), &d.to_string());
            date_ok.then(|| with_check(&format!("{r:02}{c:04}{y}{m:02}{d:02}{q:03}")))
        })
    }

    fn wide(s: &str) -> String {
        let w = |c: char| char::from_u32(c as u32 + 0xFEE0).filter(|_| c.is_ascii_alphanumeric());
        s.chars().map(|c| w(c).unwrap_or(c)).collect()
    }

    proptest! {
        #[test]
        fn generated_ids_are_found(
            pre in words(),
            post in words(),
            id in id_number(),
            cuts in prop::collection::vec(any::<bool>(), 18),
            sep in pick(" |-|—|  | - |\u{3000}"),
            full_width in any::<bool>(),
        ) {
            let id = split(&id, &cuts, sep);
            let id = if full_width { wide(&id) } else { id };
            let f = check(&format!("{pre}{id}{post}"), &Sensitive::default());
            prop_assert_eq!(f, [Finding::new(IdNumber, pre.len(), pre.len() + id.len())]);
        }

        #[test]
        fn generated_mobiles_are_found(
            pre in words(),
            post in words(),
            head in pick("13|14|15|16|17|18|19"),
            rest in 0u64..1_000_000_000,
            cuts in prop::collection::vec(any::<bool>(), 11),
            sep in pick(" |-|—|  | - "),
            grouped in any::<bool>(),
            prefix in pick("|+86 |0086-|86"),
        ) {
            let cuts = if grouped { (0..11).map(|i| i == 3 || i == 7).collect() } else { cuts };
            let phone = format!("{prefix}{}", split(&format!("{head}{rest:09}"), &cuts, sep));
            let f = check(&format!("{pre}{phone}{post}"), &Sensitive::default());
            prop_assert_eq!(f, [Finding::new(Phone, pre.len(), pre.len() + phone.len())]);
        }

        #[test]
        fn ordinary_generated_text_is_clean(
            parts in prop::collection::vec((pick(WORDS), pick(HARMLESS), pick("| |，")), 0..10),
        ) {
            let text: String = parts.iter().map(|(w, h, s)| format!("{w}{s}{h}{s}")).collect();
            let none = Sensitive::default();
            prop_assert!(check(&text, &none).is_empty(), "{:?}", found(&text, &none));
        }

        #[test]
        fn check_never_panics_and_findings_are_well_formed(
            text in any::<String>(),
            names in prop::collection::vec(any::<String>(), 0..3),
            places in prop::collection::vec(any::<String>(), 0..3),
        ) {
            let f = check(&text, &Sensitive { names, places });
            let on_chars = |x: &Finding| [x.start, x.end].iter().all(|&i| text.is_char_boundary(i));
            prop_assert!(f.windows(2).all(|w| w[0].end <= w[1].start));
            prop_assert!(f.iter().all(|x| x.start < x.end && on_chars(x)));
            let joined: String = segments(&text, &f).iter().map(|(t, _)| *t).collect();
            prop_assert_eq!(joined, text);
        }

        #[test]
        fn split_names_are_found(
            pre in words(),
            post in words(),
            surname in pick("王|李|赵|欧阳|诸葛"),
            given in prop::collection::vec(pick("梓|涵|浩|宇|萱|睿"), 1..3),
            gaps in prop::collection::vec(pick("| |·|，|\u{200B}|-|、| · "), 3),
        ) {
            let name = format!("{surname}{}", given.concat());
            let gap = |i: usize| if i == 0 { "" } else { gaps[i - 1] };
            let shown: String =
                name.chars().enumerate().map(|(i, c)| format!("{}{c}", gap(i))).collect();
            let file = Sensitive { names: vec![name], places: vec![] };
            let f = check(&format!("{pre}{shown}{post}"), &file);
            prop_assert_eq!(f, [Finding::new(Name, pre.len(), pre.len() + shown.len())]);
        }
    }
}
