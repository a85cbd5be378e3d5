//! The legal basis for keeping a file and publishing its needs: the
//! guardian's consents, or a statutory basis where they cannot consent.

use super::super::Invalid;
use super::Difficulties;

/// Why the file may be kept and its needs published (PIPL Art. 28, 31).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LegalBasis {
    /// The guardian's separate consents.
    Consent {
        keep_file: bool,
        publish_needs: bool,
    },
    /// The guardian is absent or is the problem: the officer records the
    /// statutory basis (e.g. 未成年人保护法 第九十二条) instead.
    Statutory(String),
}

impl LegalBasis {
    /// Checks the basis against the categories: a file needs consent to be
    /// kept, or a statutory basis where the guardian cannot consent.
    pub fn parse(
        keep_file: Option<bool>,
        publish_needs: Option<bool>,
        statutory: Option<&str>,
        difficulties: Option<&Difficulties>,
        invalid: &mut Invalid,
    ) -> Option<LegalBasis> {
        let statutory = statutory.map(str::trim).filter(|s| !s.is_empty());
        match (statutory, keep_file) {
            (Some(_), Some(true)) => {
                invalid.add(
                    "statutory_basis",
                    "监护人同意与法定依据只能选择一种：有监护人同意时不填法定依据",
                );
                None
            }
            (Some(basis), _) => {
                if difficulties.is_some_and(|d| !d.guardian_cannot_consent()) {
                    invalid.add(
                        "statutory_basis",
                        "只有孤儿、事实无人抚养或监护缺失、监护不当的儿童，才能以法定依据代替监护人同意",
                    );
                    return None;
                }
                match super::super::invalid::required_text(basis, 500) {
                    Ok(text) if text.chars().count() >= 4 => Some(LegalBasis::Statutory(text)),
                    _ => {
                        invalid.add("statutory_basis", "请写明法定依据（法律条文及情况说明）");
                        None
                    }
                }
            }
            (None, Some(true)) => Some(LegalBasis::Consent {
                keep_file: true,
                publish_needs: publish_needs.unwrap_or(false),
            }),
            (None, _) => {
                invalid.add(
                    "consent",
                    "建档须有监护人同意保存档案，或在监护缺失时填写法定依据",
                );
                None
            }
        }
    }

    /// `Err` with the reason (Chinese) when needs may not be published.
    pub fn may_publish(&self) -> Result<(), &'static str> {
        match self {
            LegalBasis::Consent {
                publish_needs: true,
                ..
            }
            | LegalBasis::Statutory(_) => Ok(()),
            LegalBasis::Consent { .. } => {
                Err("监护人未同意发布匿名需求：请先取得监护人书面同意并在档案中登记")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::DifficultyInput;
    use super::{Difficulties, Invalid, LegalBasis};

    fn input(kinds: &[&str]) -> DifficultyInput {
        DifficultyInput {
            kinds: kinds.iter().map(|s| (*s).to_owned()).collect(),
            ..DifficultyInput::default()
        }
    }

    #[test]
    fn statutory_basis_only_where_the_guardian_cannot_consent() {
        let mut invalid = Invalid::new();
        let poor = {
            let mut i = input(&["poverty"]);
            i.poverty_type = Some("minimum_living".into());
            Difficulties::parse(&i, &mut invalid).expect("valid")
        };
        let orphan = Difficulties::parse(&input(&["orphan"]), &mut invalid).expect("valid");
        let basis = "未成年人保护法第九十二条，民政部门临时监护";
        assert!(LegalBasis::parse(None, None, Some(basis), Some(&poor), &mut invalid).is_none());
        assert!(invalid.message_for("statutory_basis").is_some());
        let mut invalid = Invalid::new();
        assert_eq!(
            LegalBasis::parse(None, None, Some(basis), Some(&orphan), &mut invalid),
            Some(LegalBasis::Statutory(basis.into()))
        );
        assert!(LegalBasis::parse(None, None, None, Some(&orphan), &mut invalid).is_none());
        assert!(invalid.message_for("consent").is_some());
    }

    #[test]
    fn publishing_needs_its_own_consent() {
        let keep_only = LegalBasis::Consent {
            keep_file: true,
            publish_needs: false,
        };
        assert!(keep_only.may_publish().is_err());
        let both = LegalBasis::Consent {
            keep_file: true,
            publish_needs: true,
        };
        assert!(both.may_publish().is_ok());
        assert!(LegalBasis::Statutory("依法".into()).may_publish().is_ok());
    }
}
