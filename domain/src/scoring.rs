//! How well an offer fits a need: a score out of 100 made of named parts,
//! each with the reason shown to the officer or provider who reads the
//! suggestion. Offers of another category, outside the need's area, for
//! other ages or without places are not candidates at all.

use super::child::AgeBand;

/// Where an offer serves, seen from a need's township.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AreaFit {
    /// The offer names the need's township.
    Township,
    /// The offer serves the whole county.
    County,
    /// The need's township is not served.
    Outside,
}

/// What is known of one offer for one need.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Candidate {
    pub same_category: bool,
    pub area: AreaFit,
    /// `None` when the need's age band and the offer's ages cannot be
    /// compared (the need generalized, or the offer names no ages).
    pub age_fits: Option<bool>,
    pub remaining: u32,
    /// The search index's relevance of the offer for the need's text,
    /// relative to the best candidate (0 to 1).
    pub text_relevance: f32,
    /// The owner's completed services, and their average rating (1–5).
    pub completed: u32,
    pub average_rating: Option<f32>,
    /// The outcomes recorded for the needs the owner's completed matches
    /// served.
    pub outcomes: Outcomes,
}

/// How the needs an owner served ended, as counted in its record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcomes {
    pub fully_met: u32,
    pub partly_met: u32,
    pub not_met: u32,
}

/// At most this many points of the record part come from outcomes, up or
/// down: a small effect beside completions and ratings, so that a new
/// owner is not buried by one that happened to have needs closed.
pub const OUTCOME_MAX: i32 = 3;

/// The outcome points: the share of needs fully met less the share not
/// met (partly met counts neither way), times [`OUTCOME_MAX`], rounded;
/// 0 without outcomes.
pub fn outcome_points(o: Outcomes) -> i32 {
    let total = o.fully_met + o.partly_met + o.not_met;
    if total == 0 {
        return 0;
    }
    let share = (f64::from(o.fully_met) - f64::from(o.not_met)) / f64::from(total);
    (share * f64::from(OUTCOME_MAX)).round() as i32
}

/// One part of a score.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Component {
    Area,
    Age,
    Capacity,
    Text,
    Record,
}

impl Component {
    pub fn as_str(self) -> &'static str {
        match self {
            Component::Area => "area",
            Component::Age => "age",
            Component::Capacity => "capacity",
            Component::Text => "text",
            Component::Record => "record",
        }
    }
}

/// A part of a score with its reason (Chinese).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason {
    pub component: Component,
    pub points: u32,
    pub text: String,
}

/// A candidate's score and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Score {
    pub total: u32,
    pub reasons: Vec<Reason>,
}

const AREA_TOWNSHIP: u32 = 25;
const AREA_COUNTY: u32 = 15;
const AGE_FITS: u32 = 15;
const AGE_UNKNOWN: u32 = 8;
const CAPACITY_MAX: u32 = 10;
const TEXT_MAX: u32 = 30;
const RECORD_MAX: u32 = 20;

/// The score of `c`, or `None` when the offer cannot serve the need.
pub fn score(c: &Candidate) -> Option<Score> {
    if !c.same_category
        || c.area == AreaFit::Outside
        || c.remaining == 0
        || c.age_fits == Some(false)
    {
        return None;
    }
    let mut reasons = Vec::new();
    let mut add = |component, points, text: String| {
        reasons.push(Reason {
            component,
            points,
            text,
        })
    };
    match c.area {
        AreaFit::Township => add(Component::Area, AREA_TOWNSHIP, "服务本乡镇（街道）".into()),
        _ => add(Component::Area, AREA_COUNTY, "服务全县".into()),
    }
    match c.age_fits {
        Some(_) => add(Component::Age, AGE_FITS, "年龄段相符".into()),
        None => add(Component::Age, AGE_UNKNOWN, "年龄未限定".into()),
    }
    let capacity = (c.remaining.min(5) * CAPACITY_MAX).div_ceil(5);
    add(
        Component::Capacity,
        capacity,
        format!("尚余{}个名额", c.remaining),
    );
    let relevance = if c.text_relevance.is_finite() {
        c.text_relevance.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let text = (relevance * TEXT_MAX as f32).round() as u32;
    add(
        Component::Text,
        text,
        format!("内容相关度{}%", (relevance * 100.0).round() as u32),
    );
    let done = c.completed.min(10) * 3 / 2;
    let rating = c
        .average_rating
        .filter(|r| r.is_finite())
        .map(|r| ((r.clamp(1.0, 5.0) - 1.0) * 5.0 / 4.0).round() as u32)
        .unwrap_or(0);
    let effect = outcome_points(c.outcomes);
    let record = u32::try_from((i64::from(done + rating) + i64::from(effect)).max(0))
        .unwrap_or(0)
        .min(RECORD_MAX);
    let mut record_text = match c.average_rating {
        Some(r) if c.completed > 0 => format!("已完成服务{}次，平均评分{r:.1}", c.completed),
        _ if c.completed > 0 => format!("已完成服务{}次", c.completed),
        _ => "暂无服务记录".into(),
    };
    if effect != 0 {
        record_text.push_str(&format!("，服务成效{effect:+}分"));
    }
    add(Component::Record, record, record_text);
    let total = reasons.iter().map(|r| r.points).sum();
    Some(Score { total, reasons })
}

/// Whether an offer for ages `age_min`–`age_max` suits a child of `band`:
/// `Some(true)` when the ages overlap the band (the exact age is not
/// public, so any overlap may fit), `Some(false)` when they do not, and
/// `None` when either side says nothing: the band is unknown (generalized),
/// or the offer names no ages or all of childhood (0–17, what an offer
/// without ages is stored as).
pub fn age_fit(band: Option<AgeBand>, age_min: Option<i16>, age_max: Option<i16>) -> Option<bool> {
    let band = band?;
    let (min, max) = (age_min.unwrap_or(0), age_max.unwrap_or(17));
    if min <= 0 && max >= 17 {
        return None;
    }
    let (low, high) = band.years();
    Some(min <= high && low <= max)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn candidate() -> Candidate {
        Candidate {
            same_category: true,
            area: AreaFit::Township,
            age_fits: Some(true),
            remaining: 5,
            text_relevance: 1.0,
            completed: 10,
            average_rating: Some(5.0),
            outcomes: Outcomes::default(),
        }
    }

    #[test]
    fn needs_fully_met_raise_the_record_a_little_and_needs_not_met_lower_it() {
        let proven = Candidate {
            completed: 4,
            average_rating: Some(4.0),
            ..candidate()
        };
        let with = |fully_met, partly_met, not_met| {
            score(&Candidate {
                outcomes: Outcomes {
                    fully_met,
                    partly_met,
                    not_met,
                },
                ..proven
            })
            .expect("candidate")
            .total
        };
        let none = with(0, 0, 0);
        let met = with(3, 0, 0);
        let unmet = with(0, 0, 3);
        // Ordering follows the outcomes, by at most OUTCOME_MAX either way.
        assert!(met > none && none > unmet);
        assert_eq!(met - none, OUTCOME_MAX as u32);
        assert_eq!(none - unmet, OUTCOME_MAX as u32);
        // Partly met counts neither way; a mixed record lands between.
        assert_eq!(with(0, 3, 0), none);
        assert!(with(2, 0, 1) > none && with(2, 0, 1) < met);
        // The record part stays within its bounds.
        assert_eq!(outcome_points(Outcomes::default()), 0);
        let top = score(&Candidate {
            outcomes: Outcomes {
                fully_met: 9,
                partly_met: 0,
                not_met: 0,
            },
            ..candidate()
        })
        .expect("top");
        assert_eq!(top.total, 100);
        assert!(top.reasons[4].text.contains("服务成效+3分"));
    }

    #[test]
    fn a_perfect_fit_scores_100_with_a_reason_per_part() {
        let s = score(&candidate()).expect("candidate");
        assert_eq!(s.total, 100);
        let parts: Vec<&str> = s.reasons.iter().map(|r| r.component.as_str()).collect();
        assert_eq!(parts, ["area", "age", "capacity", "text", "record"]);
        assert!(s.reasons[4].text.contains("10次"));
    }

    #[test]
    fn what_cannot_serve_is_no_candidate() {
        for c in [
            Candidate {
                same_category: false,
                ..candidate()
            },
            Candidate {
                area: AreaFit::Outside,
                ..candidate()
            },
            Candidate {
                remaining: 0,
                ..candidate()
            },
            Candidate {
                age_fits: Some(false),
                ..candidate()
            },
        ] {
            assert_eq!(score(&c), None);
        }
    }

    #[test]
    fn nearer_fuller_and_proven_offers_score_higher() {
        let base = score(&candidate()).expect("base").total;
        let county = score(&Candidate {
            area: AreaFit::County,
            ..candidate()
        })
        .expect("county")
        .total;
        let unknown_age = score(&Candidate {
            age_fits: None,
            ..candidate()
        })
        .expect("age")
        .total;
        let one_place = score(&Candidate {
            remaining: 1,
            ..candidate()
        })
        .expect("places")
        .total;
        let new_provider = score(&Candidate {
            completed: 0,
            average_rating: None,
            ..candidate()
        })
        .expect("new")
        .total;
        for lower in [county, unknown_age, one_place, new_provider] {
            assert!(lower < base);
        }
    }

    #[test]
    fn ages_fit_when_they_overlap_the_band_and_say_nothing_when_unrestricted() {
        assert_eq!(
            age_fit(Some(AgeBand::Primary), Some(6), Some(14)),
            Some(true)
        );
        assert_eq!(
            age_fit(Some(AgeBand::Primary), Some(10), Some(12)),
            Some(true)
        );
        assert_eq!(
            age_fit(Some(AgeBand::Primary), Some(12), Some(14)),
            Some(false)
        );
        assert_eq!(
            age_fit(Some(AgeBand::Senior), Some(0), Some(14)),
            Some(false)
        );
        assert_eq!(age_fit(Some(AgeBand::Infant), Some(2), None), Some(true));
        assert_eq!(age_fit(Some(AgeBand::Infant), Some(3), None), Some(false));
        assert_eq!(age_fit(Some(AgeBand::Junior), Some(0), Some(17)), None);
        assert_eq!(age_fit(Some(AgeBand::Junior), None, None), None);
        assert_eq!(age_fit(None, Some(6), Some(11)), None);
    }

    proptest! {
        #[test]
        fn scores_stay_within_0_and_100_and_add_up(
            remaining in 1u32..1000,
            relevance in proptest::num::f32::ANY,
            completed in 0u32..1000,
            rating in proptest::option::of(proptest::num::f32::ANY),
            county in any::<bool>(),
            age in proptest::option::of(Just(true)),
            outcomes in (0u32..50, 0u32..50, 0u32..50),
        ) {
            let c = Candidate {
                same_category: true,
                area: if county { AreaFit::County } else { AreaFit::Township },
                age_fits: age,
                remaining,
                text_relevance: relevance,
                completed,
                average_rating: rating,
                outcomes: Outcomes {
                    fully_met: outcomes.0,
                    partly_met: outcomes.1,
                    not_met: outcomes.2,
                },
            };
            let s = score(&c).expect("a candidate");
            prop_assert!(s.total <= 100);
            prop_assert_eq!(s.total, s.reasons.iter().map(|r| r.points).sum::<u32>());
        }
    }
}
