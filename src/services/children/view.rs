//! Reading files: the masked view staff see by default, revealing single
//! fields on an explicit request, lists and search. Every read that opens
//! a sealed value is written to the audit log with the fields it showed.

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

use crate::db;
use crate::db::entities::{child, child_event, need, visit};
use crate::domain::child::{
    AgeBand, DifficultyClass, FileStatus, VaultField, mask_name, mask_phone, visit_overdue,
};
use crate::domain::{IdNumber, Role};

use super::super::audit::{self, Event};
use super::super::files;
use super::super::files::identity::{self, Identity};
use super::super::files::population::band_and_class;
use super::super::{Page, Paging, Principal, RequestCtx, ServiceResult, Store};

/// One personal field as shown: masked, or in full when revealed.
#[derive(Debug, Clone)]
pub struct ShownField {
    pub field: VaultField,
    pub value: Option<String>,
    pub revealed: bool,
}

/// A file as staff see it.
#[derive(Debug, Clone)]
pub struct FileView {
    pub child: child::Model,
    pub fields: Vec<ShownField>,
    pub age_band: Option<AgeBand>,
    pub class: DifficultyClass,
    pub overdue: bool,
    pub visits: Vec<visit::Model>,
    pub events: Vec<child_event::Model>,
    pub needs: Vec<need::Model>,
    /// What the caller may do with the file now.
    pub actions: FileActions,
}

/// What a member of staff may do with a file in their scope, by role and
/// the file's state; the services that do each thing refuse the same cases.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileActions {
    /// Officers edit any open file; supervisors only their drafts.
    pub edit: bool,
    /// Officers and supervisors draft needs for an open file.
    pub draft_need: bool,
    /// Officers complete a supervisor's draft.
    pub complete: bool,
    /// Officers close an open file.
    pub close: bool,
    /// Officers and supervisors record visits to an open file.
    pub visit: bool,
}

impl FileActions {
    pub fn of(role: Role, status: FileStatus) -> Self {
        let open = status != FileStatus::Closed;
        let officer = role == Role::TownshipOfficer;
        let drafter = matches!(role, Role::TownshipOfficer | Role::VillageSupervisor);
        Self {
            edit: open && (officer || (drafter && status == FileStatus::Draft)),
            draft_need: drafter && open,
            complete: officer && status == FileStatus::Draft,
            close: officer && open,
            visit: drafter && open,
        }
    }
}

impl FileView {
    pub fn field(&self, field: VaultField) -> Option<&ShownField> {
        self.fields.iter().find(|f| f.field == field)
    }
}

/// A line of a list: never more than the masked name.
#[derive(Debug, Clone)]
pub struct ListItem {
    pub id: String,
    pub file_no: String,
    pub masked_name: String,
    pub township_code: String,
    pub status: FileStatus,
    pub class: DifficultyClass,
    pub age_band: Option<AgeBand>,
    pub last_visited_on: Option<NaiveDate>,
    pub overdue: bool,
}

/// Whether `child` is overdue for a visit on `today` (see [`visit_overdue`]).
pub fn is_overdue(child: &child::Model, today: NaiveDate) -> bool {
    let opened_on = child.created_at.with_timezone(&chrono::Local).date_naive();
    visit_overdue(child.status, child.last_visited_on, opened_on, today)
}

async fn village_name(conn: &impl ConnectionTrait, code: &str) -> ServiceResult<String> {
    Ok(db::regions::find_village(conn, code)
        .await?
        .map(|v| v.name)
        .unwrap_or_else(|| code.to_owned()))
}

/// The masked form of a field's plain value.
pub(crate) fn masked(field: VaultField, plain: &str) -> String {
    match field {
        VaultField::Name | VaultField::GuardianName => mask_name(plain),
        VaultField::IdNumber => IdNumber::parse(plain)
            .map(|id| id.masked())
            .unwrap_or_else(|_| "*".repeat(18)),
        VaultField::BirthDate => "****-**-**".to_owned(),
        VaultField::GuardianPhone => mask_phone(plain),
        VaultField::Village | VaultField::Address => "（已隐藏）".to_owned(),
    }
}

async fn shown_fields(
    conn: &impl ConnectionTrait,
    identity: &Identity,
    reveal: &[VaultField],
) -> ServiceResult<Vec<ShownField>> {
    let mut fields = Vec::new();
    for &field in VaultField::ALL {
        let revealed = reveal.contains(&field);
        let value = match identity.get(field) {
            None => None,
            Some(plain) if revealed && field == VaultField::Village => {
                Some(village_name(conn, &plain).await?)
            }
            Some(plain) if revealed => Some(plain),
            Some(plain) => Some(masked(field, &plain)),
        };
        fields.push(ShownField {
            field,
            value,
            revealed: revealed && identity.get(field).is_some(),
        });
    }
    Ok(fields)
}

fn field_list(fields: &[VaultField]) -> String {
    fields
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Whether `caller` may open the file `id` (`NotFound` otherwise): asked
/// before a reveal is granted for the next view of the file. Nothing is
/// opened or audited here; the view that shows the fields audits them.
pub async fn may_open(store: Store<'_>, caller: &Principal, id: &str) -> ServiceResult<()> {
    files::find_in_scope(store, caller, id).await.map(|_| ())
}

/// One file, masked, with `reveal` shown in full. Audited either way: the
/// entry names the file and the fields shown masked and in full.
pub async fn get(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    reveal: &[VaultField],
) -> ServiceResult<FileView> {
    let mut child = files::find_in_scope(store, caller, id).await?;
    // The old ticks, as the open entitlement records stand for them (the
    // API's `assistance` field keeps its meaning).
    let open = db::entitlements::open_benefits(store.db, &child.id).await?;
    child.assistance =
        crate::db::columns::CodeList(super::super::entitlements::records::ticks_of(&open));
    let identity = identity::open_all(store.vault, &child)?;
    let today = chrono::Local::now().date_naive();
    let (age_band, class) = band_and_class(store.vault, &child, today)?;
    let fields = shown_fields(store.db, &identity, reveal).await?;
    let revealed: Vec<VaultField> = fields
        .iter()
        .filter(|f| f.revealed)
        .map(|f| f.field)
        .collect();
    let masked: Vec<VaultField> = fields
        .iter()
        .filter(|f| !f.revealed && f.value.is_some())
        .map(|f| f.field)
        .collect();
    let (action, detail) = if revealed.is_empty() {
        ("child.view", format!("masked: {}", field_list(&masked)))
    } else {
        (
            "child.reveal",
            format!(
                "revealed: {}; masked: {}",
                field_list(&revealed),
                field_list(&masked)
            ),
        )
    };
    audit::append_alone(
        store,
        ctx,
        Event::success(action, format!("child:{}", child.id)).with_detail(detail),
    )
    .await?;
    let visits = db::children::visits(store.db, &child.id).await?;
    let events = db::children::events(store.db, &child.id).await?;
    // The page lists them; no count is shown, so none is taken.
    let needs = db::needs::page(
        store.db,
        &db::needs::NeedFilter {
            child_id: Some(&child.id),
            ..Default::default()
        },
        100,
        0,
    )
    .await?;
    Ok(FileView {
        actions: FileActions::of(caller.role, child.status),
        overdue: is_overdue(&child, today),
        child,
        fields,
        age_band,
        class,
        visits,
        events,
        needs,
    })
}

/// The filter that keeps a list inside the caller's scope.
fn scope_filter<'a>(
    store: Store<'_>,
    caller: &'a Principal,
    village_index: &'a mut Option<String>,
) -> ServiceResult<db::children::ChildFilter<'a>> {
    caller.require_role(&[
        Role::CountyAdmin,
        Role::TownshipOfficer,
        Role::VillageSupervisor,
    ])?;
    if caller.role == Role::VillageSupervisor {
        *village_index = Some(identity::village_index(
            store.vault,
            caller.village.as_deref().unwrap_or(""),
        ));
    }
    Ok(db::children::ChildFilter {
        township: caller.township_filter(),
        village_index: village_index.as_deref(),
        ..Default::default()
    })
}

fn list_item(store: Store<'_>, child: &child::Model, today: NaiveDate) -> ServiceResult<ListItem> {
    let name = identity::open_field(store.vault, child, VaultField::Name)?
        .map(|n| mask_name(&n))
        .unwrap_or_default();
    let (age_band, class) = band_and_class(store.vault, child, today)?;
    Ok(ListItem {
        id: child.id.clone(),
        file_no: child.file_no.clone(),
        masked_name: name,
        township_code: child.township_code.clone(),
        status: child.status,
        class,
        age_band,
        last_visited_on: child.last_visited_on,
        overdue: is_overdue(child, today),
    })
}

async fn audit_list(
    store: Store<'_>,
    ctx: &RequestCtx,
    action: &str,
    items: &[ListItem],
    scanned: Option<usize>,
) -> ServiceResult<()> {
    if items.is_empty() && scanned.is_none() {
        return Ok(());
    }
    let files: Vec<&str> = items.iter().map(|i| i.file_no.as_str()).collect();
    let mut detail = format!("masked: name; files: {}", files.join(","));
    if let Some(n) = scanned {
        detail.push_str(&format!("; names compared: {n}"));
    }
    audit::append_alone(
        store,
        ctx,
        Event::success(action, "children").with_detail(detail),
    )
    .await?;
    Ok(())
}

/// Files in the caller's scope, optionally of one status, the least
/// recently visited first.
pub async fn list(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    status: Option<FileStatus>,
    paging: Paging,
) -> ServiceResult<Page<ListItem>> {
    let mut village = None;
    let mut filter = scope_filter(store, caller, &mut village)?;
    filter.status = status.map(FileStatus::as_str);
    let (total, rows) =
        db::children::list(store.db, &filter, Some(paging.limit), paging.offset).await?;
    let today = chrono::Local::now().date_naive();
    let items = rows
        .iter()
        .map(|c| list_item(store, c, today))
        .collect::<ServiceResult<Vec<_>>>()?;
    audit_list(store, ctx, "child.list", &items, None).await?;
    Ok(Page { total, items })
}

/// Searches the caller's files by ID number (exact, through the blind
/// index), file number (exact) or name (part of it, compared in memory:
/// names are sealed, so the database cannot compare them).
pub async fn search(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    query: &str,
    paging: Paging,
) -> ServiceResult<Page<ListItem>> {
    let query = query.trim();
    let mut village = None;
    let mut filter = scope_filter(store, caller, &mut village)?;
    let today = chrono::Local::now().date_naive();
    if query.is_empty() {
        return Ok(Page {
            total: 0,
            items: Vec::new(),
        });
    }
    let index;
    let compact: String = query
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if let Ok(id) = IdNumber::parse(&compact) {
        index = identity::id_number_index(store.vault, id.normalized());
        filter.id_number_index = Some(&index);
    } else if query.chars().all(|c| c.is_ascii_digit() || c == '-') {
        filter.file_no = Some(query);
    } else {
        let (_, rows) = db::children::list(store.db, &filter, None, 0).await?;
        let mut matched = Vec::new();
        for child in &rows {
            let name =
                identity::open_field(store.vault, child, VaultField::Name)?.unwrap_or_default();
            if name.contains(query) {
                matched.push(list_item(store, child, today)?);
            }
        }
        let total = matched.len() as u64;
        let items: Vec<ListItem> = matched
            .into_iter()
            .skip(paging.offset as usize)
            .take(paging.limit as usize)
            .collect();
        audit_list(store, ctx, "child.search", &items, Some(rows.len())).await?;
        return Ok(Page { total, items });
    }
    let (total, rows) =
        db::children::list(store.db, &filter, Some(paging.limit), paging.offset).await?;
    let items = rows
        .iter()
        .map(|c| list_item(store, c, today))
        .collect::<ServiceResult<Vec<_>>>()?;
    audit_list(store, ctx, "child.search", &items, None).await?;
    Ok(Page { total, items })
}

#[cfg(test)]
mod action_tests {
    use super::*;

    #[test]
    fn supervisors_edit_only_drafts_and_nobody_acts_on_a_closed_file() {
        let supervisor = FileActions::of(Role::VillageSupervisor, FileStatus::Active);
        assert!(!supervisor.edit && supervisor.draft_need && supervisor.visit);
        assert!(FileActions::of(Role::VillageSupervisor, FileStatus::Draft).edit);
        let officer = FileActions::of(Role::TownshipOfficer, FileStatus::Draft);
        assert!(officer.edit && officer.complete && officer.close);
        assert!(!FileActions::of(Role::TownshipOfficer, FileStatus::Active).complete);
        assert_eq!(
            FileActions::of(Role::TownshipOfficer, FileStatus::Closed),
            FileActions::default()
        );
        assert_eq!(
            FileActions::of(Role::CountyAdmin, FileStatus::Active),
            FileActions::default()
        );
    }
}
