//! Personal-information check for the public texts (title, description) of a need.
//!
//! Owns the decision whether a text about to be published contains an ID
//! number, a phone number (also split, or the one on file in pieces), the
//! child's birth date, a name (also in pinyin), the village or a part of the
//! address on file, or a street-address or housing-compound shape. Numerals
//! of every script (Chinese, circled, full-width, mathematical, …) are read
//! as digits first. It only reports findings as byte ranges; the caller
//! refuses the text (422) and shows them. The text is never edited here, so
//! that the officer removes the information knowingly.

mod address;
mod birth;
mod names;
mod normalize;
mod numbers;
mod places;
#[cfg(test)]
mod tests;

use std::cmp::Reverse;

use chrono::NaiveDate;

use self::normalize::Folded;

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FindingKind {
    IdNumber,
    Phone,
    Name,
    Village,
    Address,
    BirthDate,
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
            Self::BirthDate => "birth_date",
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
            Self::BirthDate => "出生日期",
        }
    }

    /// One Chinese sentence telling the officer how to fix the text.
    pub fn advice(self) -> &'static str {
        match self {
            Self::IdNumber => "请删除身份证号码，公开需求中不能出现。",
            Self::Phone => "请删除电话号码，联系方式只通过平台对接，不能公开。",
            Self::Name => "请删除儿童或监护人的姓名，可改用“该儿童”“其监护人”等称呼。",
            Self::Village => "请删除村（社区）名称或档案中登记的住址，公开需求最多只显示到乡镇。",
            Self::Address => "请删除门牌号、小区、楼栋、组号等详细地址。",
            Self::BirthDate => "请删除出生日期，公开需求只显示年龄段。",
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
    /// The child's birth date (the guardians' are not on file).
    pub birth_date: Option<NaiveDate>,
    /// Phone numbers on file (the guardian's), as typed there.
    pub phones: Vec<String>,
}

/// Checks one text; findings are sorted by start and non-overlapping
/// (overlapping matches are merged into their union, labelled with the kind
/// of the longer one).
pub fn check(text: &str, sensitive: &Sensitive) -> Vec<Finding> {
    let mut found = Vec::new();
    // Numbers are looked for twice: with every numeral read as a digit, and
    // with Chinese numerals left as words, so that a word ending in 一 or 三
    // does not glue onto a number written in digits right after it.
    let all = Folded::new(text, true);
    let scripts = Folded::new(text, false);
    let mut folded = Vec::new();
    numbers::number_findings(&all.text, &mut folded);
    numbers::known_phone_findings(&all.text, &sensitive.phones, &mut folded);
    found.extend(folded.drain(..).map(|f| all.back(f)));
    numbers::number_findings(&scripts.text, &mut folded);
    // The address shapes know Chinese numerals themselves (八一路5号).
    address::address_findings(&scripts.text, &mut folded);
    found.extend(folded.drain(..).map(|f| scripts.back(f)));
    birth::birth_findings(text, sensitive.birth_date, &mut found);
    names::word_findings(text, sensitive, &mut found);
    names::pinyin_findings(text, &sensitive.names, &mut found);
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
