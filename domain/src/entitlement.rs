//! Entitlements (保障待遇, the policy's part 三 分类保障): the rules that
//! say which government guarantees a child's file is eligible for, read
//! from a rules file (data, not code), and the gaps (应享未享) between
//! what a child is eligible for and what is recorded as received.
//!
//! The rules file (`assets/entitlements.toml`, replaceable by the county)
//! holds the working calendar, the deadline of each department and the
//! rules; [`Rules::parse`] checks all of it and names the rule at fault.
//! The conditions are in [`condition`], working days in [`calendar`].

pub mod calendar;
pub mod condition;

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use serde::Deserialize;

use super::child::{
    Difficulty, DisabilityType, PovertyType, SchoolStatus, UnsupportedReason, VaultField,
};
use super::department::Department;
pub use calendar::Calendar;
pub use condition::Condition;

/// What the rules read of a file: its categories with their details, the
/// age in whole years on the day of the check (from the sealed birth date,
/// opened in memory), school status and the suspected-disability flag.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    pub age: Option<i32>,
    pub difficulties: Vec<Difficulty>,
    pub poverty_type: Option<PovertyType>,
    pub disability_type: Option<DisabilityType>,
    pub disability_grade: Option<u8>,
    pub unsupported_reason: Option<UnsupportedReason>,
    pub school_status: Option<SchoolStatus>,
    pub suspected_disability: bool,
}

/// How pressing a gap is: the gap list shows the worst first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Severity(u8);

impl Severity {
    pub const LOW: Severity = Severity(1);
    pub const HIGH: Severity = Severity(2);
    pub const URGENT: Severity = Severity(3);

    /// 1 (一般) to 3 (紧急).
    pub fn new(n: i64) -> Option<Severity> {
        (1..=3).contains(&n).then_some(Severity(n as u8))
    }

    pub fn value(self) -> u8 {
        self.0
    }

    pub fn label(self) -> &'static str {
        match self.0 {
            3 => "紧急",
            2 => "重要",
            _ => "一般",
        }
    }
}

/// One guarantee of the policy and who it applies to.
#[derive(Clone, Debug)]
pub struct Rule {
    /// Stable code (also the benefit code of an entitlement record).
    pub id: String,
    /// The Chinese name.
    pub name: String,
    /// The department that grants it (referrals go there).
    pub department: Department,
    pub severity: Severity,
    /// The condition as written, and as read.
    pub when: String,
    pub condition: Condition,
    /// The section of the policy (e.g. `三（一）`) and its sentence.
    pub clause: String,
    pub source: String,
    /// What the department records when it grants it (a hint on forms).
    pub benefit: Option<String>,
    /// The personal fields the department needs to handle a referral for it.
    pub fields: Vec<VaultField>,
}

impl Rule {
    pub fn holds(&self, facts: &Facts) -> bool {
        self.condition.holds(facts)
    }
}

/// The rules file, read and checked.
#[derive(Clone, Debug)]
pub struct Rules {
    rules: Vec<Rule>,
    calendar: Calendar,
    default_due: u32,
    due: BTreeMap<Department, u32>,
    /// Personal fields shown for a referral about a matter without a rule.
    matter_fields: Vec<VaultField>,
}

/// A rules file that cannot be used; the message names the rule (or the
/// section) at fault and what is wrong, for the start-up error.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("entitlement rules: {0}")]
pub struct RulesError(pub String);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    calendar: RawCalendar,
    #[serde(default)]
    deadlines: RawDeadlines,
    #[serde(default)]
    matter_fields: Option<Vec<String>>,
    #[serde(default, rename = "rule")]
    rules: Vec<RawRule>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCalendar {
    #[serde(default)]
    holidays: Vec<String>,
    #[serde(default)]
    workdays: Vec<String>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeadlines {
    #[serde(default)]
    default_working_days: Option<i64>,
    #[serde(default)]
    departments: BTreeMap<String, i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    name: String,
    department: String,
    severity: i64,
    when: String,
    clause: String,
    source: String,
    #[serde(default)]
    benefit: Option<String>,
    fields: Vec<String>,
}

/// Deadlines a department may be given, in working days.
const DUE_RANGE: std::ops::RangeInclusive<i64> = 1..=60;

/// The referral deadline when the file names none (working days).
pub const DEFAULT_DUE_WORKING_DAYS: u32 = 10;

fn parse_day(raw: &str, what: &str) -> Result<NaiveDate, RulesError> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| {
        RulesError(format!(
            "[calendar] {what}: “{raw}” is not a date (YYYY-MM-DD)"
        ))
    })
}

fn parse_fields(raw: &[String], at: &str) -> Result<Vec<VaultField>, RulesError> {
    let mut fields = Vec::new();
    for f in raw {
        let field = f.parse::<VaultField>().map_err(|_| {
            RulesError(format!(
                "{at}: unknown field “{f}” in fields (known: {})",
                VaultField::ALL
                    .iter()
                    .map(|v| v.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
        if !fields.contains(&field) {
            fields.push(field);
        }
    }
    Ok(fields)
}

fn check_rule(raw: RawRule) -> Result<Rule, RulesError> {
    let at = format!("rule “{}”", raw.id);
    let id_ok = !raw.id.is_empty()
        && raw.id.len() <= 48
        && raw
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !id_ok {
        return Err(RulesError(format!(
            "{at}: the id must be 1–48 lowercase letters, digits or _"
        )));
    }
    let text = |value: &str, name: &str| -> Result<String, RulesError> {
        let value = value.trim();
        if value.is_empty() {
            Err(RulesError(format!("{at}: {name} is empty")))
        } else {
            Ok(value.to_owned())
        }
    };
    let department = raw
        .department
        .parse::<Department>()
        .map_err(|_| RulesError(format!("{at}: unknown department “{}”", raw.department)))?;
    let severity = Severity::new(raw.severity)
        .ok_or_else(|| RulesError(format!("{at}: severity must be 1, 2 or 3")))?;
    let condition = Condition::parse(&raw.when)
        .map_err(|e| RulesError(format!("{at}: condition “{}”: {e}", raw.when.trim())))?;
    Ok(Rule {
        name: text(&raw.name, "name")?,
        clause: text(&raw.clause, "clause")?,
        source: text(&raw.source, "source")?,
        benefit: raw
            .benefit
            .map(|b| b.trim().to_owned())
            .filter(|b| !b.is_empty()),
        fields: parse_fields(&raw.fields, &at)?,
        when: raw.when.trim().to_owned(),
        condition,
        department,
        severity,
        id: raw.id,
    })
}

impl Rules {
    /// Reads and checks a rules file.
    pub fn parse(text: &str) -> Result<Rules, RulesError> {
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            // Name the rule the error is in, when it is in one.
            let rule = e.span().and_then(|span| rule_at(text, span.start));
            let message = e.message().to_owned();
            RulesError(match rule {
                Some(id) => format!("rule “{id}”: {message}"),
                None => message,
            })
        })?;
        let holidays = raw
            .calendar
            .holidays
            .iter()
            .map(|d| parse_day(d, "holidays"))
            .collect::<Result<Vec<_>, _>>()?;
        let workdays = raw
            .calendar
            .workdays
            .iter()
            .map(|d| parse_day(d, "workdays"))
            .collect::<Result<Vec<_>, _>>()?;
        let default_due = match raw.deadlines.default_working_days {
            None => DEFAULT_DUE_WORKING_DAYS,
            Some(n) if DUE_RANGE.contains(&n) => n as u32,
            Some(_) => {
                return Err(RulesError(
                    "[deadlines] default_working_days must be 1–60".into(),
                ));
            }
        };
        let mut due = BTreeMap::new();
        for (code, n) in raw.deadlines.departments {
            let department = code.parse::<Department>().map_err(|_| {
                RulesError(format!(
                    "[deadlines.departments]: unknown department “{code}”"
                ))
            })?;
            if !DUE_RANGE.contains(&n) {
                return Err(RulesError(format!(
                    "[deadlines.departments] {code}: must be 1–60 working days"
                )));
            }
            due.insert(department, n as u32);
        }
        let matter_fields = match raw.matter_fields {
            Some(list) => parse_fields(&list, "matter_fields")?,
            None => vec![
                VaultField::Name,
                VaultField::BirthDate,
                VaultField::GuardianName,
                VaultField::GuardianPhone,
            ],
        };
        let mut seen = HashSet::new();
        let mut rules = Vec::new();
        for raw in raw.rules {
            let rule = check_rule(raw)?;
            if !seen.insert(rule.id.clone()) {
                return Err(RulesError(format!(
                    "rule “{}”: the id is used twice",
                    rule.id
                )));
            }
            rules.push(rule);
        }
        if rules.is_empty() {
            return Err(RulesError("the file has no [[rule]]".into()));
        }
        Ok(Rules {
            rules,
            calendar: Calendar::new(holidays, workdays),
            default_due,
            due,
            matter_fields,
        })
    }

    /// Every rule, in the file's order.
    pub fn all(&self) -> &[Rule] {
        &self.rules
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The rules that hold for `facts`.
    pub fn eligible<'a>(&'a self, facts: &'a Facts) -> impl Iterator<Item = &'a Rule> + 'a {
        self.rules.iter().filter(move |r| r.holds(facts))
    }

    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// The deadline of a referral to `department`, in working days.
    pub fn due_working_days(&self, department: Department) -> u32 {
        self.due
            .get(&department)
            .copied()
            .unwrap_or(self.default_due)
    }

    /// The personal fields a department sees for a matter without a rule.
    pub fn matter_fields(&self) -> &[VaultField] {
        &self.matter_fields
    }
}

/// The id of the `[[rule]]` that the byte offset `at` of `text` falls in.
fn rule_at(text: &str, at: usize) -> Option<String> {
    // A span may start on the table's own header.
    let before = text.get(..(at + 8).min(text.len()))?;
    let start = before.rfind("[[rule]]")?;
    let rest = &text[start..];
    let end = rest[8..].find("[[rule]]").map_or(rest.len(), |e| e + 8);
    rest[..end].lines().find_map(|line| {
        let line = line.trim();
        let value = line.strip_prefix("id")?.trim_start().strip_prefix('=')?;
        Some(value.trim().trim_matches('"').to_owned())
    })
}

/// The rules shipped with the portal.
pub const DEFAULT_RULES: &str = include_str!("../../assets/entitlements.toml");

#[cfg(test)]
mod tests;
