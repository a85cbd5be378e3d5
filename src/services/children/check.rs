//! Checking a typed file ([`ChildInput`]) into its parsed content, and
//! filling a row from it: names, ID number, places, difficulties, basis.

use chrono::Utc;
use sea_orm::ConnectionTrait;

use crate::db;
use crate::db::columns::CodeList;
use crate::db::entities::child;
use crate::domain::child::{
    AgeBand, Assistance, Difficulties, DifficultyClass, FileStatus, Gender, LegalBasis,
    SchoolStatus,
};
use crate::domain::invalid::required_text;
use crate::domain::phone::Phone;
use crate::domain::region::{TownshipCode, VillageCode};
use crate::domain::{IdNumber, Invalid, Role};
use crate::vault::Vault;

use super::super::files::identity::{self, Identity};
use super::super::{Principal, ServiceError, ServiceResult};
use super::ChildInput;

/// A file's checked content, ready to be sealed and stored.
pub(super) struct Parsed {
    pub(super) identity: Identity,
    gender: Gender,
    pub(super) township: TownshipCode,
    guardian_relation: Option<String>,
    school: Option<String>,
    pub(super) difficulties: Difficulties,
    /// The old ticks, when typed (`None`: leave the records as they are).
    pub(super) assistance: Option<Vec<Assistance>>,
    school_status: Option<SchoolStatus>,
    suspected_disability: bool,
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

/// What staff who do not reach an existing file read when they type its
/// child's ID number.
pub(super) const FILED_ELSEWHERE: &str = "该儿童已在本县其他乡镇（街道）建档（一人一档），为保护儿童信息不显示档案所在地。\
     如该儿童已迁入本辖区，请联系县民政局核实并办理档案转移。";

/// Checks a whole file. `own_id` is the file being changed (its own ID
/// number is not a duplicate of itself).
pub(super) async fn parse(
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
    let assistance = input.assistance.is_some().then_some(assistance);
    let school_status = match input
        .school_status
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(raw) => invalid.check("school_status", raw.parse::<SchoolStatus>()),
    };
    let suspected_disability = input.suspected_disability.unwrap_or(false);
    let basis = LegalBasis::parse(
        input.consent_keep_file,
        input.consent_publish_needs,
        input.statutory_basis.as_deref(),
        difficulties.as_ref(),
        &mut invalid,
    );
    let mut elsewhere = None;
    if let Some(id) = &id_number {
        let index = identity::id_number_index(vault, id.normalized());
        let taken = db::children::find_by_id_number_index(conn, &index).await?;
        match taken {
            Some(file) if Some(file.id.as_str()) != own_id => {
                if super::super::files::reaches(vault, caller, &file) {
                    invalid.add_duplicate(
                        "id_number",
                        format!(
                            "该身份证号码已有档案（档案编号 {}，一人一档），请勿重复建档",
                            file.file_no
                        ),
                    );
                } else {
                    // Where that file is, is not the caller's to know: only
                    // that the child is on file and whom to ask.
                    invalid.add_duplicate("id_number", FILED_ELSEWHERE);
                    elsewhere = Some(file.id);
                }
            }
            _ => {}
        }
    }
    if let Some(file_id) = elsewhere {
        return Err(ServiceError::FiledElsewhere { invalid, file_id });
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
            school_status,
            suspected_disability,
            basis,
        }),
        _ => Err(ServiceError::internal("file checked without values")),
    }
}

/// Writes the checked content into a row (sealing the identity).
pub(super) fn fill(vault: &Vault, parsed: &Parsed, model: &mut child::Model) -> ServiceResult<()> {
    identity::seal_into(vault, &parsed.identity, model)?;
    let d = &parsed.difficulties;
    model.township_code = parsed.township.as_str().to_owned();
    model.gender = parsed.gender.as_str().to_owned();
    model.guardian_relation = parsed.guardian_relation.clone();
    model.school = parsed.school.clone();
    model.difficulties = CodeList(d.kinds().to_vec());
    model.difficulty_class = d.class();
    model.poverty_type = d.poverty().map(|p| p.as_str().to_owned());
    model.disability_type = d.disability().map(|x| x.kind.as_str().to_owned());
    model.disability_grade = d.disability().map(|x| i16::from(x.grade));
    model.unsupported_reason = d.unsupported().map(|u| u.as_str().to_owned());
    model.illness = d.illness().map(str::to_owned);
    // The old ticks are entitlement records now (see `entitlements`).
    model.assistance = CodeList::default();
    model.school_status = parsed.school_status;
    model.suspected_disability = parsed.suspected_disability;
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

pub(super) fn empty_row(
    id: String,
    file_no: String,
    status: FileStatus,
    difficulty_class: DifficultyClass,
    created_by: &str,
    now: chrono::DateTime<Utc>,
) -> child::Model {
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
        difficulties: CodeList::default(),
        difficulty_class,
        poverty_type: None,
        disability_type: None,
        disability_grade: None,
        unsupported_reason: None,
        illness: None,
        assistance: CodeList::default(),
        consent_keep_file: false,
        consent_publish_needs: false,
        statutory_basis: None,
        status,
        closed_reason: None,
        closed_at: None,
        last_visited_on: None,
        counted_band: None,
        counted_until: None,
        school_status: None,
        suspected_disability: false,
        created_by: created_by.to_owned(),
        created_at: now,
        updated_at: now,
    }
}
