//! Browser tests: the journeys of issue 13 walked in Debian's headless
//! Chromium through WebDriver (fantoccini), at desktop (1366×900) and phone
//! (390×844) size, against the app served on a random local port with its
//! own database. Every page a journey reaches is screenshotted to
//! `target/browser-screenshots/<journey>/<size>/` and checked (see `checks`).
//!
//! Needs `scripts/setup-tests` (Chromium, chromedriver, CJK fonts, axe-core);
//! without them the tests fail and say so.

#[path = "../api/helpers.rs"]
#[expect(
    dead_code,
    reason = "the API tests' helpers, of which the journeys use a few"
)]
mod helpers;

mod checks;
mod driver;
mod journeys;
mod self_test;
mod tour;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use driver::{Browser, Driver, Script, Size, Tools};
use helpers::TestApp;
use tour::Tour;

/// The app on a real socket, with the search indexer running as `serve`
/// runs it; both tasks stop when this is dropped.
pub struct Site {
    pub app: TestApp,
    pub base: String,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Site {
    pub async fn start() -> Site {
        let app = TestApp::spawn().await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let service = app
            .router
            .clone()
            .into_make_service_with_connect_info::<SocketAddr>();
        let server = tokio::spawn(async move {
            axum::serve(listener, service).await.expect("serve");
        });
        let (prepared, search, k) = (
            app.prepared.clone(),
            Arc::clone(&app.search),
            app.settings.k_anonymity,
        );
        let indexer = tokio::spawn(async move {
            loop {
                let _ =
                    carebridge::services::search::indexer::catch_up(prepared.store(), &search, k)
                        .await;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        });
        Site {
            app,
            base,
            tasks: vec![server, indexer],
        }
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// The tools and one chromedriver, shared by the runs of one test.
pub struct Kit {
    tools: Tools,
    driver: Driver,
}

impl Kit {
    pub fn start() -> Kit {
        let tools = Tools::find();
        let driver = Driver::start(&tools);
        Kit { tools, driver }
    }

    pub fn tools(&self) -> &Tools {
        &self.tools
    }

    pub fn driver(&self) -> &Driver {
        &self.driver
    }

    /// A fresh browser walking `site` for `journey`.
    pub async fn tour(&self, site: &Site, journey: &str, size: Size, script: Script) -> Tour<'_> {
        let browser = Browser::open(&self.tools, &self.driver, size, script).await;
        Tour::start(
            browser,
            site.base.clone(),
            &self.tools.axe,
            journey,
            size,
            script,
        )
        .await
    }
}

/// Fails naming every problem the page checks found in a journey's runs.
#[track_caller]
pub fn assert_no_problems(problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{} problem(s) on the pages of this journey:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
