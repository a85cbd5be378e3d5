//! Builds an index of synthetic Chinese documents and measures search latency.
//!
//! Run: `cargo run --release -p search-index --example bench -- [N] [SEED]`
//! (defaults: N = 20000, SEED = 42). Documents are generated
//! deterministically from the seed; the index lives in a temporary directory.

use std::time::{Duration, Instant};

use search_index::{Change, Doc, DocKind, Query, SearchIndex};

/// splitmix64: small, deterministic, good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items
            .get(self.below(items.len()))
            .copied()
            .unwrap_or_default()
    }
}

const PROGRAMS: &[(&str, &[&str])] = &[
    ("daily_care", &["生活照料", "日间照料", "爱心午餐"]),
    (
        "tutoring",
        &["四点半课堂课业辅导", "周末课业辅导", "暑期学业辅导班"],
    ),
    (
        "rehabilitation",
        &["孤独症儿童康复训练", "肢体康复训练", "言语康复指导"],
    ),
    ("medical", &["大病医疗救助", "免费体检", "眼科义诊"]),
    (
        "counselling",
        &["心理疏导", "留守儿童心理辅导", "团体心理咨询"],
    ),
    ("legal_aid", &["法律援助", "权益维护讲座", "法治教育进校园"]),
    (
        "donation_money",
        &["爱心助学金", "资金捐赠", "贫困学生资助"],
    ),
    (
        "donation_goods",
        &["图书捐赠", "爱心捐赠冬衣", "学习用品捐助"],
    ),
    (
        "family_education",
        &["家庭教育指导", "家长课堂", "亲子阅读"],
    ),
    (
        "companionship",
        &["结对陪伴", "大学生志愿者陪伴", "1+1+N 结对帮扶"],
    ),
    ("foster_care", &["家庭寄养", "寄养家庭培训"]),
    ("entrusted_care", &["委托代养", "托养服务"]),
    ("sponsorship", &["爱心助养", "一对一助养"]),
];

const PROVIDERS: &[&str] = &[
    "县慈善会",
    "阳光社会工作服务中心",
    "共青团志愿服务队",
    "县妇联",
    "县残联",
    "关工委",
    "爱心企业",
    "青少年发展基金会",
];

const PHRASES: &[&str] = &[
    "面向困境儿童和留守儿童",
    "由专业社工和志愿者提供服务",
    "每周开展两次活动",
    "在村活动室和学校进行",
    "帮助孩子提高学习成绩",
    "关注孩子的心理健康",
    "家长可以陪同参加",
    "提供交通和午餐补贴",
    "需要提前报名",
    "服务期为一个学期",
    "配备专业康复设备",
    "为家庭提供育儿指导",
    "定期走访了解需求",
    "欢迎爱心人士参与",
];

fn township(i: usize) -> String {
    format!("t{i:02}")
}

fn generate(n: usize, seed: u64) -> Vec<Doc> {
    let mut rng = Rng(seed);
    (0..n)
        .map(|i| {
            let (category, titles) = PROGRAMS
                .get(rng.below(PROGRAMS.len()))
                .copied()
                .unwrap_or(("none", &[]));
            let kind = if rng.below(4) == 0 {
                DocKind::Need
            } else {
                DocKind::Offer
            };
            let title = match kind {
                DocKind::Offer => format!("{}{}", rng.pick(PROVIDERS), rng.pick(titles)),
                DocKind::Need => format!("需要{}", rng.pick(titles)),
            };
            let mut body = String::new();
            for _ in 0..3 + rng.below(3) {
                body.push_str(rng.pick(PHRASES));
                body.push('，');
            }
            body.push_str(rng.pick(titles));
            body.push('。');
            let mut townships = vec![township(rng.below(30))];
            if rng.below(5) == 0 {
                townships.push(township(rng.below(30)));
            }
            Doc {
                key: format!("{}:{i:08}", kind.as_str()),
                kind,
                id: i.to_string(),
                code: (kind == DocKind::Need).then(|| format!("N{i:06}")),
                title,
                body,
                category: category.to_string(),
                townships,
                provider: (kind == DocKind::Offer).then(|| rng.pick(PROVIDERS).to_string()),
                updated_at: 1_700_000_000 + rng.below(10_000_000) as i64,
            }
        })
        .collect()
}

const TEXTS: &[&str] = &[
    "孤独症",
    "康复",
    "书",
    "课业辅导",
    "补习",
    "心理疏导",
    "自闭症 康复训练",
    "儿童 康复",
    "留守儿童 心理",
    "捐赠 图书",
    "家庭寄养",
    "志愿者 陪伴 学校",
    "社工 康复 儿童",
    "午餐",
    "法律援助 讲座",
    "",
];

fn queries() -> Vec<Query> {
    let mut out = Vec::new();
    for (i, text) in TEXTS.iter().enumerate() {
        let base = Query {
            text: text.to_string(),
            limit: 10,
            ..Query::default()
        };
        out.push(base.clone());
        out.push(Query {
            kind: Some(DocKind::Offer),
            ..base.clone()
        });
        out.push(Query {
            township: Some(township(i % 30)),
            ..base.clone()
        });
        out.push(Query {
            kind: Some(DocKind::Need),
            category: PROGRAMS.get(i % PROGRAMS.len()).map(|(c, _)| c.to_string()),
            township: Some(township((i * 7) % 30)),
            ..base
        });
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(20_000);
    let seed: u64 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(42);

    let docs = generate(n, seed);
    let dir = tempfile::tempdir()?;
    let index = SearchIndex::open_or_create(dir.path())?;
    let started = Instant::now();
    let changes: Vec<Change> = docs.into_iter().map(Change::Upsert).collect();
    for (seq, batch) in changes.chunks(50_000).enumerate() {
        index.apply(batch, seq as i64)?;
    }
    let build = started.elapsed();
    println!(
        "build: {n} docs in {:.2} s ({:.0} docs/s), {} segments",
        build.as_secs_f64(),
        n as f64 / build.as_secs_f64(),
        index.num_segments()
    );
    index.wait_for_merges()?;
    println!(
        "merges done after {:.2} s in all: {} segments",
        started.elapsed().as_secs_f64(),
        index.num_segments()
    );

    let queries = queries();
    for q in &queries {
        index.search(q)?; // warm up
    }
    let rounds = 20;
    let mut all = Vec::new();
    let mut text = Vec::new();
    let mut browse = Vec::new();
    let mut hits = 0usize;
    let mut per_query = vec![Vec::new(); queries.len()];
    for _ in 0..rounds {
        for (qi, q) in queries.iter().enumerate() {
            let t = Instant::now();
            let results = index.search(q)?;
            let elapsed = t.elapsed();
            hits += results.total;
            all.push(elapsed);
            if let Some(samples) = per_query.get_mut(qi) {
                samples.push(elapsed);
            }
            if q.text.is_empty() {
                browse.push(elapsed)
            } else {
                text.push(elapsed)
            }
        }
    }
    for (name, samples) in [
        ("all", &mut all),
        ("text", &mut text),
        ("browse", &mut browse),
    ] {
        samples.sort_unstable();
        println!(
            "query {name:<6} n={:<5} p50 {:.3} ms  p99 {:.3} ms  max {:.3} ms",
            samples.len(),
            percentile(samples, 0.5).as_secs_f64() * 1e3,
            percentile(samples, 0.99).as_secs_f64() * 1e3,
            samples.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        );
    }
    println!("(total matches summed over queries: {hits})");
    let mut slowest: Vec<(Duration, &Query)> = per_query
        .iter_mut()
        .zip(&queries)
        .map(|(samples, q)| {
            samples.sort_unstable();
            (percentile(samples, 0.5), q)
        })
        .collect();
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    for (p50, q) in slowest.iter().take(5) {
        let total = index.search(q)?.total;
        println!(
            "  slow: p50 {:.3} ms  total {total:<7} text {:?} kind {:?} category {:?} township {:?}",
            p50.as_secs_f64() * 1e3,
            q.text,
            q.kind,
            q.category,
            q.township
        );
    }
    if let Some(mb) = peak_rss_mb() {
        println!("peak RSS: {mb:.0} MB");
    }
    Ok(())
}
