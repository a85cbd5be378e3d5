//! Synthetic providers (verified organisations) and their offers.

use chrono::Duration;

use crate::db::entities::{offer, provider};
use crate::domain::credit_code::check_character;
use crate::domain::offer::OfferStatus;
use crate::domain::provider::ProviderStatus;

use super::words::{
    CATEGORIES, CONTACTS, CategoryWords, OFFER_COMMON, ORG_CORES, ORG_PLACES, ORG_SUFFIXES,
    PROVIDER_CATEGORIES, SCHEDULES, SEASONS,
};
use super::{ACTOR, Generator, code};

/// Characters of a unified social credit code (GB 32100, no I O S V Z).
const CREDIT_CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

pub(super) fn words_of(code: &str) -> &'static CategoryWords {
    CATEGORIES
        .iter()
        .find(|c| c.code == code)
        .unwrap_or(&CATEGORIES[0])
}

impl Generator {
    fn credit_code(&mut self) -> String {
        loop {
            let mut body = String::from("53500235");
            for _ in 0..9 {
                body.push(char::from(self.rng.pick(CREDIT_CHARS)));
            }
            if let Some(check) = check_character(&body) {
                body.push(check);
                if self.credit_codes.insert(body.clone()) {
                    return body;
                }
            }
        }
    }

    fn provider_name(&mut self) -> (String, &'static str) {
        let mut attempt = 0;
        loop {
            let (suffix, kind) = self.rng.pick(ORG_SUFFIXES);
            let mut name = format!(
                "{}{}{}",
                self.rng.pick(ORG_PLACES),
                self.rng.pick(ORG_CORES),
                suffix
            );
            if attempt > 20 {
                // The pool is small: number the branches beyond it.
                name = format!("{name}第{attempt}服务站");
            }
            if self.provider_names.insert(name.clone()) {
                return (name, kind);
            }
            attempt += 1;
        }
    }

    /// `n` verified providers; later offers are spread over them.
    pub fn providers(&mut self, n: usize) -> Vec<provider::Model> {
        (0..n)
            .map(|_| {
                let id = self.rng.uuid();
                let (name, kind) = self.provider_name();
                let created_at = self.past();
                self.owners.push((id.clone(), name.clone()));
                provider::Model {
                    id,
                    kind: code(kind),
                    name,
                    credit_code: Some(self.credit_code()),
                    contact_name: self.rng.pick(CONTACTS).to_owned(),
                    contact_phone: format!("023-55{:06}", self.rng.below(1_000_000)),
                    description: format!(
                        "{}，{}。",
                        self.rng.pick(OFFER_COMMON),
                        self.rng.pick(OFFER_COMMON)
                    ),
                    status: ProviderStatus::Verified,
                    decision_reason: None,
                    decided_at: Some(created_at + Duration::days(2)),
                    created_at,
                }
            })
            .collect()
    }

    fn offer_title(&mut self, words: &CategoryWords, owner: &str) -> String {
        let program = self.rng.pick(words.programs);
        match self.rng.below(4) {
            0 => format!("{}{program}", self.rng.pick(SEASONS)),
            1 => {
                let township = self.region().name.clone();
                format!("{program}（{township}）")
            }
            2 => {
                // The organisation's core name, e.g. 阳光 of 云阳县阳光社会工作服务中心.
                let short = ORG_CORES
                    .iter()
                    .find(|c| owner.contains(**c))
                    .copied()
                    .unwrap_or("爱心");
                format!("{short}{program}")
            }
            _ => program.to_owned(),
        }
    }

    fn offer_description(&mut self, words: &CategoryWords) -> String {
        let mut lines: Vec<&str> = Vec::new();
        for _ in 0..2 + self.rng.below(2) {
            let line = self.rng.pick(words.offer_lines);
            if !lines.contains(&line) {
                lines.push(line);
            }
        }
        for _ in 0..1 + self.rng.below(3) {
            let line = self.rng.pick(OFFER_COMMON);
            if !lines.contains(&line) {
                lines.push(line);
            }
        }
        let program = self.rng.pick(words.programs);
        format!("本项目提供{program}服务。{}。", lines.join("，"))
    }

    /// One active offer and the townships it serves (empty: the county).
    /// [`Generator::providers`] must have been called first.
    pub fn offer(&mut self) -> (offer::Model, Vec<String>) {
        let (provider_id, owner_name) = if self.owners.is_empty() {
            (None, "云阳县慈善会".to_owned())
        } else {
            let i = self.rng.below(self.owners.len());
            let (id, name) = &self.owners[i];
            (Some(id.clone()), name.clone())
        };
        let category = self.rng.pick(PROVIDER_CATEGORIES);
        let words = words_of(category);
        let id = self.rng.uuid();
        let title = self.offer_title(words, &owner_name);
        let description = self.offer_description(words);
        let capacity = match category {
            "donation_money" => self.rng.range(2, 100) * 1_000,
            "donation_goods" => self.rng.range(20, 500),
            _ => self.rng.range(5, 60),
        } as i32;
        let remaining = capacity - self.rng.below(capacity as usize / 3 + 1) as i32;
        let county_wide = self.rng.chance(25);
        let mut townships = Vec::new();
        if !county_wide {
            for _ in 0..1 + self.rng.below(2) {
                let code = self.region().code.clone();
                if !townships.contains(&code) {
                    townships.push(code);
                }
            }
            townships.sort();
        }
        let (lo, hi) = words.ages;
        let age_min = lo + self.rng.below(3) as i16;
        let age_max = (hi - self.rng.below(3) as i16).max(age_min);
        let starts_on = self.today - Duration::days(self.rng.range(0, 120));
        let ends_on = self
            .rng
            .chance(70)
            .then(|| starts_on + Duration::days(self.rng.range(90, 365)));
        let schedule = self
            .rng
            .chance(80)
            .then(|| self.rng.pick(SCHEDULES).to_owned());
        let created_at = self.past();
        let row = offer::Model {
            id,
            provider_id,
            family_id: None,
            owner_name,
            category: code(category),
            title,
            description,
            capacity,
            remaining,
            county_wide,
            age_min: Some(age_min),
            age_max: Some(age_max),
            starts_on: Some(starts_on),
            ends_on,
            schedule,
            status: OfferStatus::Active,
            closed_reason: None,
            created_by: ACTOR.to_owned(),
            created_at,
            updated_at: created_at + Duration::minutes(self.rng.range(0, 600)),
        };
        (row, townships)
    }
}
