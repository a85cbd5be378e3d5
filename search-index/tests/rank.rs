//! Ranking for suggestions ([`SearchIndex::rank`]) through the public API.

use search_index::{Change, Doc, DocKind, MAX_RANKED, Ranking, SearchIndex};

fn doc(key: &str, kind: DocKind, title: &str, body: &str, category: &str, towns: &[&str]) -> Doc {
    Doc {
        key: key.to_string(),
        kind,
        id: key.rsplit(':').next().unwrap_or(key).to_string(),
        code: None,
        title: title.to_string(),
        body: body.to_string(),
        category: category.to_string(),
        townships: towns.iter().map(|t| t.to_string()).collect(),
        provider: None,
        updated_at: 1_700_000_000,
    }
}

fn index() -> SearchIndex {
    let docs = vec![
        doc(
            "offer:a",
            DocKind::Offer,
            "数学课业辅导",
            "放学后辅导数学作业。",
            "tutoring",
            &["t1"],
        ),
        doc(
            "offer:b",
            DocKind::Offer,
            "英语角",
            "周末英语口语练习，欢迎参加。",
            "tutoring",
            &["t1", "t2"],
        ),
        doc(
            "offer:c",
            DocKind::Offer,
            "补习班",
            "为小学生补习语文。",
            "tutoring",
            &["t2"],
        ),
        doc(
            "offer:d",
            DocKind::Offer,
            "数学辅导",
            "康复之外的数学辅导。",
            "rehabilitation",
            &["t1"],
        ),
        doc(
            "need:e",
            DocKind::Need,
            "数学辅导",
            "需要辅导数学。",
            "tutoring",
            &["t1"],
        ),
        doc(
            "offer:f",
            DocKind::Offer,
            "数学辅导",
            "另一个乡镇的数学辅导。",
            "tutoring",
            &["t3"],
        ),
    ];
    let index = SearchIndex::create_in_ram().expect("index");
    let changes: Vec<Change> = docs.into_iter().map(Change::Upsert).collect();
    index.apply(&changes, 1).expect("apply");
    index
}

fn ranking(text: &str, townships: &[&str]) -> Ranking {
    Ranking {
        text: text.to_string(),
        kind: DocKind::Offer,
        category: Some("tutoring".to_string()),
        townships: townships.iter().map(|t| t.to_string()).collect(),
        limit: 10,
    }
}

fn keys(index: &SearchIndex, r: &Ranking) -> Vec<String> {
    index
        .rank(r)
        .expect("rank")
        .docs
        .into_iter()
        .map(|d| d.key)
        .collect()
}

#[test]
fn any_shared_word_ranks_and_documents_sharing_none_follow_with_zero() {
    let index = index();
    let ranked = index
        .rank(&ranking("希望有人辅导四年级数学作业", &["t1", "t2"]))
        .expect("rank");
    let keys: Vec<&str> = ranked.docs.iter().map(|d| d.key.as_str()).collect();
    // a shares 辅导, 数学 and 作业; c shares 辅导 through its synonym 补习;
    // b shares nothing but passes the filters.
    assert_eq!(keys, ["offer:a", "offer:c", "offer:b"]);
    assert_eq!(ranked.total, 3);
    assert!(ranked.docs[0].score > ranked.docs[1].score);
    assert!(ranked.docs[1].score > 0.0);
    assert_eq!(ranked.docs[2].score, 0.0);
}

#[test]
fn kind_category_and_townships_filter_without_scoring() {
    let index = index();
    // d is of another category, e is a need, f serves another township.
    assert_eq!(
        keys(&index, &ranking("数学辅导", &["t1"])),
        ["offer:a", "offer:b"]
    );
    let all = keys(&index, &ranking("数学辅导", &[]));
    assert_eq!(all.len(), 4, "{all:?}");
    assert!(!all.contains(&"offer:d".to_string()));
    let needs = index
        .rank(&Ranking {
            kind: DocKind::Need,
            ..ranking("数学", &[])
        })
        .expect("rank");
    assert_eq!(needs.docs.len(), 1);
    assert_eq!(needs.docs[0].key, "need:e");
    // The same text scores the same whether or not filters are added.
    let with = index.rank(&ranking("数学辅导", &["t1"])).expect("rank");
    let without = index.rank(&ranking("数学辅导", &[])).expect("rank");
    let score = |r: &search_index::RankedDocs| {
        r.docs
            .iter()
            .find(|d| d.key == "offer:a")
            .map(|d| d.score)
            .expect("a")
    };
    assert_eq!(score(&with), score(&without));
}

#[test]
fn text_without_words_lists_what_passes_the_filters_and_limits_hold() {
    let index = index();
    let ranked = index.rank(&ranking("，。！", &["t2"])).expect("rank");
    assert_eq!(ranked.total, 2);
    assert!(ranked.docs.iter().all(|d| d.score == 0.0));
    assert_eq!(
        keys(&index, &ranking("，。！", &["t2"])),
        ["offer:b", "offer:c"]
    );
    let one = index
        .rank(&Ranking {
            limit: 1,
            ..ranking("数学辅导", &[])
        })
        .expect("rank");
    assert_eq!(one.docs.len(), 1);
    assert_eq!(one.total, 4);
    let none = index
        .rank(&Ranking {
            limit: 0,
            ..ranking("数学辅导", &[])
        })
        .expect("rank");
    assert!(none.docs.is_empty());
    assert!(
        index
            .rank(&Ranking {
                limit: usize::MAX,
                ..ranking("数学", &[])
            })
            .expect("rank")
            .docs
            .len()
            <= MAX_RANKED
    );
}
