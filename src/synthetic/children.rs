//! Synthetic child files (identity in plain text, to be sealed by the
//! caller) and their published needs.

use chrono::{DateTime, Duration, Utc};

use crate::db::entities::{child, need, visit};
use crate::domain::Invalid;
use crate::domain::child::{AgeBand, Difficulties, DifficultyInput, age_on};
use crate::domain::child::{Assistance, FileStatus, SchoolStatus};
use crate::domain::escalation::EscalationSettings;
use crate::domain::id_number::check_digit;
use crate::domain::need::{NeedCode, NeedStatus, Urgency};
use crate::services::entitlements::records::rule_of_tick;
use crate::services::files::identity::Identity;
use crate::services::files::population;

use super::offers::words_of;
use super::words::{
    GIVEN, GUARDIAN_GIVEN, ILLNESSES, NEED_CLOSINGS, RELATIONS, SITUATIONS, STATUTORY_BASIS,
    SURNAMES,
};
use super::{ACTOR, Generator, code, codes};

/// A child's file before sealing, its identity, and its needs.
pub struct SyntheticChild {
    /// The row with every sealed column still empty.
    pub model: child::Model,
    pub identity: Identity,
    /// The name of the child's village (what the text check looks for).
    pub village_name: String,
    pub needs: Vec<need::Model>,
    /// What the child receives: (rule, monthly amount in yuan).
    pub entitlements: Vec<(&'static str, i64)>,
    /// The visit behind the file's last visit date, if it was visited.
    pub visit: Option<visit::Model>,
}

/// Kinds of difficulty with their weights (out of 100).
const KINDS: &[(&[&str], usize)] = &[
    (&["poverty"], 46),
    (&["disability"], 10),
    (&["disability", "poverty"], 6),
    (&["orphan"], 7),
    (&["unsupported"], 9),
    (&["guardianship_absent"], 4),
    (&["guardianship_improper"], 3),
    (&["serious_illness"], 5),
    (&["serious_illness", "poverty"], 5),
    (&["poverty", "unsupported"], 5),
];

/// Need categories by broad class, weighted by repetition.
const NEEDS_BY_CLASS: &[(&str, &[&str])] = &[
    (
        "poverty",
        &[
            "tutoring",
            "tutoring",
            "tutoring",
            "donation_goods",
            "donation_goods",
            "donation_money",
            "companionship",
            "family_education",
            "daily_care",
            "sponsorship",
            "counselling",
        ],
    ),
    (
        "disability",
        &[
            "rehabilitation",
            "rehabilitation",
            "rehabilitation",
            "medical",
            "donation_goods",
            "tutoring",
            "family_education",
            "companionship",
        ],
    ),
    (
        "illness",
        &[
            "medical",
            "medical",
            "medical",
            "donation_money",
            "counselling",
            "tutoring",
        ],
    ),
    (
        "care_absent",
        &[
            "counselling",
            "counselling",
            "companionship",
            "companionship",
            "daily_care",
            "legal_aid",
            "sponsorship",
            "tutoring",
            "foster_care",
            "entrusted_care",
        ],
    ),
];

/// Categories that make no sense for children under six.
const SCHOOL_ONLY: &[&str] = &["tutoring", "counselling", "legal_aid"];

impl Generator {
    fn kinds(&mut self) -> &'static [&'static str] {
        let mut roll = self.rng.below(100);
        for (kinds, weight) in KINDS {
            if roll < *weight {
                return kinds;
            }
            roll -= weight;
        }
        &["poverty"]
    }

    fn difficulty_input(&mut self, kinds: &[&str]) -> DifficultyInput {
        let has = |k: &str| kinds.contains(&k);
        DifficultyInput {
            kinds: kinds.iter().map(|k| (*k).to_owned()).collect(),
            poverty_type: has("poverty").then(|| {
                self.rng
                    .pick(&[
                        "minimum_living",
                        "extreme_poverty",
                        "low_income",
                        "temporary_relief",
                    ])
                    .to_owned()
            }),
            disability_type: has("disability").then(|| {
                self.rng
                    .pick(&[
                        "intellectual",
                        "physical",
                        "hearing",
                        "visual",
                        "speech",
                        "mental",
                        "multiple",
                    ])
                    .to_owned()
            }),
            disability_grade: has("disability").then(|| self.rng.range(1, 4)),
            unsupported_reason: has("unsupported").then(|| {
                self.rng
                    .pick(&[
                        "imprisoned",
                        "drug_rehab",
                        "missing",
                        "seriously_ill",
                        "deceased",
                    ])
                    .to_owned()
            }),
            illness: has("serious_illness").then(|| self.rng.pick(ILLNESSES).to_owned()),
        }
    }

    /// A valid made-up ID number of the county for a child of `days` old.
    fn id_number(&mut self, male: bool) -> (String, chrono::NaiveDate) {
        loop {
            // At most 18 years minus a few days: the child is 0–17 today.
            let days = self.rng.range(1, 18 * 365 - 5);
            let birth = self.today - Duration::days(days);
            let seq = self.rng.below(500) as u32 * 2 + u32::from(male);
            let first17 = format!("500235{}{seq:03}", birth.format("%Y%m%d"));
            let Some(check) = check_digit(&first17) else {
                continue;
            };
            let number = format!("{first17}{check}");
            if self.id_numbers.insert(number.clone()) {
                return (number, birth);
            }
        }
    }

    fn need_code(&mut self) -> String {
        loop {
            let code = NeedCode::from_random(self.rng.bytes::<8>())
                .as_str()
                .to_owned();
            if self.need_codes.insert(code.clone()) {
                return code;
            }
        }
    }

    /// One need's title and description for a child of `class` and `young`
    /// (under six): phrase lists only, nothing from the file.
    fn need_text(&mut self, category: &str, class: &str, young: bool) -> (String, String) {
        let words = words_of(category);
        let title = if young {
            self.rng.pick(words.need_titles_young)
        } else {
            self.rng.pick(words.need_titles)
        };
        let situations = SITUATIONS
            .iter()
            .find(|(c, _)| *c == class)
            .map(|(_, s)| *s)
            .unwrap_or(SITUATIONS[0].1);
        let mut lines = vec![self.rng.pick(situations)];
        for _ in 0..1 + self.rng.below(2) {
            let line = self.rng.pick(words.need_lines);
            if !lines.contains(&line) {
                lines.push(line);
            }
        }
        lines.push(self.rng.pick(NEED_CLOSINGS));
        (title.to_owned(), format!("{}。", lines.join("，")))
    }

    /// One active file and one or two published needs (never more than
    /// `wanted`, at least one).
    pub fn child(&mut self, wanted: usize) -> SyntheticChild {
        let region = self.region().clone();
        let (village, village_name) =
            region.villages[self.rng.below(region.villages.len())].clone();
        let male = self.rng.chance(52);
        let (id_number, birth) = self.id_number(male);
        let age = age_on(birth, self.today);
        let surname = self.rng.pick(SURNAMES);
        let name = format!("{surname}{}", self.rng.pick(GIVEN));
        let relation = self.rng.pick(RELATIONS);
        let guardian_surname = match relation {
            "父亲" | "祖父" | "叔叔" | "姑姑" => surname,
            _ => self.rng.pick(SURNAMES),
        };
        let guardian_name = format!("{guardian_surname}{}", self.rng.pick(GUARDIAN_GIVEN));
        let guardian_phone = format!(
            "1{}{:09}",
            self.rng.pick(&["39", "58", "87", "36", "51"]),
            self.rng.below(1_000_000_000)
        )
        .chars()
        .take(11)
        .collect::<String>();
        let address = format!("{}组{}号", self.rng.range(1, 12), self.rng.range(1, 99));
        let kinds = self.kinds();
        let input = self.difficulty_input(kinds);
        let mut invalid = Invalid::new();
        let difficulties = Difficulties::parse(&input, &mut invalid);
        let class = difficulties
            .as_ref()
            .map(|d| d.class().as_str())
            .unwrap_or("poverty");
        let statutory = difficulties
            .as_ref()
            .is_some_and(Difficulties::guardian_cannot_consent);
        let mut assistance = Vec::new();
        for (kind, help) in [
            ("poverty", "minimum_living"),
            ("orphan", "orphan_allowance"),
            ("unsupported", "unsupported_allowance"),
            ("disability", "disability_subsidy"),
            ("serious_illness", "medical_aid"),
        ] {
            if kinds.contains(&kind) {
                assistance.push(help);
            }
        }
        if age >= 6 && self.rng.chance(30) {
            assistance.push("education_aid");
        }
        // About 3% of compulsory-school-age children out of school (控辍保学),
        // 4% of the others suspected of a disability not yet diagnosed.
        let school_status = match age {
            6..=15 if self.rng.chance(3) => SchoolStatus::NotEnrolled,
            6..=17 => SchoolStatus::Enrolled,
            _ => SchoolStatus::NotOfSchoolAge,
        };
        let suspected_disability = !kinds.contains(&"disability") && self.rng.chance(4);
        // Most of what a file qualifies for is received, some is not: the
        // gaps the township's list shows.
        let mut entitlements: Vec<(&'static str, i64)> = Vec::new();
        for tick in &assistance {
            if self.rng.chance(85)
                && let Ok(tick) = tick.parse::<Assistance>()
            {
                entitlements.push((rule_of_tick(tick), self.rng.range(100, 1_500)));
            }
        }
        let school = match age {
            6..=11 => Some(format!("云阳县{}中心小学", region.name)),
            12..=14 => Some(format!(
                "云阳县第{}中学",
                self.rng.pick(&["一", "二", "三", "四", "五"])
            )),
            15..=17 => Some("云阳县职业教育中心".to_owned()),
            _ => None,
        };
        let number = {
            let counter = self.file_numbers.entry(region.code.clone()).or_insert(0);
            *counter += 1;
            *counter
        };
        let file_no = format!("{}{number:04}", self.file_prefix(&region.code));
        let created_at = self.past();
        let model = child::Model {
            id: self.rng.uuid(),
            file_no,
            township_code: region.code.clone(),
            village_index: String::new(),
            id_number_index: String::new(),
            name_sealed: Vec::new(),
            id_number_sealed: Vec::new(),
            birth_date_sealed: Vec::new(),
            village_sealed: Vec::new(),
            address_sealed: None,
            guardian_name_sealed: None,
            guardian_phone_sealed: None,
            gender: if male { "male" } else { "female" }.to_owned(),
            guardian_relation: Some(relation.to_owned()),
            school,
            difficulties: codes(kinds),
            difficulty_class: code(class),
            poverty_type: input.poverty_type.clone(),
            disability_type: input.disability_type.clone(),
            disability_grade: input.disability_grade.map(|g| g as i16),
            unsupported_reason: input.unsupported_reason.clone(),
            illness: input.illness.clone(),
            // The ticks are entitlement records (`entitlements` below).
            assistance: codes(&[]),
            consent_keep_file: !statutory,
            consent_publish_needs: !statutory,
            statutory_basis: statutory.then(|| STATUTORY_BASIS.to_owned()),
            status: FileStatus::Active,
            closed_reason: None,
            closed_at: None,
            last_visited_on: self
                .rng
                .chance(80)
                .then(|| self.today - Duration::days(self.rng.range(1, 200))),
            counted_band: population::counted(birth, self.today)
                .0
                .map(|b| b.as_str().to_owned()),
            counted_until: Some(population::counted(birth, self.today).1),
            school_status: Some(school_status),
            suspected_disability,
            created_by: ACTOR.to_owned(),
            created_at,
            updated_at: created_at,
        };
        let young = AgeBand::of(birth, self.today)
            .is_some_and(|b| matches!(b, AgeBand::Infant | AgeBand::Preschool));
        let count = if wanted > 1 && self.rng.chance(25) {
            2
        } else {
            1
        };
        let mut needs = Vec::with_capacity(count);
        let choices = NEEDS_BY_CLASS
            .iter()
            .find(|(c, _)| *c == class)
            .map(|(_, n)| *n)
            .unwrap_or(NEEDS_BY_CLASS[0].1);
        while needs.len() < count {
            let category = self.rng.pick(choices);
            if young && SCHOOL_ONLY.contains(&category) {
                continue;
            }
            let (title, description) = self.need_text(category, class, young);
            let quantity = match category {
                "donation_money" => self.rng.range(1, 30) * 500,
                "donation_goods" => self.rng.range(1, 6),
                _ => 1,
            } as i32;
            let urgency = match self.rng.below(100) {
                0..=69 => "normal",
                70..=91 => "urgent",
                _ => "critical",
            };
            let written = created_at + Duration::hours(self.rng.range(1, 240));
            let published = written + Duration::hours(self.rng.range(1, 72));
            let urgency: Urgency = code(urgency);
            // Bulk rows have no audit and no outbox, so what the sweeps would
            // have recorded of an old unanswered need (widened, asked to be
            // renewed, told as waiting unmatched; default days) is written
            // here: a server on generated data would otherwise spend its
            // first hours working through the whole backlog.
            let escalation = EscalationSettings::default();
            let now = self.now;
            let done = |at: DateTime<Utc>| (at < now).then_some(at);
            let widened_at = done(published + escalation.widen_after(urgency));
            let renewal_asked_at = widened_at
                .and_then(|_| done(published + Duration::days(i64::from(escalation.close_days))));
            needs.push(need::Model {
                id: self.rng.uuid(),
                code: self.need_code(),
                child_id: model.id.clone(),
                township_code: region.code.clone(),
                category: code(category),
                title,
                description,
                quantity: Some(quantity),
                urgency,
                status: NeedStatus::Published,
                closed_reason: None,
                created_by: ACTOR.to_owned(),
                created_at: written,
                updated_at: published,
                published_at: Some(published),
                published_by: Some(ACTOR.to_owned()),
                waiting_since: Some(published),
                widened_at,
                renewal_asked_at,
                outcome: None,
                outcome_reason: None,
                outcome_detail: None,
                outcome_at: None,
                unmatched_noted_at: done(published),
            });
        }
        let visit = model.last_visited_on.map(|on| visit::Model {
            id: self.rng.uuid(),
            child_id: model.id.clone(),
            visited_on: on,
            summary: "入户走访，了解孩子的学习和生活情况。".to_owned(),
            visitor_id: ACTOR.to_owned(),
            visitor_name: ACTOR.to_owned(),
            created_at: model.created_at,
        });
        SyntheticChild {
            visit,
            model,
            identity: Identity {
                name,
                id_number,
                birth_date: birth,
                village_code: village,
                address: Some(address),
                guardian_name: Some(guardian_name),
                guardian_phone: Some(guardian_phone),
            },
            village_name,
            needs,
            entitlements,
        }
    }
}
