//! Township and village codes.
//!
//! A township (乡镇/街道) code has 9 digits: the county's 6-digit division code
//! followed by 3 digits; a village (村/社区) code has 12 digits and starts with
//! its township's code, as in the national statistical division codes.

use std::fmt;

/// A 9-digit township code, e.g. `500235001`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TownshipCode(String);

/// A 12-digit village code, e.g. `500235001201`; its first 9 digits are its township's.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VillageCode(String);

/// The text is not a well-formed region code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegionCodeError {
    #[error("乡镇代码应为9位数字")]
    Township,
    #[error("村（社区）代码应为12位数字")]
    Village,
}

fn all_digits(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit())
}

impl TownshipCode {
    pub fn parse(s: &str) -> Result<Self, RegionCodeError> {
        let s = s.trim();
        if all_digits(s, 9) {
            Ok(Self(s.to_owned()))
        } else {
            Err(RegionCodeError::Township)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl VillageCode {
    pub fn parse(s: &str) -> Result<Self, RegionCodeError> {
        let s = s.trim();
        if all_digits(s, 12) {
            Ok(Self(s.to_owned()))
        } else {
            Err(RegionCodeError::Village)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The township this village belongs to, read from the code itself.
    pub fn township(&self) -> TownshipCode {
        TownshipCode(self.0[..9].to_owned())
    }
}

impl fmt::Display for TownshipCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for VillageCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_need_their_exact_number_of_digits() {
        assert!(TownshipCode::parse("500235001").is_ok());
        assert!(TownshipCode::parse("50023500").is_err());
        assert!(TownshipCode::parse("50023500a").is_err());
        assert!(VillageCode::parse("500235001201").is_ok());
        assert!(VillageCode::parse("5002350012011").is_err());
    }

    #[test]
    fn a_village_knows_its_township() {
        let village = VillageCode::parse("500235001201").expect("valid code");
        assert_eq!(village.township().as_str(), "500235001");
    }
}
