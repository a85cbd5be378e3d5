//! The page checks find what they look for: a page with each problem
//! fails each check, so that a passing journey means something.

use axum::Router;
use axum::response::Html;
use axum::routing::get;

use crate::Kit;
use crate::checks;
use crate::driver::{Browser, Script, Size};

const FLAWED: &str = r#"<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title> </title></head>
<body>
<h1>一</h1><h1>二</h1>
<p style="color:#ddd;background:#fff">浅灰色的字几乎看不见</p>
<input id="nameless" name="nameless" type="text">
<div style="width:900px">很宽的表格</div>
</body></html>"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_checks_report_each_problem_of_a_flawed_page() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/", listener.local_addr().expect("address"));
    let server = tokio::spawn(async move {
        let app = Router::new().route("/", get(|| async { Html(FLAWED) }));
        axum::serve(listener, app).await.expect("serve");
    });
    let kit = Kit::start();
    let browser = Browser::open(kit.tools(), kit.driver(), Size::Phone, Script::On).await;
    browser.client.goto(&url).await.expect("navigate");
    let problems =
        checks::page_problems(&browser.client, Some(&kit.tools().axe), Size::Phone).await;
    browser.close().await;
    server.abort();
    let all = problems.join("\n");
    for expected in [
        "no <title>",
        "2 <h1> elements",
        "form control without a label: input#nameless",
        "px wide on a 390 px phone",
        "axe serious color-contrast",
        "axe critical label",
    ] {
        assert!(
            all.contains(expected),
            "{expected:?} not reported; reported:\n{all}"
        );
    }
}
