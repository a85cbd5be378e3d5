//! Offers (服务/项目): verified providers and approved families post them,
//! pause, resume, change and close them. Every change appends to the search
//! outbox in its own transaction.

use chrono::{NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::db;
use crate::db::entities::offer;
use crate::db::outbox::OutboxKind;
use crate::domain::category::Category;
use crate::domain::family::CareType;
use crate::domain::invalid::required_text;
use crate::domain::offer::{AgeRange, OfferStatus};
use crate::domain::{Invalid, Role};

use super::audit::{self, Event};
use super::families::care_types_of;
use super::{Page, Paging, Principal, RequestCtx, ServiceError, ServiceResult, new_id};

/// The value of `townships` that means the whole county.
pub const COUNTY: &str = "county";

/// An offer as typed.
#[derive(Debug, Clone, Default)]
pub struct OfferInput {
    pub category: String,
    pub title: String,
    pub description: String,
    pub capacity: Option<i64>,
    /// Township codes, or [`COUNTY`] alone for the whole county.
    pub townships: Vec<String>,
    pub age_min: Option<i64>,
    pub age_max: Option<i64>,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub schedule: Option<String>,
}

/// An offer with the townships it serves.
#[derive(Debug, Clone)]
pub struct OfferView {
    pub offer: offer::Model,
    /// Empty when the offer serves the whole county.
    pub townships: Vec<String>,
}

impl OfferView {
    pub fn status(&self) -> OfferStatus {
        self.offer.status.parse().unwrap_or(OfferStatus::Closed)
    }
}

/// Who posts: a verified provider or an approved family, and what it may offer.
struct Owner {
    provider_id: Option<String>,
    family_id: Option<String>,
    name: String,
    categories: Vec<Category>,
}

async fn owner(conn: &impl ConnectionTrait, caller: &Principal) -> ServiceResult<Owner> {
    match caller.role {
        Role::Provider => {
            let id = caller
                .provider_id
                .as_deref()
                .ok_or(ServiceError::Forbidden)?;
            let provider = db::providers::find(conn, id)
                .await?
                .ok_or(ServiceError::Forbidden)?;
            if provider.status != "verified" {
                return Err(ServiceError::Forbidden);
            }
            Ok(Owner {
                provider_id: Some(provider.id),
                family_id: None,
                name: provider.name,
                // Placing a child in a home is for assessed families only.
                categories: Category::ALL
                    .iter()
                    .copied()
                    .filter(|c| !matches!(c, Category::FosterCare | Category::EntrustedCare))
                    .collect(),
            })
        }
        Role::Family => {
            let id = caller.family_id.as_deref().ok_or(ServiceError::Forbidden)?;
            let family = db::families::find(conn, id)
                .await?
                .ok_or(ServiceError::Forbidden)?;
            if family.status != "approved" {
                return Err(ServiceError::Forbidden);
            }
            let categories = care_types_of(&family)
                .into_iter()
                .map(|c| match c {
                    CareType::FosterCare => Category::FosterCare,
                    CareType::EntrustedCare => Category::EntrustedCare,
                    CareType::Sponsorship => Category::Sponsorship,
                })
                .collect();
            Ok(Owner {
                provider_id: None,
                family_id: Some(family.id),
                name: format!("爱心家庭（{}）", family.household_name),
                categories,
            })
        }
        _ => Err(ServiceError::Forbidden),
    }
}

struct Checked {
    category: Category,
    title: String,
    description: String,
    capacity: i32,
    county_wide: bool,
    townships: Vec<String>,
    ages: AgeRange,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
    schedule: Option<String>,
}

fn parse_date(invalid: &mut Invalid, field: &str, raw: Option<&str>) -> Option<NaiveDate> {
    let raw = raw.map(str::trim).filter(|s| !s.is_empty())?;
    match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            invalid.add(field, "请按“年-月-日”填写日期，如 2026-12-01");
            None
        }
    }
}

async fn parse(
    conn: &impl ConnectionTrait,
    owner: &Owner,
    input: &OfferInput,
) -> ServiceResult<Checked> {
    let mut invalid = Invalid::new();
    let category = match input.category.parse::<Category>() {
        Ok(c) if owner.categories.contains(&c) => Some(c),
        Ok(_) => {
            invalid.add(
                "category",
                "您的账号不能发布此类服务（家庭寄养、委托代养只能由评估通过的爱心家庭提供）",
            );
            None
        }
        Err(e) => {
            invalid.add("category", e.to_string());
            None
        }
    };
    let title = invalid.check("title", required_text(&input.title, 60));
    let description = invalid.check("description", required_text(&input.description, 2000));
    let capacity = match input.capacity {
        Some(c @ 1..=10_000_000) => Some(c as i32),
        _ => {
            invalid.add(
                "capacity",
                "请填写可服务的儿童人数（捐赠填写金额或件数），应为正整数",
            );
            None
        }
    };
    let mut townships: Vec<String> = input
        .townships
        .iter()
        .map(|t| t.trim().to_owned())
        .collect();
    townships.sort();
    townships.dedup();
    let county_wide = townships.iter().any(|t| t == COUNTY);
    if townships.is_empty() {
        invalid.add("townships", "请选择服务的乡镇（街道），或选择全县");
    } else if county_wide && townships.len() > 1 {
        invalid.add("townships", "选择全县时不再选择具体乡镇");
    } else if !county_wide {
        for t in &townships {
            if db::regions::find_township(conn, t).await?.is_none() {
                invalid.add("townships", "所选乡镇（街道）不存在");
                break;
            }
        }
    }
    let ages = match AgeRange::parse(input.age_min, input.age_max) {
        Ok(a) => Some(a),
        Err(m) => {
            invalid.add("age_min", m);
            None
        }
    };
    let starts_on = parse_date(&mut invalid, "starts_on", input.starts_on.as_deref());
    let ends_on = parse_date(&mut invalid, "ends_on", input.ends_on.as_deref());
    if let (Some(s), Some(e)) = (starts_on, ends_on)
        && e < s
    {
        invalid.add("ends_on", "结束日期不能早于开始日期");
    }
    let schedule = match input
        .schedule
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(s) => invalid.check("schedule", required_text(s, 100)),
        None => None,
    };
    invalid.into_result()?;
    match (category, title, description, capacity, ages) {
        (Some(category), Some(title), Some(description), Some(capacity), Some(ages)) => {
            Ok(Checked {
                category,
                title,
                description,
                capacity,
                county_wide,
                townships: if county_wide { Vec::new() } else { townships },
                ages,
                starts_on,
                ends_on,
                schedule,
            })
        }
        _ => Err(ServiceError::Internal(
            "offer checked without values".into(),
        )),
    }
}

fn apply(checked: Checked, row: &mut offer::Model) {
    row.category = checked.category.as_str().to_owned();
    row.title = checked.title;
    row.description = checked.description;
    row.county_wide = checked.county_wide;
    row.age_min = Some(i16::from(checked.ages.min));
    row.age_max = Some(i16::from(checked.ages.max));
    row.starts_on = checked.starts_on;
    row.ends_on = checked.ends_on;
    row.schedule = checked.schedule;
}

async fn write(
    conn: &DatabaseConnection,
    ctx: &RequestCtx,
    row: offer::Model,
    townships: Option<&[String]>,
    insert: bool,
    action: &str,
) -> ServiceResult<OfferView> {
    let txn = db::begin_write(conn).await?;
    let id = row.id.clone();
    let saved = if insert {
        db::offers::insert(&txn, row).await?
    } else {
        db::offers::update(&txn, row).await?
    };
    if let Some(townships) = townships {
        db::offers::set_townships(&txn, &id, townships).await?;
    }
    db::outbox::append(&txn, OutboxKind::Offer, &id).await?;
    audit::append(&txn, ctx, Event::success(action, format!("offer:{id}"))).await?;
    let townships = db::offers::townships(&txn, &id).await?;
    txn.commit().await?;
    Ok(OfferView {
        offer: saved,
        townships,
    })
}

/// Posts an offer; it starts `active` with all its capacity remaining.
pub async fn create(
    conn: &DatabaseConnection,
    ctx: &RequestCtx,
    caller: &Principal,
    input: OfferInput,
) -> ServiceResult<OfferView> {
    let owner = owner(conn, caller).await?;
    let checked = parse(conn, &owner, &input).await?;
    let townships = checked.townships.clone();
    let now = Utc::now();
    let mut row = offer::Model {
        id: new_id(),
        provider_id: owner.provider_id,
        family_id: owner.family_id,
        owner_name: owner.name,
        category: String::new(),
        title: String::new(),
        description: String::new(),
        capacity: checked.capacity,
        remaining: checked.capacity,
        county_wide: false,
        age_min: None,
        age_max: None,
        starts_on: None,
        ends_on: None,
        schedule: None,
        status: OfferStatus::Active.as_str().to_owned(),
        closed_reason: None,
        created_by: caller.id.clone(),
        created_at: now,
        updated_at: now,
    };
    apply(checked, &mut row);
    write(conn, ctx, row, Some(&townships), true, "offer.create").await
}

/// An offer and its townships; anyone may read an offer.
pub async fn get(conn: &DatabaseConnection, id: &str) -> ServiceResult<OfferView> {
    let offer = db::offers::find(conn, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let townships = db::offers::townships(conn, id).await?;
    Ok(OfferView { offer, townships })
}

fn owns(caller: &Principal, offer: &offer::Model) -> bool {
    match caller.role {
        Role::Provider => caller.provider_id.is_some() && caller.provider_id == offer.provider_id,
        Role::Family => caller.family_id.is_some() && caller.family_id == offer.family_id,
        _ => false,
    }
}

/// The caller's own offer, or `NotFound`.
async fn own(
    conn: &DatabaseConnection,
    caller: &Principal,
    id: &str,
) -> ServiceResult<offer::Model> {
    let offer = db::offers::find(conn, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if owns(caller, &offer) {
        Ok(offer)
    } else {
        Err(ServiceError::NotFound)
    }
}

fn status_of(offer: &offer::Model) -> OfferStatus {
    offer.status.parse().unwrap_or(OfferStatus::Closed)
}

/// Changes an offer that is not closed. The capacity may not drop below
/// what matches have already taken.
pub async fn update(
    conn: &DatabaseConnection,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    input: OfferInput,
) -> ServiceResult<OfferView> {
    let mut row = own(conn, caller, id).await?;
    status_of(&row)
        .edit()
        .map_err(|e| ServiceError::Conflict(e.to_string()))?;
    let owner = owner(conn, caller).await?;
    let checked = parse(conn, &owner, &input).await?;
    let taken = row.capacity - row.remaining;
    if checked.capacity < taken {
        return Err(Invalid::one(
            "capacity",
            format!("已有{taken}个名额被对接占用，容量不能少于{taken}"),
        )
        .into());
    }
    row.remaining = checked.capacity - taken;
    row.capacity = checked.capacity;
    let townships = checked.townships.clone();
    apply(checked, &mut row);
    row.updated_at = Utc::now();
    write(conn, ctx, row, Some(&townships), false, "offer.update").await
}

/// What an owner does to an offer's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferMove {
    Pause,
    Resume,
    Close,
}

/// Pauses, resumes or closes the caller's offer.
pub async fn change_status(
    conn: &DatabaseConnection,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    action: OfferMove,
    reason: Option<&str>,
) -> ServiceResult<OfferView> {
    let mut row = own(conn, caller, id).await?;
    let current = status_of(&row);
    let (next, name) = match action {
        OfferMove::Pause => (current.pause(), "offer.pause"),
        OfferMove::Resume => (current.resume(), "offer.resume"),
        OfferMove::Close => (current.close(), "offer.close"),
    };
    let next = next.map_err(|e| ServiceError::Conflict(e.to_string()))?;
    if action == OfferMove::Close {
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        row.closed_reason = match reason {
            Some(r) => Some(required_text(r, 500).map_err(|m| Invalid::one("reason", m))?),
            None => None,
        };
    }
    row.status = next.as_str().to_owned();
    row.updated_at = Utc::now();
    write(conn, ctx, row, None, false, name).await
}

/// The caller's own offers, newest first.
pub async fn list_own(
    conn: &DatabaseConnection,
    caller: &Principal,
    status: Option<OfferStatus>,
    paging: Paging,
) -> ServiceResult<Page<OfferView>> {
    let filter = match caller.role {
        Role::Provider => db::offers::OfferFilter {
            provider_id: Some(
                caller
                    .provider_id
                    .as_deref()
                    .ok_or(ServiceError::Forbidden)?,
            ),
            ..Default::default()
        },
        Role::Family => db::offers::OfferFilter {
            family_id: Some(caller.family_id.as_deref().ok_or(ServiceError::Forbidden)?),
            ..Default::default()
        },
        _ => return Err(ServiceError::Forbidden),
    };
    let filter = db::offers::OfferFilter {
        status: status.map(OfferStatus::as_str),
        ..filter
    };
    let (total, rows) = db::offers::list(conn, filter, paging.limit, paging.offset).await?;
    let mut items = Vec::new();
    for offer in rows {
        let townships = db::offers::townships(conn, &offer.id).await?;
        items.push(OfferView { offer, townships });
    }
    Ok(Page { total, items })
}
