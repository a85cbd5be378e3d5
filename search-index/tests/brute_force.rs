//! Totals, facets and pages of filtered searches equal what brute force
//! finds: every document matching the text is listed by an unfiltered
//! search (paged through to the end), the filters are applied here, the
//! facets counted here, and the order is rebuilt from the scores (or, when
//! browsing, from `updated_at`) and the keys. Covers several segments,
//! replaced and deleted documents, every filter combination and paging.

use std::collections::{BTreeMap, HashMap};

use proptest::prelude::*;
use search_index::{Change, Doc, DocKind, Hit, MAX_LIMIT, Query, SearchIndex};

const WORDS: &[&str] = &[
    "孤独症",
    "自闭症",
    "康复",
    "训练",
    "课业",
    "辅导",
    "补习",
    "心理",
    "疏导",
    "儿童",
    "捐赠",
    "图书",
    "陪伴",
    "留守",
    "作业",
    "讲座",
];
const CATEGORIES: &[&str] = &[
    "tutoring",
    "rehabilitation",
    "counselling",
    "donation_goods",
];
const TOWNSHIPS: &[&str] = &["t1", "t2", "t3", "t4"];

/// splitmix64, to build a corpus from a seed.
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
        (self.next() % n as u64) as usize
    }

    fn text(&mut self, words: usize) -> String {
        (0..1 + self.below(words))
            .map(|_| WORDS[self.below(WORDS.len())])
            .collect::<Vec<_>>()
            .join(if self.below(2) == 0 { "" } else { "，" })
    }
}

fn make_doc(rng: &mut Rng, n: usize) -> Doc {
    let kind = if rng.below(3) == 0 {
        DocKind::Need
    } else {
        DocKind::Offer
    };
    let towns = (0..rng.below(3))
        .map(|_| TOWNSHIPS[rng.below(TOWNSHIPS.len())].to_string())
        .collect();
    Doc {
        key: format!("{}:{n:04}", kind.as_str()),
        kind,
        id: n.to_string(),
        code: (kind == DocKind::Need).then(|| format!("N{n}")),
        title: rng.text(3),
        body: rng.text(8),
        category: CATEGORIES[rng.below(CATEGORIES.len())].to_string(),
        townships: towns,
        provider: None,
        // Few distinct times, so that browsing ties and falls back to keys.
        updated_at: 1_700_000_000 + rng.below(5) as i64,
    }
}

/// An index of about `n` documents in several commits (segments), with
/// some documents replaced and some deleted; and the live documents by key.
fn corpus(seed: u64, n: usize) -> (SearchIndex, HashMap<String, Doc>) {
    let mut rng = Rng(seed);
    let index = SearchIndex::create_in_ram().expect("create");
    let mut live = HashMap::new();
    let mut seq = 0;
    for batch in 0..4 {
        let mut changes = Vec::new();
        for i in 0..n / 4 {
            let doc = make_doc(&mut rng, batch * n / 4 + i);
            live.insert(doc.key.clone(), doc.clone());
            changes.push(Change::Upsert(doc));
        }
        if batch > 0 {
            let keys: Vec<String> = live.keys().cloned().collect();
            let mut keys = keys;
            keys.sort();
            for _ in 0..n / 20 {
                let key = keys[rng.below(keys.len())].clone();
                if rng.below(2) == 0 {
                    live.remove(&key);
                    changes.push(Change::Delete { key });
                } else if let Some(old) = live.get(&key) {
                    let mut doc = old.clone();
                    doc.title = rng.text(3);
                    doc.category = CATEGORIES[rng.below(CATEGORIES.len())].to_string();
                    live.insert(key, doc.clone());
                    changes.push(Change::Upsert(doc));
                }
            }
        }
        seq += 1;
        index.apply(&changes, seq).expect("apply");
    }
    (index, live)
}

/// Every hit of `q` without kind or filters, paging to the end.
fn all_hits(index: &SearchIndex, text: &str) -> (usize, Vec<Hit>) {
    let mut out = Vec::new();
    let total = loop {
        let page = index
            .search(&Query {
                text: text.to_string(),
                limit: MAX_LIMIT,
                offset: out.len(),
                ..Query::default()
            })
            .expect("search");
        let got = page.hits.len();
        out.extend(page.hits);
        if got == 0 || out.len() >= page.total {
            break page.total;
        }
    };
    (total, out)
}

struct Expected {
    total: usize,
    keys: Vec<String>,
    scores: Vec<f32>,
    category: BTreeMap<String, u64>,
    township: BTreeMap<String, u64>,
}

fn brute_force(hits: &[Hit], live: &HashMap<String, Doc>, q: &Query, scored: bool) -> Expected {
    let kind_ok = |h: &Hit| q.kind.is_none_or(|k| h.kind == k);
    let cat_ok = |h: &Hit| q.category.as_ref().is_none_or(|c| &h.category == c);
    let town_ok = |h: &Hit| q.township.as_ref().is_none_or(|t| h.townships.contains(t));
    let mut category = BTreeMap::new();
    let mut township = BTreeMap::new();
    let mut kept: Vec<&Hit> = Vec::new();
    for hit in hits.iter().filter(|h| kind_ok(h)) {
        if town_ok(hit) {
            *category.entry(hit.category.clone()).or_insert(0) += 1;
        }
        if cat_ok(hit) {
            for t in &hit.townships {
                *township.entry(t.clone()).or_insert(0) += 1;
            }
        }
        if cat_ok(hit) && town_ok(hit) {
            kept.push(hit);
        }
    }
    if scored {
        kept.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.key.cmp(&b.key)));
    } else {
        let at = |h: &Hit| live.get(&h.key).map_or(i64::MIN, |d| d.updated_at);
        kept.sort_by(|a, b| at(b).cmp(&at(a)).then_with(|| a.key.cmp(&b.key)));
    }
    let page: Vec<&Hit> = kept.iter().skip(q.offset).take(q.limit).copied().collect();
    Expected {
        total: kept.len(),
        keys: page.iter().map(|h| h.key.clone()).collect(),
        scores: page.iter().map(|h| h.score).collect(),
        category,
        township,
    }
}

fn check(index: &SearchIndex, live: &HashMap<String, Doc>, text: &str) {
    let (total, hits) = all_hits(index, text);
    assert_eq!(total, hits.len(), "unfiltered total of {text:?}");
    let scored = hits.iter().any(|h| h.score != 0.0);
    if text.is_empty() {
        assert_eq!(total, live.len(), "browsing lists every live document");
    }
    let kinds = [None, Some(DocKind::Offer), Some(DocKind::Need)];
    let categories = [
        None,
        Some("tutoring"),
        Some("rehabilitation"),
        Some("absent"),
    ];
    let townships = [None, Some("t1"), Some("t3"), Some("absent")];
    for kind in kinds {
        for category in categories {
            for township in townships {
                for (limit, offset) in [(10, 0), (7, 5), (MAX_LIMIT, 0), (3, 200)] {
                    let q = Query {
                        text: text.to_string(),
                        kind,
                        category: category.map(str::to_string),
                        township: township.map(str::to_string),
                        limit,
                        offset,
                    };
                    let got = index.search(&q).expect("search");
                    let want = brute_force(&hits, live, &q, scored);
                    let keys: Vec<String> = got.hits.iter().map(|h| h.key.clone()).collect();
                    let scores: Vec<f32> = got.hits.iter().map(|h| h.score).collect();
                    assert_eq!(got.total, want.total, "total of {q:?}");
                    assert_eq!(
                        index.count(&q).expect("count"),
                        want.total,
                        "count of {q:?}"
                    );
                    assert_eq!(keys, want.keys, "page of {q:?}");
                    assert_eq!(scores, want.scores, "scores of {q:?}");
                    assert_eq!(got.facets.category, want.category, "categories of {q:?}");
                    assert_eq!(got.facets.township, want.township, "townships of {q:?}");
                }
            }
        }
    }
}

#[test]
fn filtered_searches_equal_brute_force() {
    let (index, live) = corpus(7, 400);
    assert!(index.num_segments() > 1, "several segments");
    for text in [
        "",
        "康复",
        "辅导",
        "补习",
        "孤独症",
        "康复训练",
        "儿童 康复",
        "心理疏导",
        "捐赠 图书",
        "陪伴 留守 儿童",
        "不存在",
        "！！",
    ] {
        check(&index, &live, text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn filtered_searches_equal_brute_force_on_random_corpora(
        seed in any::<u64>(),
        words in proptest::collection::vec(0..WORDS.len(), 0..3),
        joined in any::<bool>(),
    ) {
        let (index, live) = corpus(seed, 120);
        let text = words
            .iter()
            .map(|&w| WORDS[w])
            .collect::<Vec<_>>()
            .join(if joined { "" } else { " " });
        check(&index, &live, &text);
    }
}
