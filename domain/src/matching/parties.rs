//! Who may do what to a match: the parties of a match (the offer's owner,
//! the township officer of the need, county staff), the actions they ask
//! for by name, and the move of the state machine each one becomes.
//!
//! Refusing splits in two, as the API answers them: a party that never
//! does an action is refused outright (403), while an action this party
//! does, asked for in the wrong state, names the state (409).

use super::super::category::Category;
use super::super::coded::coded_enum;
use super::{MatchMove, MatchStatus};

/// How the caller stands to a match it may see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Party {
    /// The provider or family whose offer it is.
    Owner,
    /// A township officer of the need's township.
    Officer,
    /// County staff.
    County,
}

coded_enum! {
    /// What someone asks to do to a match, as named in URLs and forms.
    pub enum Action ("未知的对接操作") {
        Accept = "accept", "接受推荐";
        Approve = "approve", "批准";
        Reject = "reject", "不予批准";
        Withdraw = "withdraw", "撤回";
        Cancel = "cancel", "取消对接";
        Services = "services", "登记服务";
        Complete = "complete", "确认完成";
        /// Setting or replacing the handover note (no change of state).
        Handover = "handover", "交接说明";
        /// The officer decides that a match under review (the guardian
        /// withdrew consent to publish) goes on (no change of state).
        Continue = "continue", "继续服务";
        /// The owner's or the officer's outcome note on a completed match
        /// (no change of state; asked for by the inbox, not a move).
        OutcomeNote = "outcome_note", "填写成效说明";
    }
}

/// Why an action is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// This party never does this action.
    NotYours,
    /// This party does it, but not while the match is in this state.
    Illegal(MatchStatus),
}

/// The move of the state machine that `action` by `party` is, on a match
/// in `status`. The state machine itself then decides whether the move is
/// legal from `status`.
pub fn move_for(party: Party, action: Action, status: MatchStatus) -> Result<MatchMove, Refusal> {
    use Action as A;
    use Party as P;
    match (action, party) {
        (A::Accept, P::Owner) => Ok(MatchMove::Accept),
        (A::Approve, P::Officer) => Ok(MatchMove::ApproveTownship),
        (A::Approve, P::County) => Ok(MatchMove::ApproveCounty),
        (A::Reject, P::Officer) => Ok(MatchMove::Reject),
        // County staff decide only what reached them.
        (A::Reject, P::County) if status == MatchStatus::TownshipApproved => Ok(MatchMove::Reject),
        (A::Reject, P::County) => Err(Refusal::Illegal(status)),
        // The owner takes back its proposal, or declines an officer's suggestion.
        (A::Withdraw, P::Owner) => Ok(MatchMove::Withdraw),
        // The officer takes back only its own suggestion: once the owner
        // accepted, the officer decides on it (approve or reject).
        (A::Withdraw, P::Officer) if status == MatchStatus::Suggested => Ok(MatchMove::Withdraw),
        (A::Withdraw, P::Officer) => Err(Refusal::Illegal(status)),
        (A::Cancel, P::Officer | P::Owner) => Ok(MatchMove::Cancel),
        (A::Services, P::Owner) => Ok(MatchMove::LogService),
        (A::Complete, P::Officer) => Ok(MatchMove::Complete),
        _ => Err(Refusal::NotYours),
    }
}

/// The status after `action` by `party` on a match in `status`, or why not.
pub fn next_status(
    party: Party,
    action: Action,
    status: MatchStatus,
    category: Category,
) -> Result<MatchStatus, Refusal> {
    let movement = move_for(party, action, status)?;
    status
        .apply(movement, category)
        .map_err(|illegal| Refusal::Illegal(illegal.0))
}

/// Whether `party` may set the handover note of a match in `status`: the
/// township officer, once the match is approved and until it ends.
pub fn may_hand_over(party: Party, status: MatchStatus) -> Result<(), Refusal> {
    match party {
        Party::Officer if matches!(status, MatchStatus::Approved | MatchStatus::InService) => {
            Ok(())
        }
        Party::Officer => Err(Refusal::Illegal(status)),
        _ => Err(Refusal::NotYours),
    }
}

/// Whether `party` may decide that a match under review goes on: the
/// township officer, while the match holds its place and waits for that
/// decision (`under_review`).
pub fn may_continue(party: Party, status: MatchStatus, under_review: bool) -> Result<(), Refusal> {
    match party {
        Party::Officer
            if under_review && matches!(status, MatchStatus::Approved | MatchStatus::InService) =>
        {
            Ok(())
        }
        Party::Officer => Err(Refusal::Illegal(status)),
        _ => Err(Refusal::NotYours),
    }
}

/// Whether `party` may give its outcome note on a match in `status`: the
/// offer's owner and the township officer, once the match is completed.
/// Whether it was already given is the store's conditional update to say.
pub fn may_note_outcome(party: Party, status: MatchStatus) -> Result<(), Refusal> {
    match party {
        Party::Owner | Party::Officer if status == MatchStatus::Completed => Ok(()),
        Party::Owner | Party::Officer => Err(Refusal::Illegal(status)),
        Party::County => Err(Refusal::NotYours),
    }
}

/// Every action `party` may take now on a match in `status` (waiting for
/// a decision on its review or not), in display order.
pub fn allowed_actions(
    party: Party,
    status: MatchStatus,
    category: Category,
    under_review: bool,
) -> Vec<Action> {
    Action::ALL
        .iter()
        .copied()
        .filter(|&action| match action {
            Action::Handover => may_hand_over(party, status).is_ok(),
            Action::Continue => may_continue(party, status, under_review).is_ok(),
            // Asked for once per party, so offered beside the moves by the
            // match's view, which knows whether it was given.
            Action::OutcomeNote => false,
            _ => next_status(party, action, status, category).is_ok(),
        })
        .collect()
}

/// Whether the handover note may be shown to the offer's owner: only while
/// the match holds its place (approved, in service, completed).
pub fn owner_sees_handover(status: MatchStatus) -> bool {
    status.holds_capacity()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TUTORING: Category = Category::Tutoring;
    const FOSTER: Category = Category::FosterCare;

    #[test]
    fn outcome_notes_come_from_the_owner_and_the_officer_of_a_completed_match() {
        for party in [Party::Owner, Party::Officer] {
            assert_eq!(may_note_outcome(party, MatchStatus::Completed), Ok(()));
            assert_eq!(
                may_note_outcome(party, MatchStatus::InService),
                Err(Refusal::Illegal(MatchStatus::InService))
            );
        }
        assert_eq!(
            may_note_outcome(Party::County, MatchStatus::Completed),
            Err(Refusal::NotYours)
        );
        assert!(
            !allowed_actions(Party::Officer, MatchStatus::Completed, TUTORING, false)
                .contains(&Action::OutcomeNote)
        );
    }

    #[test]
    fn only_the_officer_continues_a_match_under_review() {
        assert_eq!(
            allowed_actions(Party::Officer, MatchStatus::InService, TUTORING, true),
            [
                Action::Cancel,
                Action::Complete,
                Action::Handover,
                Action::Continue
            ]
        );
        assert!(
            !allowed_actions(Party::Owner, MatchStatus::Approved, TUTORING, true)
                .contains(&Action::Continue)
        );
        assert_eq!(
            may_continue(Party::Officer, MatchStatus::Approved, false),
            Err(Refusal::Illegal(MatchStatus::Approved))
        );
        assert_eq!(
            may_continue(Party::Officer, MatchStatus::Completed, true),
            Err(Refusal::Illegal(MatchStatus::Completed))
        );
        assert_eq!(
            may_continue(Party::County, MatchStatus::Approved, true),
            Err(Refusal::NotYours)
        );
    }

    #[test]
    fn each_party_has_its_own_actions() {
        assert_eq!(
            allowed_actions(Party::Owner, MatchStatus::Suggested, TUTORING, false),
            [Action::Accept, Action::Withdraw]
        );
        assert_eq!(
            allowed_actions(Party::Officer, MatchStatus::Suggested, TUTORING, false),
            [Action::Reject, Action::Withdraw]
        );
        assert_eq!(
            allowed_actions(Party::Officer, MatchStatus::Proposed, TUTORING, false),
            [Action::Approve, Action::Reject]
        );
        assert_eq!(
            allowed_actions(Party::Owner, MatchStatus::Proposed, TUTORING, false),
            [Action::Withdraw]
        );
        assert!(allowed_actions(Party::County, MatchStatus::Proposed, FOSTER, false).is_empty());
        assert_eq!(
            allowed_actions(Party::County, MatchStatus::TownshipApproved, FOSTER, false),
            [Action::Approve, Action::Reject]
        );
        assert_eq!(
            allowed_actions(Party::Officer, MatchStatus::TownshipApproved, FOSTER, false),
            [Action::Reject, Action::Cancel]
        );
        assert_eq!(
            allowed_actions(Party::Owner, MatchStatus::Approved, TUTORING, false),
            [Action::Cancel, Action::Services]
        );
        assert_eq!(
            allowed_actions(Party::Officer, MatchStatus::InService, TUTORING, false),
            [Action::Cancel, Action::Complete, Action::Handover]
        );
        for party in [Party::Owner, Party::Officer, Party::County] {
            assert!(allowed_actions(party, MatchStatus::Completed, TUTORING, false).is_empty());
        }
    }

    #[test]
    fn approval_is_the_officers_then_the_countys() {
        assert_eq!(
            next_status(
                Party::Officer,
                Action::Approve,
                MatchStatus::Proposed,
                FOSTER
            ),
            Ok(MatchStatus::TownshipApproved)
        );
        assert_eq!(
            next_status(
                Party::Officer,
                Action::Approve,
                MatchStatus::TownshipApproved,
                FOSTER
            ),
            Err(Refusal::Illegal(MatchStatus::TownshipApproved))
        );
        assert_eq!(
            next_status(
                Party::County,
                Action::Approve,
                MatchStatus::TownshipApproved,
                FOSTER
            ),
            Ok(MatchStatus::Approved)
        );
        assert_eq!(
            next_status(
                Party::County,
                Action::Approve,
                MatchStatus::Proposed,
                TUTORING
            ),
            Err(Refusal::Illegal(MatchStatus::Proposed))
        );
        assert_eq!(
            next_status(
                Party::Owner,
                Action::Approve,
                MatchStatus::Proposed,
                TUTORING
            ),
            Err(Refusal::NotYours)
        );
    }

    #[test]
    fn wrong_party_is_refused_whatever_the_state_and_wrong_state_names_it() {
        assert_eq!(
            next_status(
                Party::County,
                Action::Services,
                MatchStatus::Approved,
                TUTORING
            ),
            Err(Refusal::NotYours)
        );
        assert_eq!(
            next_status(
                Party::Owner,
                Action::Complete,
                MatchStatus::Completed,
                TUTORING
            ),
            Err(Refusal::NotYours)
        );
        assert_eq!(
            next_status(
                Party::Officer,
                Action::Withdraw,
                MatchStatus::Proposed,
                TUTORING
            ),
            Err(Refusal::Illegal(MatchStatus::Proposed))
        );
        assert_eq!(
            next_status(
                Party::County,
                Action::Reject,
                MatchStatus::Proposed,
                TUTORING
            ),
            Err(Refusal::Illegal(MatchStatus::Proposed))
        );
        assert_eq!(
            next_status(
                Party::Owner,
                Action::Services,
                MatchStatus::Proposed,
                TUTORING
            ),
            Err(Refusal::Illegal(MatchStatus::Proposed))
        );
    }

    #[test]
    fn the_handover_note_is_the_officers_after_approval_and_shown_while_the_place_is_held() {
        assert_eq!(may_hand_over(Party::Officer, MatchStatus::Approved), Ok(()));
        assert_eq!(
            may_hand_over(Party::Officer, MatchStatus::Proposed),
            Err(Refusal::Illegal(MatchStatus::Proposed))
        );
        assert_eq!(
            may_hand_over(Party::Owner, MatchStatus::Approved),
            Err(Refusal::NotYours)
        );
        assert!(!owner_sees_handover(MatchStatus::TownshipApproved));
        assert!(owner_sees_handover(MatchStatus::InService));
        assert!(!owner_sees_handover(MatchStatus::Cancelled));
    }
}
