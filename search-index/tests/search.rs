//! Behaviour of the search index through its public API.

use std::collections::BTreeSet;

use search_index::{Change, Doc, DocKind, Query, Results, SearchIndex};

fn doc(key: &str, kind: DocKind, title: &str, body: &str, category: &str, towns: &[&str]) -> Doc {
    Doc {
        key: key.to_string(),
        kind,
        id: key.rsplit(':').next().unwrap_or(key).to_string(),
        code: (kind == DocKind::Need).then(|| format!("N-{key}")),
        title: title.to_string(),
        body: body.to_string(),
        category: category.to_string(),
        townships: towns.iter().map(|t| t.to_string()).collect(),
        provider: None,
        updated_at: 1_700_000_000,
    }
}

fn offer(key: &str, title: &str, body: &str, category: &str, towns: &[&str]) -> Doc {
    doc(key, DocKind::Offer, title, body, category, towns)
}

fn corpus() -> Vec<Doc> {
    vec![
        offer(
            "offer:1",
            "孤独症儿童康复训练",
            "为孤独症儿童提供一对一康复训练。",
            "rehabilitation",
            &["t1"],
        ),
        offer(
            "offer:2",
            "四点半课堂课业辅导",
            "放学后在村活动室辅导作业。",
            "tutoring",
            &["t1", "t2"],
        ),
        offer(
            "offer:3",
            "图书捐赠",
            "为乡村小学捐赠课外图书。",
            "donation_goods",
            &["t2"],
        ),
        offer(
            "offer:4",
            "心理疏导服务",
            "社工为留守儿童提供心理疏导。",
            "counselling",
            &["t3"],
        ),
        offer(
            "offer:5",
            "暑期陪伴",
            "大学生志愿者结对陪伴。",
            "companionship",
            &["t1"],
        ),
        doc(
            "need:6",
            DocKind::Need,
            "需要康复器材",
            "肢体残疾儿童需要康复器材和训练指导。",
            "rehabilitation",
            &["t2"],
        ),
        doc(
            "need:7",
            DocKind::Need,
            "需要课业辅导",
            "初二学生数学需要辅导。",
            "tutoring",
            &["t3"],
        ),
        offer(
            "offer:8",
            "家庭教育讲座",
            "康复知识讲座，另有体能训练。",
            "family_education",
            &["t1"],
        ),
    ]
}

fn index_with(docs: Vec<Doc>) -> SearchIndex {
    let index = SearchIndex::create_in_ram().expect("create index");
    let changes: Vec<Change> = docs.into_iter().map(Change::Upsert).collect();
    index.apply(&changes, 1).expect("apply");
    index
}

fn search(index: &SearchIndex, text: &str) -> Results {
    index
        .search(&Query {
            text: text.to_string(),
            limit: 50,
            ..Query::default()
        })
        .expect("search")
}

fn keys(results: &Results) -> Vec<&str> {
    results.hits.iter().map(|h| h.key.as_str()).collect()
}

fn key_set(results: &Results) -> BTreeSet<&str> {
    results.hits.iter().map(|h| h.key.as_str()).collect()
}

#[test]
fn chinese_recall() {
    let index = index_with(corpus());
    let cases: &[(&str, &[&str])] = &[
        ("孤独症", &["offer:1"]),
        ("课业辅导", &["offer:2", "need:7"]),
        ("自闭症", &["offer:1"]),
        ("书", &["offer:3"]),
        ("儿童 康复", &["offer:1", "need:6"]),
        ("康复训练", &["offer:1"]),
    ];
    for (text, expected) in cases {
        let got = search(&index, text);
        let expected: BTreeSet<&str> = expected.iter().copied().collect();
        assert_eq!(key_set(&got), expected, "query {text}");
        assert_eq!(got.total, expected.len(), "query {text}");
    }
    // 康复 is found inside 康复训练 and 康复器材, and alone.
    let got = search(&index, "康复");
    assert!(
        ["offer:1", "need:6", "offer:8"]
            .iter()
            .all(|k| key_set(&got).contains(k))
    );
}

#[test]
fn synonyms_apply_at_query_time() {
    let index = index_with(corpus());
    // 补习 is in no document: it finds the 辅导 documents.
    let got = search(&index, "补习");
    assert!(key_set(&got).contains("offer:2"));
    assert!(key_set(&got).contains("need:7"));
    // 复健 → 康复
    assert!(key_set(&search(&index, "复健")).contains("offer:1"));
    // 捐助 → 捐赠
    assert_eq!(keys(&search(&index, "捐助")), vec!["offer:3"]);
    // 结对 ↔ 陪伴 both in one document; 托养 has no document.
    assert_eq!(search(&index, "托养").total, 0);
}

#[test]
fn adjacent_words_rank_first_and_title_counts_more() {
    let index = index_with(corpus());
    // offer:8 has 康复 and 训练 far apart: it may match 康复 训练 but ranks
    // below documents where they are adjacent.
    let got = search(&index, "康复 训练");
    let ks = keys(&got);
    let pos = |k: &str| ks.iter().position(|x| *x == k).expect("present");
    assert!(pos("offer:1") < pos("offer:8"));
    // The query as one word does not match the far-apart document.
    assert!(!key_set(&search(&index, "康复训练")).contains("offer:8"));
}

#[test]
fn latin_is_case_insensitive() {
    let mut d = offer(
        "offer:9",
        "ABC Reading Club",
        "English reading",
        "tutoring",
        &["t1"],
    );
    d.provider = Some("Sunshine 阳光社工".to_string());
    let index = index_with(vec![d]);
    assert_eq!(search(&index, "reading").total, 1);
    assert_eq!(search(&index, "READING club").total, 1);
    assert_eq!(search(&index, "sunshine").total, 1);
    assert_eq!(search(&index, "阳光").total, 1);
    assert_eq!(search(&index, "reading 图书").total, 0);
}

#[test]
fn snippets_mark_matches_without_markup() {
    let index = index_with(corpus());
    let got = search(&index, "孤独症");
    let hit = got.hits.first().expect("a hit");
    let marked: Vec<&str> = hit
        .snippet
        .highlights
        .iter()
        .map(|r| hit.snippet.text.get(r.clone()).expect("boundary"))
        .collect();
    assert_eq!(marked, vec!["孤独症"]);
    assert!(!hit.snippet.text.contains('<'));
    let got = search(&index, "书");
    let hit = got.hits.first().expect("a hit");
    let marked: Vec<&str> = hit
        .snippet
        .highlights
        .iter()
        .map(|r| hit.snippet.text.get(r.clone()).expect("boundary"))
        .collect();
    assert_eq!(marked, vec!["书"]);
}

#[test]
fn empty_text_browses_with_filters() {
    let index = index_with(corpus());
    let all = search(&index, "");
    assert_eq!(all.total, 8);
    // Same updated_at everywhere: ordered by key.
    let ks = keys(&all);
    let mut sorted = ks.clone();
    sorted.sort_unstable();
    assert_eq!(ks, sorted);
    assert!(all.hits.iter().all(|h| h.score == 0.0));
    let needs = index
        .search(&Query {
            kind: Some(DocKind::Need),
            ..Query::default()
        })
        .expect("search");
    assert_eq!(keys(&needs), vec!["need:6", "need:7"]);
    // Text without words browses too.
    assert_eq!(search(&index, "，。！？ 😀").total, 8);
}

#[test]
fn newest_first_when_browsing() {
    let mut docs = corpus();
    for (i, d) in docs.iter_mut().enumerate() {
        d.updated_at = i as i64;
    }
    let index = index_with(docs);
    let got = search(&index, "");
    assert_eq!(got.hits.first().map(|h| h.key.as_str()), Some("offer:8"));
    assert_eq!(got.hits.last().map(|h| h.key.as_str()), Some("offer:1"));
}

#[test]
fn filters_combine() {
    let index = index_with(corpus());
    let q = |text: &str, kind, category: Option<&str>, township: Option<&str>| Query {
        text: text.to_string(),
        kind,
        category: category.map(str::to_string),
        township: township.map(str::to_string),
        limit: 50,
        offset: 0,
    };
    let got = index
        .search(&q("", Some(DocKind::Offer), Some("tutoring"), Some("t2")))
        .expect("search");
    assert_eq!(keys(&got), vec!["offer:2"]);
    let got = index
        .search(&q(
            "辅导",
            Some(DocKind::Need),
            Some("tutoring"),
            Some("t3"),
        ))
        .expect("search");
    assert_eq!(keys(&got), vec!["need:7"]);
    let got = index
        .search(&q(
            "辅导",
            Some(DocKind::Need),
            Some("tutoring"),
            Some("t1"),
        ))
        .expect("search");
    assert_eq!(got.total, 0);
    let got = index
        .search(&q("", None, Some("rehabilitation"), None))
        .expect("search");
    assert_eq!(key_set(&got), ["offer:1", "need:6"].into_iter().collect());
    let got = index
        .search(&q("", None, Some("no_such_category"), Some("no_such_town")))
        .expect("search");
    assert_eq!(got.total, 0);
    assert!(got.hits.is_empty());
}

#[test]
fn facets_ignore_their_own_filter_and_add_up() {
    let index = index_with(corpus());
    let all = search(&index, "");
    assert_eq!(all.facets.category.values().sum::<u64>(), all.total as u64);
    assert_eq!(all.facets.category.get("tutoring"), Some(&2));
    // offer:2 lists two townships: it counts under both.
    assert_eq!(all.facets.township.get("t1"), Some(&4));
    assert_eq!(all.facets.township.get("t2"), Some(&3));
    assert_eq!(all.facets.township.get("t3"), Some(&2));

    let in_t1 = index
        .search(&Query {
            township: Some("t1".to_string()),
            limit: 50,
            ..Query::default()
        })
        .expect("search");
    assert_eq!(in_t1.total, 4);
    // Category counts apply the township filter and add up to total...
    assert_eq!(in_t1.facets.category.values().sum::<u64>(), 4);
    assert_eq!(in_t1.facets.category.get("counselling"), None);
    // ...while township counts ignore it.
    assert_eq!(in_t1.facets.township, all.facets.township);

    let tutoring = index
        .search(&Query {
            category: Some("tutoring".to_string()),
            ..Query::default()
        })
        .expect("search");
    assert_eq!(tutoring.total, 2);
    assert_eq!(tutoring.facets.category, all.facets.category);
    assert_eq!(tutoring.facets.township.get("t3"), Some(&1));
    assert_eq!(tutoring.facets.township.get("t1"), Some(&1));

    // With text, facets count matching documents only.
    let text = search(&index, "康复");
    assert_eq!(
        text.facets.category.values().sum::<u64>(),
        text.total as u64
    );
}

#[test]
fn paging_is_stable() {
    let mut docs = Vec::new();
    for i in 0..57 {
        // Many equal scores: identical titles and bodies.
        docs.push(offer(
            &format!("offer:{i:03}"),
            "爱心捐赠",
            "图书捐赠活动",
            "donation_goods",
            &["t1"],
        ));
    }
    let index = SearchIndex::create_in_ram().expect("create");
    // Several commits, so several segments.
    for (n, chunk) in docs.chunks(10).enumerate() {
        let changes: Vec<Change> = chunk.iter().cloned().map(Change::Upsert).collect();
        index.apply(&changes, n as i64).expect("apply");
    }
    for text in ["捐赠", ""] {
        let mut seen = Vec::new();
        for page in 0..8 {
            let got = index
                .search(&Query {
                    text: text.to_string(),
                    limit: 8,
                    offset: page * 8,
                    ..Query::default()
                })
                .expect("search");
            assert_eq!(got.total, 57);
            seen.extend(got.hits.into_iter().map(|h| h.key));
        }
        let unique: BTreeSet<&String> = seen.iter().collect();
        assert_eq!(seen.len(), 57, "{text}");
        assert_eq!(unique.len(), 57, "{text}");
    }
    // The same after merging segments, and the writer still works.
    let before = index.search(&Query {
        text: "捐赠".to_string(),
        limit: 57,
        ..Query::default()
    });
    index.wait_for_merges().expect("merges");
    let after = index.search(&Query {
        text: "捐赠".to_string(),
        limit: 57,
        ..Query::default()
    });
    let keys_of = |r: Results| r.hits.into_iter().map(|h| h.key).collect::<Vec<_>>();
    assert_eq!(
        keys_of(before.expect("search")),
        keys_of(after.expect("search"))
    );
    index
        .apply(
            &[Change::Delete {
                key: "offer:000".to_string(),
            }],
            99,
        )
        .expect("apply");
    assert_eq!(search(&index, "捐赠").total, 56);
}

#[test]
fn upsert_replaces_and_delete_removes() {
    let index = index_with(corpus());
    let mut changed = corpus().remove(0);
    changed.title = "孤独症家庭喘息服务".to_string();
    index
        .apply(
            &[Change::Upsert(changed.clone()), Change::Upsert(changed)],
            2,
        )
        .expect("apply");
    assert_eq!(index.num_docs(), 8);
    let got = search(&index, "喘息");
    assert_eq!(keys(&got), vec!["offer:1"]);
    assert_eq!(search(&index, "孤独症").total, 1);
    index
        .apply(
            &[Change::Delete {
                key: "offer:1".to_string(),
            }],
            3,
        )
        .expect("apply");
    assert_eq!(search(&index, "孤独症").total, 0);
    assert_eq!(index.num_docs(), 7);
    // Deleting an unknown key is fine.
    index
        .apply(
            &[Change::Delete {
                key: "offer:404".to_string(),
            }],
            4,
        )
        .expect("apply");
    assert_eq!(index.last_applied_seq().expect("seq"), Some(4));
}

#[test]
fn last_seq_persists_across_reopen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("index");
    {
        let index = SearchIndex::open_or_create(&path).expect("create");
        assert_eq!(index.last_applied_seq().expect("seq"), None);
        let changes: Vec<Change> = corpus().into_iter().map(Change::Upsert).collect();
        index.apply(&changes, 41).expect("apply");
        index.apply(&[], 42).expect("apply empty batch");
        assert_eq!(index.last_applied_seq().expect("seq"), Some(42));
    }
    let index = SearchIndex::open_or_create(&path).expect("reopen");
    assert_eq!(index.last_applied_seq().expect("seq"), Some(42));
    assert_eq!(search(&index, "孤独症").total, 1);
    assert!(SearchIndex::create_in(&path).is_err());
}

#[test]
fn nasty_queries_are_ok() {
    let index = index_with(corpus());
    let long = "孤独症".repeat(4000);
    let many_a = "a".repeat(10_000);
    let words: String = (0..500).map(|i| format!("词{i} ")).collect();
    let nasty = [
        "",
        " ",
        "\"",
        "\"康复",
        "title:foo AND (",
        "*:* OR 1=1; --",
        "\u{0}\u{1}\u{7f}\t\n\r",
        "😀🎉👨‍👩‍👧",
        "\u{200b}\u{feff}\u{202e}",
        "𠀀𠀁",
        "ＡＢＣ１２３",
        many_a.as_str(),
        long.as_str(),
        words.as_str(),
        "[1 TO 5] ~2 ^3 + - ! ( ) { } [ ] ^ \" ~ * ? : \\ /",
    ];
    for text in nasty {
        let got = index
            .search(&Query {
                text: text.to_string(),
                limit: usize::MAX,
                offset: usize::MAX,
                ..Query::default()
            })
            .expect("nasty query");
        assert!(got.hits.is_empty());
        index
            .search(&Query {
                text: text.to_string(),
                ..Query::default()
            })
            .expect("nasty query");
    }
    assert_eq!(search(&index, &long).total, 1);
}

/// Answers are kept per reader generation: asking again gives the same
/// answer, and no kept answer or total survives a change to the index.
#[test]
fn kept_answers_follow_every_change() {
    let index = index_with(corpus());
    let query = Query {
        text: "喘息".to_string(),
        ..Query::default()
    };
    let before = index.search(&query).expect("search");
    assert_eq!(index.search(&query).expect("search"), before);
    assert_eq!(index.count(&query).expect("count"), before.total);
    let mut changed = corpus().remove(0);
    changed.title = "孤独症家庭喘息服务".to_string();
    index.apply(&[Change::Upsert(changed)], 2).expect("apply");
    let after = index.search(&query).expect("search");
    assert_eq!(after.total, before.total + 1);
    assert!(keys(&after).contains(&"offer:1"));
    assert_eq!(index.count(&query).expect("count"), after.total);
    index
        .apply(
            &[Change::Delete {
                key: "offer:1".to_string(),
            }],
            3,
        )
        .expect("apply");
    assert_eq!(index.search(&query).expect("search"), before);
    assert_eq!(index.count(&query).expect("count"), before.total);
}

/// On disk, a commit's files change under the reader: it serves the same
/// generation until the next commit, so what was kept stays kept.
#[test]
fn a_commit_starts_one_generation_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let index = SearchIndex::open_or_create(&dir.path().join("index")).expect("create");
    let changes: Vec<Change> = corpus().into_iter().map(Change::Upsert).collect();
    index.apply(&changes, 1).expect("apply");
    let query = Query {
        text: "喘息".to_string(),
        ..Query::default()
    };
    let generation = index.generation();
    let answer = index.search(&query).expect("search");
    // tantivy looks at the index's files every 500 ms.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(index.generation(), generation);
    assert_eq!(index.kept(&query), Some(answer));
    index.apply(&[], 2).expect("apply");
    assert_ne!(index.generation(), generation);
}

#[test]
fn a_kept_answer_is_looked_up_only_within_its_generation() {
    let index = index_with(corpus());
    let query = Query {
        text: "喘息".to_string(),
        ..Query::default()
    };
    assert_eq!(index.kept(&query), None, "nothing is kept before a search");
    assert_eq!(index.kept_count(&query), None);
    let answer = index.search(&query).expect("search");
    let total = index.count(&query).expect("count");
    assert_eq!(index.kept(&query), Some(answer.clone()));
    assert_eq!(index.kept_count(&query), Some(total));
    // A page of the same search is another answer; its total is the same.
    let second_page = Query {
        offset: 1,
        ..query.clone()
    };
    assert_eq!(index.kept(&second_page), None);
    assert_eq!(index.kept_count(&second_page), Some(total));
    let mut changed = corpus().remove(0);
    changed.title = "孤独症家庭喘息服务".to_string();
    index.apply(&[Change::Upsert(changed)], 2).expect("apply");
    assert_eq!(index.kept(&query), None, "a change ends what was kept");
    assert_eq!(index.kept_count(&query), None);
}
