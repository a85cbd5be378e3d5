//! Allocation benchmark: generates synthetic offers and needs into a
//! temporary SQLite database, reads the allocation problem the way the
//! portal's job does (`services::allocation::load`: published needs, active
//! offers with places, birth dates opened to age bands), then times the
//! exact tiered plan with the first-come baseline on classes
//! (`domain::allocation::classes::solve`), run after run, and compares what
//! each covers, in total and by urgency. With `--pairs` it also builds the
//! pair problem (one edge per compatible pair) and times the pair solvers
//! (`domain::allocation::{plan, greedy}`) on it, checking that both cover
//! the same places in every tier.
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
//! [--seed 7] [--runs 15] [--no-scarce] [--pairs]`. Prints Markdown.

#[path = "support/common.rs"]
mod common;

use common::{Error, ms, percentile};
use std::time::{Duration, Instant};

use carebridge::domain::Role;
use std::collections::HashSet;
use std::sync::Arc;

use carebridge::domain::allocation::classes::{self, Solved};
use carebridge::domain::allocation::fit::{self, NeedFacts, OfferFacts};
use carebridge::domain::allocation::{Plan, greedy, plan};
use carebridge::services::allocation::{self, Answer, Jobs, Loaded};
use carebridge::services::{Paging, Principal, Store, inbox};

struct Args {
    needs: usize,
    offers: usize,
    seed: u64,
    runs: usize,
    scarce: bool,
    pairs: bool,
}

fn parse_args() -> Result<Args, Error> {
    let mut args = Args {
        needs: 10_000,
        offers: 5_000,
        seed: 7,
        runs: 15,
        scarce: true,
        pairs: false,
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
            "--pairs" => args.pairs = true,
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

/// One county's problem, as the job hands it to the solver.
struct County<'a> {
    needs: &'a [NeedFacts],
    offers: &'a [OfferFacts],
    taken: &'a HashSet<(usize, usize)>,
}

/// The class solver `runs` times on one problem.
fn time_classes(county: &County<'_>, runs: usize) -> (Timing, Solved) {
    let mut times = Vec::with_capacity(runs);
    let mut solved = Solved::default();
    for _ in 0..runs {
        let started = Instant::now();
        solved = classes::solve(county.needs, county.offers, county.taken, &mut |_| {});
        times.push(started.elapsed());
    }
    times.sort_unstable();
    (Timing(times), solved)
}

/// Places wanted in each tier (critical, urgent, normal).
fn wanted(needs: &[NeedFacts]) -> [usize; 3] {
    let mut out = [0; 3];
    for need in needs {
        out[usize::from(fit::tier(need.urgency)).min(2)] += need.places as usize;
    }
    out
}

fn tier(plan: &Plan, t: usize) -> usize {
    plan.covered.get(t).copied().unwrap_or(0)
}

fn needs_fully_covered(needs: &[NeedFacts], plan: &Plan) -> usize {
    plan.places_of(needs.len())
        .iter()
        .zip(needs)
        .filter(|&(&p, n)| p > 0 && p >= n.places)
        .count()
}

fn report(title: &str, county: &County<'_>, runs: usize, pairs: bool) {
    let (class_t, solved) = time_classes(county, runs);
    let want = wanted(county.needs);
    let capacity: u64 = county.offers.iter().map(|o| u64::from(o.remaining)).sum();
    println!("\n### {title}\n");
    println!(
        "{} needs wanting {} places (critical {}, urgent {}, normal {}); {} offers with {} places; {} need classes, {} offer classes, {} class edges.\n",
        county.needs.len(),
        want.iter().sum::<usize>(),
        want[0],
        want[1],
        want[2],
        county.offers.len(),
        capacity,
        solved.need_classes,
        solved.offer_classes,
        solved.edges
    );
    println!("| | median | p99 |");
    println!("| --- | ---: | ---: |");
    println!(
        "| classes: plan and first come | {:.2} ms | {:.2} ms |",
        ms(class_t.median()),
        ms(class_t.p99())
    );
    if pairs {
        let started = Instant::now();
        let problem = fit::problem(county.needs, county.offers, county.taken);
        let built = started.elapsed();
        let started = Instant::now();
        let best = plan(&problem);
        let p = started.elapsed();
        let started = Instant::now();
        let baseline = greedy(&problem);
        let g = started.elapsed();
        println!(
            "| pairs: building {} edges | {:.2} ms | — |",
            problem.edges.len(),
            ms(built)
        );
        println!("| pairs: plan | {:.2} ms | — |", ms(p));
        println!("| pairs: first come | {:.2} ms | — |", ms(g));
        assert_eq!(best.covered, solved.plan.covered, "plan coverage differs");
        assert_eq!(baseline, solved.greedy, "first come differs");
        println!(
            "\nPairs and classes cover the same places in every tier; first come makes the same choices.\n"
        );
    }
    println!("| places covered | total | critical | urgent | normal | needs fully covered |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (name, p) in [("plan", &solved.plan), ("greedy", &solved.greedy)] {
        println!(
            "| {name} | {} | {} | {} | {} | {} |",
            p.total(),
            tier(p, 0),
            tier(p, 1),
            tier(p, 2),
            needs_fully_covered(county.needs, p)
        );
    }
    let (best, baseline) = (&solved.plan, &solved.greedy);
    let gain = best.total() as i64 - baseline.total() as i64;
    println!(
        "\nThe plan covers {gain:+} places overall and {:+} critical, {:+} urgent places against first come.",
        tier(best, 0) as i64 - tier(baseline, 0) as i64,
        tier(best, 1) as i64 - tier(baseline, 1) as i64,
    );
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
        department: None,
    }
}

/// What the navigation's inbox count costs on this data.
async fn inbox_costs(store: Store<'_>, loaded: &Loaded, runs: usize) -> Result<(), Error> {
    let mut by_township: std::collections::HashMap<&str, usize> = Default::default();
    for need in &loaded.facts {
        *by_township.entry(need.township.as_str()).or_default() += 1;
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
            // A fresh cache: this measures the counting statement itself.
            let cache = inbox::CountCache::default();
            last = inbox::counts(store, &cache, reader, 7).await?;
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

    // Reading the problem from the database, as the job does.
    let today = chrono::Utc::now().date_naive();
    let mut loads = Vec::new();
    let mut loaded: Option<Loaded> = None;
    for _ in 0..3 {
        let started = Instant::now();
        loaded = Some(allocation::load::load(prepared.store(), today, &|_| {}).await?);
        loads.push(started.elapsed());
    }
    loads.sort_unstable();
    let loaded = loaded.ok_or("no load")?;
    println!(
        "Reading the problem (`services::allocation::load`: queries, {} birth dates opened): median {:.0} ms over {} runs.",
        loaded.needs.len(),
        ms(percentile(&loads, 0.5)),
        loads.len()
    );

    // The whole job behind `GET /api/v1/allocation`, asked as a request
    // does until it answers with the plan.
    let admin = staff(Role::CountyAdmin, None);
    let jobs = Arc::new(Jobs::default());
    let started = Instant::now();
    let total = loop {
        let answer = allocation::allocation(
            &jobs,
            &prepared.db,
            &prepared.vault,
            &admin,
            Paging::default(),
        )
        .await?;
        if let Answer::Ready(plan) = answer {
            break plan.pairs.total;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    println!(
        "The job (read, classes, plan and first come, pairs, summaries), asked for until ready: {:.0} ms; {} pairs proposed.",
        ms(started.elapsed()),
        total
    );

    inbox_costs(prepared.store(), &loaded, args.runs).await?;

    let county = County {
        needs: &loaded.facts,
        offers: &loaded.offer_facts,
        taken: &loaded.taken,
    };
    report(
        "As generated (offers keep their places)",
        &county,
        args.runs,
        args.pairs,
    );
    if args.scarce {
        let scarce: Vec<OfferFacts> = loaded
            .offer_facts
            .iter()
            .map(|o| OfferFacts {
                remaining: o.remaining.min(1),
                ..o.clone()
            })
            .collect();
        let county = County {
            offers: &scarce,
            ..county
        };
        report(
            "Scarce: every offer cut to one place",
            &county,
            args.runs,
            args.pairs,
        );
    }
    Ok(())
}
