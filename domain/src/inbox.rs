//! The inbox (待办): the kinds of item that wait for someone, which role
//! each kind waits for, and when an item counts as overdue.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};

use super::Role;
use super::coded::coded_enum;

coded_enum! {
    /// What an inbox item asks of its reader.
    pub enum InboxKind ("未知的待办类型") {
        /// A provider's proposal (or an accepted suggestion) to approve or reject.
        MatchProposed = "match_proposed", "待审批的对接";
        /// A match in service with services logged: confirm completion.
        MatchToComplete = "match_to_complete", "待确认完成的对接";
        /// A family application to visit and assess.
        FamilyToAssess = "family_to_assess", "待走访评估的爱心家庭";
        /// An approved family whose approval ends soon or has ended.
        FamilyToReassess = "family_to_reassess", "批准即将到期、待复评的爱心家庭";
        /// A published need nobody has proposed for in a while.
        NeedUnmatched = "need_unmatched", "长期无人对接的需求";
        /// A placement or sponsorship approved by the township.
        MatchCountyApproval = "match_county_approval", "待县级审批的对接";
        /// A family the township recommended.
        FamilyToDecide = "family_to_decide", "待县级审批的爱心家庭";
        /// A provider's registration.
        ProviderToVerify = "provider_to_verify", "待审核的服务机构";
        /// An officer's suggestion on one's own offer.
        MatchSuggested = "match_suggested", "待确认的对接建议";
        /// An approved match without any service logged yet.
        MatchToServe = "match_to_serve", "待登记服务的对接";
        /// One's own family approval ends soon or has ended.
        ApprovalExpiring = "approval_expiring", "家庭资格即将到期，请联系乡镇复评";
        /// A file drafted in the village, waiting for the township.
        DraftFile = "draft_file", "等待乡镇完善的儿童档案";
        /// A need one drafted, waiting for the township to publish it.
        DraftNeed = "draft_need", "等待乡镇发布的需求";
        /// A running match whose child's guardian withdrew consent to
        /// publish: continue it or cancel it.
        MatchToReview = "match_to_review", "监护人撤回同意、待决定是否继续的对接";
        /// A file a village supervisor drafted, for the township to complete.
        FileToComplete = "file_to_complete", "村（社区）起草、待完善的儿童档案";
        /// A need a village supervisor drafted, for the township to publish.
        NeedToPublish = "need_to_publish", "村（社区）起草、待发布的需求";
        /// A mandatory report nobody has responded to yet; overdue past
        /// its first-response deadline.
        ReportToRespond = "report_to_respond", "待首次响应的强制报告";
        /// A decided report waiting for its follow-up visit and closing.
        ReportToClose = "report_to_close", "待回访结案的强制报告";
        /// A report unanswered past twice its deadline (county).
        ReportEscalated = "report_escalated", "超时未响应、县级督办的强制报告";
        /// A referral sent to one's department, to accept.
        ReferralToAccept = "referral_to_accept", "待受理的转介";
        /// A referral one's department accepted, to answer.
        ReferralToAnswer = "referral_to_answer", "办理中、待答复的转介";
        /// A department asked the township about a referral.
        ReferralQuestion = "referral_question", "部门询问、待回复的转介";
        /// A department answered (granted, refused, sent back): to close.
        ReferralAnswered = "referral_answered", "部门已答复、待办结的转介";
        /// A referral of the township past its deadline, unanswered.
        ReferralOverdue = "referral_overdue", "部门逾期未答复的转介";
        /// A referral past twice its deadline, unanswered: the county's.
        ReferralEscalated = "referral_escalated", "超过两倍时限未答复的转介（督办）";
        /// A need unanswered past its days, now offered county-wide.
        NeedWidened = "need_widened", "长期无人对接、已扩大推荐范围的需求";
        /// A need unanswered past the closing time: renew or close it.
        NeedToRenew = "need_to_renew", "长期无人对接、待续期或关闭的需求";
        /// A proposal the township has not decided within its working days.
        ProposalOverdue = "proposal_overdue", "乡镇超期未审批的对接申请（督办）";
        /// A completed match on one's own offer without one's outcome note.
        OwnerOutcomeNote = "owner_outcome_note", "已完成、待填写服务成效说明的对接";
        /// A completed match of the township without the officer's outcome.
        OfficerOutcomeNote = "officer_outcome_note", "已完成、待填写成效评价的对接";
    }
}

/// Which kinds wait for a role, in the order they are counted.
pub fn kinds_for(role: Role) -> &'static [InboxKind] {
    use InboxKind as K;
    match role {
        Role::TownshipOfficer => &[
            K::ReportToRespond,
            K::MatchToReview,
            K::MatchProposed,
            K::MatchToComplete,
            K::FileToComplete,
            K::NeedToPublish,
            K::FamilyToAssess,
            K::FamilyToReassess,
            K::NeedUnmatched,
            K::ReportToClose,
            K::ReferralQuestion,
            K::ReferralAnswered,
            K::ReferralOverdue,
            K::NeedToRenew,
            K::NeedWidened,
            K::OfficerOutcomeNote,
        ],
        Role::CountyAdmin => &[
            K::ReportEscalated,
            K::MatchCountyApproval,
            K::FamilyToDecide,
            K::ProviderToVerify,
            K::ReferralEscalated,
            K::ProposalOverdue,
        ],
        Role::Provider => &[K::MatchSuggested, K::MatchToServe, K::OwnerOutcomeNote],
        Role::Family => &[
            K::MatchSuggested,
            K::MatchToServe,
            K::ApprovalExpiring,
            K::OwnerOutcomeNote,
        ],
        Role::VillageSupervisor => &[K::DraftFile, K::DraftNeed],
        Role::DepartmentStaff => &[K::ReferralToAccept, K::ReferralToAnswer],
    }
}

/// How many days before an approval ends the family shows for re-assessment.
pub const REASSESS_WINDOW_DAYS: i64 = 60;

/// The day a family approved until `approved_until` starts waiting for its
/// re-assessment.
pub fn reassess_from(approved_until: NaiveDate) -> NaiveDate {
    approved_until - Duration::days(REASSESS_WINDOW_DAYS)
}

/// The last `approved_until` that shows for re-assessment on `today`.
pub fn reassess_until(today: NaiveDate) -> NaiveDate {
    today + Duration::days(REASSESS_WINDOW_DAYS)
}

/// Items that started waiting before this moment are overdue.
pub fn overdue_cutoff(now: DateTime<Utc>, overdue_days: u32) -> DateTime<Utc> {
    now - Duration::days(i64::from(overdue_days))
}

/// Whether an item waiting since `since` is overdue at `cutoff`.
pub fn is_overdue(since: DateTime<Utc>, cutoff: DateTime<Utc>) -> bool {
    since < cutoff
}

/// The start of `day` (UTC): when an item dated by a day started waiting.
pub fn start_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(NaiveTime::MIN).and_utc()
}

/// The last day whose start is before `cutoff`: an item dated by a day is
/// overdue exactly when its day is on or before this one.
pub fn last_overdue_day(cutoff: DateTime<Utc>) -> NaiveDate {
    let day = cutoff.date_naive();
    if start_of(day) < cutoff {
        day
    } else {
        day - Duration::days(1)
    }
}

/// Whole days an item has waited.
pub fn waiting_days(since: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (now - since).num_days().max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("RFC 3339")
            .with_timezone(&Utc)
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn an_item_is_overdue_once_it_waited_longer_than_the_days() {
        let now = at("2026-11-28T10:00:00Z");
        let cutoff = overdue_cutoff(now, 7);
        assert_eq!(cutoff, at("2026-11-21T10:00:00Z"));
        assert!(is_overdue(at("2026-11-21T09:59:59Z"), cutoff));
        assert!(!is_overdue(at("2026-11-21T10:00:00Z"), cutoff));
        assert!(!is_overdue(at("2026-11-27T10:00:00Z"), cutoff));
        assert_eq!(waiting_days(at("2026-11-20T11:00:00Z"), now), 7);
        assert_eq!(waiting_days(at("2026-11-29T11:00:00Z"), now), 0);
    }

    #[test]
    fn a_dated_item_is_overdue_by_its_day_as_by_its_start() {
        for cutoff in [at("2026-11-21T10:00:00Z"), at("2026-11-21T00:00:00Z")] {
            let last = last_overdue_day(cutoff);
            assert!(is_overdue(start_of(last), cutoff));
            assert!(!is_overdue(start_of(last + Duration::days(1)), cutoff));
        }
    }

    #[test]
    fn re_assessment_opens_sixty_days_before_the_approval_ends() {
        let end = day(2027, 2, 28);
        assert_eq!(reassess_from(end), day(2026, 12, 30));
        assert_eq!(reassess_until(day(2026, 12, 30)), end);
    }

    #[test]
    fn every_role_has_its_own_kinds_and_each_kind_a_label() {
        for role in Role::ALL {
            let kinds = kinds_for(role);
            assert!(!kinds.is_empty(), "{role:?}");
            for kind in kinds {
                assert_eq!(kind.as_str().parse::<InboxKind>(), Ok(*kind));
                assert!(!kind.label().is_empty());
            }
        }
        assert!(kinds_for(Role::CountyAdmin).contains(&InboxKind::ProviderToVerify));
        assert!(!kinds_for(Role::Provider).contains(&InboxKind::MatchProposed));
    }
}
