//! Names and places from the child's file: the full names and place
//! strings, plus the shorter parts that identify on their own (a given
//! name, a village name and its stem), matched across separators.

use super::normalize::{fold, is_dot, is_light_sep, is_sep, normalize};
use super::{Finding, FindingKind, Sensitive};

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

pub(super) fn word_findings(text: &str, sensitive: &Sensitive, out: &mut Vec<Finding>) {
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

#[cfg(test)]
mod tests {
    use crate::domain::text_check::FindingKind::{Name, Village};
    use crate::domain::text_check::check;
    use crate::domain::text_check::tests::{each_found, file};

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
}
