//! Allocation benchmark: generates synthetic offers and needs into a
//! temporary SQLite database, builds the allocation problem the way the
//! portal does (`services::allocation::load`: published needs, active
//! offers with places, birth dates opened to age bands, compatibility
//! edges), then times the exact tiered plan (`domain::allocation::plan`)
//! against the first-come baseline (`greedy`) on the same problem, run
//! after run, and compares what each covers, in total and by urgency.
//!
//! The synthetic offers have many more places than there are needs, so
//! the same problem is also solved with every offer cut to one place
//! (`--scarce`, on by default): that is where the order of service matters.
//!
//! It also times the inbox counts every page of a logged-in user pays for
//! (`services::inbox::counts`) on the same data, for a township officer of
//! the busiest township and for county staff.
//!
//! Run: `cargo bench --bench allocation -- [--needs 10000] [--offers 5000]
//! [--seed 7] [--runs 15] [--no-scarce]`. Prints Markdown.

#[path = "support/common.rs"]
mod common;

use common::{Error, ms, percentile};
use std::time::{Duration, Instant};

use carebridge::domain::Role;
use carebridge::domain::allocation::{Plan, Problem, greedy, plan};
use carebridge::services::allocation::{self, Loaded};
use carebridge::services::{Paging, Principal, Store, inbox};

struct Args {
    needs: usize,
    offers: usize,
    seed: u64,
    runs: usize,
    scarce: bool,
}

fn parse_args() -> Result<Args, Error> {
    let mut args = Args {
        needs: 10_000,
        offers: 5_000,
        seed: 7,
        runs: 15,
        scarce: true,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--needs" => args.needs = value()?.parse()?,
            "--offers" => args.offers = value()?.parse()?,
            "--seed" => args.seed = value()?.parse()?,
            "--runs" => args.runs = value()?.parse::<usize>()?.max(1),
            "--no-scarce" => args.scarce = false,
            // `cargo bench` passes `--bench`; ignore it and anything unknown.
            _ => {}
        }
    }
    Ok(args)
}

/// Times of repeated runs, sorted.
struct Timing(Vec<Duration>);

impl Timing {
    fn median(&self) -> Duration {
        percentile(&self.0, 0.5)
    }

    fn p99(&self) -> Duration {
        percentile(&self.0, 0.99)
    }
}

/// Plan and greedy `runs` times each, alternating, on one problem.
fn time_both(problem: &Problem, runs: usize) -> (Timing, Timing, Vec<f64>, Plan, Plan) {
    let mut plans = Vec::with_capacity(runs);
    let mut greedies = Vec::with_capacity(runs);
    let mut ratios = Vec::with_capacity(runs);
    let mut best = Plan::default();
    let mut baseline = Plan::default();
    for _ in 0..runs {
        let started = Instant::now();
        best = plan(problem);
        let p = started.elapsed();
        let started = Instant::now();
        baseline = greedy(problem);
        let g = started.elapsed();
        plans.push(p);
        greedies.push(g);
        ratios.push(p.as_secs_f64() / g.as_secs_f64().max(1e-9));
    }
    plans.sort_unstable();
    greedies.sort_unstable();
    ratios.sort_by(f64::total_cmp);
    (Timing(plans), Timing(greedies), ratios, best, baseline)
}

/// Needs wanting places in each tier (critical, urgent, normal).
fn wanted(problem: &Problem) -> [usize; 3] {
    let mut out = [0; 3];
    for (need, &tier) in problem.tiers.iter().enumerate() {
        out[usize::from(tier).min(2)] += problem.demand(need) as usize;
    }
    out
}

fn tier(plan: &Plan, t: usize) -> usize {
    plan.covered.get(t).copied().unwrap_or(0)
}

fn needs_fully_covered(problem: &Problem, plan: &Plan) -> usize {
    plan.places_by_need(problem)
        .iter()
        .enumerate()
        .filter(|&(n, &p)| p > 0 && p >= problem.demand(n))
        .count()
}

fn report(title: &str, problem: &Problem, runs: usize) {
    let (plan_t, greedy_t, ratios, best, baseline) = time_both(problem, runs);
    let want = wanted(problem);
    let capacity: u64 = problem.capacities.iter().map(|&c| u64::from(c)).sum();
    println!("\n### {title}\n");
    println!(
        "{} needs wanting {} places (critical {}, urgent {}, normal {}); {} offers with {} places; {} compatible pairs.\n",
        problem.tiers.len(),
        want.iter().sum::<usize>(),
        want[0],
        want[1],
        want[2],
        problem.capacities.len(),
        capacity,
        problem.edges.len()
    );
    println!("| | median | p99 |");
    println!("| --- | ---: | ---: |");
    println!(
        "| plan (tiered max-flow) | {:.2} ms | {:.2} ms |",
        ms(plan_t.median()),
        ms(plan_t.p99())
    );
    println!(
        "| greedy (first come) | {:.2} ms | {:.2} ms |",
        ms(greedy_t.median()),
        ms(greedy_t.p99())
    );
    println!(
        "| plan / greedy (same run) | {:.1}× | {:.1}× |\n",
        percentile_f(&ratios, 0.5),
        percentile_f(&ratios, 0.99)
    );
    println!("| places covered | total | critical | urgent | normal | needs fully covered |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (name, p) in [("plan", &best), ("greedy", &baseline)] {
        println!(
            "| {name} | {} | {} | {} | {} | {} |",
            p.total(),
            tier(p, 0),
            tier(p, 1),
            tier(p, 2),
            needs_fully_covered(problem, p)
        );
    }
    let gain = best.total() as i64 - baseline.total() as i64;
    println!(
        "\nThe plan covers {gain:+} places overall and {:+} critical, {:+} urgent places against first come.",
        tier(&best, 0) as i64 - tier(&baseline, 0) as i64,
        tier(&best, 1) as i64 - tier(&baseline, 1) as i64,
    );
}

fn percentile_f(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn staff(role: Role, township: Option<String>) -> Principal {
    Principal {
        id: "bench".into(),
        username: "bench".into(),
        role,
        township,
        village: None,
        provider_id: None,
        family_id: None,
    }
}

/// What the navigation's inbox count costs on this data.
async fn inbox_costs(store: Store<'_>, loaded: &Loaded, runs: usize) -> Result<(), Error> {
    let mut by_township: std::collections::HashMap<&str, usize> = Default::default();
    for need in &loaded.needs {
        *by_township.entry(need.township_code.as_str()).or_default() += 1;
    }
    let busiest = by_township
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(t, _)| (*t).to_owned());
    println!("\n### Inbox counts (every page of a logged-in user)\n");
    println!("| reader | waiting | overdue | median | p99 |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    let readers = [
        (
            format!("township officer of {}", busiest.as_deref().unwrap_or("-")),
            staff(Role::TownshipOfficer, busiest.clone()),
        ),
        ("county staff".to_owned(), staff(Role::CountyAdmin, None)),
    ];
    for (name, reader) in &readers {
        let mut times = Vec::with_capacity(runs);
        let mut last = inbox::Counts::default();
        for _ in 0..runs.max(5) {
            let started = Instant::now();
            last = inbox::counts(store, reader, 7).await?;
            times.push(started.elapsed());
        }
        times.sort_unstable();
        println!(
            "| {name} | {} | {} | {:.2} ms | {:.2} ms |",
            last.total(),
            last.overdue(),
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99))
        );
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let args = parse_args()?;
    let common::Data {
        dir: _dir,
        prepared,
        generated,
        generation,
    } = common::generate(args.offers, args.needs, args.seed).await?;

    println!("# Allocation benchmark\n");
    println!(
        "Synthetic data (seed {}): {} providers, {} offers, {} child files, {} published needs; generated in {:.1} s. {} runs of each algorithm per problem.\n",
        args.seed,
        generated.providers,
        generated.offers,
        generated.children,
        generated.needs,
        generation.as_secs_f64(),
        args.runs
    );

    // Building the problem from the database, as every request does.
    let today = chrono::Utc::now().date_naive();
    let mut loads = Vec::new();
    let mut loaded: Option<Loaded> = None;
    for _ in 0..3 {
        let started = Instant::now();
        loaded = Some(allocation::load(prepared.store(), today).await?);
        loads.push(started.elapsed());
    }
    loads.sort_unstable();
    let loaded = loaded.ok_or("no load")?;
    println!(
        "Loading and building the problem (`services::allocation::load`: queries, {} birth dates opened, edges): median {:.0} ms over {} runs.",
        loaded.needs.len(),
        ms(percentile(&loads, 0.5)),
        loads.len()
    );

    // The whole request path of `GET /api/v1/allocation` below the web layer.
    let admin = staff(Role::CountyAdmin, None);
    let started = Instant::now();
    let answer = allocation::allocation(prepared.store(), &admin, Paging::default()).await?;
    println!(
        "One full service call (load, plan and greedy, one page of pairs): {:.0} ms; {} pairs proposed.",
        ms(started.elapsed()),
        answer.pairs.total
    );

    inbox_costs(prepared.store(), &loaded, args.runs).await?;

    report(
        "As generated (offers keep their places)",
        &loaded.problem,
        args.runs,
    );
    if args.scarce {
        let mut scarce = loaded.problem.clone();
        scarce.capacities.iter_mut().for_each(|c| *c = (*c).min(1));
        report("Scarce: every offer cut to one place", &scarce, args.runs);
    }
    Ok(())
}
