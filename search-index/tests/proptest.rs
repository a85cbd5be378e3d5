//! Arbitrary query text never errors and never panics.

use std::sync::OnceLock;

use proptest::prelude::*;
use search_index::{Change, Doc, DocKind, Query, SearchIndex};

fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let index = SearchIndex::create_in_ram().expect("create");
        let docs = [
            ("孤独症儿童康复训练", "rehabilitation"),
            ("四点半课堂课业辅导", "tutoring"),
            ("图书捐赠 ABC", "donation_goods"),
        ];
        let changes: Vec<Change> = docs
            .iter()
            .enumerate()
            .map(|(i, (title, category))| {
                Change::Upsert(Doc {
                    key: format!("offer:{i}"),
                    kind: DocKind::Offer,
                    id: i.to_string(),
                    code: None,
                    title: title.to_string(),
                    body: format!("{title}，欢迎报名。"),
                    category: category.to_string(),
                    townships: vec!["t1".to_string()],
                    provider: Some("社工站".to_string()),
                    updated_at: 0,
                })
            })
            .collect();
        index.apply(&changes, 1).expect("apply");
        index
    })
}

proptest! {
    #[test]
    fn any_text_is_ok(text in any::<String>(), limit in 0usize..200, offset in 0usize..20) {
        let got = index().search(&Query { text, limit, offset, ..Query::default() });
        let got = got.expect("search never fails on user input");
        prop_assert!(got.hits.len() <= limit);
        for hit in &got.hits {
            for range in &hit.snippet.highlights {
                prop_assert!(hit.snippet.text.get(range.clone()).is_some());
            }
        }
    }

    #[test]
    fn chinese_and_syntax_mix_is_ok(text in "[孤独症康复书辅导补习 :\"()*AND~^-]{0,40}") {
        let got = index().search(&Query { text, ..Query::default() }).expect("search");
        prop_assert!(got.total <= 3);
    }
}
