//! What a reporter types, checked: the same rules for the public form, the
//! staff's form and the JSON API. Every free text is bounded; a child's ID
//! number, when the reporter knows it, must be a valid one.

use super::ReporterKind;
use crate::invalid::required_text;
use crate::region::{TownshipCode, VillageCode};
use crate::{IdNumber, Invalid};

/// The longest description, in characters.
pub const DESCRIPTION_MAX: usize = 2000;
const LOCATION_MAX: usize = 200;
const NAME_MAX: usize = 50;
const CONTACT_MAX: usize = 100;

/// The lookup code's alphabet: no 0/O, 1/I/L, so that it reads back
/// correctly from paper or over the phone.
pub const LOOKUP_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Characters in a lookup code (about 59 bits).
pub const LOOKUP_LEN: usize = 12;

/// The form as typed.
#[derive(Clone, Debug, Default)]
pub struct FilingInput {
    pub township: String,
    pub village: String,
    pub description: String,
    pub child_location: String,
    pub urgent: bool,
    pub reporter_kind: String,
    pub reporter_name: String,
    pub reporter_contact: String,
    pub child_name: String,
    pub child_id_number: String,
}

/// A checked report, ready to seal and store.
#[derive(Clone, Debug)]
pub struct Filing {
    pub township: TownshipCode,
    pub village: Option<VillageCode>,
    pub description: String,
    pub child_location: Option<String>,
    pub urgent: bool,
    pub reporter_kind: ReporterKind,
    pub reporter_name: Option<String>,
    pub reporter_contact: Option<String>,
    pub child_name: Option<String>,
    pub child_id_number: Option<IdNumber>,
}

fn optional(invalid: &mut Invalid, field: &str, value: &str, max: usize) -> Option<String> {
    if value.trim().is_empty() {
        return None;
    }
    invalid.check(field, required_text(value, max))
}

impl FilingInput {
    /// Checks every field at once (all errors together).
    pub fn check(&self) -> Result<Filing, Invalid> {
        let mut invalid = Invalid::new();
        let township = if self.township.trim().is_empty() {
            invalid.add("township", "请选择儿童所在的乡镇（街道）");
            None
        } else {
            invalid.check("township", TownshipCode::parse(&self.township))
        };
        let village = if self.village.trim().is_empty() {
            None
        } else {
            invalid.check("village", VillageCode::parse(&self.village))
        };
        if let (Some(t), Some(v)) = (&township, &village)
            && &v.township() != t
        {
            invalid.add("village", "所选村（社区）不属于所选乡镇");
        }
        let description = match required_text(&self.description, DESCRIPTION_MAX) {
            Ok(text) => Some(text),
            Err(_) if self.description.trim().is_empty() => {
                invalid.add("description", "请写下您看到或了解到的情况");
                None
            }
            Err(message) => {
                invalid.add("description", message);
                None
            }
        };
        let child_location = optional(
            &mut invalid,
            "child_location",
            &self.child_location,
            LOCATION_MAX,
        );
        let reporter_kind = if self.reporter_kind.trim().is_empty() {
            Some(ReporterKind::Other)
        } else {
            invalid.check("reporter_kind", self.reporter_kind.trim().parse())
        };
        let reporter_name = optional(&mut invalid, "reporter_name", &self.reporter_name, NAME_MAX);
        let reporter_contact = optional(
            &mut invalid,
            "reporter_contact",
            &self.reporter_contact,
            CONTACT_MAX,
        );
        let child_name = optional(&mut invalid, "child_name", &self.child_name, NAME_MAX);
        let child_id_number = if self.child_id_number.trim().is_empty() {
            None
        } else {
            invalid.check("child_id_number", IdNumber::parse(&self.child_id_number))
        };
        invalid.into_result()?;
        match (township, description, reporter_kind) {
            (Some(township), Some(description), Some(reporter_kind)) => Ok(Filing {
                township,
                village,
                description,
                child_location,
                urgent: self.urgent,
                reporter_kind,
                reporter_name,
                reporter_contact,
                child_name,
                child_id_number,
            }),
            _ => Err(Invalid::one("description", "请检查填写的内容")),
        }
    }
}

/// A report's public reference: `BG-2026-000123`.
pub fn reference_of(year: i32, number: u64) -> String {
    format!("{}{number:06}", reference_prefix(year))
}

/// What every reference of `year` starts with: `BG-2026-`.
pub fn reference_prefix(year: i32) -> String {
    format!("BG-{year}-")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> FilingInput {
        FilingInput {
            township: "500235001".into(),
            description: "孩子一个人在家，几天没人照看".into(),
            ..FilingInput::default()
        }
    }

    #[test]
    fn a_township_and_a_description_are_enough() {
        let filing = input().check().expect("valid");
        assert_eq!(filing.reporter_kind, ReporterKind::Other);
        assert!(filing.reporter_contact.is_none());
        assert!(!filing.urgent);
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let bad = FilingInput {
            township: "".into(),
            description: "x".repeat(DESCRIPTION_MAX + 1),
            reporter_kind: "boss".into(),
            child_id_number: "123".into(),
            reporter_contact: "1".repeat(101),
            ..FilingInput::default()
        };
        let invalid = bad.check().expect_err("invalid");
        for field in [
            "township",
            "description",
            "reporter_kind",
            "child_id_number",
            "reporter_contact",
        ] {
            assert!(invalid.message_for(field).is_some(), "{field}");
        }
    }

    #[test]
    fn a_village_of_another_township_is_refused() {
        let bad = FilingInput {
            village: "500235002201".into(),
            ..input()
        };
        assert!(
            bad.check()
                .expect_err("invalid")
                .message_for("village")
                .is_some()
        );
    }

    #[test]
    fn references_have_six_digits() {
        assert_eq!(reference_of(2026, 123), "BG-2026-000123");
    }
}
