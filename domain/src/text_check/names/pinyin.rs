//! Names on file written in pinyin: "Zhang Xiaoming", "zhangxiaoming",
//! "ZHANG Xiao-ming", "Xiaoming Zhang", and the given name alone when it has
//! two syllables or more ("Xiaoming"; one syllable alone, "Ming", is too
//! common a word). Compared without case, tones (zhāng, zhang1) or
//! separators (spaces, hyphens, apostrophes, dots), on whole words. Initials
//! ("X. M. Zhang") are not looked for.
//!
//! A character with several readings (曾 céng/zēng, 单 dān/shàn) is looked
//! for in each of them; the spellings of one form of a name are capped at
//! [`MAX_SPELLINGS`] (common readings first), which a name of four
//! characters with three readings each would exceed.

use pinyin::ToPinyinMulti;

use super::split_name;
use crate::text_check::normalize::{fold, is_dot, is_han, is_light_sep, normalize};
use crate::text_check::{Finding, FindingKind};

const MAX_SPELLINGS: usize = 64;
const APOSTROPHES: &str = "'’‘`´ʼ";

/// The toneless readings of a Han character, with ü as a text may write it:
/// ü (folded to v), v, u or yu (lü, lv, lu, lyu).
fn readings(c: char) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for p in c.to_pinyin_multi()? {
        let plain = p.plain();
        let forms = if plain.contains('ü') {
            ["v", "u", "yu"].map(|u| plain.replace('ü', u)).to_vec()
        } else {
            vec![plain.to_owned()]
        };
        for f in forms {
            if f.bytes().all(|b| b.is_ascii_lowercase()) && !out.contains(&f) {
                out.push(f);
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The spellings of some characters read one after the other: the most
/// common reading of every character first, then those that use one less
/// common reading, and so on, up to [`MAX_SPELLINGS`]; so that the cap never
/// drops the surname reading of 曾 (zēng, its second) for the many
/// combinations of the given name's readings.
fn spellings(chars: &[char]) -> Vec<String> {
    let Some(options) = chars
        .iter()
        .map(|c| readings(*c))
        .collect::<Option<Vec<_>>>()
    else {
        return Vec::new();
    };
    let max_rank: usize = options.iter().map(|o| o.len() - 1).sum();
    let mut out = Vec::new();
    for rank in 0..=max_rank {
        spell_with_rank(&options, rank, String::new(), &mut out);
    }
    out
}

/// Appends the spellings whose reading indices add up to `rank`.
fn spell_with_rank(options: &[Vec<String>], rank: usize, prefix: String, out: &mut Vec<String>) {
    if out.len() >= MAX_SPELLINGS {
        return;
    }
    let Some((first, rest)) = options.split_first() else {
        if rank == 0 {
            out.push(prefix);
        }
        return;
    };
    let rest_max: usize = rest.iter().map(|o| o.len() - 1).sum();
    for (i, reading) in first.iter().enumerate().take(rank + 1) {
        if rank - i <= rest_max {
            spell_with_rank(rest, rank - i, format!("{prefix}{reading}"), out);
        }
    }
}

/// Every spelling to look for, for one name written in Han characters.
fn name_spellings(name: &str) -> Vec<String> {
    let full = normalize(name);
    if full.len() < 2 || !full.iter().all(|c| is_han(*c)) {
        return Vec::new();
    }
    let mut out = Vec::new();
    if name.chars().any(is_dot) {
        // 阿依古丽·买买提: each part of two syllables or more, and the whole.
        let parts: Vec<Vec<char>> = name.split(is_dot).map(normalize).collect();
        out.extend(spellings(&full));
        for part in parts.iter().filter(|p| p.len() >= 2) {
            out.extend(spellings(part));
        }
    } else {
        let (surname, given) = split_name(&full);
        out.extend(spellings(&full));
        out.extend(spellings(&[given, surname].concat())); // Western order
        if given.len() >= 2 {
            out.extend(spellings(given));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The Latin letter a (folded) character is in pinyin, tone marks removed.
fn letter(c: char) -> Option<char> {
    const TONED: [(&str, char); 6] = [
        ("āáǎà", 'a'),
        ("ēéěèê", 'e'),
        ("īíǐì", 'i'),
        ("ōóǒò", 'o'),
        ("ūúǔù", 'u'),
        ("üǖǘǚǜ", 'v'),
    ];
    if c.is_ascii_lowercase() {
        return Some(c);
    }
    TONED
        .iter()
        .find(|(set, _)| set.contains(c))
        .map(|(_, l)| *l)
}

/// The letters of a text with separators dropped and anything else as a
/// `|` barrier, and the byte range of each in the text.
fn letters(text: &str) -> (String, Vec<(usize, usize)>) {
    let (mut s, mut at) = (String::new(), Vec::new());
    for (i, c) in text.char_indices() {
        let f = fold(c);
        let tone_digit = ('1'..='5').contains(&f) && s.ends_with(|l: char| l != '|');
        if let Some(l) = letter(f) {
            s.push(l);
        } else if is_light_sep(f) || APOSTROPHES.contains(f) || tone_digit {
            continue;
        } else {
            s.push('|');
        }
        at.push((i, i + c.len_utf8()));
    }
    (s, at)
}

fn is_letter(c: Option<char>) -> bool {
    c.is_some_and(|c| letter(fold(c)).is_some())
}

/// Every place where a Han name of the file is written in pinyin.
pub(in crate::text_check) fn pinyin_findings(text: &str, names: &[String], out: &mut Vec<Finding>) {
    if !text.chars().any(|c| letter(fold(c)).is_some()) {
        return;
    }
    let (stream, at) = letters(text);
    for spelling in names.iter().flat_map(|n| name_spellings(n)) {
        // Every spelling is ASCII and so is the stream: byte = letter index.
        let mut from = 0;
        while let Some(k) = stream[from..].find(&spelling) {
            let k = from + k;
            from = k + 1;
            let (start, mut end) = (at[k].0, at[k + spelling.len() - 1].1);
            // A tone number after the last syllable belongs to the name.
            if let Some(t) = text[end..].chars().next()
                && ('1'..='5').contains(&fold(t))
            {
                end += t.len_utf8();
            }
            let whole_word = !is_letter(text[..start].chars().next_back())
                && !is_letter(text[end..].chars().next());
            if whole_word {
                out.push(Finding::new(FindingKind::Name, start, end));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::name_spellings;
    use crate::text_check::FindingKind::Name;
    use crate::text_check::tests::each_found;
    use crate::text_check::{Sensitive, check};

    fn named(names: &[&str]) -> Sensitive {
        Sensitive {
            names: names.iter().map(|n| n.to_string()).collect(),
            ..Sensitive::default()
        }
    }

    #[test]
    fn names_in_pinyin_with_any_case_tone_and_separator() {
        let s = named(&["张小明", "欧阳娜娜"]);
        each_found(
            "Zhang Xiaoming|zhangxiaoming|ZHANG Xiao-ming|Xiaoming|xiao ming|XiaoMing Zhang\
             |Zhāng Xiǎomíng|zhang1 xiao3 ming2|Zhang_Xiaoming|Ｘｉａｏｍｉｎｇ|Ouyang Nana|NANA\
             |Zhang Xiao'ming",
            "资助{}同学",
            &s,
            Name,
        );
        for text in [
            "Ming",
            "Zhang",
            "xiaomingyue",
            "axiaoming",
            "Xiao",
            "Mr Zhang",
        ] {
            assert!(
                check(text, &s).is_empty(),
                "{text:?}: {:?}",
                check(text, &s)
            );
        }
    }

    #[test]
    fn every_reading_of_a_character_is_tried() {
        let s = named(&["曾乐乐", "单玉兰", "吕欣怡", "阿依古丽·买买提"]);
        each_found(
            "Zeng Lele|Ceng Yueyue|Shan Yulan|Dan Yulan|Lyu Xinyi|Lv Xinyi|Lü Xinyi|Lu Xinyi\
             |Ayiguli|Maimaiti|Ayiguli Maimaiti",
            "为{}提供帮助",
            &s,
            Name,
        );
        let long = name_spellings("曾乐乐乐乐");
        assert!(long.len() <= 3 * super::MAX_SPELLINGS, "{}", long.len());
        assert!(long.contains(&"zenglelelele".to_owned()));
        assert!(
            name_spellings("Li Ming").is_empty(),
            "Latin names are matched as typed"
        );
    }
}
