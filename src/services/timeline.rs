//! One child's timeline (issue 18): everything done for the child from every
//! provider and department — visits, needs and their matches' steps,
//! service records, entitlements, referrals, mandatory reports — newest
//! first, with the warnings the domain rules draw from it
//! (`domain::timeline`). Staff in the file's scope only; each view is
//! audited as a read of the file. The township's warning lists live in
//! [`warnings`].
//!
//! Titles name need codes, offer titles, organisations and departments,
//! never a vault field; the timeline reads the rows of one child, so its
//! cost follows that child's history.

pub mod warnings;

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::db;
use crate::db::entities::{match_event, match_record, offer};
use crate::domain::category::Category;
use crate::domain::child::visit_overdue;
use crate::domain::matching::MatchStatus;
use crate::domain::referral::office_day;
use crate::domain::timeline::{self, EntryKind, Schedule, Support, WarningKind};

use super::audit::{self, Event};
use super::files;
use super::oversight::day_start;
use super::{Page, Paging, Principal, RequestCtx, ServiceResult, Store};

/// One entry of the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub kind: EntryKind,
    pub at: DateTime<Utc>,
    pub title: String,
    pub match_id: Option<String>,
    pub need_code: Option<String>,
    pub hours: Option<f64>,
    /// Yuan for money, items for goods (on a need and its approval: the
    /// need's quantity, as the need form asks; on a service: what the
    /// record says was given), or the yuan of an entitlement or a
    /// referral's grant.
    pub amount: Option<i64>,
}

/// One warning on the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub kind: WarningKind,
    /// Duplicate support: the first day both ran; service gap: the last
    /// service day (or the approval, never served); overdue visit: the last
    /// visit (or the day the file was opened).
    pub since: NaiveDate,
    pub match_ids: Vec<String>,
}

/// A page of the timeline and every warning of the file.
#[derive(Debug, Clone)]
pub struct Timeline {
    pub child_id: String,
    pub file_no: String,
    pub entries: Page<Entry>,
    pub warnings: Vec<Warning>,
}

/// What the warnings of a file are decided with.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    pub service_gap_days: u32,
}

fn on_day(day: NaiveDate) -> DateTime<Utc> {
    day_start(day)
}

fn owner_of(offer: &offer::Model) -> String {
    offer
        .provider_id
        .clone()
        .or_else(|| offer.family_id.clone())
        .unwrap_or_default()
}

/// Money and goods carry the need's quantity as their amount.
fn amount_of(category: Category, quantity: Option<i32>) -> Option<i64> {
    matches!(category, Category::DonationMoney | Category::DonationGoods)
        .then_some(quantity.map(i64::from))
        .flatten()
}

/// The day a match was (finally) approved, from its events.
fn approved_on(events: &[&match_event::Model]) -> Option<NaiveDate> {
    events
        .iter()
        .find(|e| e.to_status == MatchStatus::Approved.as_str())
        .map(|e| office_day(e.created_at))
}

/// The day a match that held its place stopped running.
fn ended_on(m: &match_record::Model) -> Option<NaiveDate> {
    matches!(m.status, MatchStatus::Completed | MatchStatus::Cancelled)
        .then(|| office_day(m.status_changed_at))
}

/// The timeline of the file `id`, `kind` only when given, a page of it,
/// with the file's warnings. Audited as a read of the file.
pub async fn of_child(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    kind: Option<EntryKind>,
    paging: Paging,
    rules: Rules,
) -> ServiceResult<Timeline> {
    let child = files::find_in_scope(store, caller, id).await?;
    let now = store.clock.now();
    let today = office_day(now);
    let mut entries = Vec::new();

    for v in db::children::visits(store.db, &child.id).await? {
        entries.push(Entry {
            kind: EntryKind::Visit,
            at: on_day(v.visited_on),
            title: format!("走访（{}）", v.visitor_name),
            match_id: None,
            need_code: None,
            hours: None,
            amount: None,
        });
    }

    let needs = db::needs::of_child(store.db, &child.id, None).await?;
    for n in &needs {
        let what = format!("需求 {}（{}）：{}", n.code, n.category.label(), n.title);
        entries.push(Entry {
            kind: EntryKind::Need,
            at: n.created_at,
            title: format!("登记{what}"),
            match_id: None,
            need_code: Some(n.code.clone()),
            hours: None,
            amount: amount_of(n.category, n.quantity),
        });
        if let Some(at) = n.published_at {
            entries.push(Entry {
                kind: EntryKind::Need,
                at,
                title: format!("发布{what}"),
                match_id: None,
                need_code: Some(n.code.clone()),
                hours: None,
                amount: None,
            });
        }
    }
    let need_of: HashMap<&str, &crate::db::entities::need::Model> =
        needs.iter().map(|n| (n.id.as_str(), n)).collect();

    let matches = db::timeline::matches_of_child(store.db, &child.id).await?;
    let match_ids: Vec<String> = matches.iter().map(|m| m.id.clone()).collect();
    let offer_ids: Vec<String> = matches.iter().map(|m| m.offer_id.clone()).collect();
    let offers: HashMap<String, offer::Model> = db::timeline::offers(store.db, &offer_ids)
        .await?
        .into_iter()
        .map(|o| (o.id.clone(), o))
        .collect();
    let events = db::timeline::events_of(store.db, &match_ids).await?;
    let services = db::timeline::services_of(store.db, &match_ids).await?;
    let mut supports = Vec::new();
    let mut warnings = Vec::new();
    for m in &matches {
        let Some(offer) = offers.get(&m.offer_id) else {
            continue;
        };
        let need = need_of.get(m.need_id.as_str());
        let code = need.map(|n| n.code.clone());
        let offered = format!("{}（{}）", offer.title, offer.owner_name);
        let mine: Vec<&match_event::Model> = events.iter().filter(|e| e.match_id == m.id).collect();
        for e in &mine {
            // A service is shown by its record, with its day and hours.
            if e.action == "service" {
                continue;
            }
            let status = e
                .to_status
                .parse::<MatchStatus>()
                .map_or(e.to_status.as_str(), |s| s.label());
            let approved = e.to_status == MatchStatus::Approved.as_str();
            entries.push(Entry {
                kind: EntryKind::Match,
                at: e.created_at,
                title: format!("对接{status}：{offered}"),
                match_id: Some(m.id.clone()),
                need_code: code.clone(),
                hours: None,
                amount: if approved {
                    need.and_then(|n| amount_of(n.category, n.quantity))
                } else {
                    None
                },
            });
        }
        for s in services.iter().filter(|s| s.match_id == m.id) {
            entries.push(Entry {
                kind: EntryKind::Service,
                at: on_day(s.served_on),
                title: format!("服务：{offered}"),
                match_id: Some(m.id.clone()),
                need_code: code.clone(),
                hours: s.hours,
                // What the record says was given, not the need's quantity.
                amount: s.amount,
            });
        }
        if let Some(from) = approved_on(&mine) {
            supports.push(Support {
                match_id: m.id.clone(),
                owner: owner_of(offer),
                category: m.category,
                from,
                until: ended_on(m),
                schedule: offer.schedule.as_deref().and_then(Schedule::parse),
            });
            if matches!(m.status, MatchStatus::Approved | MatchStatus::InService)
                && let Some(since) =
                    timeline::service_gap(from, m.last_served_on, today, rules.service_gap_days)
            {
                warnings.push(Warning {
                    kind: WarningKind::ServiceGap,
                    since,
                    match_ids: vec![m.id.clone()],
                });
            }
        }
    }
    for d in timeline::duplicate_support(&supports, today) {
        warnings.push(Warning {
            kind: WarningKind::DuplicateSupport,
            since: d.since,
            match_ids: d.match_ids.to_vec(),
        });
    }
    let opened_on = office_day(child.created_at);
    if visit_overdue(child.status, child.last_visited_on, opened_on, today) {
        warnings.push(Warning {
            kind: WarningKind::VisitOverdue,
            since: child.last_visited_on.unwrap_or(opened_on),
            match_ids: Vec::new(),
        });
    }
    warnings.sort_by(|a, b| a.since.cmp(&b.since).then(a.kind.cmp(&b.kind)));

    for e in db::entitlements::of_child(store.db, &child.id).await? {
        entries.push(Entry {
            kind: EntryKind::Entitlement,
            at: e.since.map_or(e.created_at, on_day),
            title: format!("享受保障：{}", e.name),
            match_id: None,
            need_code: None,
            hours: None,
            amount: e.amount_yuan,
        });
    }
    for r in db::timeline::referrals_of_child(store.db, &child.id).await? {
        entries.push(Entry {
            kind: EntryKind::Referral,
            at: r.created_at,
            title: format!(
                "转介{}：{}（{}）",
                r.department.label(),
                r.matter,
                r.status.label()
            ),
            match_id: None,
            need_code: None,
            hours: None,
            amount: r.amount_yuan,
        });
    }
    for r in db::timeline::reports_of_child(store.db, &child.id, &child.id_number_index).await? {
        entries.push(Entry {
            kind: EntryKind::Report,
            at: r.received_at,
            title: format!("强制报告 {}（{}）", r.reference, r.status.label()),
            match_id: None,
            need_code: None,
            hours: None,
            amount: None,
        });
    }

    if let Some(k) = kind {
        entries.retain(|e| e.kind == k);
    }
    // Newest first; on one instant the later step of the workflow first.
    entries.sort_by(|a, b| b.at.cmp(&a.at).then(b.kind.cmp(&a.kind)));
    let total = entries.len() as u64;
    let items = entries
        .into_iter()
        .skip(paging.offset as usize)
        .take(paging.limit as usize)
        .collect();
    audit::append_alone(
        store,
        ctx,
        Event::success("child.timeline", format!("child:{}", child.id))
            .with_detail(format!("kind: {}", kind.map_or("all", EntryKind::as_str))),
    )
    .await?;
    Ok(Timeline {
        child_id: child.id,
        file_no: child.file_no,
        entries: Page { total, items },
        warnings,
    })
}
