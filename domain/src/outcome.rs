//! Outcomes (成效): how a closed or fulfilled need ended, and the
//! officer's view of a completed match. A need's outcome is an enum whose
//! variants carry exactly what each one needs — what was delivered when
//! partly met, a note when not met for another reason — so that "partly met
//! with nothing delivered" cannot be written down.

use super::coded::coded_enum;
use super::invalid::{Invalid, required_text};

coded_enum! {
    /// The three outcomes, as stored and counted.
    pub enum OutcomeKind ("未知的成效") {
        FullyMet = "fully_met", "完全满足";
        PartlyMet = "partly_met", "部分满足";
        NotMet = "not_met", "未满足";
    }
}

coded_enum! {
    /// Why a need was not met.
    pub enum NotMetReason ("未知的未满足原因") {
        OtherHelpFound = "other_help_found", "已通过其他渠道获得帮助";
        NoLongerNeeded = "no_longer_needed", "已不再需要";
        Other = "other", "其他原因";
    }
}

/// How a need ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NeedOutcome {
    FullyMet,
    /// Partly met: what was delivered (public text, checked like the need's).
    PartlyMet {
        delivered: String,
    },
    /// Not met, with why; `Other` carries its note.
    NotMet(NotMet),
}

/// Why a need was not met; only "other" needs a note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotMet {
    OtherHelpFound,
    NoLongerNeeded,
    Other { note: String },
}

/// An outcome as typed (form or JSON): codes and texts, unchecked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutcomeInput {
    pub outcome: Option<String>,
    pub delivered: Option<String>,
    pub not_met_reason: Option<String>,
    pub note: Option<String>,
}

impl OutcomeInput {
    /// Whether nothing of an outcome was given.
    pub fn is_empty(&self) -> bool {
        [
            &self.outcome,
            &self.delivered,
            &self.not_met_reason,
            &self.note,
        ]
        .iter()
        .all(|v| v.as_deref().is_none_or(|s| s.trim().is_empty()))
    }
}

/// Longest text an outcome carries (characters).
pub const OUTCOME_TEXT_MAX: usize = 500;

fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl NeedOutcome {
    /// Parses an outcome; each problem names its field, in Chinese.
    pub fn parse(input: &OutcomeInput) -> Result<NeedOutcome, Invalid> {
        let kind = match present(&input.outcome) {
            None => return Err(Invalid::one("outcome", "请选择需求的满足情况")),
            Some(code) => code
                .parse::<OutcomeKind>()
                .map_err(|m| Invalid::one("outcome", m.to_string()))?,
        };
        match kind {
            OutcomeKind::FullyMet => Ok(NeedOutcome::FullyMet),
            OutcomeKind::PartlyMet => {
                let delivered =
                    required_text(input.delivered.as_deref().unwrap_or(""), OUTCOME_TEXT_MAX)
                        .map_err(|_| {
                            Invalid::one("delivered", "部分满足时请说明已提供的帮助（500字以内）")
                        })?;
                Ok(NeedOutcome::PartlyMet { delivered })
            }
            OutcomeKind::NotMet => {
                let reason = match present(&input.not_met_reason) {
                    None => return Err(Invalid::one("not_met_reason", "请选择未满足的原因")),
                    Some(code) => code
                        .parse::<NotMetReason>()
                        .map_err(|m| Invalid::one("not_met_reason", m.to_string()))?,
                };
                Ok(NeedOutcome::NotMet(match reason {
                    NotMetReason::OtherHelpFound => NotMet::OtherHelpFound,
                    NotMetReason::NoLongerNeeded => NotMet::NoLongerNeeded,
                    NotMetReason::Other => NotMet::Other {
                        note: required_text(input.note.as_deref().unwrap_or(""), OUTCOME_TEXT_MAX)
                            .map_err(|_| {
                                Invalid::one(
                                    "outcome_note",
                                    "选择“其他原因”时请填写说明（500字以内）",
                                )
                            })?,
                    },
                }))
            }
        }
    }

    pub fn kind(&self) -> OutcomeKind {
        match self {
            NeedOutcome::FullyMet => OutcomeKind::FullyMet,
            NeedOutcome::PartlyMet { .. } => OutcomeKind::PartlyMet,
            NeedOutcome::NotMet(_) => OutcomeKind::NotMet,
        }
    }

    /// The stored columns: kind, reason (not met only), text.
    pub fn columns(&self) -> (&'static str, Option<&'static str>, Option<&str>) {
        match self {
            NeedOutcome::FullyMet => (OutcomeKind::FullyMet.as_str(), None, None),
            NeedOutcome::PartlyMet { delivered } => {
                (OutcomeKind::PartlyMet.as_str(), None, Some(delivered))
            }
            NeedOutcome::NotMet(n) => {
                let (reason, note) = match n {
                    NotMet::OtherHelpFound => (NotMetReason::OtherHelpFound, None),
                    NotMet::NoLongerNeeded => (NotMetReason::NoLongerNeeded, None),
                    NotMet::Other { note } => (NotMetReason::Other, Some(note.as_str())),
                };
                (OutcomeKind::NotMet.as_str(), Some(reason.as_str()), note)
            }
        }
    }

    /// Back from the stored columns; `None` when they hold no valid outcome
    /// (a need closed before outcomes were recorded).
    pub fn from_columns(
        kind: Option<&str>,
        reason: Option<&str>,
        text: Option<&str>,
    ) -> Option<NeedOutcome> {
        NeedOutcome::parse(&OutcomeInput {
            outcome: kind.map(str::to_owned),
            delivered: text.map(str::to_owned),
            not_met_reason: reason.map(str::to_owned),
            note: text.map(str::to_owned),
        })
        .ok()
    }

    /// The free text an outcome carries (checked for personal information).
    pub fn text(&self) -> Option<&str> {
        self.columns().2
    }

    /// One line in Chinese.
    pub fn describe(&self) -> String {
        match self {
            NeedOutcome::FullyMet => OutcomeKind::FullyMet.label().to_owned(),
            NeedOutcome::PartlyMet { delivered } => format!("部分满足：{delivered}"),
            NeedOutcome::NotMet(NotMet::OtherHelpFound) => {
                format!("未满足（{}）", NotMetReason::OtherHelpFound.label())
            }
            NeedOutcome::NotMet(NotMet::NoLongerNeeded) => {
                format!("未满足（{}）", NotMetReason::NoLongerNeeded.label())
            }
            NeedOutcome::NotMet(NotMet::Other { note }) => format!("未满足（其他原因：{note}）"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(outcome: &str, delivered: &str, reason: &str, note: &str) -> OutcomeInput {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        OutcomeInput {
            outcome: opt(outcome),
            delivered: opt(delivered),
            not_met_reason: opt(reason),
            note: opt(note),
        }
    }

    #[test]
    fn each_outcome_asks_for_what_it_carries() {
        assert_eq!(
            NeedOutcome::parse(&input("fully_met", "", "", "")),
            Ok(NeedOutcome::FullyMet)
        );
        let err = NeedOutcome::parse(&input("partly_met", "", "", "")).expect_err("refused");
        assert_eq!(err.errors[0].field, "delivered");
        let err = NeedOutcome::parse(&input("not_met", "", "", "")).expect_err("refused");
        assert_eq!(err.errors[0].field, "not_met_reason");
        let err = NeedOutcome::parse(&input("not_met", "", "other", "")).expect_err("refused");
        assert_eq!(err.errors[0].field, "outcome_note");
        assert!(NeedOutcome::parse(&input("", "", "", "")).is_err());
        assert!(NeedOutcome::parse(&input("maybe", "", "", "")).is_err());
        assert_eq!(
            NeedOutcome::parse(&input("not_met", "", "no_longer_needed", "")),
            Ok(NeedOutcome::NotMet(NotMet::NoLongerNeeded))
        );
    }

    #[test]
    fn outcomes_round_trip_through_their_columns() {
        for o in [
            NeedOutcome::FullyMet,
            NeedOutcome::PartlyMet {
                delivered: "已提供两个月辅导".into(),
            },
            NeedOutcome::NotMet(NotMet::OtherHelpFound),
            NeedOutcome::NotMet(NotMet::NoLongerNeeded),
            NeedOutcome::NotMet(NotMet::Other {
                note: "家庭迁出本县".into(),
            }),
        ] {
            let (k, r, t) = o.columns();
            assert_eq!(NeedOutcome::from_columns(Some(k), r, t), Some(o.clone()));
        }
        assert_eq!(NeedOutcome::from_columns(None, None, None), None);
    }
}
