//! Synthetic data for load tests and benchmarks: verified providers and
//! their offers, children with sealed identities and their published needs,
//! all made up and deterministic from a seed (the same seed gives the same
//! rows; only the vault's random nonces and the timestamps' base differ).
//!
//! Rows are written in large transactions straight through `db::bulk`, not
//! through the per-row services: no audit entries and no search outbox
//! entries are written for them. Generated data is therefore indexed by a
//! rebuild (`services::search::indexer::rebuild`), which the `generate`
//! command and the benchmark run right after generating.
//!
//! Identities are sealed with the vault exactly as the child service does
//! (`services::children::identity::seal_into`), so generated files are
//! real files: staff can open them, and the k-anonymity counts read them.
//! Need texts are built from phrase lists free of personal data; they pass
//! the same text check a typed need does.
//!
//! Imports `db`, `domain`, `vault` and the identity helpers of `services`;
//! never `web` or `views`.

mod children;
mod offers;
mod words;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use crate::db;
use crate::services::files::identity;
use crate::services::{ServiceError, ServiceResult, Store};

pub use children::SyntheticChild;

/// Who the generated rows say created them (no such user exists).
pub const ACTOR: &str = "synthetic";

/// Rows per write transaction.
pub const BATCH: usize = 5_000;

/// splitmix64: small, fast and deterministic; good enough for made-up data
/// (never for anything secret).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + (self.next_u64() % (hi - lo + 1) as u64) as i64
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    pub fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        for chunk in out.chunks_mut(8) {
            let word = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
        out
    }

    /// A random-looking (version 4) UUID drawn from this generator.
    pub fn uuid(&mut self) -> String {
        uuid::Builder::from_random_bytes(self.bytes::<16>())
            .into_uuid()
            .to_string()
    }
}

/// A township with its villages (code, name), from the region table.
#[derive(Debug, Clone)]
pub struct Region {
    pub code: String,
    pub name: String,
    pub villages: Vec<(String, String)>,
}

/// Loads the region table as generation needs it.
pub async fn regions(conn: &impl sea_orm::ConnectionTrait) -> ServiceResult<Vec<Region>> {
    let villages = db::regions::list_villages(conn).await?;
    let mut regions: Vec<Region> = db::regions::list_townships(conn)
        .await?
        .into_iter()
        .map(|t| Region {
            code: t.code,
            name: t.name,
            villages: Vec::new(),
        })
        .collect();
    for v in villages {
        if let Some(r) = regions.iter_mut().find(|r| r.code == v.township_code) {
            r.villages.push((v.code, v.name));
        }
    }
    regions.retain(|r| !r.villages.is_empty());
    if regions.is_empty() {
        return Err(ServiceError::internal(
            "no township with villages in the region table",
        ));
    }
    Ok(regions)
}

/// The deterministic source of synthetic rows.
pub struct Generator {
    rng: Rng,
    now: DateTime<Utc>,
    today: NaiveDate,
    regions: Vec<Region>,
    /// Providers drawn so far: (id, name).
    owners: Vec<(String, String)>,
    credit_codes: HashSet<String>,
    provider_names: HashSet<String>,
    id_numbers: HashSet<String>,
    need_codes: HashSet<String>,
    /// Last file number used per township.
    file_numbers: HashMap<String, u64>,
}

impl Generator {
    /// A generator for `seed`; `now` anchors timestamps and ages.
    pub fn new(seed: u64, regions: Vec<Region>, now: DateTime<Utc>) -> Generator {
        Generator {
            rng: Rng::new(seed),
            now,
            today: now.date_naive(),
            regions,
            owners: Vec::new(),
            credit_codes: HashSet::new(),
            provider_names: HashSet::new(),
            id_numbers: HashSet::new(),
            need_codes: HashSet::new(),
            file_numbers: HashMap::new(),
        }
    }

    /// Continues file numbering after `used` files of `township` this year.
    pub fn start_file_numbers(&mut self, township: &str, used: u64) {
        self.file_numbers.insert(township.to_owned(), used);
    }

    /// The prefix of this year's file numbers of `township`.
    pub fn file_prefix(&self, township: &str) -> String {
        format!("{township}-{}-", self.today.year())
    }

    /// A moment in the past year.
    fn past(&mut self) -> DateTime<Utc> {
        self.now - Duration::seconds(self.rng.range(3_600, 365 * 86_400))
    }

    fn region(&mut self) -> &Region {
        let i = self.rng.below(self.regions.len());
        &self.regions[i]
    }
}

/// How much to generate.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub offers: usize,
    pub needs: usize,
    pub seed: u64,
}

/// What was generated.
#[derive(Debug, Clone, Copy, Default)]
pub struct Generated {
    pub providers: usize,
    pub offers: usize,
    pub children: usize,
    pub needs: usize,
}

/// Whether the database already holds offers or child files (generating
/// into real data is refused unless forced).
pub async fn has_data(conn: &impl sea_orm::ConnectionTrait) -> ServiceResult<bool> {
    Ok(db::bulk::count_offers_and_children(conn).await? > 0)
}

/// A code from the generator's own word lists, all of which are codes the
/// domain knows; a typo there is a bug of the generator, found by its tests.
fn code<T: std::str::FromStr>(code: &str) -> T {
    match code.parse() {
        Ok(value) => value,
        Err(_) => panic!("the generator's code {code:?} is not one the domain knows"),
    }
}

/// A list of such codes, as a file stores its difficulties or assistance.
fn codes<T: std::str::FromStr>(items: &[&str]) -> crate::db::columns::CodeList<T> {
    items.iter().map(|c| code(c)).collect::<Vec<T>>().into()
}

/// How many providers own `offers` offers (about one per 250, at least 5).
fn provider_count(offers: usize) -> usize {
    (offers / 250).clamp(5, 400)
}

/// Generates `plan` into the database in batches of [`BATCH`] rows per
/// transaction. Writes no audit and no outbox entries: rebuild the index
/// afterwards.
pub async fn generate(store: Store<'_>, plan: Plan) -> ServiceResult<Generated> {
    let regions = regions(store.db).await?;
    let mut generator = Generator::new(plan.seed, regions.clone(), Utc::now());
    for region in &regions {
        let prefix = generator.file_prefix(&region.code);
        let used = db::children::count_file_numbers(store.db, &prefix).await?;
        generator.start_file_numbers(&region.code, used);
    }
    // The made-up ID numbers are unique among themselves; one may still
    // be that of a file already there (the demo's children are of the same
    // county), which the unique index would refuse: such a child is drawn
    // again.
    let on_file: HashSet<String> = db::children::id_number_indexes(store.db)
        .await?
        .into_iter()
        .collect();
    let mut done = Generated::default();

    let providers = if plan.offers > 0 {
        generator.providers(provider_count(plan.offers))
    } else {
        Vec::new()
    };
    done.providers = providers.len();
    let txn = db::begin_write(store.db).await?;
    db::bulk::insert_providers(&txn, providers).await?;
    txn.commit().await?;

    while done.offers < plan.offers {
        let n = BATCH.min(plan.offers - done.offers);
        let mut rows = Vec::with_capacity(n);
        let mut townships = Vec::new();
        for _ in 0..n {
            let (offer, served) = generator.offer();
            townships.extend(served.into_iter().map(|t| (offer.id.clone(), t)));
            rows.push(offer);
        }
        let txn = db::begin_write(store.db).await?;
        db::bulk::insert_offers(&txn, rows).await?;
        db::bulk::insert_offer_townships(&txn, townships).await?;
        txn.commit().await?;
        done.offers += n;
    }

    while done.needs < plan.needs {
        let mut files = Vec::new();
        let mut needs = Vec::new();
        let mut records = Vec::new();
        let mut gap_rows = Vec::new();
        let mut visits = Vec::new();
        while needs.len() < BATCH && done.needs + needs.len() < plan.needs {
            let wanted = plan.needs - done.needs - needs.len();
            let SyntheticChild {
                mut model,
                identity: person,
                needs: child_needs,
                entitlements: received,
                visit,
                ..
            } = generator.child(wanted);
            identity::seal_into(store.vault, &person, &mut model)?;
            if on_file.contains(&model.id_number_index) {
                continue;
            }
            visits.extend(visit);
            let (rows, gap) =
                entitlement_rows(store, &model, person.birth_date, &received, &mut generator)?;
            records.extend(rows);
            gap_rows.extend(gap);
            files.push(model);
            needs.extend(child_needs);
        }
        let (f, n) = (files.len(), needs.len());
        let txn = db::begin_write(store.db).await?;
        db::bulk::insert_children(&txn, files).await?;
        db::bulk::insert_needs(&txn, needs).await?;
        db::bulk::insert_entitlements(&txn, records).await?;
        db::bulk::insert_gaps(&txn, gap_rows).await?;
        db::bulk::insert_visits(&txn, visits).await?;
        txn.commit().await?;
        done.children += f;
        done.needs += n;
    }
    Ok(done)
}

/// A made-up file's entitlement records (what it receives) and its gap
/// row under the portal's rules, as the services would keep it.
fn entitlement_rows(
    store: Store<'_>,
    file: &crate::db::entities::child::Model,
    birth: chrono::NaiveDate,
    received: &[(&'static str, i64)],
    generator: &mut Generator,
) -> ServiceResult<(
    Vec<crate::db::entities::entitlement::Model>,
    Option<crate::db::entities::entitlement_gap::Model>,
)> {
    let today = generator.today;
    let mut records = Vec::new();
    for (benefit, amount) in received {
        let Some(rule) = store.rules.get(benefit) else {
            continue;
        };
        records.push(crate::db::entities::entitlement::Model {
            id: generator.rng.uuid(),
            child_id: file.id.clone(),
            benefit: rule.id.clone(),
            name: rule.name.clone(),
            since: Some(today - chrono::Duration::days(generator.rng.range(30, 900))),
            amount_yuan: Some(*amount),
            detail: None,
            reference: None,
            ended_on: None,
            source: "recorded".to_owned(),
            referral_id: None,
            recorded_by: Some(ACTOR.to_owned()),
            created_at: file.created_at,
        });
    }
    let facts = crate::services::entitlements::facts::facts_with_birth(file, birth, today)?;
    let open: Vec<String> = records.iter().map(|r| r.benefit.clone()).collect();
    let found = crate::services::entitlements::gaps::gaps(store.rules, &facts, &open);
    let gap = (!found.is_empty()).then(|| crate::db::entities::entitlement_gap::Model {
        child_id: file.id.clone(),
        township_code: file.township_code.clone(),
        worst: found
            .iter()
            .map(|r| i16::from(r.severity.value()))
            .max()
            .unwrap_or(1),
        gap_count: found.len() as i32,
        rules: crate::db::columns::NameList(found.iter().map(|r| r.id.clone()).collect()),
        since: today - chrono::Duration::days(generator.rng.range(0, 400)),
        checked_on: today,
    });
    Ok((records, gap))
}

#[cfg(test)]
mod tests;
