//! The gap list (应享未享) at county scale: generates child files with
//! school status and entitlement records (`carebridge::synthetic`, the
//! gap rows kept as the services keep them), then asks for the gap list
//! of the busiest township and of the whole county (first page, as the
//! county administrator and that township's officer would) many times,
//! through `services::entitlements::gaps::list`, and prints the median and
//! p99. Then it re-checks every file once, as the daily job does.
//!
//! `cargo bench --bench gaps -- --needs 125000 --samples 200`

#[path = "support/common.rs"]
mod common;

use std::time::{Duration, Instant};

use common::{Error, ms, percentile};

use carebridge::domain::Role;
use carebridge::services::entitlements::gaps;
use carebridge::services::{Paging, Principal, RequestCtx};

fn principal(role: Role, township: Option<String>) -> Principal {
    Principal {
        id: "bench".into(),
        username: "bench".into(),
        role,
        township,
        village: None,
        provider_id: None,
        family_id: None,
        department: None,
    }
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let mut needs = 125_000usize;
    let mut samples = 200usize;
    let mut seed = 7u64;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--needs" => needs = value()?.parse()?,
            "--samples" => samples = value()?.parse()?,
            "--seed" => seed = value()?.parse()?,
            "--bench" => {}
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let data = common::generate(0, needs, seed).await?;
    let _kept = data.dir.path();
    let store = data.prepared.store();
    println!(
        "data: {} child files, {} needs (seed {seed}), generated in {:.1} s",
        data.generated.children,
        data.generated.needs,
        data.generation.as_secs_f64()
    );
    let counts = carebridge::db::entitlements::gap_counts(store.db).await?;
    let with_gaps: i64 = counts.iter().map(|(_, n)| n).sum();
    let (busiest, most) = counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .cloned()
        .ok_or("no gaps")?;
    println!("files with a gap: {with_gaps}; busiest township {busiest} with {most}");
    let ctx = RequestCtx::system();
    let county = principal(Role::CountyAdmin, None);
    let officer = principal(Role::TownshipOfficer, Some(busiest.clone()));
    println!("| list | samples | median ms | p99 ms |");
    println!("| --- | ---: | ---: | ---: |");
    for (name, who, offset) in [
        ("busiest township, first page", &officer, 0u64),
        ("busiest township, page 50", &officer, 980),
        ("county, first page", &county, 0),
        ("county, page 500", &county, 9_980),
    ] {
        let mut times: Vec<Duration> = Vec::with_capacity(samples);
        for _ in 0..samples {
            let started = Instant::now();
            let page =
                gaps::list(store, &ctx, who, None, Paging::new(Some(20), Some(offset))).await?;
            times.push(started.elapsed());
            assert!(!page.items.is_empty());
        }
        times.sort();
        println!(
            "| {name} | {samples} | {:.2} | {:.2} |",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99))
        );
    }
    let started = Instant::now();
    let today = carebridge::domain::referral::office_day(chrono::Utc::now());
    let checked = gaps::refresh_all(store, today).await?;
    println!(
        "daily re-check of every open file: {checked} files in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
