//! Oversight at county scale: generates child files and needs
//! (`carebridge::synthetic`), then times the background job that computes
//! a period's figures (the first request, which waits for it), requests
//! answered from the kept figures (county and township dashboards, public
//! statistics; median and p99), and the ledger export of the whole county written as CSV to a
//! sink, reading the process's resident memory after every page.
//!
//! `cargo bench --bench oversight -- --needs 125000 --samples 20`

#[path = "support/common.rs"]
mod common;

use std::time::{Duration, Instant};

use common::{Error, ms, percentile};

use carebridge::domain::Role;
use carebridge::domain::indicator::Indicators;
use carebridge::domain::period::Period;
use carebridge::domain::referral::office_day;
use carebridge::services::oversight::dashboard::{self, Setup};
use carebridge::services::oversight::jobs::{self, Jobs, Source};
use carebridge::services::oversight::kept::Kept;
use carebridge::services::oversight::ledger::{self, Format, Request};
use carebridge::services::{Principal, RequestCtx};

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

/// The resident memory of this process in KiB (Linux), 0 elsewhere.
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let mut needs = 125_000usize;
    let mut samples = 20usize;
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
    let townships = data.prepared.regions.clone();
    println!(
        "data: {} child files, {} needs (seed {seed}), generated in {:.1} s",
        data.generated.children,
        data.generated.needs,
        data.generation.as_secs_f64()
    );
    let indicators = Indicators::default();
    let now = chrono::Utc::now();
    let setup = Setup {
        townships: &townships,
        indicators: &indicators,
        overdue_days: 7,
        now,
    };
    let county = principal(Role::CountyAdmin, None);
    let busiest = townships.first().map(|t| t.code.clone());
    let officer = principal(Role::TownshipOfficer, busiest);
    let month = Period::month_of(office_day(now));
    let year = Period::Year {
        year: chrono::Datelike::year(&office_day(now)),
    };
    // Requests wait for a first job however long it takes: it is timed.
    let jobs = Jobs::new(chrono::Duration::minutes(10), Duration::from_secs(600));
    let source = Source {
        db: data.prepared.db.clone(),
        vault: data.prepared.vault.clone(),
        clock: data.prepared.clock.clone(),
        rules: data.prepared.rules.clone(),
        townships: townships.clone(),
        overdue_days: 7,
        k: 5,
    };
    let mut job_times = Vec::new();
    for (name, period) in [("figures of a month", month), ("figures of a year", year)] {
        let started = Instant::now();
        let first = dashboard::dashboard(&jobs, &source, &county, None, period, &setup).await?;
        job_times.push((name, started.elapsed()));
        assert!(first.is_some());
    }
    println!("| request (figures kept) | samples | median ms | p99 ms |");
    println!("| --- | ---: | ---: | ---: |");
    for (name, who, period) in [
        ("county dashboard, month", &county, month),
        ("county dashboard, year", &county, year),
        ("township dashboard, month", &officer, month),
    ] {
        let mut times: Vec<Duration> = Vec::with_capacity(samples);
        for _ in 0..samples {
            let started = Instant::now();
            let d = dashboard::dashboard(&jobs, &source, who, None, period, &setup).await?;
            times.push(started.elapsed());
            let Some(d) = d else {
                return Err("figures not kept".into());
            };
            assert!(!d.headline.is_empty());
        }
        times.sort();
        println!(
            "| {name} | {samples} | {:.1} | {:.1} |",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99))
        );
    }
    let stats_job = Instant::now();
    let kept = jobs::public_stats(&jobs, &source).await?;
    let stats_job = stats_job.elapsed();
    assert!(matches!(kept, Kept::Ready(_)));
    let mut times: Vec<Duration> = Vec::with_capacity(samples);
    for _ in 0..samples {
        let started = Instant::now();
        let s = jobs::public_stats(&jobs, &source).await?;
        times.push(started.elapsed());
        let Kept::Ready(s) = s else {
            return Err("statistics not kept".into());
        };
        assert!(!s.value.townships.is_empty());
    }
    times.sort();
    println!(
        "| public statistics, kept | {samples} | {:.1} | {:.1} |",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99))
    );
    println!();
    println!("| job (first request, waits for it) | ms |");
    println!("| --- | ---: |");
    for (name, took) in &job_times {
        println!("| {name} | {:.1} |", ms(*took));
    }
    println!("| public statistics | {:.1} |", ms(stats_job));

    let before = rss_kib();
    let started = Instant::now();
    let request = Request {
        township: None,
        format: Format::Csv,
        include_identity: false,
        purpose: None,
    };
    let mut export =
        ledger::start(store, &RequestCtx::system(), &county, &request, &townships).await?;
    let mut rows = 0u64;
    let mut bytes = 0usize;
    let mut peak = before;
    loop {
        let page = ledger::next_page(store, &mut export, &townships).await?;
        if page.is_empty() {
            break;
        }
        let mut out = csv::Writer::from_writer(Vec::new());
        for row in &page {
            out.write_record(row)?;
        }
        bytes += out.into_inner().map_err(|e| e.to_string())?.len();
        rows += page.len() as u64;
        peak = peak.max(rss_kib());
    }
    println!(
        "ledger export (CSV, county, masked): {rows} rows, {:.1} MB in {:.2} s; resident memory {} MiB before, at most {} MiB during",
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        before / 1024,
        peak / 1024
    );
    Ok(())
}
