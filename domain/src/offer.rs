//! Offers (服务/项目): their states and the rules of an age range.

use super::coded::coded_enum;

coded_enum! {
    /// `active` ⇄ `paused` → `closed`.
    pub enum OfferStatus ("未知的服务状态") {
        Active = "active", "进行中";
        Paused = "paused", "暂停";
        Closed = "closed", "已结束";
    }
}

/// An illegal move, naming the state the offer is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("服务当前为“{}”，不能执行此操作", .0.label())]
pub struct IllegalOfferMove(pub OfferStatus);

impl OfferStatus {
    pub fn pause(self) -> Result<OfferStatus, IllegalOfferMove> {
        match self {
            OfferStatus::Active => Ok(OfferStatus::Paused),
            other => Err(IllegalOfferMove(other)),
        }
    }

    pub fn resume(self) -> Result<OfferStatus, IllegalOfferMove> {
        match self {
            OfferStatus::Paused => Ok(OfferStatus::Active),
            other => Err(IllegalOfferMove(other)),
        }
    }

    pub fn close(self) -> Result<OfferStatus, IllegalOfferMove> {
        match self {
            OfferStatus::Active | OfferStatus::Paused => Ok(OfferStatus::Closed),
            other => Err(IllegalOfferMove(other)),
        }
    }

    /// Editing: anything not closed.
    pub fn edit(self) -> Result<OfferStatus, IllegalOfferMove> {
        match self {
            OfferStatus::Closed => Err(IllegalOfferMove(self)),
            other => Ok(other),
        }
    }

    /// Whether the offer is found by search and can take matches.
    pub fn is_open(self) -> bool {
        self == OfferStatus::Active
    }
}

/// Ages an offer serves, both ends included, within 0–17.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AgeRange {
    pub min: u8,
    pub max: u8,
}

impl AgeRange {
    /// From the typed ends (either may be absent: 0 and 17 then).
    pub fn parse(min: Option<i64>, max: Option<i64>) -> Result<AgeRange, &'static str> {
        let min = min.unwrap_or(0);
        let max = max.unwrap_or(17);
        if !(0..=17).contains(&min) || !(0..=17).contains(&max) {
            return Err("年龄应在0至17岁之间");
        }
        if min > max {
            return Err("最小年龄不能大于最大年龄");
        }
        Ok(AgeRange {
            min: min as u8,
            max: max as u8,
        })
    }

    pub fn contains(self, age: u8) -> bool {
        (self.min..=self.max).contains(&age)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offers_pause_resume_and_close_once() {
        assert_eq!(OfferStatus::Active.pause(), Ok(OfferStatus::Paused));
        assert_eq!(OfferStatus::Paused.resume(), Ok(OfferStatus::Active));
        assert!(OfferStatus::Active.resume().is_err());
        assert_eq!(OfferStatus::Paused.close(), Ok(OfferStatus::Closed));
        assert!(OfferStatus::Closed.close().is_err());
        assert!(OfferStatus::Closed.edit().is_err());
        assert!(!OfferStatus::Paused.is_open());
    }

    #[test]
    fn age_ranges_stay_within_childhood() {
        assert_eq!(
            AgeRange::parse(None, None),
            Ok(AgeRange { min: 0, max: 17 })
        );
        assert!(AgeRange::parse(Some(12), Some(6)).is_err());
        assert!(AgeRange::parse(Some(-1), None).is_err());
        assert!(AgeRange::parse(None, Some(18)).is_err());
        assert!(
            AgeRange::parse(Some(6), Some(12))
                .expect("valid")
                .contains(6)
        );
    }
}
