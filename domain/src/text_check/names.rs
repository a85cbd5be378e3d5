//! Names and places from the child's file: the full names and place
//! strings, plus the shorter parts that identify on their own (a given
//! name; the parts of places are cut in [`places`]), matched across
//! separators. Names in pinyin are matched in [`pinyin`].

mod pinyin;

pub(super) use self::pinyin::pinyin_findings;
use super::normalize::{fold, is_dot, is_light_sep, is_sep, normalize};
use super::places;
use super::{Finding, FindingKind, Sensitive};

const COMPOUND_SURNAMES: [&str; 26] = [
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文",
    "司徒", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "百里", "呼延", "赫连", "澹台", "万俟",
    "闻人", "第五",
];
/// Most separator characters tolerated between two characters of a name or place.
const MAX_GAP: usize = 3;

struct Pattern {
    chars: Vec<char>,
    kind: FindingKind,
    /// Only light separators may split it (short, more coincidental patterns).
    strict: bool,
}

/// The patterns of one file, without duplicates or one-character ones.
#[derive(Default)]
pub(super) struct Patterns(Vec<Pattern>);

impl Patterns {
    pub(super) fn add(&mut self, chars: Vec<char>, kind: FindingKind, strict: bool) {
        if chars.len() >= 2 && !self.0.iter().any(|p| p.chars == chars) {
            self.0.push(Pattern {
                chars,
                kind,
                strict,
            });
        }
    }
}

/// The surname and the given name of a name written in Han characters
/// (compound surnames such as 欧阳 have two characters).
pub(super) fn split_name(full: &[char]) -> (&[char], &[char]) {
    let head: String = full.iter().take(2).collect();
    let surname = 1 + usize::from(COMPOUND_SURNAMES.contains(&head.as_str()));
    full.split_at(surname.min(full.len()))
}

fn patterns(sensitive: &Sensitive) -> Patterns {
    let mut out = Patterns::default();
    for name in &sensitive.names {
        let full = normalize(name);
        out.add(full.clone(), FindingKind::Name, false);
        if full.len() < 2 || full.iter().any(char::is_ascii_alphanumeric) {
            continue; // Latin names: no surname/given-name split.
        }
        if name.chars().any(is_dot) {
            // Transliterated names (阿依古丽·买买提): each part identifies.
            for part in name.split(is_dot) {
                out.add(normalize(part), FindingKind::Name, true);
            }
        } else {
            out.add(split_name(&full).1.to_vec(), FindingKind::Name, true);
        }
    }
    for place in &sensitive.places {
        places::place_patterns(place, &mut out);
    }
    out
}

pub(super) fn word_findings(text: &str, sensitive: &Sensitive, out: &mut Vec<Finding>) {
    let Patterns(pats) = patterns(sensitive);
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

#[cfg(test)]
mod tests {
    use crate::text_check::FindingKind::Name;
    use crate::text_check::check;
    use crate::text_check::tests::{each_found, file};

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
}
