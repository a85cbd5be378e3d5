//! One name and one colour for every state of every state machine, and for
//! a need's urgency: the name is the domain enum's `label()` (defined once,
//! beside the enum), the colour is the state's [`Tone`] (defined once,
//! here). Every page draws states through [`status_badge`], so a state
//! looks and reads the same wherever it appears.

use maud::{Markup, html};

use crate::domain::child::FileStatus;
use crate::domain::family::FamilyStatus;
use crate::domain::matching::MatchStatus;
use crate::domain::need::{NeedStatus, Urgency};
use crate::domain::offer::OfferStatus;
use crate::domain::provider::ProviderStatus;
use crate::domain::referral::ReferralStatus;
use crate::domain::report::{ReportStatus, Stage};

/// The colour of a badge, by what the state asks of its reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Waiting for someone's decision or work (yellow).
    Waiting,
    /// Going, or ended well (green).
    Good,
    /// Refused or stopped (red).
    Refused,
    /// Over, nothing to do (grey).
    Ended,
    /// Needs attention soon (orange).
    Urgent,
}

impl Tone {
    pub fn class(self) -> &'static str {
        match self {
            Tone::Waiting => "tone-waiting",
            Tone::Good => "tone-good",
            Tone::Refused => "tone-refused",
            Tone::Ended => "tone-ended",
            Tone::Urgent => "tone-urgent",
        }
    }
}

/// A state as pages show it.
pub trait Shown: Copy {
    /// The stable code (kept on the badge for tests and styles).
    fn code(self) -> &'static str;
    /// The one Chinese name of the state.
    fn name(self) -> &'static str;
    fn tone(self) -> Tone;
}

macro_rules! shown {
    ($ty:ty, $($variant:ident => $tone:ident),+ $(,)?) => {
        impl Shown for $ty {
            fn code(self) -> &'static str { self.as_str() }
            fn name(self) -> &'static str { self.label() }
            fn tone(self) -> Tone {
                match self { $(<$ty>::$variant => Tone::$tone,)+ }
            }
        }
    };
}

shown!(FileStatus, Draft => Waiting, Active => Good, Closed => Ended);
shown!(NeedStatus, Draft => Waiting, Published => Good, Matched => Good, Fulfilled => Good, Closed => Ended);
shown!(OfferStatus, Active => Good, Paused => Waiting, Closed => Ended);
shown!(ProviderStatus, Pending => Waiting, Verified => Good, Rejected => Refused, Suspended => Refused);
shown!(FamilyStatus, Submitted => Waiting, Assessing => Waiting, Recommended => Waiting, Approved => Good, Rejected => Refused);
shown!(MatchStatus,
    Suggested => Waiting, Proposed => Waiting, TownshipApproved => Waiting, Approved => Good,
    InService => Good, Completed => Good, Rejected => Refused, Withdrawn => Ended, Cancelled => Ended);
shown!(Urgency, Normal => Ended, Urgent => Urgent, Critical => Refused);
shown!(ReportStatus,
    Received => Urgent, Assigned => Waiting, Assessing => Waiting, Intervention => Waiting,
    Assistance => Waiting, Unfounded => Ended, Closed => Good);
shown!(Stage, Received => Waiting, Handling => Waiting, Closed => Good);
shown!(ReferralStatus,
    Sent => Waiting, Accepted => Waiting, Granted => Good, Refused => Refused,
    Returned => Refused, Forwarded => Ended, Closed => Ended);

/// A state's badge: its one name in its one colour.
pub fn status_badge(state: impl Shown) -> Markup {
    html! {
        span class={ "badge " (state.tone().class()) } data-status=(state.code()) { (state.name()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_are_distinct<S: Shown>(all: &[S]) {
        let names: Vec<&str> = all.iter().map(|s| s.name()).collect();
        for (i, name) in names.iter().enumerate() {
            assert!(!names[..i].contains(name), "{name} names two states");
            assert!(!name.contains('，'), "{name} is a sentence, not a name");
        }
    }

    #[test]
    fn each_state_of_a_machine_has_its_own_short_name() {
        names_are_distinct(FileStatus::ALL);
        names_are_distinct(NeedStatus::ALL);
        names_are_distinct(OfferStatus::ALL);
        names_are_distinct(&ProviderStatus::ALL);
        names_are_distinct(&FamilyStatus::ALL);
        names_are_distinct(MatchStatus::ALL);
        names_are_distinct(ReportStatus::ALL);
        names_are_distinct(Stage::ALL);
        names_are_distinct(ReferralStatus::ALL);
    }

    #[test]
    fn a_badge_carries_the_name_and_the_tone_of_its_state() {
        let html = status_badge(FamilyStatus::Submitted).into_string();
        assert!(html.contains("tone-waiting"), "{html}");
        assert!(html.contains(FamilyStatus::Submitted.label()), "{html}");
    }
}
