//! Street-address shapes: a road and house number, building / unit / room,
//! the 组 / 社 numbering of rural addresses, and a named housing compound
//! with a building number ("阳光花园3栋", "桂花苑5号楼"), whether or not it is
//! the one on file.

use std::sync::LazyLock;

use regex::Regex;

use super::normalize::is_han;
use super::places::COMPOUND_SUFFIXES;
use super::{Finding, FindingKind};

const NUMBER: &str = "[0-9０-９一二三四五六七八九十百千零〇两]+";

/// Up to four characters of a road name; function words that usually
/// precede an address ("住在…") are not taken as part of it.
const ROAD: &str = r"[\p{Han}&&[^在住于家的是和与及到从往向近靠位]]{1,4}(?:路|街|大道|巷|胡同|弄)";

/// Separate expressions (not one alternation) so that overlapping shapes such
/// as "人民路5号楼1单元302" are all found and then merged.
static ADDRESS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    let n = NUMBER;
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

/// A compound's suffix and a building number; the name before the suffix
/// is read backwards by [`compound_name_start`].
static COMPOUND: LazyLock<Regex> = LazyLock::new(|| {
    let suffixes = COMPOUND_SUFFIXES.join("|");
    let pattern = format!(r"(?:{suffixes})\s*{NUMBER}\s*(?:栋|幢|号楼|座|单元)");
    Regex::new(&pattern).expect("compound pattern is a valid regex")
});

/// Characters that end a compound's name, read backwards: function words
/// ("住在", "的") and words that point at a compound without naming it
/// ("该小区", "所在小区", "同一个小区").
const NAME_STOPS: &str = "的在住于是与及到从往向靠位该本这那个同所旁里边";
const NAME_CHARS: std::ops::RangeInclusive<usize> = 2..=6;

/// Every match of every shape; overlapping ones are merged by the caller.
pub(super) fn address_findings(text: &str, out: &mut Vec<Finding>) {
    for re in ADDRESS.iter() {
        out.extend(
            re.find_iter(text)
                .map(|m| Finding::new(FindingKind::Address, m.start(), m.end())),
        );
    }
    for m in COMPOUND.find_iter(text) {
        if let Some(start) = compound_name_start(&text[..m.start()]) {
            out.push(Finding::new(FindingKind::Address, start, m.end()));
        }
    }
}

/// Where the name of a compound ending `before` starts: two to six Han
/// characters, not counting function words. "小区" alone names nothing.
fn compound_name_start(before: &str) -> Option<usize> {
    let name: Vec<(usize, char)> = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_han(c) && !NAME_STOPS.contains(c))
        .take(*NAME_CHARS.end())
        .collect();
    let (start, _) = *name.last()?;
    NAME_CHARS.contains(&name.len()).then_some(start)
}

#[cfg(test)]
mod tests {
    use crate::text_check::FindingKind::Address;
    use crate::text_check::tests::each_found;
    use crate::text_check::{Sensitive, check};

    #[test]
    fn address_shapes() {
        let shapes = "滨江路123号|人民街 12 号|解放大道8-2号|3栋2单元501室|5号楼1单元302\
                      |三组12号|5组8号|2社3组|十二幢3号|２单元５０１室|人民路5号楼1单元302";
        each_found(shapes, "住在{}附近", &Sensitive::default(), Address);
    }

    #[test]
    fn named_compound_with_a_building_number() {
        let none = Sensitive::default();
        each_found(
            "阳光花园3栋|阳光小区5号楼|桂花苑2幢|和平小区三栋|滨江华庭1单元|幸福家园 12 栋",
            "家住{}，需要辅导",
            &none,
            Address,
        );
        for text in [
            "分3栋楼",
            "社区活动室",
            "小区3栋",
            "该小区3栋",
            "他家所在小区3栋",
            "同一个小区3栋",
            "在小区里活动",
            "阳光花园小区",
        ] {
            assert!(
                check(text, &none).is_empty(),
                "{text:?}: {:?}",
                check(text, &none)
            );
        }
    }
}
