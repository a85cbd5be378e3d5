//! Who posts an offer (a verified provider or an approved family, with the
//! categories each may offer) and the checking of a typed offer into a row.

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

use crate::db;
use crate::db::entities::offer;
use crate::domain::category::Category;
use crate::domain::dates::parse_day;
use crate::domain::family::CareType;
use crate::domain::invalid::required_text;
use crate::domain::offer::AgeRange;
use crate::domain::provider::ProviderStatus;
use crate::domain::{Invalid, Role};

use super::super::{Principal, ServiceError, ServiceResult};
use super::{COUNTY, OfferInput};

/// Who posts: a verified provider or an approved family, and what it may offer.
pub(super) struct Owner {
    pub(super) provider_id: Option<String>,
    pub(super) family_id: Option<String>,
    pub(super) name: String,
    categories: Vec<Category>,
}

impl Owner {
    /// The categories this owner may post.
    pub(super) fn categories(&self) -> &[Category] {
        &self.categories
    }
}

pub(super) async fn owner(conn: &impl ConnectionTrait, caller: &Principal) -> ServiceResult<Owner> {
    match caller.role {
        Role::Provider => {
            let id = caller
                .provider_id
                .as_deref()
                .ok_or(ServiceError::Forbidden)?;
            let provider = db::providers::find(conn, id)
                .await?
                .ok_or(ServiceError::Forbidden)?;
            if provider.status != ProviderStatus::Verified {
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
            if !crate::services::families::approval_is_current(&family) {
                return Err(ServiceError::Forbidden);
            }
            let categories = family
                .care_types
                .iter()
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

pub(super) struct Checked {
    category: Category,
    title: String,
    description: String,
    pub(super) capacity: i32,
    county_wide: bool,
    pub(super) townships: Vec<String>,
    ages: AgeRange,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
    schedule: Option<String>,
}

fn parse_date(invalid: &mut Invalid, field: &str, raw: Option<&str>) -> Option<NaiveDate> {
    let raw = raw.map(str::trim).filter(|s| !s.is_empty())?;
    match parse_day(raw) {
        Some(d) => Some(d),
        None => {
            invalid.add(field, "请按“年/月/日”填写日期，如 2026/12/01");
            None
        }
    }
}

pub(super) async fn parse(
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
        _ => Err(ServiceError::internal("offer checked without values")),
    }
}

/// The columns an owner's edit writes.
pub(super) fn edit_of(checked: &Checked) -> db::offers::OfferEdit<'_> {
    db::offers::OfferEdit {
        category: checked.category.as_str(),
        title: &checked.title,
        description: &checked.description,
        capacity: checked.capacity,
        county_wide: checked.county_wide,
        age_min: Some(i16::from(checked.ages.min)),
        age_max: Some(i16::from(checked.ages.max)),
        starts_on: checked.starts_on,
        ends_on: checked.ends_on,
        schedule: checked.schedule.as_deref(),
    }
}

impl Checked {
    pub(super) fn category(&self) -> Category {
        self.category
    }
}

pub(super) fn apply(checked: Checked, row: &mut offer::Model) {
    row.category = checked.category;
    row.title = checked.title;
    row.description = checked.description;
    row.county_wide = checked.county_wide;
    row.age_min = Some(i16::from(checked.ages.min));
    row.age_max = Some(i16::from(checked.ages.max));
    row.starts_on = checked.starts_on;
    row.ends_on = checked.ends_on;
    row.schedule = checked.schedule;
}
