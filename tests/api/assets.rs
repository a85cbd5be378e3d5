//! What the pages cost a phone: compressed answers, a stylesheet kept for a
//! year at an address named by its content, a favicon, and headings in
//! order with codes kept on one line.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use carebridge::domain::Role;

use crate::helpers::{TestApp, TestClient, TestResponse};

async fn get_accepting(client: &mut TestClient, path: &str, encoding: &str) -> TestResponse {
    let request = Request::builder()
        .method(Method::GET)
        .uri(path)
        .header(header::ACCEPT_ENCODING, encoding)
        .body(Body::empty())
        .expect("request");
    client.send(request).await
}

fn header_of(response: &TestResponse, name: header::HeaderName) -> String {
    response
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

#[tokio::test]
async fn pages_json_and_the_stylesheet_are_compressed_for_clients_that_accept_it() {
    let app = TestApp::spawn().await;
    let mut admin = app.admin().await;
    for (path, encoding) in [
        ("/search", "br"),
        ("/search", "gzip"),
        ("/api/v1/regions", "gzip"),
        ("/api/v1/regions", "br"),
    ] {
        let response = get_accepting(&mut admin, path, encoding).await;
        response.assert_status(StatusCode::OK);
        assert_eq!(
            header_of(&response, header::CONTENT_ENCODING),
            encoding,
            "{path}"
        );
    }
    let page = admin.get("/search").await.text();
    let start = page.find("href=\"/static/app-").expect("stylesheet link") + 6;
    let css = &page[start..start + page[start..].find('"').expect("end")];
    let response = get_accepting(&mut admin, css, "gzip").await;
    assert_eq!(header_of(&response, header::CONTENT_ENCODING), "gzip");
    // Without Accept-Encoding, the answer is plain.
    let plain = admin.get("/search").await;
    assert_eq!(header_of(&plain, header::CONTENT_ENCODING), "");
}

#[tokio::test]
async fn the_stylesheet_is_named_by_its_content_and_kept_for_a_year() {
    let app = TestApp::spawn().await;
    let mut visitor = app.client();
    let page = visitor.get("/search").await.text();
    let start = page
        .find("href=\"/static/app-")
        .expect("content-named stylesheet")
        + 6;
    let css = page[start..start + page[start..].find('"').expect("end")].to_owned();
    let response = visitor.get(&css).await;
    response.assert_status(StatusCode::OK);
    assert!(header_of(&response, header::CONTENT_TYPE).starts_with("text/css"));
    assert_eq!(
        header_of(&response, header::CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );
    let old = visitor.get("/static/app.css").await;
    old.assert_status(StatusCode::OK);
    assert_eq!(old.text(), response.text(), "the old address keeps working");
    visitor
        .get("/static/app-0000000000000000.css")
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn pages_name_a_favicon_that_is_served() {
    let app = TestApp::spawn().await;
    let mut visitor = app.client();
    let page = visitor.get("/").await.text();
    assert!(page.contains(r#"<link rel="icon" type="image/svg+xml" href="/static/favicon.svg">"#));
    for path in ["/static/favicon.svg", "/favicon.ico"] {
        let icon = visitor.get(path).await;
        icon.assert_status(StatusCode::OK);
        assert_eq!(
            header_of(&icon, header::CONTENT_TYPE),
            "image/svg+xml",
            "{path}"
        );
        assert!(icon.text().starts_with("<svg"));
    }
}

/// The levels of the page's headings, in order.
fn heading_levels(html: &str) -> Vec<u8> {
    let mut levels = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<h") {
        let next = rest.as_bytes().get(at + 2).copied();
        if let Some(d @ b'1'..=b'6') = next {
            levels.push(d - b'0');
        }
        rest = &rest[at + 2..];
    }
    levels
}

#[tokio::test]
async fn suggestion_items_follow_the_pages_heading_order_and_file_numbers_stay_on_one_line() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let child = officer
        .create_child(crate::helpers::child_body(
            "柏晓彤",
            &crate::helpers::id_number_for("20150312", 33, false),
            crate::helpers::TOWNSHIP_A,
            crate::helpers::VILLAGE_A,
        ))
        .await;
    let (need, _) = officer.publish_need(&child).await;
    let mut provider = app.verified_provider().await;
    provider
        .create_offer(crate::helpers::offer_body(
            "tutoring",
            "小学数学课业辅导",
            "放学后辅导数学作业。",
            &["county"],
        ))
        .await;
    app.index_now().await;

    let page = officer.get(&format!("/needs/{need}/suggestions")).await;
    page.assert_status(StatusCode::OK);
    let html = page.text();
    assert!(html.contains("小学数学课业辅导"), "the offer is suggested");
    let levels = heading_levels(&html);
    for pair in levels.windows(2) {
        assert!(
            pair[1] <= pair[0] + 1,
            "a heading skips a level: {levels:?}"
        );
    }

    let file = officer.get(&format!("/children/{child}")).await.text();
    let h1 = &file[file.find("<h1>").expect("h1")..file.find("</h1>").expect("h1 end")];
    assert!(
        h1.contains(r#"<span class="code-nowrap">"#),
        "the file number is kept on one line: {h1}"
    );
}
