//! The events that put something in someone's inbox, each turned into a
//! [`Notice`] for its recipients: one call per write path, inside its
//! transaction, after the change (what is read here is the changed row).
//! Each reads only the record named and the offer or need it refers to —
//! never a child file.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};

use crate::db;
use crate::db::due::ReferralDeadline;
use crate::domain::inbox::InboxKind;
use crate::domain::matching::MatchStatus;
use crate::domain::notification::{Notice, Part};
use crate::domain::referral::ReferralStatus;

use super::{Recipients, queue};

/// A match was created or moved (`from`: its status before, `None` when
/// new). Tells whoever the match now waits for: the township of a
/// proposal, the offer's owner of a suggestion or an approval, the county
/// of a placement the township approved, the township of a match whose
/// first service was logged.
pub async fn match_moved(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    match_id: &str,
    from: Option<MatchStatus>,
) -> Result<u64, DbErr> {
    let Some(record) = db::matches::find(txn, match_id).await? else {
        return Ok(0);
    };
    if from == Some(record.status) {
        return Ok(0);
    }
    let Some(offer) = db::offers::find(txn, &record.offer_id).await? else {
        return Ok(0);
    };
    let need_code = db::needs::find(txn, &record.need_id).await?.map(|n| n.code);
    let owner = match (&offer.provider_id, &offer.family_id) {
        (Some(p), _) => Recipients::Provider(p),
        (None, Some(f)) => Recipients::Family(f),
        (None, None) => return Ok(0),
    };
    let township = Recipients::Township(&record.township_code);
    let waiting: &[(Recipients<'_>, InboxKind)] = match record.status {
        MatchStatus::Proposed => &[(township, InboxKind::MatchProposed)],
        MatchStatus::Suggested => &[(owner, InboxKind::MatchSuggested)],
        MatchStatus::TownshipApproved => &[(Recipients::County, InboxKind::MatchCountyApproval)],
        MatchStatus::Approved => &[(owner, InboxKind::MatchToServe)],
        MatchStatus::InService => &[(township, InboxKind::MatchToComplete)],
        // Completed: both parties are asked for their outcome note.
        MatchStatus::Completed => &[
            (owner, InboxKind::OwnerOutcomeNote),
            (township, InboxKind::OfficerOutcomeNote),
        ],
        _ => return Ok(0),
    };
    let mut queued = 0;
    for (to, kind) in waiting {
        let mut notice = Notice::new(*kind, format!("/matches/{}", record.id));
        if let Some(code) = &need_code {
            notice = notice.about(Part::NeedCode(code.clone()));
        }
        notice = notice.about(Part::OfferTitle(offer.title.clone()));
        queued += queue(txn, now, *to, &notice).await?;
    }
    Ok(queued)
}

/// A need's escalation step put it in an inbox: the township's officers
/// for a widened need or one to renew or close, the county for a proposal
/// its township left undecided past the deadline.
pub async fn need_escalated(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    need_id: &str,
    kind: InboxKind,
    match_id: Option<&str>,
) -> Result<u64, DbErr> {
    let Some(need) = db::needs::find(txn, need_id).await? else {
        return Ok(0);
    };
    let (to, path) = match (kind, match_id) {
        (InboxKind::ProposalOverdue, Some(m)) => (Recipients::County, format!("/matches/{m}")),
        (InboxKind::ProposalOverdue, None) => return Ok(0),
        _ => (
            Recipients::Township(&need.township_code),
            format!("/needs/{}", need.id),
        ),
    };
    let notice = Notice::new(kind, path).about(Part::NeedCode(need.code));
    queue(txn, now, to, &notice).await
}

/// A running match was put under review (the guardian withdrew consent
/// to publish): its township decides whether it continues.
pub async fn match_under_review(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    match_id: &str,
) -> Result<u64, DbErr> {
    let Some(record) = db::matches::find(txn, match_id).await? else {
        return Ok(0);
    };
    let notice = Notice::new(InboxKind::MatchToReview, format!("/matches/{}", record.id));
    queue(
        txn,
        now,
        Recipients::Township(&record.township_code),
        &notice,
    )
    .await
}

/// An organisation registered: the county verifies it.
pub async fn provider_registered(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    provider_id: &str,
) -> Result<u64, DbErr> {
    let Some(provider) = db::providers::find(txn, provider_id).await? else {
        return Ok(0);
    };
    let notice = Notice::new(
        InboxKind::ProviderToVerify,
        format!("/providers/{provider_id}"),
    )
    .about(Part::Organisation(provider.name));
    queue(txn, now, Recipients::County, &notice).await
}

/// A family applied (the township assesses it), or the township
/// recommended it (the county decides).
pub async fn family_moved(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    family_id: &str,
) -> Result<u64, DbErr> {
    let Some(family) = db::families::find(txn, family_id).await? else {
        return Ok(0);
    };
    let (to, kind) = match family.status.as_str() {
        "submitted" => (
            Recipients::Township(&family.township_code),
            InboxKind::FamilyToAssess,
        ),
        "recommended" => (Recipients::County, InboxKind::FamilyToDecide),
        _ => return Ok(0),
    };
    let notice = Notice::new(kind, format!("/families/{family_id}"))
        .about(Part::Household(family.household_name));
    queue(txn, now, to, &notice).await
}

/// A mandatory report arrived: the township responds. The report's
/// content and reporter are vault data: the message says only that one
/// waits.
pub async fn report_filed(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    report_id: &str,
) -> Result<u64, DbErr> {
    let Some(report) = db::reports::find(txn, report_id).await? else {
        return Ok(0);
    };
    let notice = Notice::new(InboxKind::ReportToRespond, format!("/reports/{report_id}"));
    queue(
        txn,
        now,
        Recipients::Township(&report.township_code),
        &notice,
    )
    .await
}

/// A referral was sent to a department (it accepts it), or a department
/// answered one (the township closes it).
pub async fn referral_moved(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    referral_id: &str,
) -> Result<u64, DbErr> {
    let Some(referral) = db::referrals::find(txn, referral_id).await? else {
        return Ok(0);
    };
    let (to, kind) = match referral.status {
        ReferralStatus::Sent => (
            Recipients::Department(referral.department),
            InboxKind::ReferralToAccept,
        ),
        ReferralStatus::Granted | ReferralStatus::Refused | ReferralStatus::Returned => (
            Recipients::Township(&referral.township_code),
            InboxKind::ReferralAnswered,
        ),
        _ => return Ok(0),
    };
    let notice = Notice::new(kind, format!("/referrals/{referral_id}"));
    queue(txn, now, to, &notice).await
}

/// A village supervisor drafted a file: the township's officers complete
/// it. The message names nothing of the file (its number carries the
/// township, and everything else in it is the child's).
pub async fn file_drafted(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    child_id: &str,
    township_code: &str,
) -> Result<u64, DbErr> {
    let notice = Notice::new(InboxKind::FileToComplete, format!("/children/{child_id}"));
    queue(txn, now, Recipients::Township(township_code), &notice).await
}

/// A village supervisor drafted a need: the township's officers publish
/// it. Named by its code, as on the public pages.
pub async fn need_drafted(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    need_id: &str,
) -> Result<u64, DbErr> {
    let Some(need) = db::needs::find(txn, need_id).await? else {
        return Ok(0);
    };
    let notice = Notice::new(InboxKind::NeedToPublish, format!("/needs/{need_id}"))
        .about(Part::NeedCode(need.code));
    queue(txn, now, Recipients::Township(&need.township_code), &notice).await
}

/// A department asked the township about a referral. The question's
/// text is the department's and may concern the child: only the kind is
/// told.
pub async fn referral_asked(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    referral_id: &str,
) -> Result<u64, DbErr> {
    let Some(referral) = db::referrals::find(txn, referral_id).await? else {
        return Ok(0);
    };
    let notice = Notice::new(
        InboxKind::ReferralQuestion,
        format!("/referrals/{referral_id}"),
    );
    queue(
        txn,
        now,
        Recipients::Township(&referral.township_code),
        &notice,
    )
    .await
}

/// A report moved into the township's inbox again: decided (its
/// follow-up and closing wait), past its first-response deadline
/// (a reminder to the township), or escalated to the county. Reports
/// name nothing but the kind.
pub async fn report_waits(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    report_id: &str,
    township_code: &str,
    kind: InboxKind,
    overdue: bool,
) -> Result<u64, DbErr> {
    let to = match kind {
        InboxKind::ReportEscalated => Recipients::County,
        _ => Recipients::Township(township_code),
    };
    let mut notice = Notice::new(kind, format!("/reports/{report_id}"));
    if overdue {
        notice = notice.overdue();
    }
    queue(txn, now, to, &notice).await
}

/// A referral passed a deadline unanswered (the due-notice sweep's mark):
/// its township is reminded at the deadline, the county told at twice
/// it. Like every referral message, it names nothing but the kind.
pub async fn referral_due(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    referral_id: &str,
    deadline: ReferralDeadline,
) -> Result<u64, DbErr> {
    let Some(referral) = db::referrals::find(txn, referral_id).await? else {
        return Ok(0);
    };
    let (to, kind) = match deadline {
        ReferralDeadline::Due => (
            Recipients::Township(&referral.township_code),
            InboxKind::ReferralOverdue,
        ),
        ReferralDeadline::Escalate => (Recipients::County, InboxKind::ReferralEscalated),
    };
    let notice = Notice::new(kind, format!("/referrals/{referral_id}")).overdue();
    queue(txn, now, to, &notice).await
}

/// A published need waited unmatched past the inbox's days (the sweep's
/// mark): the township's officers, by its code, linked to its suggestions
/// as in the inbox.
pub async fn need_unmatched(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    need_id: &str,
) -> Result<u64, DbErr> {
    let Some(need) = db::needs::find(txn, need_id).await? else {
        return Ok(0);
    };
    let notice = Notice::new(
        InboxKind::NeedUnmatched,
        format!("/needs/{need_id}/suggestions"),
    )
    .about(Part::NeedCode(need.code))
    .overdue();
    queue(txn, now, Recipients::Township(&need.township_code), &notice).await
}

/// A family's approval entered its last days (the sweep's mark): the
/// township re-assesses it, and the family itself is told to get in touch.
pub async fn approval_ending(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    family_id: &str,
) -> Result<u64, DbErr> {
    let Some(family) = db::families::find(txn, family_id).await? else {
        return Ok(0);
    };
    let path = format!("/families/{family_id}");
    let mut queued = 0;
    for (to, kind) in [
        (
            Recipients::Township(&family.township_code),
            InboxKind::FamilyToReassess,
        ),
        (Recipients::Family(family_id), InboxKind::ApprovalExpiring),
    ] {
        let notice =
            Notice::new(kind, path.clone()).about(Part::Household(family.household_name.clone()));
        queued += queue(txn, now, to, &notice).await?;
    }
    Ok(queued)
}
