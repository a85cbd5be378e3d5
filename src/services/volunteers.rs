//! Volunteers and their hours (issue 18): an organisation keeps the list of
//! its volunteers (name and its own reference for them), service records
//! name the volunteers who served — only the organisation's own, active
//! ones, never anyone typed in — and the volunteer-hours export gives an
//! organisation its own volunteers' rows in the field layout of a national
//! volunteer-service record, and the county the totals per organisation.
//! Every change and every export is audited.

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

use crate::db;
use crate::db::entities::volunteer;
use crate::db::volunteers::HoursKey;
use crate::domain::dates::parse_day;
use crate::domain::{Invalid, Role};

use super::audit::{self, Event};
use super::{Principal, RequestCtx, ServiceError, ServiceResult, Store, new_id};

/// Longest name and reference kept.
pub const FIELD_MAX: usize = 50;

/// Rows read per page of an export.
pub const PAGE: u64 = 500;

/// The organisation a provider account acts for.
fn own_provider(caller: &Principal) -> ServiceResult<&str> {
    caller.require_role(&[Role::Provider])?;
    caller.provider_id.as_deref().ok_or(ServiceError::Forbidden)
}

/// The caller's organisation's volunteers, active ones first.
pub async fn list(store: Store<'_>, caller: &Principal) -> ServiceResult<Vec<volunteer::Model>> {
    let provider = own_provider(caller)?;
    Ok(db::volunteers::of_provider(store.db, provider).await?)
}

fn field(invalid: &mut Invalid, name: &str, value: &str, label: &str) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        invalid.add(name, format!("请填写{label}"));
        None
    } else if value.chars().count() > FIELD_MAX {
        invalid.add(name, format!("{label}不超过{FIELD_MAX}个字"));
        None
    } else {
        Some(value.to_owned())
    }
}

/// Adds a volunteer to the caller's organisation; a reference already
/// used by one of its volunteers is refused.
pub async fn add(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    name: &str,
    reference: &str,
) -> ServiceResult<volunteer::Model> {
    let provider = own_provider(caller)?.to_owned();
    let mut invalid = Invalid::new();
    let name = field(&mut invalid, "name", name, "志愿者姓名");
    let reference = field(&mut invalid, "reference", reference, "志愿者编号");
    invalid.into_result()?;
    let (Some(name), Some(reference)) = (name, reference) else {
        return Err(ServiceError::internal("volunteer checked without values"));
    };
    let txn = db::begin_write(store.db).await?;
    if db::volunteers::reference_taken(&txn, &provider, &reference).await? {
        return Err(ServiceError::Invalid(Invalid::one(
            "reference",
            "本机构已有使用该编号的志愿者",
        )));
    }
    let row = db::volunteers::insert(
        &txn,
        volunteer::Model {
            id: new_id(),
            provider_id: provider.clone(),
            name,
            reference,
            active: true,
            created_at: store.clock.now(),
        },
    )
    .await?;
    audit::append(
        &txn,
        ctx,
        Event::success("volunteer.add", format!("volunteer:{}", row.id))
            .with_detail(format!("provider: {provider}")),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Retires one of the caller's organisation's volunteers: kept for the
/// hours served, no longer offered on the service form.
pub async fn retire(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
) -> ServiceResult<()> {
    let provider = own_provider(caller)?.to_owned();
    let txn = db::begin_write(store.db).await?;
    if !db::volunteers::retire(&txn, id, &provider).await? {
        return Err(ServiceError::NotFound);
    }
    audit::append(
        &txn,
        ctx,
        Event::success("volunteer.retire", format!("volunteer:{id}"))
            .with_detail(format!("provider: {provider}")),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The volunteers named on a service record, checked inside its write
/// transaction: each must be an active volunteer of the organisation that
/// owns the offer (a family's offer has none). Anything else is refused in
/// `invalid` under `volunteers`, without saying whose the id is.
pub async fn check_served(
    conn: &impl ConnectionTrait,
    owner: Option<&str>,
    ids: &[String],
    invalid: &mut Invalid,
) -> ServiceResult<Vec<volunteer::Model>> {
    let mut ids: Vec<String> = ids
        .iter()
        .map(|i| i.trim().to_owned())
        .filter(|i| !i.is_empty())
        .collect();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let Some(owner) = owner else {
        invalid.add("volunteers", "只有机构可以登记参与服务的志愿者");
        return Ok(Vec::new());
    };
    let found = db::volunteers::active_of(conn, owner, &ids).await?;
    if found.len() != ids.len() {
        invalid.add("volunteers", "只能选择本机构名单中在册的志愿者");
    }
    Ok(found)
}

/// What an export covers and where its next page starts.
#[derive(Debug, Clone)]
pub struct Export {
    pub scope: ExportScope,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// The organisation's name and credit code, repeated on each row.
    organisation: (String, String),
    after: Option<HoursKey>,
    after_provider: String,
    done: bool,
}

/// Whose hours an export holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportScope {
    /// One organisation's own volunteers, row by row.
    Organisation(String),
    /// The county: totals per organisation.
    County,
}

/// The national volunteer-service record's fields, as an organisation's
/// export gives them.
pub const ORGANISATION_COLUMNS: &[&str] = &[
    "志愿者姓名",
    "志愿者编号",
    "服务项目",
    "服务日期",
    "服务时长（小时）",
    "组织名称",
    "统一社会信用代码",
];

/// The county's export: one row per organisation.
pub const COUNTY_COLUMNS: &[&str] = &[
    "组织名称",
    "统一社会信用代码",
    "志愿者人数",
    "服务记录数",
    "志愿服务时长（小时）",
];

impl Export {
    pub fn header(&self) -> &'static [&'static str] {
        match self.scope {
            ExportScope::Organisation(_) => ORGANISATION_COLUMNS,
            ExportScope::County => COUNTY_COLUMNS,
        }
    }
}

fn day_param(invalid: &mut Invalid, name: &str, raw: Option<&str>) -> Option<NaiveDate> {
    let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
    let day = parse_day(raw);
    if day.is_none() {
        invalid.add(name, "日期应写作 2026-12-01");
    }
    day
}

fn hours_text(hours: Option<f64>) -> String {
    hours.map(|h| format!("{h}")).unwrap_or_default()
}

/// Checks the request and audits the export before any row leaves: a
/// provider exports its own volunteers' hours, a county administrator the
/// totals per organisation; nobody else.
pub async fn start_export(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    from: Option<&str>,
    to: Option<&str>,
) -> ServiceResult<Export> {
    let scope = match caller.role {
        Role::Provider => ExportScope::Organisation(own_provider(caller)?.to_owned()),
        Role::CountyAdmin => ExportScope::County,
        _ => return Err(ServiceError::Forbidden),
    };
    let mut invalid = Invalid::new();
    let from = day_param(&mut invalid, "from", from);
    let to = day_param(&mut invalid, "to", to);
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        invalid.add("to", "结束日期不能早于开始日期");
    }
    invalid.into_result()?;
    let organisation = match &scope {
        ExportScope::Organisation(id) => {
            let p = db::providers::find(store.db, id)
                .await?
                .ok_or(ServiceError::Forbidden)?;
            (p.name, p.credit_code.unwrap_or_default())
        }
        ExportScope::County => (String::new(), String::new()),
    };
    let span = |d: Option<NaiveDate>| d.map_or("-".to_owned(), |d| d.to_string());
    let detail = format!(
        "scope: {}; from: {}; to: {}",
        match &scope {
            ExportScope::Organisation(id) => format!("provider {id}"),
            ExportScope::County => "county totals".to_owned(),
        },
        span(from),
        span(to)
    );
    audit::append_alone(
        store,
        ctx,
        Event::success("volunteer_hours.export", "volunteer_hours").with_detail(detail),
    )
    .await?;
    Ok(Export {
        scope,
        from,
        to,
        organisation,
        after: None,
        after_provider: String::new(),
        done: false,
    })
}

/// The next page of rows (empty when the export is complete).
pub async fn next_page(store: Store<'_>, export: &mut Export) -> ServiceResult<Vec<Vec<String>>> {
    if export.done {
        return Ok(Vec::new());
    }
    let rows = match &export.scope {
        ExportScope::Organisation(id) => {
            let rows = db::volunteers::hours_after(
                store.db,
                id,
                export.from,
                export.to,
                export.after.as_ref(),
                PAGE,
            )
            .await?;
            export.after = rows.last().map(|r| r.key.clone());
            rows.into_iter()
                .map(|r| {
                    vec![
                        r.name,
                        r.reference,
                        r.activity,
                        r.key.served_on.map(|d| d.to_string()).unwrap_or_default(),
                        hours_text(r.hours),
                        export.organisation.0.clone(),
                        export.organisation.1.clone(),
                    ]
                })
                .collect::<Vec<_>>()
        }
        ExportScope::County => {
            let rows = db::volunteers::totals_after(
                store.db,
                export.from,
                export.to,
                &export.after_provider,
                PAGE,
            )
            .await?;
            if let Some(last) = rows.last() {
                export.after_provider = last.provider_id.clone();
            }
            rows.into_iter()
                .map(|r| {
                    vec![
                        r.name,
                        r.credit_code.unwrap_or_default(),
                        r.volunteers.to_string(),
                        r.services.to_string(),
                        hours_text(r.hours),
                    ]
                })
                .collect()
        }
    };
    if (rows.len() as u64) < PAGE {
        export.done = true;
    }
    Ok(rows)
}
