//! The parts of the places on file that identify the child's home on their
//! own: the village and its stem ("龙角镇红旗村3组" → 红旗村, 红旗), and from
//! the street address the road (滨江路) and the housing compound
//! ("阳光花园小区" → 阳光花园小区, 阳光花园). Township and higher levels are
//! public (the projection shows the township), so they only delimit parts;
//! house, building and room numbers alone are common to many addresses and
//! are caught as shapes in `address` instead.

use super::FindingKind::{Address, Village};
use super::names::Patterns;
use super::normalize::{is_han, normalize, script_digit};

const VILLAGE_SUFFIXES: [&str; 4] = ["村委会", "居委会", "社区", "村"];
const ADMIN_SUFFIXES: [&str; 7] = ["街道", "省", "市", "县", "区", "镇", "乡"];
const ROAD_SUFFIXES: [&str; 6] = ["大道", "胡同", "路", "街", "巷", "弄"];
/// Words ending the name of a housing compound or building. None ends
/// another, so the first that fits is the only one.
pub(super) const COMPOUND_SUFFIXES: [&str; 12] = [
    "小区", "花园", "家园", "苑", "公寓", "大厦", "新村", "山庄", "公馆", "广场", "华庭", "城",
];
/// Words after which a new part of an address begins.
const CUTS: [&[&str]; 3] = [&ADMIN_SUFFIXES, &VILLAGE_SUFFIXES, &ROAD_SUFFIXES];
/// Words after a number in an address (号楼 before 号).
const NUMBER_UNITS: [&str; 12] = [
    "号楼", "单元", "号", "栋", "幢", "室", "组", "社", "楼", "层", "座", "户",
];
/// A part must have at least this many Han characters besides its suffix
/// to identify anything ("阳光小区" does, "小区" does not).
const MIN_STEM: usize = 2;

pub(super) fn place_patterns(place: &str, out: &mut Patterns) {
    let full = normalize(place);
    out.add(full.clone(), Village, false);
    village_parts(&full, out);
    for segment in segments(&full) {
        address_part(segment, out);
    }
}

fn ends_with(chars: &[char], suffix: &str) -> bool {
    let n = suffix.chars().count();
    chars.len() >= n && chars[chars.len() - n..].iter().copied().eq(suffix.chars())
}

fn suffix_of<'a>(chars: &[char], suffixes: &[&'a str]) -> Option<&'a str> {
    suffixes.iter().copied().find(|s| ends_with(chars, s))
}

/// Cuts the place after each administrative or village suffix and keeps
/// the village parts with their stems.
fn village_parts(full: &[char], out: &mut Patterns) {
    let mut begin = 0;
    for end in 1..=full.len() {
        let part = &full[begin..end];
        if part.len() < 2 {
            continue;
        }
        if let Some(suffix) = suffix_of(part, &VILLAGE_SUFFIXES) {
            out.add(part.to_vec(), Village, false);
            let stem = part.len() - suffix.chars().count();
            out.add(part[..stem].to_vec(), Village, true);
            begin = end;
        } else if suffix_of(part, &ADMIN_SUFFIXES).is_some() {
            begin = end;
        }
    }
}

/// The runs of words between numbers and after administrative, village
/// and road suffixes: "双江街道滨江路88号阳光花园小区3栋" → 双江街道, 滨江路,
/// 阳光花园小区.
fn segments(full: &[char]) -> Vec<&[char]> {
    let is_number = |c: char| c.is_ascii_alphanumeric() || script_digit(c).is_some();
    let mut out = Vec::new();
    let (mut begin, mut i) = (0, 0);
    while i < full.len() {
        if is_number(full[i]) {
            out.push(&full[begin..i]);
            while i < full.len() && is_number(full[i]) {
                i += 1;
            }
            if let Some(unit) = NUMBER_UNITS.iter().find(|u| ends_at(full, i, u)) {
                i += unit.chars().count();
            }
            begin = i;
            continue;
        }
        i += 1;
        let part = &full[begin..i];
        let cut = CUTS
            .iter()
            .any(|list| suffix_of(part, list).is_some_and(|s| part.len() > s.chars().count()));
        // "小区" ends in the administrative 区 but goes on to its building
        // numbers; 街 of 街道 and 村 of 村委会 wait for the longer word.
        if cut && suffix_of(part, &COMPOUND_SUFFIXES).is_none() && !longer_ahead(full, begin, i) {
            out.push(part);
            begin = i;
        }
    }
    out.push(&full[begin..]);
    out.retain(|s| !s.is_empty());
    out
}

/// Whether a longer cutting word ends a few characters after `i` and
/// contains what ends at `i` ("双江街" + 道).
fn longer_ahead(full: &[char], begin: usize, i: usize) -> bool {
    CUTS.iter().flat_map(|list| list.iter()).any(|w| {
        let n = w.chars().count();
        (1..n).any(|extra| i + extra <= full.len() && ends_with(&full[begin..i + extra], w))
    })
}

fn ends_at(full: &[char], i: usize, word: &str) -> bool {
    full[i..]
        .iter()
        .copied()
        .take(word.chars().count())
        .eq(word.chars())
}

/// A road or a compound with at least [`MIN_STEM`] Han characters besides its
/// suffix; a compound also without its outer suffix while what is left is
/// itself a compound ("阳光花园小区" → 阳光花园, but not 阳光).
fn address_part(segment: &[char], out: &mut Patterns) {
    let stem_ok = |chars: &[char], suffix: &str| {
        let stem = &chars[..chars.len() - suffix.chars().count()];
        stem.iter().filter(|c| is_han(**c)).count() >= MIN_STEM
    };
    if let Some(road) = suffix_of(segment, &ROAD_SUFFIXES)
        && stem_ok(segment, road)
    {
        out.add(segment.to_vec(), Address, true);
    }
    let mut part = segment;
    while let Some(suffix) = suffix_of(part, &COMPOUND_SUFFIXES)
        && stem_ok(part, suffix)
    {
        out.add(part.to_vec(), Address, false);
        part = &part[..part.len() - suffix.chars().count()];
    }
}

#[cfg(test)]
mod tests {
    use crate::text_check::FindingKind::{Address, Village};
    use crate::text_check::tests::{each_found, file};
    use crate::text_check::{Sensitive, check};

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
    fn compound_and_road_of_the_address_on_file() {
        let s = Sensitive {
            places: vec!["双江街道滨江路88号阳光花园小区3栋2单元501".into()],
            ..Sensitive::default()
        };
        each_found(
            "阳光花园小区|阳光花园|阳光 花园 小区|阳光花园3栋|阳光花园小区3栋|滨江路",
            "住在{}，需要辅导",
            &s,
            Address,
        );
        for text in [
            "阳光心理辅导",
            "双江街道的孩子",
            "小区活动室",
            "社区活动室",
            "在花园里活动",
            "3栋",
        ] {
            assert!(
                check(text, &s).is_empty(),
                "{text:?}: {:?}",
                check(text, &s)
            );
        }
        // 市 does not cut a part of one character.
        let s = Sensitive {
            places: vec!["市政花园5栋".into()],
            ..Sensitive::default()
        };
        each_found("市政花园", "在{}附近", &s, Address);
    }
}
