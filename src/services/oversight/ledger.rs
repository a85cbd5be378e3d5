//! The ledger export (信息台账): one row per child file of a scope, read a
//! page at a time so that memory stays flat at 100,000 files.
//!
//! Identity fields (name, ID number, birth date, village, guardian, phone,
//! address) are left out — the sealed columns are not even opened —
//! unless a county administrator asks for them and gives a purpose. Every
//! export is audited before its first row leaves: scope, format, row
//! count and, for an identity export, the purpose.

use std::collections::HashMap;

use crate::db;
use crate::db::entities::child;
use crate::domain::Invalid;
use crate::domain::Role;
use crate::domain::child::VaultField;
use crate::domain::dates::day_text;

use super::super::audit::{self, Event};
use super::super::files::identity;
use super::super::regions::{Township, township_name};
use super::super::{Principal, RequestCtx, ServiceError, ServiceResult, Store};
use super::{Scope, scope_of};

/// Files read per page.
pub const PAGE: u64 = 500;

/// The file formats of the export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    pub fn code(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }
}

/// What the caller asked to export.
#[derive(Clone, Debug)]
pub struct Request {
    pub township: Option<String>,
    pub format: Format,
    pub include_identity: bool,
    pub purpose: Option<String>,
}

/// An export under way: what it covers and where the next page starts.
#[derive(Clone, Debug)]
pub struct Ledger {
    pub scope: Scope,
    pub identity: bool,
    /// Files in the scope when the export began (what the audit records).
    pub rows: u64,
    after: String,
    done: bool,
}

/// The columns of every export, in order.
pub const COLUMNS: &[&str] = &[
    "档案编号",
    "乡镇（街道）",
    "档案状态",
    "困境类型",
    "困境详情",
    "困境大类",
    "年龄段",
    "与监护人关系",
    "就学状况",
    "享受保障",
    "需求数",
    "已对接或完成的需求数",
    "已批准对接数",
    "最近走访日期",
];

/// The identity columns added to a county administrator's audited export.
pub const IDENTITY_COLUMNS: &[&str] = &[
    "姓名",
    "身份证号码",
    "出生日期",
    "村（社区）",
    "住址",
    "监护人姓名",
    "监护人电话",
];

/// The header row of an export.
pub fn header(identity: bool) -> Vec<&'static str> {
    let mut out = COLUMNS.to_vec();
    if identity {
        out.extend(IDENTITY_COLUMNS);
    }
    out
}

/// Checks the request, counts the scope's files and audits the export;
/// the rows then come from [`next_page`].
pub async fn start(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    request: &Request,
    townships: &[Township],
) -> ServiceResult<Ledger> {
    let scope = scope_of(caller, request.township.as_deref())?;
    if let Some(t) = scope.township()
        && !townships.iter().any(|x| x.code == t)
    {
        return Err(ServiceError::NotFound);
    }
    let purpose = request
        .purpose
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    if request.include_identity {
        if caller.role != Role::CountyAdmin {
            return Err(ServiceError::Forbidden);
        }
        match purpose {
            None => {
                return Err(ServiceError::Invalid(Invalid::one(
                    "purpose",
                    "导出身份信息须填写用途",
                )));
            }
            Some(p) if p.chars().count() < 4 || p.chars().count() > 200 => {
                return Err(ServiceError::Invalid(Invalid::one(
                    "purpose",
                    "用途应为4–200个字",
                )));
            }
            Some(_) => {}
        }
    }
    let rows = db::oversight::ledger::count_files(store.db, scope.township()).await?;
    let scope_text = match scope.township() {
        Some(t) => township_name(townships, t).to_owned(),
        None => "全县".to_owned(),
    };
    let (action, detail) = if request.include_identity {
        (
            "ledger.export_identity",
            format!(
                "scope: {scope_text}; format: {}; rows: {rows}; identity: included; purpose: {}",
                request.format.code(),
                purpose.unwrap_or_default()
            ),
        )
    } else {
        (
            "ledger.export",
            format!(
                "scope: {scope_text}; format: {}; rows: {rows}; identity: masked",
                request.format.code()
            ),
        )
    };
    audit::append_alone(
        store,
        ctx,
        Event::success(action, "children").with_detail(detail),
    )
    .await?;
    Ok(Ledger {
        scope,
        identity: request.include_identity,
        rows,
        after: String::new(),
        done: false,
    })
}

/// The next page of rows (empty when the export is complete).
pub async fn next_page(
    store: Store<'_>,
    ledger: &mut Ledger,
    townships: &[Township],
) -> ServiceResult<Vec<Vec<String>>> {
    if ledger.done {
        return Ok(Vec::new());
    }
    let files =
        db::oversight::ledger::files_after(store.db, ledger.scope.township(), &ledger.after, PAGE)
            .await?;
    let Some(last) = files.last() else {
        ledger.done = true;
        return Ok(Vec::new());
    };
    ledger.after = last.id.clone();
    if (files.len() as u64) < PAGE {
        ledger.done = true;
    }
    let ids: Vec<String> = files.iter().map(|f| f.id.clone()).collect();
    let mut benefits: HashMap<String, Vec<String>> = HashMap::new();
    for (child, benefit) in db::entitlements::open_benefits_of(store.db, &ids).await? {
        let name = store
            .rules
            .get(&benefit)
            .map_or(benefit.clone(), |r| r.name.clone());
        benefits.entry(child).or_default().push(name);
    }
    let needs = db::oversight::ledger::needs_of(store.db, &ids).await?;
    let matches = db::oversight::ledger::matches_of(store.db, &ids).await?;
    let mut out = Vec::with_capacity(files.len());
    for file in &files {
        let (n, met) = needs.get(&file.id).copied().unwrap_or((0, 0));
        let mut row = vec![
            file.file_no.clone(),
            township_name(townships, &file.township_code).to_owned(),
            file.status.label().to_owned(),
            file.difficulties
                .0
                .iter()
                .map(|d| d.label())
                .collect::<Vec<_>>()
                .join("、"),
            details(file),
            file.difficulty_class.label().to_owned(),
            file.counted_band
                .as_deref()
                .and_then(|b| b.parse::<crate::domain::child::AgeBand>().ok())
                .map_or("", |b| b.label())
                .to_owned(),
            file.guardian_relation.clone().unwrap_or_default(),
            file.school_status.map_or("", |s| s.label()).to_owned(),
            benefits
                .get(&file.id)
                .map(|b| b.join("、"))
                .unwrap_or_default(),
            n.to_string(),
            met.to_string(),
            matches.get(&file.id).copied().unwrap_or(0).to_string(),
            file.last_visited_on.map(day_text).unwrap_or_default(),
        ];
        if ledger.identity {
            row.extend(identity_of(store, file, townships)?);
        }
        out.push(row);
    }
    Ok(out)
}

/// The details of the categories, in words.
fn details(file: &child::Model) -> String {
    let mut parts = Vec::new();
    if let Some(p) = &file.poverty_type {
        parts.push(format!("贫困类型：{p}"));
    }
    if let Some(t) = &file.disability_type {
        match file.disability_grade {
            Some(g) => parts.push(format!("残疾：{t}（{g}级）")),
            None => parts.push(format!("残疾：{t}")),
        }
    }
    if let Some(r) = &file.unsupported_reason {
        parts.push(format!("无人抚养原因：{r}"));
    }
    if let Some(i) = &file.illness {
        parts.push(format!("疾病：{i}"));
    }
    if !file.assistance.0.is_empty() {
        let list: Vec<&str> = file.assistance.0.iter().map(|a| a.label()).collect();
        parts.push(format!("救助：{}", list.join("、")));
    }
    parts.join("；")
}

/// The identity fields of one file, opened for an audited export.
fn identity_of(
    store: Store<'_>,
    file: &child::Model,
    townships: &[Township],
) -> ServiceResult<Vec<String>> {
    let open = |field| -> ServiceResult<String> {
        Ok(identity::open_field(store.vault, file, field)?
            .map(|v| v.to_string())
            .unwrap_or_default())
    };
    let village_code = open(VaultField::Village)?;
    let village = townships
        .iter()
        .flat_map(|t| &t.villages)
        .find(|v| v.code == village_code)
        .map_or(village_code.clone(), |v| v.name.clone());
    Ok(vec![
        open(VaultField::Name)?,
        open(VaultField::IdNumber)?,
        open(VaultField::BirthDate)?,
        village,
        open(VaultField::Address)?,
        open(VaultField::GuardianName)?,
        open(VaultField::GuardianPhone)?,
    ])
}
