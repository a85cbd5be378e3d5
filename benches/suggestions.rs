//! Suggestions benchmark: generates synthetic offers and needs into a
//! temporary SQLite database (the generator and data of the search bench),
//! rebuilds the index, then measures, in the same run and over the same
//! sample of published needs:
//!
//! - offers suggested for a need through the service layer
//!   (`services::suggestions::for_need`, as a county administrator),
//! - the index ranking alone that feeds it (`SearchIndex::rank` with the
//!   same request), to see what the database reads and scoring add,
//! - the plain search for the need's title through the service layer
//!   (`services::search::search`, offers of the need's category in its
//!   township, 20 hits): the baseline for the ratio,
//!
//! and needs suggested for a sample of offers as their owner
//! (`services::suggestions::for_offer`), with the daily refresh of the
//! k-anonymity counts of every file (`population::refresh`, off the request
//! path) timed apart.
//!
//! Run: `cargo bench --bench suggestions -- [--offers 100000] [--needs 20000]
//! [--seed 7] [--samples 300] [--rounds 3] [--offer-samples 50]`.
//! Prints Markdown.

#[path = "support/common.rs"]
mod common;

use common::{Error, ms, percentile};
use std::time::{Duration, Instant};

use carebridge::db::entities::{need, offer};
use carebridge::domain::Role;
use carebridge::services::search::{SearchHandle, SearchRequest, indexer, search};
use carebridge::services::suggestions::{self, POOL};
use carebridge::services::{Paging, Principal, users};
use search_index::{DocKind, Ranking};

struct Args {
    offers: usize,
    needs: usize,
    seed: u64,
    samples: usize,
    rounds: usize,
    offer_samples: usize,
}

fn parse_args() -> Result<Args, Error> {
    let mut args = Args {
        offers: 100_000,
        needs: 20_000,
        seed: 7,
        samples: 300,
        rounds: 3,
        offer_samples: 50,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--offers" => args.offers = value()?.parse()?,
            "--needs" => args.needs = value()?.parse()?,
            "--seed" => args.seed = value()?.parse()?,
            "--samples" => args.samples = value()?.parse()?,
            "--rounds" => args.rounds = value()?.parse()?,
            "--offer-samples" => args.offer_samples = value()?.parse()?,
            // `cargo bench` passes `--bench`; ignore it and anything unknown.
            _ => {}
        }
    }
    Ok(args)
}

fn mean(sorted: &[Duration]) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted.iter().sum::<Duration>() / sorted.len() as u32
}

/// Every `n`-th of `all`, at most `n` of them, spread over the whole list.
fn spread<T: Clone>(all: &[T], n: usize) -> Vec<T> {
    if all.is_empty() || n == 0 {
        return Vec::new();
    }
    let step = (all.len() / n).max(1);
    all.iter().step_by(step).take(n).cloned().collect()
}

/// Published needs (or active offers), walked by id.
async fn all_needs(db: &sea_orm::DatabaseConnection) -> Result<Vec<need::Model>, Error> {
    let mut out: Vec<need::Model> = Vec::new();
    loop {
        let after = out.last().map(|n| n.id.clone()).unwrap_or_default();
        let page = carebridge::db::needs::page_by_id(db, "published", &after, 5_000).await?;
        if page.is_empty() {
            return Ok(out);
        }
        out.extend(page);
    }
}

async fn all_offers(db: &sea_orm::DatabaseConnection) -> Result<Vec<offer::Model>, Error> {
    let mut out: Vec<offer::Model> = Vec::new();
    loop {
        let after = out.last().map(|o| o.id.clone()).unwrap_or_default();
        let page = carebridge::db::offers::page_by_id(db, "active", &after, 5_000).await?;
        if page.is_empty() {
            return Ok(out);
        }
        out.extend(page);
    }
}

fn ranking_for(n: &need::Model) -> Ranking {
    Ranking {
        text: format!("{}\n{}", n.title, n.description),
        kind: DocKind::Offer,
        category: Some(n.category.as_str().to_owned()),
        townships: vec![n.township_code.clone()],
        limit: POOL,
    }
}

fn plain_search_for(n: &need::Model) -> SearchRequest {
    SearchRequest {
        q: n.title.clone(),
        kind: Some("offer".to_owned()),
        category: Some(n.category.as_str().to_owned()),
        township: Some(n.township_code.clone()),
        limit: Some(20),
        offset: None,
    }
}

fn row(label: &str, samples: &mut [Duration]) -> Duration {
    samples.sort_unstable();
    let median = percentile(samples, 0.5);
    println!(
        "| {label} | {} | {:.2} | {:.2} | {:.2} | {:.2} |",
        samples.len(),
        ms(median),
        ms(percentile(samples, 0.99)),
        ms(mean(samples)),
        ms(samples.last().copied().unwrap_or_default()),
    );
    median
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let args = parse_args()?;
    let common::Data {
        dir,
        prepared,
        generated,
        generation,
    } = common::generate(args.offers, args.needs, args.seed).await?;
    let settings = common::settings(dir.path());
    let store = prepared.store();
    let started = Instant::now();
    let rebuilt = indexer::rebuild(store, &settings.data_dir, settings.k_anonymity).await?;
    let build = started.elapsed();
    let handle = SearchHandle::open(&settings.data_dir)?;

    let admin = users::create_admin_from_cli(
        &prepared.db,
        "benchadmin",
        "bench horse battery staple 4821".to_owned(),
    )
    .await?;
    let county = Principal {
        id: admin.id.clone(),
        username: admin.username.clone(),
        role: Role::CountyAdmin,
        township: None,
        village: None,
        provider_id: None,
        family_id: None,
        department: None,
    };
    let needs = spread(&all_needs(&prepared.db).await?, args.samples);
    let offers = spread(&all_offers(&prepared.db).await?, args.offer_samples);
    let paging = Paging::default();

    // Warm up every path once.
    for n in &needs {
        suggestions::for_need(store, &handle, &county, &n.id, paging).await?;
        handle.index().rank(&ranking_for(n))?;
        search(store, &handle, Some(&county), &plain_search_for(n)).await?;
    }

    let mut suggest = Vec::new();
    let mut ranking = Vec::new();
    let mut plain = Vec::new();
    let (mut scored, mut shown, mut empty) = (0u64, 0usize, 0usize);
    let started = Instant::now();
    for _ in 0..args.rounds {
        for n in &needs {
            let t = Instant::now();
            let found = suggestions::for_need(store, &handle, &county, &n.id, paging).await?;
            suggest.push(t.elapsed());
            scored += found.total;
            shown += found.items.len();
            empty += usize::from(found.items.is_empty());

            let r = ranking_for(n);
            let index = handle.index();
            let t = Instant::now();
            std::hint::black_box(index.rank(&r)?);
            ranking.push(t.elapsed());

            let request = plain_search_for(n);
            let t = Instant::now();
            std::hint::black_box(search(store, &handle, Some(&county), &request).await?);
            plain.push(t.elapsed());
        }
    }
    let need_time = started.elapsed();

    let mut for_offer = Vec::new();
    let mut population = Vec::new();
    let mut offer_items = 0usize;
    for o in &offers {
        let owner = Principal {
            id: "bench-owner".to_owned(),
            username: "bench-owner".to_owned(),
            role: Role::Provider,
            township: None,
            village: None,
            provider_id: o.provider_id.clone(),
            family_id: None,
            department: None,
        };
        let k = settings.k_anonymity;
        // The first call warms this owner's rows.
        suggestions::for_offer(store, &handle, &owner, &o.id, paging, k).await?;
        let t = Instant::now();
        let found = suggestions::for_offer(store, &handle, &owner, &o.id, paging, k).await?;
        for_offer.push(t.elapsed());
        offer_items += found.items.len();
        // The daily job behind every projection's counts, for scale.
        let today = chrono::Local::now().date_naive() + chrono::Duration::days(3);
        let t = Instant::now();
        std::hint::black_box(carebridge::services::files::population::refresh(store, today).await?);
        population.push(t.elapsed());
    }

    let calls = (needs.len() * args.rounds).max(1);
    println!("\n## Suggestions benchmark\n");
    println!(
        "- data: {} providers, {} offers, {} child files, {} needs (seed {}), generated in {:.1} s; \
         full rebuild of {} documents in {:.1} s",
        generated.providers,
        generated.offers,
        generated.children,
        generated.needs,
        args.seed,
        generation.as_secs_f64(),
        rebuilt.documents,
        build.as_secs_f64(),
    );
    println!(
        "- {} published needs sampled across all of them, {} rounds ({:.1} s); pool of {POOL} candidates; \
         on average {:.0} offers scored and {:.1} shown per need ({empty} calls without any)",
        needs.len(),
        args.rounds,
        need_time.as_secs_f64(),
        scored as f64 / calls as f64,
        shown as f64 / calls as f64,
    );
    println!(
        "- {} active offers sampled, each asked once by its owner after one warm-up call; {:.1} needs shown on average\n",
        offers.len(),
        offer_items as f64 / offers.len().max(1) as f64,
    );
    println!("| path | samples | median ms | p99 ms | mean ms | max ms |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    let s = row("suggestions for a need (service layer)", &mut suggest);
    let r = row(
        "index ranking alone (`SearchIndex::rank`, same request)",
        &mut ranking,
    );
    let p = row(
        "plain search for the need's title (service layer, baseline)",
        &mut plain,
    );
    row(
        "suggestions for an offer (service layer, owner)",
        &mut for_offer,
    );
    row(
        "daily refresh of every file's k-anonymity count (`population::refresh`, not per request)",
        &mut population,
    );
    println!();
    println!(
        "- ratio at the median: suggestions / plain search {:.1}×; index ranking share of a suggestion {:.0} %",
        s.as_secs_f64() / p.as_secs_f64().max(1e-12),
        100.0 * r.as_secs_f64() / s.as_secs_f64().max(1e-12),
    );
    Ok(())
}
