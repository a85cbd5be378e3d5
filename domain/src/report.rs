//! Mandatory reports (强制报告) about a child at risk: the states a report
//! moves through, the steps that move it, its deadlines, and the closed
//! lists the forms offer. Pure: the services store and seal, this decides.
//!
//! `received → assigned → assessing → intervention | assistance | unfounded
//! → closed`. The first response is due within a deadline (shorter when the
//! child is in danger now); past it the report is overdue, past twice the
//! deadline it is escalated to the county.

mod input;

pub use input::{
    DESCRIPTION_MAX, Filing, FilingInput, LOOKUP_ALPHABET, LOOKUP_LEN, reference_of,
    reference_prefix,
};

use chrono::{DateTime, Duration, Utc};

use super::coded::coded_enum;

coded_enum! {
    /// Where a report stands.
    pub enum ReportStatus ("未知的报告状态") {
        /// Filed, nobody has taken it yet.
        Received = "received", "已接报";
        /// An officer took it and is on the way.
        Assigned = "assigned", "已受理";
        /// The first response is recorded; the case is being assessed.
        Assessing = "assessing", "评估中";
        /// Guardianship intervention or temporary care decided.
        Intervention = "intervention", "监护干预";
        /// The family is helped: a child file and needs.
        Assistance = "assistance", "评估帮扶";
        /// Checked and found unfounded.
        Unfounded = "unfounded", "经核查不属实";
        /// Done, follow-up recorded where one was due.
        Closed = "closed", "已结案";
    }
}

coded_enum! {
    /// What the reporter may learn with their lookup code: the stage only.
    pub enum Stage ("未知的办理阶段") {
        Received = "received", "已收到";
        Handling = "handling", "正在处理";
        Closed = "closed", "已办结";
    }
}

coded_enum! {
    /// Who the reporter is (mandated reporters first).
    pub enum ReporterKind ("请选择报告人身份") {
        School = "school", "学校";
        Kindergarten = "kindergarten", "幼儿园";
        Hospital = "hospital", "医疗机构";
        WelfareInstitution = "welfare_institution", "福利机构或救助保护机构";
        VillageCommittee = "village_committee", "村（居）委会或儿童督导员";
        NeighbourRelative = "neighbour_relative", "邻居或亲属";
        Child = "child", "儿童本人";
        Other = "other", "其他";
    }
}

coded_enum! {
    /// The assessed risk to the child.
    pub enum RiskLevel ("请选择风险等级") {
        Low = "low", "低风险";
        Medium = "medium", "中风险";
        High = "high", "高风险";
    }
}

coded_enum! {
    /// What the assessment found.
    pub enum RiskFactor ("未知的风险因素") {
        Injury = "injury", "身体受伤";
        Neglect = "neglect", "疏于照料";
        NoCarer = "no_carer", "无人照料";
        AbuseSuspected = "abuse_suspected", "疑似遭受虐待";
        UnsafeHome = "unsafe_home", "居住环境不安全";
        SchoolDropout = "school_dropout", "失学辍学";
    }
}

coded_enum! {
    /// What the township decides after the assessment.
    pub enum Decision ("请选择处置决定") {
        Intervention = "intervention", "监护干预（含临时照护）";
        Assistance = "assistance", "评估帮扶（建档并发布需求）";
        Unfounded = "unfounded", "经核查不属实";
    }
}

coded_enum! {
    /// A step of guardianship intervention.
    pub enum InterventionKind ("请选择干预措施") {
        TemporaryCare = "temporary_care", "临时照护";
        PoliceWarning = "police_warning", "公安机关训诫、教育";
        FamilyEducation = "family_education", "家庭教育指导";
        CourtRevocation = "court_revocation", "向法院申请撤销监护人资格";
    }
}

coded_enum! {
    /// Where a child in temporary care stays.
    pub enum Placement ("请选择临时照护方式") {
        Relatives = "relatives", "亲属照护";
        WelfareInstitution = "welfare_institution", "儿童福利机构";
        RescueProtection = "rescue_protection", "未成年人救助保护机构";
        FosterFamily = "foster_family", "经批准的爱心家庭";
    }
}

coded_enum! {
    /// One dated record in a report's history.
    pub enum StepKind ("未知的处置记录") {
        Filed = "filed", "接报";
        Assigned = "assigned", "受理";
        Responded = "responded", "首次响应";
        Assessed = "assessed", "评估";
        Decided = "decided", "处置决定";
        Intervened = "intervened", "干预措施";
        Linked = "linked", "关联儿童档案";
        FollowedUp = "followed_up", "回访";
        Closed = "closed", "结案";
        Overdue = "overdue", "超过首次响应时限";
        Escalated = "escalated", "上报县级督办";
    }
}

/// A move a report's state does or does not allow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    Assign,
    Respond,
    Assess,
    Decide(Decision),
    Intervene,
    Link,
    Close,
}

impl Move {
    /// The step's name for a refusal message.
    pub fn label(self) -> &'static str {
        match self {
            Move::Assign => "受理",
            Move::Respond => "记录首次响应",
            Move::Assess => "记录评估",
            Move::Decide(_) => "作出处置决定",
            Move::Intervene => "记录干预措施",
            Move::Link => "关联儿童档案",
            Move::Close => "结案",
        }
    }
}

impl ReportStatus {
    /// The state after `mv`, or `None` when this state does not allow it.
    /// Conditions beyond the state (an assessment before the decision, a
    /// follow-up before closing) are the service's, see [`close_needs`].
    pub fn after(self, mv: Move) -> Option<ReportStatus> {
        use ReportStatus as S;
        match (self, mv) {
            (S::Received, Move::Assign) => Some(S::Assigned),
            (S::Assigned, Move::Respond) => Some(S::Assessing),
            (S::Assessing, Move::Assess) => Some(S::Assessing),
            (S::Assessing, Move::Decide(d)) => Some(match d {
                Decision::Intervention => S::Intervention,
                Decision::Assistance => S::Assistance,
                Decision::Unfounded => S::Unfounded,
            }),
            (S::Intervention, Move::Intervene) => Some(S::Intervention),
            (S::Assigned | S::Assessing | S::Intervention | S::Assistance, Move::Link) => {
                Some(self)
            }
            (S::Intervention | S::Assistance | S::Unfounded, Move::Close) => Some(S::Closed),
            _ => None,
        }
    }

    /// What the reporter's lookup shows.
    pub fn stage(self) -> Stage {
        match self {
            ReportStatus::Received => Stage::Received,
            ReportStatus::Closed => Stage::Closed,
            _ => Stage::Handling,
        }
    }

    /// Nobody has responded yet: the first-response deadline runs.
    pub fn awaits_response(self) -> bool {
        matches!(self, ReportStatus::Received | ReportStatus::Assigned)
    }

    /// A follow-up visit is due before the report closes.
    pub fn needs_follow_up(self) -> bool {
        matches!(self, ReportStatus::Intervention | ReportStatus::Assistance)
    }

    pub fn is_open(self) -> bool {
        self != ReportStatus::Closed
    }
}

/// What closing a report needs beyond its state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CloseNeeds {
    /// A follow-up visit must be recorded (intervention, assistance).
    pub follow_up: bool,
    /// The child's file must be linked (assistance).
    pub file: bool,
}

pub fn close_needs(status: ReportStatus) -> CloseNeeds {
    CloseNeeds {
        follow_up: status.needs_follow_up(),
        file: status == ReportStatus::Assistance,
    }
}

/// The time limits of the safety mechanism (settings; the policy's
/// defaults are 1 hour, 24 hours and 30 days).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deadlines {
    /// First response when the child is in danger now.
    pub urgent: Duration,
    /// First response otherwise.
    pub normal: Duration,
    /// The follow-up visit after an intervention or assistance decision.
    pub follow_up: Duration,
}

impl Default for Deadlines {
    fn default() -> Self {
        Deadlines {
            urgent: Duration::hours(1),
            normal: Duration::hours(24),
            follow_up: Duration::days(30),
        }
    }
}

impl Deadlines {
    fn window(&self, urgent: bool) -> Duration {
        if urgent { self.urgent } else { self.normal }
    }

    /// When the first response is due.
    pub fn response_due(&self, received_at: DateTime<Utc>, urgent: bool) -> DateTime<Utc> {
        received_at + self.window(urgent)
    }

    /// When an unanswered report goes to the county: twice the deadline.
    pub fn escalate_at(&self, received_at: DateTime<Utc>, urgent: bool) -> DateTime<Utc> {
        received_at + self.window(urgent) * 2
    }

    /// When the follow-up visit is due after a decision.
    pub fn follow_up_due(&self, decided_at: DateTime<Utc>) -> DateTime<Utc> {
        decided_at + self.follow_up
    }
}

/// Whether a report is past its first-response deadline at `now`.
pub fn response_overdue(status: ReportStatus, due: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    status.awaits_response() && now > due
}

/// Whether a report waits for the county at `now` (unanswered past twice
/// its deadline).
pub fn escalated(status: ReportStatus, escalate_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    status.awaits_response() && now > escalate_at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + h * 3600, 0).expect("time")
    }

    #[test]
    fn a_report_moves_only_along_the_documented_path() {
        use ReportStatus as S;
        let path = [
            (S::Received, Move::Assign, S::Assigned),
            (S::Assigned, Move::Respond, S::Assessing),
            (S::Assessing, Move::Assess, S::Assessing),
            (
                S::Assessing,
                Move::Decide(Decision::Assistance),
                S::Assistance,
            ),
            (S::Assistance, Move::Close, S::Closed),
        ];
        for (from, mv, to) in path {
            assert_eq!(from.after(mv), Some(to), "{from:?} {mv:?}");
        }
        assert_eq!(S::Received.after(Move::Respond), None);
        assert_eq!(S::Received.after(Move::Close), None);
        assert_eq!(S::Assigned.after(Move::Decide(Decision::Unfounded)), None);
        assert_eq!(S::Assistance.after(Move::Intervene), None);
        assert_eq!(S::Closed.after(Move::Link), None);
        for mv in [
            Move::Assign,
            Move::Respond,
            Move::Assess,
            Move::Decide(Decision::Intervention),
            Move::Intervene,
            Move::Link,
            Move::Close,
        ] {
            assert_eq!(S::Closed.after(mv), None, "closed stays closed: {mv:?}");
        }
    }

    #[test]
    fn the_reporter_sees_three_stages_only() {
        assert_eq!(ReportStatus::Received.stage(), Stage::Received);
        assert_eq!(ReportStatus::Closed.stage(), Stage::Closed);
        for s in [
            ReportStatus::Assigned,
            ReportStatus::Assessing,
            ReportStatus::Intervention,
            ReportStatus::Assistance,
            ReportStatus::Unfounded,
        ] {
            assert_eq!(s.stage(), Stage::Handling);
        }
    }

    #[test]
    fn urgent_reports_are_due_in_an_hour_and_escalate_after_two() {
        let d = Deadlines::default();
        assert_eq!(d.response_due(at(0), true), at(1));
        assert_eq!(d.response_due(at(0), false), at(24));
        assert_eq!(d.escalate_at(at(0), true), at(2));
        assert_eq!(d.escalate_at(at(0), false), at(48));
        let due = d.response_due(at(0), true);
        assert!(!response_overdue(ReportStatus::Received, due, at(1)));
        assert!(response_overdue(
            ReportStatus::Assigned,
            due,
            at(1) + Duration::seconds(1)
        ));
        assert!(!response_overdue(ReportStatus::Assessing, due, at(5)));
        assert!(escalated(
            ReportStatus::Received,
            d.escalate_at(at(0), true),
            at(3)
        ));
        assert!(!escalated(
            ReportStatus::Assessing,
            d.escalate_at(at(0), true),
            at(3)
        ));
    }

    #[test]
    fn closing_asks_for_a_follow_up_after_intervention_and_a_file_after_assistance() {
        assert_eq!(
            close_needs(ReportStatus::Unfounded),
            CloseNeeds {
                follow_up: false,
                file: false
            }
        );
        assert!(close_needs(ReportStatus::Intervention).follow_up);
        assert!(!close_needs(ReportStatus::Intervention).file);
        assert!(close_needs(ReportStatus::Assistance).file);
    }
}
