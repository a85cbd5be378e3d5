//! A match (对接) between a need and an offer, and the moves between its
//! states (DESIGN.md, "Workflows"): proposed by the provider, or suggested
//! by a township officer and then accepted by the provider; approved by the
//! township officer (and, for placing a child in a home or sponsoring one,
//! by county staff as well); in service once the provider logs services;
//! completed with feedback. Any open match may be rejected, withdrawn or
//! cancelled, with a reason.

mod coverage;
mod parties;

pub use coverage::{matches_wanted, need_status};
pub use parties::{
    Action, Party, Refusal, allowed_actions, may_continue, may_hand_over, may_note_outcome,
    move_for, next_status, owner_sees_handover,
};

use super::category::Category;
use super::coded::coded_enum;

coded_enum! {
    /// Where a match stands.
    pub enum MatchStatus ("未知的对接状态") {
        /// Suggested by a township officer; the provider has not accepted yet.
        Suggested = "suggested", "待服务方确认";
        Proposed = "proposed", "待乡镇审批";
        /// Approved by the township; the county's approval is still due.
        TownshipApproved = "township_approved", "待县级审批";
        Approved = "approved", "已批准";
        InService = "in_service", "服务中";
        Completed = "completed", "已完成";
        Rejected = "rejected", "未批准";
        Withdrawn = "withdrawn", "已撤回";
        Cancelled = "cancelled", "已取消";
    }
}

coded_enum! {
    /// Who proposed a match: the offer's owner, or a township officer
    /// (a suggestion the owner must accept).
    pub enum ProposedSide ("未知的提出方") {
        Provider = "provider", "服务方提出";
        Officer = "officer", "乡镇（街道）推荐";
    }
}

/// What someone does to a match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchMove {
    /// The provider accepts an officer's suggestion.
    Accept,
    /// The township officer of the need approves.
    ApproveTownship,
    /// County staff give the second approval.
    ApproveCounty,
    /// The provider logs a service.
    LogService,
    /// The township officer confirms completion with feedback.
    Complete,
    /// An approver refuses, with a reason.
    Reject,
    /// The side that proposed takes it back before approval.
    Withdraw,
    /// Either side ends an approved match before completion, with a reason.
    Cancel,
}

/// An illegal move, naming the state the match is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("对接当前为“{}”，不能执行此操作", .0.label())]
pub struct IllegalMatchMove(pub MatchStatus);

/// Whether a match of this category needs the county's approval too:
/// placing a child in a home, or sponsoring one.
pub fn needs_county_approval(category: Category) -> bool {
    matches!(
        category,
        Category::FosterCare | Category::EntrustedCare | Category::Sponsorship
    )
}

impl MatchStatus {
    /// The state after `action` on a match of `category`, or why not.
    pub fn apply(
        self,
        action: MatchMove,
        category: Category,
    ) -> Result<MatchStatus, IllegalMatchMove> {
        use MatchMove as M;
        use MatchStatus as S;
        let next = match (self, action) {
            (S::Suggested, M::Accept) => S::Proposed,
            (S::Proposed, M::ApproveTownship) if needs_county_approval(category) => {
                S::TownshipApproved
            }
            (S::Proposed, M::ApproveTownship) => S::Approved,
            (S::TownshipApproved, M::ApproveCounty) => S::Approved,
            (S::Approved | S::InService, M::LogService) => S::InService,
            (S::InService, M::Complete) => S::Completed,
            (S::Suggested | S::Proposed | S::TownshipApproved, M::Reject) => S::Rejected,
            (S::Suggested | S::Proposed, M::Withdraw) => S::Withdrawn,
            (S::TownshipApproved | S::Approved | S::InService, M::Cancel) => S::Cancelled,
            (state, _) => return Err(IllegalMatchMove(state)),
        };
        Ok(next)
    }

    /// Whether the match holds a place of its offer (taken at the final
    /// approval, given back when it is cancelled).
    pub fn holds_capacity(self) -> bool {
        matches!(
            self,
            MatchStatus::Approved | MatchStatus::InService | MatchStatus::Completed
        )
    }

    /// Whether the match is over.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            MatchStatus::Completed
                | MatchStatus::Rejected
                | MatchStatus::Withdrawn
                | MatchStatus::Cancelled
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TUTORING: Category = Category::Tutoring;
    const FOSTER: Category = Category::FosterCare;

    #[test]
    fn a_service_goes_from_proposal_to_completion_with_one_approval() {
        let s = MatchStatus::Proposed;
        let s = s
            .apply(MatchMove::ApproveTownship, TUTORING)
            .expect("approve");
        assert_eq!(s, MatchStatus::Approved);
        assert!(s.holds_capacity());
        let s = s.apply(MatchMove::LogService, TUTORING).expect("service");
        let s = s
            .apply(MatchMove::LogService, TUTORING)
            .expect("another service");
        assert_eq!(
            s.apply(MatchMove::Complete, TUTORING),
            Ok(MatchStatus::Completed)
        );
    }

    #[test]
    fn placing_a_child_needs_the_county_too() {
        for category in [
            Category::FosterCare,
            Category::EntrustedCare,
            Category::Sponsorship,
        ] {
            let s = MatchStatus::Proposed
                .apply(MatchMove::ApproveTownship, category)
                .expect("township");
            assert_eq!(s, MatchStatus::TownshipApproved);
            assert!(!s.holds_capacity());
            assert_eq!(
                s.apply(MatchMove::ApproveCounty, category),
                Ok(MatchStatus::Approved)
            );
        }
        assert!(
            MatchStatus::Proposed
                .apply(MatchMove::ApproveCounty, FOSTER)
                .is_err()
        );
    }

    #[test]
    fn an_officers_suggestion_waits_for_the_provider() {
        let s = MatchStatus::Suggested;
        assert!(s.apply(MatchMove::ApproveTownship, TUTORING).is_err());
        assert_eq!(
            s.apply(MatchMove::Accept, TUTORING),
            Ok(MatchStatus::Proposed)
        );
        assert_eq!(
            s.apply(MatchMove::Withdraw, TUTORING),
            Ok(MatchStatus::Withdrawn)
        );
    }

    #[test]
    fn statuses_are_selected_by_code_for_queries() {
        assert_eq!(
            MatchStatus::codes_where(MatchStatus::holds_capacity),
            ["approved", "in_service", "completed"]
        );
        assert_eq!(
            MatchStatus::codes_where(|s| !s.is_final()).len() + 4,
            MatchStatus::ALL.len()
        );
    }

    #[test]
    fn over_is_over_and_illegal_moves_name_the_state() {
        for done in [
            MatchStatus::Completed,
            MatchStatus::Rejected,
            MatchStatus::Withdrawn,
            MatchStatus::Cancelled,
        ] {
            assert!(done.is_final());
            for action in [
                MatchMove::Accept,
                MatchMove::ApproveTownship,
                MatchMove::Cancel,
                MatchMove::LogService,
            ] {
                assert_eq!(done.apply(action, TUTORING), Err(IllegalMatchMove(done)));
            }
        }
        assert!(
            MatchStatus::Approved
                .apply(MatchMove::Withdraw, TUTORING)
                .is_err()
        );
        assert_eq!(
            MatchStatus::InService.apply(MatchMove::Cancel, TUTORING),
            Ok(MatchStatus::Cancelled)
        );
        assert!(
            IllegalMatchMove(MatchStatus::Approved)
                .to_string()
                .contains("已批准")
        );
    }
}
