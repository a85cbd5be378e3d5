//! The search index's query path over arbitrary query text and filter
//! values, run against a small in-memory index, plus its tokenizer and
//! synonym-file reader over arbitrary text.
//!
//! What the app does before (src/services/search.rs: control characters to
//! spaces, length and filter checks with the domain's `Category` and
//! `TownshipCode`) lives in the app crate and is not built here; the index
//! takes any text and any filter string, which is what is fuzzed, with the
//! filters drawn both from the domain's codes and from arbitrary strings.
#![no_main]

use std::collections::BTreeSet;
use std::sync::OnceLock;

use arbitrary::Arbitrary;
use carebridge_domain::category::Category;
use libfuzzer_sys::fuzz_target;
use search_index::synonyms::Synonyms;
use search_index::tokenizer::CareTokenizer;
use search_index::{
    Change, Doc, DocKind, MAX_LIMIT, MAX_OFFSET, MAX_RANKED, Query, Ranking, Results, SearchIndex,
};
use tantivy::tokenizer::{TokenStream, Tokenizer};

#[derive(Arbitrary, Debug)]
enum Filter {
    None,
    /// One of the values the documents use.
    Known(u8),
    /// Whatever a request might carry.
    Raw(String),
}

#[derive(Arbitrary, Debug)]
struct Input {
    text: String,
    more: String,
    kind: Option<bool>,
    category: Filter,
    township: Filter,
    limit: u16,
    offset: u16,
    /// A piece of a document's title, searched for.
    title_of: u8,
    piece: (u8, u8),
}

const TOWNSHIPS: [&str; 4] = ["500235001", "500235002", "500235003", "county"];

/// (kind, title, body, category, townships)
const DOCS: &[(DocKind, &str, &str, Category, &[usize])] = &[
    (
        DocKind::Offer,
        "孤独症儿童康复训练",
        "为孤独症儿童提供一对一康复训练，每周两次。",
        Category::Rehabilitation,
        &[0],
    ),
    (
        DocKind::Offer,
        "四点半课堂课业辅导",
        "放学后在村活动室辅导作业，English and math.",
        Category::Tutoring,
        &[0, 1],
    ),
    (
        DocKind::Offer,
        "图书捐赠",
        "为乡村小学捐赠课外图书 200 本。",
        Category::DonationGoods,
        &[1],
    ),
    (
        DocKind::Offer,
        "心理疏导服务",
        "社工为留守儿童提供心理疏导 🙂 与陪伴。",
        Category::Counselling,
        &[2, 3],
    ),
    (
        DocKind::Need,
        "需要课业辅导",
        "三年级学生，希望有人辅导数学作业。",
        Category::Tutoring,
        &[0],
    ),
    (
        DocKind::Need,
        "冬季衣物",
        "需要冬季棉衣和鞋子，身高约140厘米。",
        Category::DonationGoods,
        &[2],
    ),
    (
        DocKind::Need,
        "康复器材",
        "需要助行器一台，用于日常康复训练。",
        Category::Rehabilitation,
        &[1],
    ),
    (
        DocKind::Offer,
        "结对陪伴",
        "大学生志愿者结对陪伴留守孩子，周末上门。",
        Category::Companionship,
        &[3],
    ),
];

fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let index = SearchIndex::create_in_ram().expect("an index in memory");
        let changes: Vec<Change> = DOCS
            .iter()
            .enumerate()
            .map(|(i, (kind, title, body, category, towns))| {
                Change::Upsert(Doc {
                    key: format!("{}:{i}", kind.as_str()),
                    kind: *kind,
                    id: i.to_string(),
                    code: (*kind == DocKind::Need).then(|| format!("N{i}")),
                    title: title.to_string(),
                    body: body.to_string(),
                    category: category.as_str().to_string(),
                    townships: towns.iter().map(|t| TOWNSHIPS[*t].to_string()).collect(),
                    provider: (*kind == DocKind::Offer).then(|| "县青少年服务中心".to_string()),
                    updated_at: 1_700_000_000 + i as i64,
                })
            })
            .collect();
        index.apply(&changes, 1).expect("documents indexed");
        index
    })
}

fn value(filter: &Filter, known: &[&str]) -> Option<String> {
    match filter {
        Filter::None => None,
        Filter::Known(i) => Some(known[usize::from(*i) % known.len()].to_string()),
        Filter::Raw(s) => Some(s.clone()),
    }
}

/// How many documents pass the filters alone, counted from the list.
fn passing(kind: Option<DocKind>, category: Option<&str>, townships: &[String]) -> usize {
    DOCS.iter()
        .filter(|(k, _, _, c, t)| {
            kind.is_none_or(|kind| kind == *k)
                && category.is_none_or(|want| want == c.as_str())
                && (townships.is_empty()
                    || t.iter()
                        .any(|i| townships.contains(&TOWNSHIPS[*i].to_string())))
        })
        .count()
}

fn check_results(q: &Query, r: &Results) {
    let limit = q.limit.min(MAX_LIMIT);
    let offset = q.offset.min(MAX_OFFSET);
    assert_eq!(
        r.hits.len(),
        limit.min(r.total.saturating_sub(offset)),
        "{q:?}"
    );
    let keys: BTreeSet<&str> = r.hits.iter().map(|h| h.key.as_str()).collect();
    assert_eq!(keys.len(), r.hits.len(), "a document is listed once");
    for hit in &r.hits {
        assert!(q.kind.is_none_or(|k| k == hit.kind));
        assert!(q.category.as_ref().is_none_or(|c| *c == hit.category));
        assert!(
            q.township
                .as_ref()
                .is_none_or(|t| hit.townships.contains(t))
        );
        assert!(hit.score.is_finite() && hit.score >= 0.0);
        let s = &hit.snippet;
        for range in &s.highlights {
            assert!(range.start < range.end && range.end <= s.text.len());
            assert!(s.text.is_char_boundary(range.start) && s.text.is_char_boundary(range.end));
        }
        assert!(s.highlights.windows(2).all(|w| w[0].end <= w[1].start));
    }
    // Best first, ties by key; browsing scores nothing.
    for w in r.hits.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        assert!(a.score > b.score || (a.score == b.score && (a.score == 0.0 || a.key < b.key)));
    }
    if q.category.is_none() {
        assert_eq!(r.facets.category.values().sum::<u64>(), r.total as u64);
    }
}

fn tokens_are_sound(text: &str) {
    let mut tokenizer = CareTokenizer::new();
    let mut stream = tokenizer.token_stream(text);
    let mut position = 0;
    while stream.advance() {
        let t = stream.token();
        assert!(
            t.offset_from < t.offset_to && t.offset_to <= text.len(),
            "{t:?}"
        );
        let piece = text
            .get(t.offset_from..t.offset_to)
            .expect("on char boundaries");
        assert_eq!(piece.to_lowercase(), t.text, "{text:?}");
        assert!(t.position >= position, "positions never go back: {text:?}");
        position = t.position;
    }
}

fn synonyms_are_symmetric(text: &str) {
    let synonyms = Synonyms::parse(text);
    for word in synonyms.words() {
        assert_eq!(word.to_lowercase(), word);
        for other in synonyms.of(word) {
            assert_ne!(other, word);
            assert!(synonyms.of(other).any(|w| w == word), "{word} ~ {other}");
        }
    }
}

fuzz_target!(|input: Input| {
    let index = index();
    let kind = input
        .kind
        .map(|need| if need { DocKind::Need } else { DocKind::Offer });
    let categories: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
    let q = Query {
        text: input.text.clone(),
        kind,
        category: value(&input.category, &categories),
        township: value(&input.township, &TOWNSHIPS),
        limit: usize::from(input.limit),
        offset: usize::from(input.offset),
    };
    let results = index.search(&q).expect("any query runs");
    check_results(&q, &results);
    assert_eq!(index.count(&q).expect("counted"), results.total);
    assert_eq!(
        index.search(&q).expect("again"),
        results,
        "a kept answer equals a fresh one"
    );

    // Filters only narrow.
    let wider = Query {
        category: None,
        township: None,
        ..q.clone()
    };
    let wider_results = index.search(&wider).expect("any query runs");
    check_results(&wider, &wider_results);
    assert!(results.total <= wider_results.total);
    // Every word must match: more words only narrow.
    let both = Query {
        text: format!("{} {}", input.text, input.more),
        ..q.clone()
    };
    let both_results = index.search(&both).expect("any query runs");
    check_results(&both, &both_results);
    assert!(both_results.total <= results.total, "{both:?}");
    // Browsing finds exactly what passes the filters.
    let browse = Query {
        text: String::new(),
        ..q.clone()
    };
    let township: Vec<String> = q.township.iter().cloned().collect();
    let expected = passing(kind, q.category.as_deref(), &township);
    assert_eq!(index.count(&browse).expect("counted"), expected);

    // A word of a title, typed alone, finds its document: the index keeps
    // every dictionary word of a text and each of its characters.
    let i = usize::from(input.title_of) % DOCS.len();
    let title: Vec<char> = DOCS[i].1.chars().collect();
    let start = usize::from(input.piece.0) % title.len();
    let len = 1 + usize::from(input.piece.1) % (title.len() - start);
    let piece: String = title[start..start + len].iter().collect();
    let find = Query {
        text: piece.clone(),
        limit: MAX_LIMIT,
        ..Query::default()
    };
    let found = index.search(&find).expect("any query runs");
    let key = format!("{}:{i}", DOCS[i].0.as_str());
    assert!(
        found.hits.iter().any(|h| h.key == key),
        "{piece:?} does not find {key}"
    );

    // Ranking: every document passing the filters comes, whatever the text.
    let townships: Vec<String> = [
        value(&input.township, &TOWNSHIPS),
        value(&input.category, &TOWNSHIPS),
    ]
    .into_iter()
    .flatten()
    .collect();
    let ranking = Ranking {
        text: format!("{}{}", input.text, input.more),
        kind: kind.unwrap_or(DocKind::Offer),
        category: q.category.clone(),
        townships: townships.clone(),
        limit: usize::from(input.limit),
    };
    let ranked = index.rank(&ranking).expect("any ranking runs");
    let expected = passing(Some(ranking.kind), ranking.category.as_deref(), &townships);
    assert_eq!(ranked.total, expected, "{ranking:?}");
    assert_eq!(
        ranked.docs.len(),
        ranking.limit.min(MAX_RANKED).min(expected)
    );
    for w in ranked.docs.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        assert!(a.score > b.score || (a.score == b.score && a.key < b.key));
    }

    tokens_are_sound(&input.text);
    synonyms_are_symmetric(&input.more);
});
