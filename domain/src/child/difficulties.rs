//! The categories of difficulty of a file with the details each one
//! requires ([`Difficulties`], typed as [`DifficultyInput`]), and the broad
//! class they fall into.

use super::super::Invalid;
use super::{Difficulty, DifficultyClass, DisabilityType, PovertyType, UnsupportedReason};

/// A disability with its grade (1 is the most severe, 4 the mildest).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Disability {
    pub kind: DisabilityType,
    pub grade: u8,
}

/// The categories of difficulty with the details each one requires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difficulties {
    kinds: Vec<Difficulty>,
    poverty: Option<PovertyType>,
    disability: Option<Disability>,
    unsupported: Option<UnsupportedReason>,
    illness: Option<String>,
}

/// The details that go with the categories, as typed.
#[derive(Clone, Debug, Default)]
pub struct DifficultyInput {
    pub kinds: Vec<String>,
    pub poverty_type: Option<String>,
    pub disability_type: Option<String>,
    pub disability_grade: Option<i64>,
    pub unsupported_reason: Option<String>,
    pub illness: Option<String>,
}

fn parse_detail<T: std::str::FromStr<Err = super::super::coded::UnknownCode>>(
    invalid: &mut Invalid,
    field: &str,
    wanted: bool,
    raw: Option<&str>,
    missing: &str,
) -> Option<T> {
    let raw = raw.map(str::trim).filter(|s| !s.is_empty());
    match (wanted, raw) {
        (false, _) => None,
        (true, None) => {
            invalid.add(field, missing);
            None
        }
        (true, Some(raw)) => invalid.check(field, raw.parse::<T>()),
    }
}

impl Difficulties {
    /// Parses the categories and checks that each one has its details:
    /// poverty its assistance type, disability its type and grade 1–4,
    /// de-facto unsupported its reason, serious illness the illness.
    pub fn parse(input: &DifficultyInput, invalid: &mut Invalid) -> Option<Difficulties> {
        let before = invalid.errors.len();
        let mut kinds = Vec::new();
        for raw in &input.kinds {
            if let Some(kind) = invalid.check("difficulties", raw.parse::<Difficulty>())
                && !kinds.contains(&kind)
            {
                kinds.push(kind);
            }
        }
        if input.kinds.is_empty() {
            invalid.add("difficulties", "请至少选择一种困境类型");
        }
        kinds.sort();
        let has = |d| kinds.contains(&d);
        let poverty = parse_detail(
            invalid,
            "poverty_type",
            has(Difficulty::Poverty),
            input.poverty_type.as_deref(),
            "家庭经济困难须选择救助类型",
        );
        let disability_kind: Option<DisabilityType> = parse_detail(
            invalid,
            "disability_type",
            has(Difficulty::Disability),
            input.disability_type.as_deref(),
            "自身残疾须选择残疾类别",
        );
        let disability = match (has(Difficulty::Disability), disability_kind) {
            (true, Some(kind)) => match input.disability_grade {
                Some(g @ 1..=4) => Some(Disability {
                    kind,
                    grade: g as u8,
                }),
                _ => {
                    invalid.add("disability_grade", "残疾等级应为一至四级");
                    None
                }
            },
            _ => None,
        };
        let unsupported = parse_detail(
            invalid,
            "unsupported_reason",
            has(Difficulty::Unsupported),
            input.unsupported_reason.as_deref(),
            "事实无人抚养须选择原因",
        );
        let illness = if has(Difficulty::SeriousIllness) {
            match super::super::invalid::required_text(input.illness.as_deref().unwrap_or(""), 100)
            {
                Ok(text) => Some(text),
                Err(message) => {
                    invalid.add("illness", message);
                    None
                }
            }
        } else {
            None
        };
        (invalid.errors.len() == before).then_some(Difficulties {
            kinds,
            poverty,
            disability,
            unsupported,
            illness,
        })
    }

    pub fn kinds(&self) -> &[Difficulty] {
        &self.kinds
    }

    pub fn has(&self, kind: Difficulty) -> bool {
        self.kinds.contains(&kind)
    }

    pub fn poverty(&self) -> Option<PovertyType> {
        self.poverty
    }

    pub fn disability(&self) -> Option<Disability> {
        self.disability
    }

    pub fn unsupported(&self) -> Option<UnsupportedReason> {
        self.unsupported
    }

    pub fn illness(&self) -> Option<&str> {
        self.illness.as_deref()
    }

    /// The broad class: care comes first (a child without care is the most
    /// exposed), then disability, illness, poverty.
    pub fn class(&self) -> DifficultyClass {
        class_of(&self.kinds)
    }

    /// Whether the guardian is absent or is the problem, so that consent
    /// cannot be asked of them and a statutory basis applies instead.
    pub fn guardian_cannot_consent(&self) -> bool {
        self.kinds.iter().any(|k| {
            matches!(
                k,
                Difficulty::Orphan
                    | Difficulty::Unsupported
                    | Difficulty::GuardianshipAbsent
                    | Difficulty::GuardianshipImproper
            )
        })
    }
}

/// The broad class of a set of categories (see [`Difficulties::class`]).
pub fn class_of(kinds: &[Difficulty]) -> DifficultyClass {
    let any = |wanted: &[Difficulty]| kinds.iter().any(|k| wanted.contains(k));
    if any(&[
        Difficulty::Orphan,
        Difficulty::Unsupported,
        Difficulty::GuardianshipAbsent,
        Difficulty::GuardianshipImproper,
    ]) {
        DifficultyClass::CareAbsent
    } else if any(&[Difficulty::Disability]) {
        DifficultyClass::Disability
    } else if any(&[Difficulty::SeriousIllness]) {
        DifficultyClass::Illness
    } else {
        DifficultyClass::Poverty
    }
}

#[cfg(test)]
mod tests {
    use super::{
        Difficulties, Difficulty, DifficultyClass, DifficultyInput, Disability, DisabilityType,
        Invalid, class_of,
    };

    fn input(kinds: &[&str]) -> DifficultyInput {
        DifficultyInput {
            kinds: kinds.iter().map(|s| (*s).to_owned()).collect(),
            ..DifficultyInput::default()
        }
    }

    #[test]
    fn each_category_requires_its_details() {
        let mut invalid = Invalid::new();
        let parsed = Difficulties::parse(
            &input(&["poverty", "disability", "unsupported", "serious_illness"]),
            &mut invalid,
        );
        assert!(parsed.is_none());
        for field in [
            "poverty_type",
            "disability_type",
            "unsupported_reason",
            "illness",
        ] {
            assert!(invalid.message_for(field).is_some(), "{field}");
        }
    }

    #[test]
    fn disability_needs_a_grade_from_one_to_four() {
        let mut i = input(&["disability"]);
        i.disability_type = Some("intellectual".into());
        i.disability_grade = Some(5);
        let mut invalid = Invalid::new();
        assert!(Difficulties::parse(&i, &mut invalid).is_none());
        assert!(invalid.message_for("disability_grade").is_some());
        i.disability_grade = Some(2);
        let mut invalid = Invalid::new();
        let d = Difficulties::parse(&i, &mut invalid).expect("valid");
        assert_eq!(
            d.disability(),
            Some(Disability {
                kind: DisabilityType::Intellectual,
                grade: 2
            })
        );
        assert_eq!(d.class(), DifficultyClass::Disability);
    }

    #[test]
    fn care_comes_first_in_the_broad_class() {
        assert_eq!(
            class_of(&[Difficulty::Poverty, Difficulty::Orphan]),
            DifficultyClass::CareAbsent
        );
        assert_eq!(
            class_of(&[Difficulty::Poverty, Difficulty::SeriousIllness]),
            DifficultyClass::Illness
        );
        assert_eq!(class_of(&[Difficulty::Poverty]), DifficultyClass::Poverty);
        assert_eq!(
            class_of(&[Difficulty::Disability, Difficulty::SeriousIllness]),
            DifficultyClass::Disability
        );
    }
}
