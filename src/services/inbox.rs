//! The inbox (待办): what waits for the caller, counted for the navigation
//! of every page and listed oldest first on the inbox page.
//!
//! Each role reads its own kinds (`domain::inbox::kinds_for`), always within
//! its scope: a township officer sees their township only, a provider or a
//! family the matches on their own offers. Counting is one statement of
//! COUNT sub-selects on indexed columns; nothing loads rows to count them.
//! Labels name offers, need codes, households, organisations and file
//! numbers, never a child's vault field.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Utc};

use crate::db;
use crate::db::entities::report::Column as ReportColumn;
use crate::db::inbox::{
    FamilyScope, FamilySince, MatchScope, Owner, Row, Served, Source, Subject, Waiting,
};
use crate::domain::Role;
use crate::domain::inbox::{
    InboxKind, is_overdue, kinds_for, last_overdue_day, overdue_cutoff, reassess_from,
    reassess_until, start_of, waiting_days,
};
use crate::domain::matching::MatchStatus;
use crate::domain::referral::{ReferralStatus, office_day};
use crate::domain::report::{Move as ReportMove, ReportStatus};

use super::files::identity;
use super::{Paging, Principal, ServiceResult, Store};

/// How many items of one kind wait, and how many of them are overdue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindCount {
    pub kind: InboxKind,
    pub waiting: u64,
    pub overdue: u64,
}

/// The counts of every kind the caller reads.
#[derive(Clone, Debug, Default)]
pub struct Counts {
    pub kinds: Vec<KindCount>,
    /// What they were counted under (change count, minute), when counted
    /// through a [`CountCache`]: the page of items read with them is kept
    /// under the same.
    tag: Option<(i64, i64)>,
}

impl PartialEq for Counts {
    fn eq(&self, other: &Self) -> bool {
        self.kinds == other.kinds
    }
}

impl Eq for Counts {}

impl Counts {
    pub fn total(&self) -> u64 {
        self.kinds.iter().map(|k| k.waiting).sum()
    }

    pub fn overdue(&self) -> u64 {
        self.kinds.iter().map(|k| k.overdue).sum()
    }
}

/// One waiting item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub kind: InboxKind,
    /// The kind's label and what it is about (Chinese).
    pub label: String,
    /// Where the reader acts on it.
    pub url: String,
    /// When it started waiting.
    pub since: DateTime<Utc>,
    pub overdue: bool,
    /// Whole days it has waited.
    pub waiting_days: i64,
}

/// The caller's inbox: counts and one page of items, oldest first.
#[derive(Clone, Debug)]
pub struct Inbox {
    pub counts: Counts,
    pub items: Vec<Item>,
    pub overdue_days: u32,
}

/// The open (not yet final) match statuses.
fn open_statuses() -> Vec<&'static str> {
    MatchStatus::codes_where(|s| !s.is_final())
}

/// The source of one kind for the caller, or `None` when the caller's
/// account lacks what the kind is scoped by (then nothing waits).
fn source(
    store: Store<'_>,
    caller: &Principal,
    kind: InboxKind,
    now: DateTime<Utc>,
    cutoff: DateTime<Utc>,
) -> Option<Source> {
    use InboxKind as K;
    let township = caller.township.as_deref();
    let owner = match caller.role {
        Role::Provider => caller.provider_id.as_deref().map(Owner::Provider),
        Role::Family => caller.family_id.as_deref().map(Owner::Family),
        _ => None,
    };
    let today = now.date_naive();
    let overdue_end = reassess_until(last_overdue_day(cutoff));
    let status = |s: MatchStatus| s.as_str();
    Some(match kind {
        K::MatchProposed => db::inbox::matches(
            MatchScope::Township(township?),
            status(MatchStatus::Proposed),
            Served::Any,
            cutoff,
        ),
        K::MatchToComplete => db::inbox::matches(
            MatchScope::Township(township?),
            status(MatchStatus::InService),
            Served::Yes,
            cutoff,
        ),
        K::FamilyToAssess => db::inbox::families(
            Some(township?),
            &["submitted", "assessing"],
            FamilySince::Applied,
            cutoff,
        ),
        K::FamilyToReassess => db::inbox::approvals_ending(
            FamilyScope::Township(township?),
            reassess_until(today),
            overdue_end,
        ),
        K::NeedUnmatched => db::inbox::needs_unmatched(township?, cutoff, &open_statuses()),
        K::MatchCountyApproval => db::inbox::matches(
            MatchScope::County,
            status(MatchStatus::TownshipApproved),
            Served::Any,
            cutoff,
        ),
        K::FamilyToDecide => {
            db::inbox::families(None, &["recommended"], FamilySince::LastAssessed, cutoff)
        }
        K::ProviderToVerify => db::inbox::providers_pending(cutoff),
        K::MatchSuggested => db::inbox::matches(
            MatchScope::Offers(owner?),
            status(MatchStatus::Suggested),
            Served::Any,
            cutoff,
        ),
        K::MatchToServe => db::inbox::matches(
            MatchScope::Offers(owner?),
            status(MatchStatus::Approved),
            Served::No,
            cutoff,
        ),
        K::ApprovalExpiring => db::inbox::approvals_ending(
            FamilyScope::Own(caller.family_id.as_deref()?),
            reassess_until(today),
            overdue_end,
        ),
        K::DraftFile => db::inbox::draft_files(
            &identity::village_index(store.vault, caller.village.as_deref()?),
            cutoff,
        ),
        K::DraftNeed => db::inbox::draft_needs(township?, &caller.id, cutoff),
        K::FileToComplete => db::inbox::township_draft_files(township?, cutoff),
        K::NeedToPublish => {
            db::inbox::village_draft_needs(township?, Role::VillageSupervisor.as_str(), cutoff)
        }
        K::ReportToRespond => db::inbox::reports(
            Some(township?),
            &ReportStatus::codes_where(|s| s.awaits_response()),
            ReportColumn::ReceivedAt,
            ReportColumn::ResponseDue,
            now,
            false,
        ),
        K::ReportToClose => db::inbox::reports(
            Some(township?),
            &ReportStatus::codes_where(|s| s.after(ReportMove::Close).is_some()),
            ReportColumn::DecidedAt,
            ReportColumn::FollowUpDue,
            now,
            false,
        ),
        K::ReportEscalated => db::inbox::reports(
            None,
            &ReportStatus::codes_where(|s| s.awaits_response()),
            ReportColumn::ReceivedAt,
            ReportColumn::EscalateAt,
            now,
            true,
        ),
        K::MatchToReview => db::inbox::matches_under_review(
            township?,
            &MatchStatus::codes_where(|s| s.holds_capacity() && !s.is_final()),
            cutoff,
        ),
        K::ReferralToAccept => db::inbox::referrals::for_department(
            caller.department?,
            ReferralStatus::Sent,
            office_day(now),
        ),
        K::ReferralToAnswer => db::inbox::referrals::for_department(
            caller.department?,
            ReferralStatus::Accepted,
            office_day(now),
        ),
        K::ReferralQuestion => db::inbox::referrals::asked(township?, cutoff),
        K::ReferralAnswered => db::inbox::referrals::answered(township?, cutoff),
        K::ReferralOverdue => db::inbox::referrals::overdue(township?, office_day(now)),
        K::ReferralEscalated => db::inbox::referrals::escalated(office_day(now)),
        K::NeedWidened => db::inbox::escalations::needs_widened(township?),
        K::NeedToRenew => db::inbox::escalations::needs_to_renew(township?),
        K::ProposalOverdue => db::inbox::escalations::proposals_overdue(),
        K::OwnerOutcomeNote => db::inbox::outcomes::owner_notes(owner?, cutoff),
        K::OfficerOutcomeNote => db::inbox::outcomes::officer_notes(township?, cutoff),
    })
}

fn sources(
    store: Store<'_>,
    caller: &Principal,
    now: DateTime<Utc>,
    cutoff: DateTime<Utc>,
) -> Vec<(InboxKind, Source)> {
    kinds_for(caller.role)
        .iter()
        .filter_map(|&kind| source(store, caller, kind, now, cutoff).map(|s| (kind, s)))
        .collect()
}

async fn count_sources(store: Store<'_>, sources: &[(InboxKind, Source)]) -> ServiceResult<Counts> {
    let list: Vec<Source> = sources.iter().map(|(_, s)| s.clone()).collect();
    let numbers = db::inbox::counts(store.db, &list).await?;
    Ok(Counts {
        kinds: sources
            .iter()
            .zip(numbers)
            .map(|((kind, _), (waiting, overdue))| KindCount {
                kind: *kind,
                waiting,
                overdue,
            })
            .collect(),
        tag: None,
    })
}

/// The counts each reader read last, kept while nothing they count can
/// have changed: the portal's change count (bumped in the transaction of
/// every audited write to needs, offers, matches, files, families and
/// providers) is the same, and it is the same minute (what is overdue
/// moves with the clock, and a write outside those nouns shows within a
/// minute). The badge on every page then costs one read of one row
/// however many files the township has.
///
/// When the minute turns (or after a change), every request of a reader in
/// flight misses together; one of them counts and the others wait for its
/// counts ([`CountCache::turn`]), instead of each sending the same costly
/// statement at once and holding the pool's connections for seconds.
///
/// The first pages of items are kept the same way (by reader, page and
/// overdue days), under the counts' change count and minute: the inbox page
/// then reads no rows while its counts hold.
#[derive(Debug)]
pub struct CountCache {
    entries: Mutex<HashMap<String, Cached>>,
    pages: Mutex<HashMap<PageKey, KeptPage>>,
    /// Whose counting waits for whose: a reader's key picks one of these by
    /// its hash, so readers rarely wait for one another and the number of
    /// locks stays fixed however many readers there are.
    counting: Vec<tokio::sync::Mutex<()>>,
}

/// Locks readers' counts are spread over.
const COUNTING_LOCKS: usize = 64;

impl Default for CountCache {
    fn default() -> Self {
        CountCache {
            entries: Mutex::default(),
            pages: Mutex::default(),
            counting: (0..COUNTING_LOCKS)
                .map(|_| tokio::sync::Mutex::new(()))
                .collect(),
        }
    }
}

#[derive(Debug, Clone)]
struct Cached {
    changes: i64,
    minute: i64,
    counts: Counts,
}

/// Readers kept at most; past it the cache starts again (a county has a
/// few hundred staff; a province a few thousand).
const CACHE_READERS: usize = 20_000;

/// Pages of items kept at most (a few KB each); past it they start again.
const CACHE_PAGES: usize = 2_000;

/// Whose page of items: reader, overdue days, offset, limit.
type PageKey = (String, u32, u64, u64);

#[derive(Debug, Clone)]
struct KeptPage {
    tag: (i64, i64),
    items: Vec<Item>,
}

impl CountCache {
    fn get(&self, key: &str, changes: i64, minute: i64) -> Option<Counts> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|c| c.changes == changes && c.minute == minute)
            .map(|c| c.counts.clone())
    }

    /// Waits for the turn to count for `key`: one counting at a time per
    /// reader (and the few readers sharing its lock).
    async fn turn(&self, key: &str) -> tokio::sync::MutexGuard<'_, ()> {
        use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
        let hash = BuildHasherDefault::<DefaultHasher>::default().hash_one(key);
        let at = usize::try_from(hash % self.counting.len() as u64).unwrap_or(0);
        self.counting[at].lock().await
    }

    fn page(&self, key: &PageKey, tag: (i64, i64)) -> Option<Vec<Item>> {
        let pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        pages
            .get(key)
            .filter(|p| p.tag == tag)
            .map(|p| p.items.clone())
    }

    fn put_page(&self, key: PageKey, tag: (i64, i64), items: Vec<Item>) {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        if pages.get(&key).is_some_and(|p| p.tag > tag) {
            return;
        }
        if pages.len() >= CACHE_PAGES && !pages.contains_key(&key) {
            pages.clear();
        }
        pages.insert(key, KeptPage { tag, items });
    }

    fn put(&self, key: String, cached: Cached) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= CACHE_READERS && !entries.contains_key(&key) {
            entries.clear();
        }
        entries.insert(key, cached);
    }
}

/// Whose counts and pages: the reader and the overdue days they count by.
fn reader_key(caller: &Principal, overdue_days: u32) -> String {
    format!("{}/{overdue_days}", caller.id)
}

/// How many items wait for the caller (for the navigation): the counts of
/// `cache` while they hold, otherwise one statement.
pub async fn counts(
    store: Store<'_>,
    cache: &CountCache,
    caller: &Principal,
    overdue_days: u32,
) -> ServiceResult<Counts> {
    let now = store.clock.now();
    // Read before counting: counts tagged with this number saw at least
    // every change it counts, so a later change always shows as newer.
    let changes = db::allocation::changes_seen(store.db).await?;
    let minute = now.timestamp().div_euclid(60);
    let key = reader_key(caller, overdue_days);
    if let Some(counts) = cache.get(&key, changes, minute) {
        return Ok(counts);
    }
    // Those who missed together: the first counts, the others find it.
    let _turn = cache.turn(&key).await;
    if let Some(counts) = cache.get(&key, changes, minute) {
        return Ok(counts);
    }
    let sources = sources(store, caller, now, overdue_cutoff(now, overdue_days));
    let mut counts = count_sources(store, &sources).await?;
    counts.tag = Some((changes, minute));
    cache.put(
        key,
        Cached {
            changes,
            minute,
            counts: counts.clone(),
        },
    );
    Ok(counts)
}

/// What waits for the county as a whole (pending approvals, escalated
/// reports and referrals), by kind: the county administrator's kinds,
/// which are scoped by nothing of the reader. For monitoring; one
/// statement of indexed counts, like the navigation's badge.
pub async fn county_counts(store: Store<'_>, overdue_days: u32) -> ServiceResult<Counts> {
    let now = store.clock.now();
    let county = Principal {
        id: String::new(),
        username: String::new(),
        role: Role::CountyAdmin,
        township: None,
        village: None,
        provider_id: None,
        family_id: None,
        department: None,
    };
    let sources = sources(store, &county, now, overdue_cutoff(now, overdue_days));
    count_sources(store, &sources).await
}

/// The caller's inbox: the counts and the page `paging` of all waiting
/// items, oldest first. `counted` are counts this request already read
/// (for the navigation's badge), so that they are not read twice; counted
/// through `cache`, the page of items is kept in it under the same change
/// count and minute, and read from it while they hold.
pub async fn inbox(
    store: Store<'_>,
    cache: &CountCache,
    caller: &Principal,
    overdue_days: u32,
    paging: Paging,
    counted: Option<Counts>,
) -> ServiceResult<Inbox> {
    let now = store.clock.now();
    let cutoff = overdue_cutoff(now, overdue_days);
    let sources = sources(store, caller, now, cutoff);
    let counts = match counted {
        Some(counts) => counts,
        None => count_sources(store, &sources).await?,
    };
    let key: PageKey = (caller.id.clone(), overdue_days, paging.offset, paging.limit);
    if let Some(tag) = counts.tag
        && let Some(items) = cache.page(&key, tag)
    {
        return Ok(Inbox {
            counts,
            items,
            overdue_days,
        });
    }
    // Those who missed together (the minute turned): the first reads the
    // rows, the others find its page.
    let _turn = match counts.tag {
        Some(tag) => {
            let turn = cache.turn(&reader_key(caller, overdue_days)).await;
            if let Some(items) = cache.page(&key, tag) {
                return Ok(Inbox {
                    counts,
                    items,
                    overdue_days,
                });
            }
            Some(turn)
        }
        None => None,
    };
    // The page is among the first offset + limit items of every kind.
    let wanted = paging.offset.saturating_add(paging.limit);
    let mut items = Vec::new();
    for ((kind, source), count) in sources.iter().zip(&counts.kinds) {
        if count.waiting == 0 {
            continue;
        }
        for row in db::inbox::rows(store.db, source, wanted).await? {
            items.push(item(*kind, source.subject(), row, now, cutoff));
        }
    }
    items.sort_by(|a, b| a.since.cmp(&b.since).then_with(|| a.url.cmp(&b.url)));
    let items: Vec<Item> = items
        .into_iter()
        .skip(usize::try_from(paging.offset).unwrap_or(usize::MAX))
        .take(usize::try_from(paging.limit).unwrap_or(usize::MAX))
        .collect();
    if let Some(tag) = counts.tag {
        cache.put_page(key, tag, items.clone());
    }
    Ok(Inbox {
        counts,
        items,
        overdue_days,
    })
}

fn item(
    kind: InboxKind,
    subject: Subject,
    row: Row,
    now: DateTime<Utc>,
    cutoff: DateTime<Utc>,
) -> Item {
    use InboxKind as K;
    let since = match row.since {
        Waiting::At(at) => at,
        // Expiring approvals are dated by their end: they wait from the
        // day re-assessment opens.
        Waiting::Day(end) => start_of(reassess_from(end)),
    };
    let subject = match (subject, row.code.as_deref()) {
        (Subject::Match, Some(code)) => format!("{}（需求 {code}）", row.title),
        (Subject::Need, Some(code)) => format!("{}（{code}）", row.title),
        (Subject::Child, _) => format!("档案 {}", row.title),
        (Subject::Report, _) => format!("报告 {}", row.title),
        (Subject::Referral, Some(code)) => format!("{}（档案 {code}）", row.title),
        (Subject::Family, _) => match row.since {
            Waiting::Day(end) => format!("{}（有效期至 {end}）", row.title),
            Waiting::At(_) => row.title,
        },
        _ => row.title,
    };
    let url = match kind {
        K::MatchProposed
        | K::MatchToComplete
        | K::MatchCountyApproval
        | K::MatchSuggested
        | K::MatchToServe
        | K::MatchToReview
        | K::ProposalOverdue
        | K::OwnerOutcomeNote
        | K::OfficerOutcomeNote => format!("/matches/{}", row.id),
        K::FamilyToAssess | K::FamilyToReassess | K::FamilyToDecide | K::ApprovalExpiring => {
            format!("/families/{}", row.id)
        }
        K::ProviderToVerify => format!("/providers/{}", row.id),
        K::NeedUnmatched => format!("/needs/{}/suggestions", row.id),
        K::DraftNeed | K::NeedToPublish | K::NeedWidened | K::NeedToRenew => {
            format!("/needs/{}", row.id)
        }
        K::DraftFile | K::FileToComplete => format!("/children/{}", row.id),
        K::ReportToRespond | K::ReportToClose | K::ReportEscalated => {
            format!("/reports/{}", row.id)
        }
        K::ReferralToAccept
        | K::ReferralToAnswer
        | K::ReferralQuestion
        | K::ReferralAnswered
        | K::ReferralOverdue
        | K::ReferralEscalated => format!("/referrals/{}", row.id),
    };
    Item {
        kind,
        label: format!("{}：{subject}", kind.label()),
        url,
        since,
        overdue: match row.due {
            Some(due) => due < now,
            None => is_overdue(since, cutoff),
        },
        waiting_days: waiting_days(since, now),
    }
}
