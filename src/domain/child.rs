//! The child file (一人一档): categories of difficulty with their details,
//! the broad class and age band used by the public projection, the legal
//! basis for keeping a file and publishing needs, and the file's states.

use chrono::{Datelike, NaiveDate};

use super::Invalid;
use super::coded::coded_enum;

coded_enum! {
    /// Gender as recorded on the file (it must agree with the ID number).
    pub enum Gender ("性别只能是男或女") {
        Male = "male", "男";
        Female = "female", "女";
    }
}

coded_enum! {
    /// A category of difficulty (困境类型); a child may have several.
    pub enum Difficulty ("未知的困境类型") {
        Poverty = "poverty", "家庭经济困难";
        Disability = "disability", "自身残疾";
        Orphan = "orphan", "孤儿";
        Unsupported = "unsupported", "事实无人抚养";
        GuardianshipAbsent = "guardianship_absent", "监护缺失";
        GuardianshipImproper = "guardianship_improper", "监护不当";
        SeriousIllness = "serious_illness", "重病";
    }
}

coded_enum! {
    /// The assistance under which a poor family is recognised.
    pub enum PovertyType ("未知的救助类型") {
        MinimumLiving = "minimum_living", "最低生活保障（低保）";
        ExtremePoverty = "extreme_poverty", "特困人员救助供养";
        LowIncome = "low_income", "低收入家庭";
        TemporaryRelief = "temporary_relief", "临时救助对象";
    }
}

coded_enum! {
    /// Disability type as on the disability certificate (残疾人证).
    pub enum DisabilityType ("未知的残疾类别") {
        Visual = "visual", "视力残疾";
        Hearing = "hearing", "听力残疾";
        Speech = "speech", "言语残疾";
        Physical = "physical", "肢体残疾";
        Intellectual = "intellectual", "智力残疾";
        Mental = "mental", "精神残疾";
        Multiple = "multiple", "多重残疾";
    }
}

coded_enum! {
    /// Why a child is de-facto unsupported (事实无人抚养).
    pub enum UnsupportedReason ("未知的无人抚养原因") {
        Imprisoned = "imprisoned", "父母服刑在押";
        DrugRehab = "drug_rehab", "父母强制隔离戒毒";
        Missing = "missing", "父母失联";
        SeriouslyIll = "seriously_ill", "父母重病重残";
        Deceased = "deceased", "父母一方死亡另一方无力抚养";
        Other = "other", "其他原因";
    }
}

coded_enum! {
    /// Assistance the child or family already receives.
    pub enum Assistance ("未知的救助项目") {
        MinimumLiving = "minimum_living", "低保金";
        ExtremePoverty = "extreme_poverty", "特困供养金";
        OrphanAllowance = "orphan_allowance", "孤儿基本生活费";
        UnsupportedAllowance = "unsupported_allowance", "事实无人抚养儿童基本生活补贴";
        TemporaryRelief = "temporary_relief", "临时救助";
        DisabilitySubsidy = "disability_subsidy", "残疾人两项补贴";
        MedicalAid = "medical_aid", "医疗救助";
        EducationAid = "education_aid", "教育资助";
    }
}

coded_enum! {
    /// The broad class shown in a public projection instead of the exact
    /// categories, so that rare combinations do not single a child out.
    pub enum DifficultyClass ("未知的困境大类") {
        CareAbsent = "care_absent", "监护照料缺失";
        Disability = "disability", "残疾";
        Illness = "illness", "重病";
        Poverty = "poverty", "家庭困难";
    }
}

coded_enum! {
    /// Public age bands; exact ages never leave the file.
    pub enum AgeBand ("未知的年龄段") {
        Infant = "0-2", "0–2岁";
        Preschool = "3-5", "3–5岁";
        Primary = "6-11", "6–11岁";
        Junior = "12-14", "12–14岁";
        Senior = "15-17", "15–17岁";
    }
}

coded_enum! {
    /// Where a file stands: drafted by a village supervisor, completed by the
    /// township officer, or closed (the child turned 18, moved, or no longer
    /// needs help).
    pub enum FileStatus ("未知的档案状态") {
        Draft = "draft", "草稿（待乡镇完善）";
        Active = "active", "在档";
        Closed = "closed", "已结档";
    }
}

coded_enum! {
    /// The personal values kept in the identity vault: sealed at rest, shown
    /// masked, revealed one by one on an audited request.
    pub enum VaultField ("未知的档案字段") {
        Name = "name", "姓名";
        IdNumber = "id_number", "身份证号码";
        BirthDate = "birth_date", "出生日期";
        Village = "village", "村（社区）";
        Address = "address", "住址";
        GuardianName = "guardian_name", "监护人姓名";
        GuardianPhone = "guardian_phone", "监护人电话";
    }
}

/// Visits older than this many days are overdue.
pub const VISIT_OVERDUE_DAYS: i64 = 90;

/// A disability with its grade (1 is the most severe, 4 the mildest).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Disability {
    pub kind: DisabilityType,
    pub grade: u8,
}

/// The categories of difficulty with the details each one requires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difficulties {
    kinds: Vec<Difficulty>,
    poverty: Option<PovertyType>,
    disability: Option<Disability>,
    unsupported: Option<UnsupportedReason>,
    illness: Option<String>,
}

/// The details that go with the categories, as typed.
#[derive(Clone, Debug, Default)]
pub struct DifficultyInput {
    pub kinds: Vec<String>,
    pub poverty_type: Option<String>,
    pub disability_type: Option<String>,
    pub disability_grade: Option<i64>,
    pub unsupported_reason: Option<String>,
    pub illness: Option<String>,
}

fn parse_detail<T: std::str::FromStr<Err = super::coded::UnknownCode>>(
    invalid: &mut Invalid,
    field: &str,
    wanted: bool,
    raw: Option<&str>,
    missing: &str,
) -> Option<T> {
    let raw = raw.map(str::trim).filter(|s| !s.is_empty());
    match (wanted, raw) {
        (false, _) => None,
        (true, None) => {
            invalid.add(field, missing);
            None
        }
        (true, Some(raw)) => invalid.check(field, raw.parse::<T>()),
    }
}

impl Difficulties {
    /// Parses the categories and checks that each one has its details:
    /// poverty its assistance type, disability its type and grade 1–4,
    /// de-facto unsupported its reason, serious illness the illness.
    pub fn parse(input: &DifficultyInput, invalid: &mut Invalid) -> Option<Difficulties> {
        let before = invalid.errors.len();
        let mut kinds = Vec::new();
        for raw in &input.kinds {
            if let Some(kind) = invalid.check("difficulties", raw.parse::<Difficulty>())
                && !kinds.contains(&kind)
            {
                kinds.push(kind);
            }
        }
        if input.kinds.is_empty() {
            invalid.add("difficulties", "请至少选择一种困境类型");
        }
        kinds.sort();
        let has = |d| kinds.contains(&d);
        let poverty = parse_detail(
            invalid,
            "poverty_type",
            has(Difficulty::Poverty),
            input.poverty_type.as_deref(),
            "家庭经济困难须选择救助类型",
        );
        let disability_kind: Option<DisabilityType> = parse_detail(
            invalid,
            "disability_type",
            has(Difficulty::Disability),
            input.disability_type.as_deref(),
            "自身残疾须选择残疾类别",
        );
        let disability = match (has(Difficulty::Disability), disability_kind) {
            (true, Some(kind)) => match input.disability_grade {
                Some(g @ 1..=4) => Some(Disability {
                    kind,
                    grade: g as u8,
                }),
                _ => {
                    invalid.add("disability_grade", "残疾等级应为一至四级");
                    None
                }
            },
            _ => None,
        };
        let unsupported = parse_detail(
            invalid,
            "unsupported_reason",
            has(Difficulty::Unsupported),
            input.unsupported_reason.as_deref(),
            "事实无人抚养须选择原因",
        );
        let illness = if has(Difficulty::SeriousIllness) {
            match super::invalid::required_text(input.illness.as_deref().unwrap_or(""), 100) {
                Ok(text) => Some(text),
                Err(message) => {
                    invalid.add("illness", message);
                    None
                }
            }
        } else {
            None
        };
        (invalid.errors.len() == before).then_some(Difficulties {
            kinds,
            poverty,
            disability,
            unsupported,
            illness,
        })
    }

    pub fn kinds(&self) -> &[Difficulty] {
        &self.kinds
    }

    pub fn has(&self, kind: Difficulty) -> bool {
        self.kinds.contains(&kind)
    }

    pub fn poverty(&self) -> Option<PovertyType> {
        self.poverty
    }

    pub fn disability(&self) -> Option<Disability> {
        self.disability
    }

    pub fn unsupported(&self) -> Option<UnsupportedReason> {
        self.unsupported
    }

    pub fn illness(&self) -> Option<&str> {
        self.illness.as_deref()
    }

    /// The broad class: care comes first (a child without care is the most
    /// exposed), then disability, illness, poverty.
    pub fn class(&self) -> DifficultyClass {
        class_of(&self.kinds)
    }

    /// Whether the guardian is absent or is the problem, so that consent
    /// cannot be asked of them and a statutory basis applies instead.
    pub fn guardian_cannot_consent(&self) -> bool {
        self.kinds.iter().any(|k| {
            matches!(
                k,
                Difficulty::Orphan
                    | Difficulty::Unsupported
                    | Difficulty::GuardianshipAbsent
                    | Difficulty::GuardianshipImproper
            )
        })
    }
}

/// The broad class of a set of categories (see [`Difficulties::class`]).
pub fn class_of(kinds: &[Difficulty]) -> DifficultyClass {
    let any = |wanted: &[Difficulty]| kinds.iter().any(|k| wanted.contains(k));
    if any(&[
        Difficulty::Orphan,
        Difficulty::Unsupported,
        Difficulty::GuardianshipAbsent,
        Difficulty::GuardianshipImproper,
    ]) {
        DifficultyClass::CareAbsent
    } else if any(&[Difficulty::Disability]) {
        DifficultyClass::Disability
    } else if any(&[Difficulty::SeriousIllness]) {
        DifficultyClass::Illness
    } else {
        DifficultyClass::Poverty
    }
}

/// Age in whole years on `today`.
pub fn age_on(birth: NaiveDate, today: NaiveDate) -> i32 {
    let mut age = today.year() - birth.year();
    if (today.month(), today.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

impl AgeBand {
    /// The band of a child born on `birth`, or `None` from the 18th birthday
    /// (or for a birth date in the future).
    pub fn of(birth: NaiveDate, today: NaiveDate) -> Option<AgeBand> {
        match age_on(birth, today) {
            0..=2 => Some(AgeBand::Infant),
            3..=5 => Some(AgeBand::Preschool),
            6..=11 => Some(AgeBand::Primary),
            12..=14 => Some(AgeBand::Junior),
            15..=17 => Some(AgeBand::Senior),
            _ => None,
        }
    }
}

/// Why the file may be kept and its needs published (PIPL Art. 28, 31).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LegalBasis {
    /// The guardian's separate consents.
    Consent {
        keep_file: bool,
        publish_needs: bool,
    },
    /// The guardian is absent or is the problem: the officer records the
    /// statutory basis (e.g. 未成年人保护法 第九十二条) instead.
    Statutory(String),
}

impl LegalBasis {
    /// Checks the basis against the categories: a file needs consent to be
    /// kept, or a statutory basis where the guardian cannot consent.
    pub fn parse(
        keep_file: Option<bool>,
        publish_needs: Option<bool>,
        statutory: Option<&str>,
        difficulties: Option<&Difficulties>,
        invalid: &mut Invalid,
    ) -> Option<LegalBasis> {
        let statutory = statutory.map(str::trim).filter(|s| !s.is_empty());
        match (statutory, keep_file) {
            (Some(_), Some(true)) => {
                invalid.add(
                    "statutory_basis",
                    "监护人同意与法定依据只能选择一种：有监护人同意时不填法定依据",
                );
                None
            }
            (Some(basis), _) => {
                if difficulties.is_some_and(|d| !d.guardian_cannot_consent()) {
                    invalid.add(
                        "statutory_basis",
                        "只有孤儿、事实无人抚养或监护缺失、监护不当的儿童，才能以法定依据代替监护人同意",
                    );
                    return None;
                }
                match super::invalid::required_text(basis, 500) {
                    Ok(text) if text.chars().count() >= 4 => Some(LegalBasis::Statutory(text)),
                    _ => {
                        invalid.add("statutory_basis", "请写明法定依据（法律条文及情况说明）");
                        None
                    }
                }
            }
            (None, Some(true)) => Some(LegalBasis::Consent {
                keep_file: true,
                publish_needs: publish_needs.unwrap_or(false),
            }),
            (None, _) => {
                invalid.add(
                    "consent",
                    "建档须有监护人同意保存档案，或在监护缺失时填写法定依据",
                );
                None
            }
        }
    }

    /// `Err` with the reason (Chinese) when needs may not be published.
    pub fn may_publish(&self) -> Result<(), &'static str> {
        match self {
            LegalBasis::Consent {
                publish_needs: true,
                ..
            }
            | LegalBasis::Statutory(_) => Ok(()),
            LegalBasis::Consent { .. } => {
                Err("监护人未同意发布匿名需求：请先取得监护人书面同意并在档案中登记")
            }
        }
    }
}

/// A name as staff see it by default: the first character and one star,
/// which hides the length too.
pub fn mask_name(name: &str) -> String {
    match name.chars().next() {
        Some(first) => format!("{first}*"),
        None => String::new(),
    }
}

/// A phone number with the middle hidden: 138****5678.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() <= 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn input(kinds: &[&str]) -> DifficultyInput {
        DifficultyInput {
            kinds: kinds.iter().map(|s| (*s).to_owned()).collect(),
            ..DifficultyInput::default()
        }
    }

    #[test]
    fn each_category_requires_its_details() {
        let mut invalid = Invalid::new();
        let parsed = Difficulties::parse(
            &input(&["poverty", "disability", "unsupported", "serious_illness"]),
            &mut invalid,
        );
        assert!(parsed.is_none());
        for field in [
            "poverty_type",
            "disability_type",
            "unsupported_reason",
            "illness",
        ] {
            assert!(invalid.message_for(field).is_some(), "{field}");
        }
    }

    #[test]
    fn disability_needs_a_grade_from_one_to_four() {
        let mut i = input(&["disability"]);
        i.disability_type = Some("intellectual".into());
        i.disability_grade = Some(5);
        let mut invalid = Invalid::new();
        assert!(Difficulties::parse(&i, &mut invalid).is_none());
        assert!(invalid.message_for("disability_grade").is_some());
        i.disability_grade = Some(2);
        let mut invalid = Invalid::new();
        let d = Difficulties::parse(&i, &mut invalid).expect("valid");
        assert_eq!(
            d.disability(),
            Some(Disability {
                kind: DisabilityType::Intellectual,
                grade: 2
            })
        );
        assert_eq!(d.class(), DifficultyClass::Disability);
    }

    #[test]
    fn care_comes_first_in_the_broad_class() {
        assert_eq!(
            class_of(&[Difficulty::Poverty, Difficulty::Orphan]),
            DifficultyClass::CareAbsent
        );
        assert_eq!(
            class_of(&[Difficulty::Poverty, Difficulty::SeriousIllness]),
            DifficultyClass::Illness
        );
        assert_eq!(class_of(&[Difficulty::Poverty]), DifficultyClass::Poverty);
        assert_eq!(
            class_of(&[Difficulty::Disability, Difficulty::SeriousIllness]),
            DifficultyClass::Disability
        );
    }

    #[test]
    fn age_bands_follow_birthdays() {
        let birth = date(2014, 6, 15);
        assert_eq!(
            AgeBand::of(birth, date(2026, 6, 14)),
            Some(AgeBand::Primary)
        );
        assert_eq!(AgeBand::of(birth, date(2026, 6, 15)), Some(AgeBand::Junior));
        assert_eq!(
            AgeBand::of(date(2026, 1, 1), date(2026, 1, 1)),
            Some(AgeBand::Infant)
        );
        assert_eq!(
            AgeBand::of(date(2008, 6, 15), date(2026, 6, 14)),
            Some(AgeBand::Senior)
        );
        assert_eq!(AgeBand::of(date(2008, 6, 15), date(2026, 6, 15)), None);
        assert_eq!(AgeBand::of(date(2027, 1, 1), date(2026, 1, 1)), None);
    }

    #[test]
    fn statutory_basis_only_where_the_guardian_cannot_consent() {
        let mut invalid = Invalid::new();
        let poor = {
            let mut i = input(&["poverty"]);
            i.poverty_type = Some("minimum_living".into());
            Difficulties::parse(&i, &mut invalid).expect("valid")
        };
        let orphan = Difficulties::parse(&input(&["orphan"]), &mut invalid).expect("valid");
        let basis = "未成年人保护法第九十二条，民政部门临时监护";
        assert!(LegalBasis::parse(None, None, Some(basis), Some(&poor), &mut invalid).is_none());
        assert!(invalid.message_for("statutory_basis").is_some());
        let mut invalid = Invalid::new();
        assert_eq!(
            LegalBasis::parse(None, None, Some(basis), Some(&orphan), &mut invalid),
            Some(LegalBasis::Statutory(basis.into()))
        );
        assert!(LegalBasis::parse(None, None, None, Some(&orphan), &mut invalid).is_none());
        assert!(invalid.message_for("consent").is_some());
    }

    #[test]
    fn publishing_needs_its_own_consent() {
        let keep_only = LegalBasis::Consent {
            keep_file: true,
            publish_needs: false,
        };
        assert!(keep_only.may_publish().is_err());
        let both = LegalBasis::Consent {
            keep_file: true,
            publish_needs: true,
        };
        assert!(both.may_publish().is_ok());
        assert!(LegalBasis::Statutory("依法".into()).may_publish().is_ok());
    }

    #[test]
    fn masks_hide_length_and_middle() {
        assert_eq!(mask_name("张小明"), "张*");
        assert_eq!(mask_name("欧阳娜娜"), "欧*");
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("02355123456"), "023****3456");
    }
}
