//! Street-address shapes: a road and house number, building / unit / room,
//! and the 组 / 社 numbering of rural addresses.

use std::sync::LazyLock;

use regex::Regex;

use super::{Finding, FindingKind};

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

/// Every match of every shape; overlapping ones are merged by the caller.
pub(super) fn address_findings(text: &str, out: &mut Vec<Finding>) {
    for re in ADDRESS.iter() {
        out.extend(
            re.find_iter(text)
                .map(|m| Finding::new(FindingKind::Address, m.start(), m.end())),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::text_check::FindingKind::Address;
    use crate::domain::text_check::Sensitive;
    use crate::domain::text_check::tests::each_found;

    #[test]
    fn address_shapes() {
        let shapes = "滨江路123号|人民街 12 号|解放大道8-2号|3栋2单元501室|5号楼1单元302\
                      |三组12号|5组8号|2社3组|十二幢3号|２单元５０１室|人民路5号楼1单元302";
        each_found(shapes, "住在{}附近", &Sensitive::default(), Address);
    }
}
