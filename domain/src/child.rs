//! The child file (一人一档): categories of difficulty with their details,
//! the broad class and age band used by the public projection, the legal
//! basis for keeping a file and publishing needs, and the file's states.
//! The difficulties with their details are in `difficulties`, the legal
//! basis in `basis`.

mod basis;
mod difficulties;

pub use basis::LegalBasis;
pub use difficulties::{Difficulties, DifficultyInput, Disability, class_of};

use chrono::{Datelike, NaiveDate};

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
        Autism = "autism", "孤独症";
    }
}

coded_enum! {
    /// Whether the child goes to school, as the entitlement rules read it
    /// (控辍保学: a compulsory-school-age child not enrolled is a gap).
    pub enum SchoolStatus ("未知的就学状态") {
        Enrolled = "enrolled", "在校就读";
        NotEnrolled = "not_enrolled", "未入学或已辍学";
        NotOfSchoolAge = "not_of_school_age", "未到入学年龄或已毕业";
    }
}

coded_enum! {
    /// Why a child is de-facto unsupported (事实无人抚养).
    pub enum UnsupportedReason ("未知的无人抚养原因") {
        Imprisoned = "imprisoned", "父母服刑在押";
        Detained = "detained", "父母被拘留或羁押";
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

/// The day by which an open file is due for its next visit: the visit
/// interval after its last visit or, never visited, after it was opened (a
/// new file is not overdue the day it is made).
pub fn visit_due_on(last_visited_on: Option<NaiveDate>, opened_on: NaiveDate) -> NaiveDate {
    last_visited_on.unwrap_or(opened_on) + chrono::Duration::days(VISIT_OVERDUE_DAYS)
}

/// Whether a file is overdue for a visit on `today`: open, and past the day
/// [`visit_due_on`] names. The one rule behind every "逾期未走访".
pub fn visit_overdue(
    status: FileStatus,
    last_visited_on: Option<NaiveDate>,
    opened_on: NaiveDate,
    today: NaiveDate,
) -> bool {
    status != FileStatus::Closed && today > visit_due_on(last_visited_on, opened_on)
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

    /// The ages the band covers, both ends included.
    pub fn years(self) -> (i16, i16) {
        match self {
            AgeBand::Infant => (0, 2),
            AgeBand::Preschool => (3, 5),
            AgeBand::Primary => (6, 11),
            AgeBand::Junior => (12, 14),
            AgeBand::Senior => (15, 17),
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

    #[test]
    fn a_file_is_due_for_a_visit_within_the_interval_from_its_last_visit_or_its_opening() {
        let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("date");
        let opened = day("2026-11-28");
        let open = FileStatus::Active;
        assert!(!visit_overdue(open, None, opened, opened), "new today");
        assert!(
            !visit_overdue(open, None, opened, day("2027-02-26")),
            "day 90"
        );
        assert!(
            visit_overdue(open, None, opened, day("2027-02-27")),
            "day 91"
        );
        let visited = Some(day("2026-12-01"));
        assert!(!visit_overdue(open, visited, opened, day("2027-03-01")));
        assert!(visit_overdue(open, visited, opened, day("2027-03-02")));
        assert!(
            !visit_overdue(FileStatus::Closed, None, day("2020-01-01"), opened),
            "a closed file is never overdue"
        );
        assert!(visit_overdue(
            FileStatus::Draft,
            None,
            day("2020-01-01"),
            opened
        ));
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn a_band_covers_exactly_the_ages_it_is_given_for() {
        let today = date(2026, 11, 28);
        for age in 0..18 {
            let birth = date(2026 - age, 6, 1);
            let band = AgeBand::of(birth, today).expect("a child");
            let (low, high) = band.years();
            assert!((low..=high).contains(&(age as i16)), "{age} in {band:?}");
        }
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
    fn masks_hide_length_and_middle() {
        assert_eq!(mask_name("张小明"), "张*");
        assert_eq!(mask_name("欧阳娜娜"), "欧*");
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("02355123456"), "023****3456");
    }
}
