//! Chinese full-text search over offers and published needs, and the index
//! kept in step with the database through the outbox.

use std::process::Command;

use axum::http::StatusCode;
use carebridge::domain::Role;
use serde_json::{Value, json};

use crate::helpers::{
    TOWNSHIP_A, TOWNSHIP_B, TestApp, TestClient, VILLAGE_A, child_body, id_number_for, need_body,
    offer_body,
};

/// A few offers whose texts exercise the Chinese recall cases.
async fn offers(app: &TestApp) -> (TestClient, Vec<String>) {
    let mut provider = app.verified_provider().await;
    let mut ids = Vec::new();
    for (category, title, description, townships) in [
        (
            "rehabilitation",
            "孤独症儿童康复训练",
            "为孤独症儿童提供一对一康复训练和家长培训。",
            vec![TOWNSHIP_A],
        ),
        (
            "tutoring",
            "四点半课堂课业辅导",
            "放学后在社区开展课业辅导，帮助完成作业。",
            vec!["county"],
        ),
        (
            "tutoring",
            "暑期英语辅导班",
            "大学生志愿者暑期辅导英语。",
            vec![TOWNSHIP_B],
        ),
        (
            "donation_goods",
            "图书捐赠",
            "为乡村学校捐赠课外图书。",
            vec![TOWNSHIP_A, TOWNSHIP_B],
        ),
        (
            "counselling",
            "心理疏导服务",
            "专业社工为留守儿童开展心理疏导。",
            vec![TOWNSHIP_B],
        ),
        (
            "medical",
            "先天性心脏病救助",
            "为患儿提供手术费用救助。",
            vec!["county"],
        ),
    ] {
        ids.push(
            provider
                .create_offer(offer_body(category, title, description, &townships))
                .await,
        );
    }
    app.index_now().await;
    (provider, ids)
}

async fn search(client: &mut TestClient, query: &str) -> Value {
    let response = client.get(&format!("/api/v1/search?{query}")).await;
    response.assert_status(StatusCode::OK);
    response.json()
}

fn titles(result: &Value) -> Vec<String> {
    result["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["title"].as_str().expect("title").to_owned())
        .collect()
}

fn q(text: &str) -> String {
    format!(
        "q={}",
        form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>()
    )
}

#[tokio::test]
async fn chinese_queries_find_words_synonyms_and_single_characters() {
    let app = TestApp::spawn().await;
    offers(&app).await;
    let mut anyone = app.client();
    for (query, expected) in [
        ("孤独症", "孤独症儿童康复训练"),
        ("课业辅导", "四点半课堂课业辅导"),
        ("自闭症", "孤独症儿童康复训练"),
        ("补习", "四点半课堂课业辅导"),
        ("康复", "孤独症儿童康复训练"),
        ("书", "图书捐赠"),
        ("心理咨询", "心理疏导服务"),
        ("儿童 康复", "孤独症儿童康复训练"),
        ("心脏病", "先天性心脏病救助"),
    ] {
        let result = search(&mut anyone, &q(query)).await;
        assert!(
            titles(&result).contains(&expected.to_owned()),
            "{query}: {:?}",
            titles(&result)
        );
    }
    let hit = search(&mut anyone, &q("孤独症")).await;
    let first = &hit["items"][0];
    assert_eq!(first["type"], "offer");
    let snippet = first["snippet"].as_str().expect("snippet");
    let [start, end] = [
        first["highlights"][0][0].as_u64(),
        first["highlights"][0][1].as_u64(),
    ]
    .map(|v| v.expect("offset") as usize);
    let marked: String = snippet.chars().skip(start).take(end - start).collect();
    assert_eq!(marked, "孤独症");
    assert!(search(&mut anyone, &q("编程机器人")).await["total"] == 0);
}

#[tokio::test]
async fn facets_add_up_filters_combine_and_paging_is_stable() {
    let app = TestApp::spawn().await;
    offers(&app).await;
    let mut anyone = app.client();
    let all = search(&mut anyone, "q=").await;
    assert_eq!(all["total"], 6);
    let by_category: u64 = all["facets"]["category"]
        .as_object()
        .expect("facets")
        .values()
        .map(|v| v.as_u64().expect("n"))
        .sum();
    assert_eq!(by_category, 6);
    assert_eq!(all["facets"]["category"]["tutoring"], 2);
    // County-wide offers serve every township, so they count in each.
    assert_eq!(all["facets"]["township"][TOWNSHIP_A], 4);
    assert_eq!(all["facets"]["township"][TOWNSHIP_B], 5);

    let both = search(
        &mut anyone,
        &format!("q=辅导&category=tutoring&township={TOWNSHIP_B}"),
    )
    .await;
    assert_eq!(titles(&both).len(), 2);
    let narrowed = search(
        &mut anyone,
        &format!("q=&category=tutoring&township={TOWNSHIP_A}"),
    )
    .await;
    assert_eq!(titles(&narrowed), vec!["四点半课堂课业辅导"]);

    let mut paged = Vec::new();
    for offset in [0, 2, 4] {
        let page = search(&mut anyone, &format!("q=&limit=2&offset={offset}")).await;
        assert_eq!(page["total"], 6);
        paged.extend(titles(&page));
    }
    let mut unique = paged.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 6, "{paged:?}");
    assert_eq!(paged, titles(&search(&mut anyone, "q=&limit=6").await));
}

#[tokio::test]
async fn paused_or_closed_offers_and_unpublished_needs_leave_the_results() {
    let app = TestApp::spawn().await;
    let (mut provider, ids) = offers(&app).await;
    let mut anyone = app.client();
    provider
        .post_json(&format!("/api/v1/offers/{}/pause", ids[0]), json!({}))
        .await
        .assert_status(StatusCode::OK);
    provider
        .post_json(&format!("/api/v1/offers/{}/close", ids[3]), json!({}))
        .await
        .assert_status(StatusCode::OK);
    app.index_now().await;
    assert_eq!(search(&mut anyone, &q("孤独症")).await["total"], 0);
    let books = search(&mut anyone, &q("图书")).await;
    assert_eq!(books["total"], 0, "{books}");
    provider
        .post_json(&format!("/api/v1/offers/{}/resume", ids[0]), json!({}))
        .await
        .assert_status(StatusCode::OK);
    app.index_now().await;
    assert_eq!(search(&mut anyone, &q("孤独症")).await["total"], 1);

    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let child = officer
        .create_child(child_body(
            "柏若曦",
            &id_number_for("20150312", 60, false),
            TOWNSHIP_A,
            VILLAGE_A,
        ))
        .await;
    let (need, code) = officer.publish_need(&child).await;
    app.index_now().await;
    let mut viewer = app.verified_provider().await;
    let found = search(&mut viewer, &format!("type=need&{}", q("数学"))).await;
    assert_eq!(found["items"][0]["code"], code.as_str());
    officer
        .post_json(
            &format!("/api/v1/needs/{need}/close"),
            json!({"reason": "已由学校解决"}),
        )
        .await
        .assert_status(StatusCode::OK);
    app.index_now().await;
    assert_eq!(
        search(&mut viewer, &format!("type=need&{}", q("数学"))).await["total"],
        0
    );
}

#[tokio::test]
async fn needs_are_searched_only_by_those_who_may_see_them_and_show_no_identity() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let id_number = id_number_for("20150312", 61, true);
    let child = officer
        .create_child(child_body("柏思远", &id_number, TOWNSHIP_A, VILLAGE_A))
        .await;
    officer.publish_need(&child).await;
    app.index_now().await;
    let path = format!("/api/v1/search?type=need&{}", q("辅导"));
    app.client()
        .get(&path)
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    let (_, pending) = app.register_provider().await;
    app.logged_in(&pending)
        .await
        .get(&path)
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let mut viewer = app.verified_provider().await;
    let found = viewer.get(&path).await;
    found.assert_status(StatusCode::OK);
    assert_eq!(found.json()["total"], 1);
    assert_eq!(
        found.json()["items"][0]["township"],
        Value::Null,
        "one child: the county"
    );
    for secret in [
        "柏思远",
        "思远",
        id_number.as_str(),
        "红旗",
        "13912345678",
        crate::helpers::birth_of(&id_number).1.as_str(),
    ] {
        assert!(!found.text().contains(secret), "{secret}");
    }
}

#[tokio::test]
async fn the_index_holds_no_identity_from_the_vault() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let id_number = id_number_for("20150312", 62, false);
    let mut body = child_body("欧阳晓彤", &id_number, TOWNSHIP_A, VILLAGE_A);
    body["guardian_name"] = json!("欧阳建华");
    let child = officer.create_child(body).await;
    officer.publish_need(&child).await;
    offers(&app).await;
    assert!(app.index_now().await == 0, "already applied");
    let secrets = [
        "欧阳晓彤",
        "晓彤",
        "欧阳建华",
        "建华",
        id_number.as_str(),
        &crate::helpers::birth_of(&id_number).0,
        "13912345678",
        "红旗村",
        "滨江路",
    ];
    // The files, byte for byte (the stored fields are compressed, so this
    // alone would prove little) ...
    let mut bytes = Vec::new();
    for entry in walk(&app.settings.data_dir.join("index")) {
        bytes.extend(std::fs::read(entry).expect("read index file"));
    }
    for secret in secrets {
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{secret} in the index files"
        );
    }
    // ... and every term and stored value the index holds, decoded.
    let text = app.search.index().all_text().expect("index text");
    assert!(
        text.iter().any(|t| t == "孤独症"),
        "the control: public words are there"
    );
    assert!(
        text.iter().any(|t| t.contains("四年级数学课业辅导")),
        "the need's title is there"
    );
    for secret in secrets {
        assert!(!text.iter().any(|t| t.contains(secret)), "{secret} indexed");
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[tokio::test]
async fn the_outbox_replays_after_a_crash_between_commit_and_index() {
    let mut app = TestApp::spawn().await;
    let mut provider = app.verified_provider().await;
    provider
        .create_offer(offer_body(
            "rehabilitation",
            "孤独症儿童康复训练",
            "康复训练。",
            &["county"],
        ))
        .await;
    app.index_now().await;
    // Committed to the database, never applied to the index: the process dies here.
    provider
        .create_offer(offer_body(
            "tutoring",
            "四点半课堂课业辅导",
            "课业辅导。",
            &["county"],
        ))
        .await;
    let mut anyone = app.client();
    assert_eq!(search(&mut anyone, &q("课业辅导")).await["total"], 0);
    // Clients hold the old router (and its index): the dead process's.
    drop((anyone, provider));
    app.restart().await;
    let mut anyone = app.client();
    assert_eq!(search(&mut anyone, &q("课业辅导")).await["total"], 1);
    assert_eq!(search(&mut anyone, &q("孤独症")).await["total"], 1);
    assert_eq!(app.index_now().await, 0, "nothing applied twice");
}

async fn answers(client: &mut TestClient) -> Vec<Value> {
    let mut all = Vec::new();
    for query in [
        "q=",
        "q=辅导",
        "q=儿童",
        "q=康复训练",
        "q=&township=500235001",
        "q=&category=tutoring",
        "type=need&q=",
    ] {
        let mut result = search(client, query).await;
        for item in result["items"].as_array_mut().expect("items") {
            item.as_object_mut().expect("item").remove("score");
        }
        all.push(result);
    }
    all
}

// Threads: the app under test keeps serving (and finishes what it
// holds) while this test waits on the command it runs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reindex_gives_the_same_results_as_incremental_indexing_while_searches_run() {
    let app = TestApp::spawn().await;
    let (mut provider, ids) = offers(&app).await;
    provider
        .post_json(&format!("/api/v1/offers/{}/pause", ids[2]), json!({}))
        .await
        .assert_status(StatusCode::OK);
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    for seq in 70..73 {
        let child = officer
            .create_child(child_body(
                "柏一",
                &id_number_for("20140101", seq, true),
                TOWNSHIP_A,
                VILLAGE_A,
            ))
            .await;
        officer.publish_need(&child).await;
    }
    let child = officer
        .create_child(child_body(
            "柏二",
            &id_number_for("20140101", 75, true),
            TOWNSHIP_A,
            VILLAGE_A,
        ))
        .await;
    let mut draft = need_body(&child);
    draft["title"] = json!("草稿需求");
    officer
        .post_json("/api/v1/needs", draft)
        .await
        .assert_status(StatusCode::CREATED);
    app.index_now().await;
    let mut viewer = app.verified_provider().await;
    let before = answers(&mut viewer).await;

    // The command runs beside the "server" (this app keeps its index open).
    let output = Command::new(env!("CARGO_BIN_EXE_carebridge"))
        .arg("reindex")
        .env("DATABASE_URL", &app.settings.database_url)
        .env("CAREBRIDGE_DATA_DIR", &app.settings.data_dir)
        .env_remove("CAREBRIDGE_VAULT_KEY")
        .env("CAREBRIDGE_LOG", "error")
        .output()
        .expect("run");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("8 documents"));
    assert_eq!(
        answers(&mut viewer).await,
        before,
        "searches go on against the old index"
    );
    assert!(app.search.check_swap().await.expect("swap"));
    assert_eq!(answers(&mut viewer).await, before);
    let dirs: Vec<_> = std::fs::read_dir(app.settings.data_dir.join("index"))
        .expect("dir")
        .flatten()
        .filter(|e| e.path().is_dir())
        .collect();
    assert_eq!(dirs.len(), 1, "the old index is removed");
}

#[tokio::test]
async fn bad_queries_answer_4xx_or_an_ordinary_result_never_500() {
    let app = TestApp::spawn().await;
    offers(&app).await;
    let mut anyone = app.client();
    let long = format!("{}{}", "a".repeat(9_000), "孤".repeat(1_000));
    for (query, expected) in [
        (q(""), StatusCode::OK),
        (q(&long), StatusCode::UNPROCESSABLE_ENTITY),
        (q("\"孤独症"), StatusCode::OK),
        (q("title:foo AND ( OR *"), StatusCode::OK),
        (q("孤独\u{0}症\u{7}"), StatusCode::OK),
        (q("😀🙈"), StatusCode::OK),
        (q("+-&&||!(){}[]^\"~*?:\\/"), StatusCode::OK),
        (
            "q=x&type=bogus".to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "q=x&category=bogus".to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "q=x&township=abc".to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "q=x&offset=99999999".to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("q=x&limit=-1".to_owned(), StatusCode::BAD_REQUEST),
        ("q=x&limit=100000".to_owned(), StatusCode::OK),
        // Invalid UTF-8 decodes to replacement characters: no word, a browse.
        ("q=%FF%FE".to_owned(), StatusCode::OK),
    ] {
        let response = anyone.get(&format!("/api/v1/search?{query}")).await;
        assert_eq!(response.status, expected, "{query}: {}", response.text());
    }
    let none = search(&mut anyone, &q("机器人 编程")).await;
    assert_eq!(none["total"], 0);
    assert!(
        !none["suggestions"]
            .as_array()
            .expect("suggestions")
            .is_empty()
    );
    let narrowed = search(&mut anyone, &format!("{}&category=medical", q("孤独症"))).await;
    assert_eq!(narrowed["total"], 0);
    assert!(
        narrowed["suggestions"][0]["message"]
            .as_str()
            .expect("message")
            .contains("去掉类别筛选"),
        "{narrowed}"
    );
}

#[tokio::test]
async fn indexed_needs_follow_the_k_rule_as_files_change() {
    let app = TestApp::spawn_with(|s| s.k_anonymity = 3).await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let mut children = Vec::new();
    for seq in 0..2 {
        children.push(
            officer
                .create_child(child_body(
                    "柏甲",
                    &id_number_for("20150601", 200 + seq, true),
                    TOWNSHIP_A,
                    VILLAGE_A,
                ))
                .await,
        );
    }
    officer.publish_need(&children[0]).await;
    app.index_now().await;
    let mut viewer = app.verified_provider().await;
    let township = |result: Value| result["items"][0]["townships"].clone();
    let need_search = format!("type=need&{}", q("数学"));
    assert_eq!(
        township(search(&mut viewer, &need_search).await),
        json!(["county"])
    );
    let filtered = search(&mut viewer, &format!("{need_search}&township={TOWNSHIP_A}")).await;
    assert_eq!(filtered["total"], 0);

    let third = officer
        .create_child(child_body(
            "柏乙",
            &id_number_for("20150601", 210, true),
            TOWNSHIP_A,
            VILLAGE_A,
        ))
        .await;
    app.index_now().await;
    assert_eq!(
        township(search(&mut viewer, &need_search).await),
        json!([TOWNSHIP_A])
    );

    officer
        .post_json(
            &format!("/api/v1/children/{third}/close"),
            json!({"reason": "已迁出"}),
        )
        .await
        .assert_status(StatusCode::OK);
    app.index_now().await;
    assert_eq!(
        township(search(&mut viewer, &need_search).await),
        json!(["county"])
    );
}
