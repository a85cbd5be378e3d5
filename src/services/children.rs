//! Child files (一人一档): drafting, completing, changing and closing a
//! file, with its history. Personal values go through the identity vault;
//! reads are in [`view`], visits in [`visits`], the population counts for
//! k-anonymity in [`population`].

pub mod identity;
pub mod population;
pub mod view;
pub mod visits;

use chrono::{Datelike, Utc};
use sea_orm::ConnectionTrait;

use crate::db;
use crate::db::entities::child;
use crate::db::outbox::{self, OutboxKind};
use crate::domain::child::{
    AgeBand, Assistance, Difficulties, DifficultyInput, FileStatus, Gender, LegalBasis,
};
use crate::domain::invalid::required_text;
use crate::domain::phone::Phone;
use crate::domain::region::{TownshipCode, VillageCode};
use crate::domain::{IdNumber, Invalid, Role};
use crate::vault::Vault;

use self::identity::Identity;
use super::audit::{self, Event};
use super::{Principal, RequestCtx, ServiceError, ServiceResult, Store, new_id};

/// A file as typed. On an update, `None` in a personal field keeps the
/// stored value (the form shows it masked, not filled in).
#[derive(Debug, Clone, Default)]
pub struct ChildInput {
    pub name: Option<String>,
    pub id_number: Option<String>,
    pub gender: Option<String>,
    pub township: Option<String>,
    pub village: Option<String>,
    pub address: Option<String>,
    pub guardian_name: Option<String>,
    pub guardian_relation: Option<String>,
    pub guardian_phone: Option<String>,
    pub school: Option<String>,
    pub difficulties: Option<DifficultyInput>,
    pub assistance: Option<Vec<String>>,
    pub consent_keep_file: Option<bool>,
    pub consent_publish_needs: Option<bool>,
    pub statutory_basis: Option<String>,
}

impl ChildInput {
    /// This input over `base`: each field given here wins; a personal
    /// field given empty keeps the base value (forms show them masked);
    /// the legal basis is taken whole from one side.
    pub fn over(self, base: ChildInput) -> ChildInput {
        let vault = |typed: Option<String>, stored: Option<String>| match typed {
            Some(t) if !t.trim().is_empty() => Some(t),
            _ => stored,
        };
        let basis_given = self.consent_keep_file.is_some()
            || self.consent_publish_needs.is_some()
            || self.statutory_basis.is_some();
        ChildInput {
            name: vault(self.name, base.name),
            id_number: vault(self.id_number, base.id_number),
            gender: self.gender.or(base.gender),
            township: self.township.or(base.township),
            village: vault(self.village, base.village),
            address: vault(self.address, base.address),
            guardian_name: vault(self.guardian_name, base.guardian_name),
            guardian_relation: self.guardian_relation.or(base.guardian_relation),
            guardian_phone: vault(self.guardian_phone, base.guardian_phone),
            school: self.school.or(base.school),
            difficulties: self.difficulties.or(base.difficulties),
            assistance: self.assistance.or(base.assistance),
            consent_keep_file: if basis_given {
                self.consent_keep_file
            } else {
                base.consent_keep_file
            },
            consent_publish_needs: if basis_given {
                self.consent_publish_needs
            } else {
                base.consent_publish_needs
            },
            statutory_basis: if basis_given {
                self.statutory_basis
            } else {
                base.statutory_basis
            },
        }
    }

    /// The stored file as input, for changing it.
    pub fn from_file(model: &child::Model, identity: &Identity) -> ChildInput {
        let list = |json: &str| serde_json::from_str::<Vec<String>>(json).unwrap_or_default();
        ChildInput {
            name: Some(identity.name.clone()),
            id_number: Some(identity.id_number.clone()),
            gender: Some(model.gender.clone()),
            township: Some(model.township_code.clone()),
            village: Some(identity.village_code.clone()),
            address: identity.address.clone(),
            guardian_name: identity.guardian_name.clone(),
            guardian_relation: model.guardian_relation.clone(),
            guardian_phone: identity.guardian_phone.clone(),
            school: model.school.clone(),
            difficulties: Some(DifficultyInput {
                kinds: list(&model.difficulties),
                poverty_type: model.poverty_type.clone(),
                disability_type: model.disability_type.clone(),
                disability_grade: model.disability_grade.map(i64::from),
                unsupported_reason: model.unsupported_reason.clone(),
                illness: model.illness.clone(),
            }),
            assistance: Some(list(&model.assistance)),
            consent_keep_file: model
                .statutory_basis
                .is_none()
                .then_some(model.consent_keep_file),
            consent_publish_needs: model
                .statutory_basis
                .is_none()
                .then_some(model.consent_publish_needs),
            statutory_basis: model.statutory_basis.clone(),
        }
    }
}

/// A file's checked content, ready to be sealed and stored.
struct Parsed {
    identity: Identity,
    gender: Gender,
    township: TownshipCode,
    guardian_relation: Option<String>,
    school: Option<String>,
    difficulties: Difficulties,
    assistance: Vec<Assistance>,
    basis: LegalBasis,
}

fn optional_text(
    invalid: &mut Invalid,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Option<String> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    invalid.check(field, required_text(value, max))
}

fn parse_name(
    invalid: &mut Invalid,
    field: &str,
    value: Option<&str>,
    required: bool,
) -> Option<String> {
    let value = value.map(str::trim).unwrap_or("");
    if value.is_empty() {
        if required {
            invalid.add(field, "请填写姓名");
        }
        return None;
    }
    let count = value.chars().count();
    if !(2..=30).contains(&count) || value.chars().any(|c| c.is_ascii_digit() || c.is_control()) {
        invalid.add(field, "姓名应为2至30个字，不含数字");
        return None;
    }
    Some(value.to_owned())
}

/// Checks a whole file. `own_id` is the file being changed (its own ID
/// number is not a duplicate of itself).
async fn parse(
    conn: &impl ConnectionTrait,
    vault: &Vault,
    caller: &Principal,
    input: &ChildInput,
    own_id: Option<&str>,
) -> ServiceResult<Parsed> {
    let mut invalid = Invalid::new();
    let today = chrono::Local::now().date_naive();
    let name = parse_name(&mut invalid, "name", input.name.as_deref(), true);
    let id_number = match input
        .id_number
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => {
            invalid.add("id_number", "请填写身份证号码");
            None
        }
        // Typed from a paper form, a number often carries spaces or dashes.
        Some(raw) => {
            let compact: String = raw
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .collect();
            invalid.check("id_number", IdNumber::parse(&compact))
        }
    };
    if let Some(id) = &id_number
        && AgeBand::of(id.birth_date(), today).is_none()
    {
        invalid.add(
            "id_number",
            "该身份证号码的持有人已年满18周岁，不属于困境儿童建档范围",
        );
    }
    let gender = match input
        .gender
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => {
            invalid.add("gender", "请选择性别");
            None
        }
        Some(raw) => invalid.check("gender", raw.parse::<Gender>()),
    };
    if let (Some(g), Some(id)) = (gender, &id_number)
        && (g == Gender::Male) != id.is_male()
    {
        invalid.add("gender", "性别与身份证号码不一致，请核对");
    }
    let township = match TownshipCode::parse(input.township.as_deref().unwrap_or("")) {
        Ok(code)
            if db::regions::find_township(conn, code.as_str())
                .await?
                .is_some() =>
        {
            if caller.staff_reaches_township(code.as_str()) {
                Some(code)
            } else {
                invalid.add("township", "只能为本辖区的儿童建档");
                None
            }
        }
        _ => {
            invalid.add("township", "请选择儿童所在的乡镇（街道）");
            None
        }
    };
    let village = match VillageCode::parse(input.village.as_deref().unwrap_or("")) {
        Ok(code)
            if db::regions::find_village(conn, code.as_str())
                .await?
                .is_some() =>
        {
            if township.as_ref().is_some_and(|t| *t != code.township()) {
                invalid.add("village", "所选村（社区）不在所选乡镇（街道）");
                None
            } else if caller.role == Role::VillageSupervisor
                && caller.village.as_deref() != Some(code.as_str())
            {
                invalid.add("village", "督导员只能为本村（社区）的儿童建档");
                None
            } else {
                Some(code)
            }
        }
        _ => {
            invalid.add("village", "请选择儿童所在的村（社区）");
            None
        }
    };
    let address = optional_text(&mut invalid, "address", input.address.as_deref(), 200);
    let guardian_name = parse_name(
        &mut invalid,
        "guardian_name",
        input.guardian_name.as_deref(),
        false,
    );
    let guardian_relation = optional_text(
        &mut invalid,
        "guardian_relation",
        input.guardian_relation.as_deref(),
        20,
    );
    let guardian_phone = match input
        .guardian_phone
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(raw) => invalid.check("guardian_phone", Phone::parse(raw)),
        None => None,
    };
    let school = optional_text(&mut invalid, "school", input.school.as_deref(), 60);
    let difficulties = Difficulties::parse(
        &input.difficulties.clone().unwrap_or_default(),
        &mut invalid,
    );
    let mut assistance = Vec::new();
    for raw in input.assistance.iter().flatten() {
        if let Some(a) = invalid.check("assistance", raw.parse::<Assistance>())
            && !assistance.contains(&a)
        {
            assistance.push(a);
        }
    }
    assistance.sort();
    let basis = LegalBasis::parse(
        input.consent_keep_file,
        input.consent_publish_needs,
        input.statutory_basis.as_deref(),
        difficulties.as_ref(),
        &mut invalid,
    );
    if let Some(id) = &id_number {
        let index = identity::id_number_index(vault, id.normalized());
        let taken = db::children::list(
            conn,
            &db::children::ChildFilter {
                id_number_index: Some(&index),
                ..Default::default()
            },
            Some(1),
            0,
        )
        .await?
        .1;
        if taken.iter().any(|c| Some(c.id.as_str()) != own_id) {
            // Deliberately silent about where that file is: it may be in
            // another township, and its existence there is not ours to tell.
            invalid.add_duplicate(
                "id_number",
                "该身份证号码已有档案（一人一档），请勿重复建档",
            );
        }
    }
    invalid.into_result()?;
    match (
        name,
        id_number,
        gender,
        township,
        village,
        difficulties,
        basis,
    ) {
        (
            Some(name),
            Some(id),
            Some(gender),
            Some(township),
            Some(village),
            Some(difficulties),
            Some(basis),
        ) => Ok(Parsed {
            identity: Identity {
                name,
                id_number: id.normalized().to_owned(),
                birth_date: id.birth_date(),
                village_code: village.as_str().to_owned(),
                address,
                guardian_name,
                guardian_phone: guardian_phone.map(|p| p.as_str().to_owned()),
            },
            gender,
            township,
            guardian_relation,
            school,
            difficulties,
            assistance,
            basis,
        }),
        _ => Err(ServiceError::Internal("file checked without values".into())),
    }
}

fn codes<T: Copy>(items: &[T], code: fn(T) -> &'static str) -> ServiceResult<String> {
    let codes: Vec<&str> = items.iter().map(|&i| code(i)).collect();
    serde_json::to_string(&codes).map_err(|e| ServiceError::Internal(e.to_string()))
}

/// Writes the checked content into a row (sealing the identity).
fn fill(vault: &Vault, parsed: &Parsed, model: &mut child::Model) -> ServiceResult<()> {
    identity::seal_into(vault, &parsed.identity, model)
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    let d = &parsed.difficulties;
    model.township_code = parsed.township.as_str().to_owned();
    model.gender = parsed.gender.as_str().to_owned();
    model.guardian_relation = parsed.guardian_relation.clone();
    model.school = parsed.school.clone();
    model.difficulties = codes(d.kinds(), |k| k.as_str())?;
    model.difficulty_class = d.class().as_str().to_owned();
    model.poverty_type = d.poverty().map(|p| p.as_str().to_owned());
    model.disability_type = d.disability().map(|x| x.kind.as_str().to_owned());
    model.disability_grade = d.disability().map(|x| i16::from(x.grade));
    model.unsupported_reason = d.unsupported().map(|u| u.as_str().to_owned());
    model.illness = d.illness().map(str::to_owned);
    model.assistance = codes(&parsed.assistance, |a| a.as_str())?;
    match &parsed.basis {
        LegalBasis::Consent {
            keep_file,
            publish_needs,
        } => {
            model.consent_keep_file = *keep_file;
            model.consent_publish_needs = *publish_needs;
            model.statutory_basis = None;
        }
        LegalBasis::Statutory(text) => {
            model.consent_keep_file = false;
            model.consent_publish_needs = false;
            model.statutory_basis = Some(text.clone());
        }
    }
    Ok(())
}

fn empty_row(id: String, file_no: String, status: FileStatus, created_by: &str) -> child::Model {
    let now = Utc::now();
    child::Model {
        id,
        file_no,
        township_code: String::new(),
        village_index: String::new(),
        id_number_index: String::new(),
        name_sealed: Vec::new(),
        id_number_sealed: Vec::new(),
        birth_date_sealed: Vec::new(),
        village_sealed: Vec::new(),
        address_sealed: None,
        guardian_name_sealed: None,
        guardian_phone_sealed: None,
        gender: String::new(),
        guardian_relation: None,
        school: None,
        difficulties: "[]".into(),
        difficulty_class: String::new(),
        poverty_type: None,
        disability_type: None,
        disability_grade: None,
        unsupported_reason: None,
        illness: None,
        assistance: "[]".into(),
        consent_keep_file: false,
        consent_publish_needs: false,
        statutory_basis: None,
        status: status.as_str().to_owned(),
        closed_reason: None,
        last_visited_on: None,
        created_by: created_by.to_owned(),
        created_at: now,
        updated_at: now,
    }
}

/// The basis recorded on a row.
pub fn basis_of(model: &child::Model) -> LegalBasis {
    match &model.statutory_basis {
        Some(text) => LegalBasis::Statutory(text.clone()),
        None => LegalBasis::Consent {
            keep_file: model.consent_keep_file,
            publish_needs: model.consent_publish_needs,
        },
    }
}

pub fn status_of(model: &child::Model) -> FileStatus {
    model.status.parse().unwrap_or(FileStatus::Closed)
}

async fn record(
    conn: &impl ConnectionTrait,
    ctx: &RequestCtx,
    caller: &Principal,
    child_id: &str,
    action: &str,
    fields: &[&str],
    note: Option<&str>,
) -> ServiceResult<()> {
    db::children::add_event(
        conn,
        db::children::NewEvent {
            child_id,
            actor_id: &caller.id,
            actor_name: &caller.username,
            action,
            fields,
            note,
        },
    )
    .await?;
    let mut event = Event::success(action, format!("child:{child_id}"));
    if !fields.is_empty() {
        event = event.with_detail(format!("fields: {}", fields.join(",")));
    }
    audit::append(conn, ctx, event).await?;
    Ok(())
}

/// The files behind the k-anonymity of a township changed: every published
/// need of that township is re-projected in the search index. Drafts of
/// files do not count, so their changes need nothing.
async fn population_changed(
    conn: &impl ConnectionTrait,
    child: &child::Model,
) -> ServiceResult<()> {
    if status_of(child) == FileStatus::Draft {
        return Ok(());
    }
    outbox::append(conn, OutboxKind::Township, &child.township_code).await?;
    Ok(())
}

const ALL_FIELDS: &[&str] = &[
    "name",
    "id_number",
    "gender",
    "township",
    "village",
    "address",
    "guardian_name",
    "guardian_relation",
    "guardian_phone",
    "school",
    "difficulties",
    "assistance",
    "consent",
];

/// Opens a file: a village supervisor drafts one in their village (a
/// township officer completes it); a township officer's file starts active.
pub async fn create(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    input: ChildInput,
) -> ServiceResult<child::Model> {
    caller.require_role(&[Role::TownshipOfficer, Role::VillageSupervisor])?;
    let parsed = parse(store.db, store.vault, caller, &input, None).await?;
    let status = if caller.role == Role::VillageSupervisor {
        FileStatus::Draft
    } else {
        FileStatus::Active
    };
    let prefix = format!("{}-{}-", parsed.township.as_str(), Utc::now().year());
    // Two officers of one township may number a file at once (PostgreSQL
    // has no write lock up front): the unique number decides, and we retry.
    for _ in 0..5 {
        let txn = db::begin_write(store.db).await?;
        let next = db::children::count_file_numbers(&txn, &prefix).await? + 1;
        let mut row = empty_row(new_id(), format!("{prefix}{next:04}"), status, &caller.id);
        fill(store.vault, &parsed, &mut row)?;
        match db::children::insert(&txn, row).await {
            Ok(saved) => {
                population_changed(&txn, &saved).await?;
                record(
                    &txn,
                    ctx,
                    caller,
                    &saved.id,
                    "child.create",
                    ALL_FIELDS,
                    None,
                )
                .await?;
                txn.commit().await?;
                return Ok(saved);
            }
            Err(err) if db::is_unique_violation(&err) => {
                txn.rollback().await?;
                let index = identity::id_number_index(store.vault, &parsed.identity.id_number);
                if db::children::id_number_taken(store.db, &index).await? {
                    return Err(Invalid::duplicate(
                        "id_number",
                        "该身份证号码已有档案（一人一档），请勿重复建档",
                    )
                    .into());
                }
            }
            Err(err) => return Err(err.into()),
        }
    }
    Err(ServiceError::Conflict("档案编号分配冲突，请重试".into()))
}

/// The file for `id` if `caller` reaches it as staff; otherwise `NotFound`.
pub async fn find_in_scope(
    store: Store<'_>,
    caller: &Principal,
    id: &str,
) -> ServiceResult<child::Model> {
    let child = db::children::find(store.db, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if reaches(store.vault, caller, &child) {
        Ok(child)
    } else {
        Err(ServiceError::NotFound)
    }
}

/// Whether `caller` reaches `child`: county staff all, township officers
/// their township, village supervisors their village; nobody else.
pub fn reaches(vault: &Vault, caller: &Principal, child: &child::Model) -> bool {
    match caller.role {
        Role::CountyAdmin | Role::TownshipOfficer => {
            caller.staff_reaches_township(&child.township_code)
        }
        Role::VillageSupervisor => caller
            .village
            .as_deref()
            .is_some_and(|v| identity::village_index(vault, v) == child.village_index),
        Role::Provider | Role::Family => false,
    }
}

/// Changes a file. Township officers change files of their township;
/// village supervisors only drafts of their village. Personal fields left
/// empty keep their stored values. The history names the changed fields.
pub async fn update(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    input: ChildInput,
) -> ServiceResult<child::Model> {
    caller.require_role(&[Role::TownshipOfficer, Role::VillageSupervisor])?;
    let existing = find_in_scope(store, caller, id).await?;
    let status = status_of(&existing);
    if status == FileStatus::Closed {
        return Err(ServiceError::Conflict("档案已结档，不能再修改".into()));
    }
    if caller.role == Role::VillageSupervisor && status != FileStatus::Draft {
        return Err(ServiceError::Conflict(
            "档案已由乡镇（街道）完善，如需修改请联系乡镇民政办".into(),
        ));
    }
    let old = identity::open_all(store.vault, &existing)
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    let input = input.over(ChildInput::from_file(&existing, &old));
    let parsed = parse(store.db, store.vault, caller, &input, Some(id)).await?;
    let mut row = existing.clone();
    fill(store.vault, &parsed, &mut row)?;
    let changed = changed_fields(&existing, &old, &row, &parsed.identity);
    if changed.is_empty() {
        return Ok(existing);
    }
    row.updated_at = Utc::now();
    let txn = db::begin_write(store.db).await?;
    let saved = db::children::update(&txn, row).await?;
    if saved.township_code != existing.township_code {
        super::needs::follow_township(&txn, id, &saved.township_code).await?;
        population_changed(&txn, &existing).await?;
    }
    population_changed(&txn, &saved).await?;
    record(&txn, ctx, caller, id, "child.update", &changed, None).await?;
    txn.commit().await?;
    Ok(saved)
}

fn changed_fields(
    before: &child::Model,
    old: &Identity,
    after: &child::Model,
    new: &Identity,
) -> Vec<&'static str> {
    let mut changed = Vec::new();
    for &field in crate::domain::child::VaultField::ALL {
        if old.get(field) != new.get(field) {
            changed.push(field.as_str());
        }
    }
    let plain: [(&'static str, bool); 7] = [
        ("gender", before.gender != after.gender),
        ("township", before.township_code != after.township_code),
        (
            "guardian_relation",
            before.guardian_relation != after.guardian_relation,
        ),
        ("school", before.school != after.school),
        (
            "difficulties",
            (
                &before.difficulties,
                &before.poverty_type,
                &before.disability_type,
                before.disability_grade,
                &before.unsupported_reason,
                &before.illness,
            ) != (
                &after.difficulties,
                &after.poverty_type,
                &after.disability_type,
                after.disability_grade,
                &after.unsupported_reason,
                &after.illness,
            ),
        ),
        ("assistance", before.assistance != after.assistance),
        (
            "consent",
            (
                before.consent_keep_file,
                before.consent_publish_needs,
                &before.statutory_basis,
            ) != (
                after.consent_keep_file,
                after.consent_publish_needs,
                &after.statutory_basis,
            ),
        ),
    ];
    changed.extend(plain.iter().filter(|(_, c)| *c).map(|(f, _)| *f));
    changed
}

/// A township officer completes a drafted file: it becomes active.
pub async fn complete(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
) -> ServiceResult<child::Model> {
    caller.require_role(&[Role::TownshipOfficer])?;
    let mut row = find_in_scope(store, caller, id).await?;
    if status_of(&row) != FileStatus::Draft {
        return Err(ServiceError::Conflict(format!(
            "档案当前为“{}”，只有草稿可以完善",
            status_of(&row).label()
        )));
    }
    row.status = FileStatus::Active.as_str().to_owned();
    row.updated_at = Utc::now();
    let txn = db::begin_write(store.db).await?;
    let saved = db::children::update(&txn, row).await?;
    population_changed(&txn, &saved).await?;
    record(&txn, ctx, caller, id, "child.complete", &["status"], None).await?;
    txn.commit().await?;
    Ok(saved)
}

/// A township officer closes a file with a reason; its open needs close too.
pub async fn close(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    reason: &str,
) -> ServiceResult<child::Model> {
    caller.require_role(&[Role::TownshipOfficer])?;
    let reason = required_text(reason, 500).map_err(|m| Invalid::one("reason", m))?;
    let mut row = find_in_scope(store, caller, id).await?;
    if status_of(&row) == FileStatus::Closed {
        return Err(ServiceError::Conflict("档案已结档".into()));
    }
    row.status = FileStatus::Closed.as_str().to_owned();
    row.closed_reason = Some(reason.clone());
    row.updated_at = Utc::now();
    let txn = db::begin_write(store.db).await?;
    let saved = db::children::update(&txn, row).await?;
    super::needs::close_all_of_child(&txn, ctx, id, "儿童档案已结档").await?;
    population_changed(&txn, &saved).await?;
    record(
        &txn,
        ctx,
        caller,
        id,
        "child.close",
        &["status"],
        Some(&reason),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}
