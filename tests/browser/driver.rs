//! The browser side of the harness: the tools a run needs (checked first,
//! so that a machine without them fails with the way to get them), one
//! chromedriver per test, and a Chromium session per screen size.

use std::net::TcpListener as StdListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Map, Value, json};

/// What a run needs from outside the crate.
pub struct Tools {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
    /// The source of axe-core, injected into every page a journey reaches.
    pub axe: String,
}

const SETUP: &str = "run scripts/setup-tests first (it installs chromium, chromium-driver, \
                     fonts-noto-cjk and axe-core into target/browser-tools)";

impl Tools {
    /// Finds the tools or fails the test naming the setup script: a browser
    /// test that passed without a browser would say nothing.
    pub fn find() -> Tools {
        // Debian's real binary, not its launcher script: the launcher adds
        // flags of its own from /etc/chromium.d.
        let chromium = ["/usr/lib/chromium/chromium"]
            .iter()
            .map(PathBuf::from)
            .find(|p| p.is_file())
            .or_else(|| on_path("chromium"))
            .unwrap_or_else(|| panic!("chromium is not installed: {SETUP}"));
        let chromedriver = on_path("chromedriver")
            .unwrap_or_else(|| panic!("chromedriver is not installed: {SETUP}"));
        let axe_path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("target/browser-tools/node_modules/axe-core/axe.min.js");
        let axe = std::fs::read_to_string(&axe_path)
            .unwrap_or_else(|e| panic!("cannot read {} ({e}): {SETUP}", axe_path.display()));
        Tools {
            chromium,
            chromedriver,
            axe,
        }
    }
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// A chromedriver on a free local port, killed when dropped.
pub struct Driver {
    child: Child,
    pub url: String,
}

impl Driver {
    pub fn start(tools: &Tools) -> Driver {
        let port = {
            let probe = StdListener::bind("127.0.0.1:0").expect("free port");
            probe.local_addr().expect("address").port()
        };
        // On Linux Chromium takes the locale of its form controls (the
        // order of a date field's 年/月/日) from the environment: the
        // browser of a person in the county is set to Chinese.
        let child = Command::new(&tools.chromedriver)
            .arg(format!("--port={port}"))
            .env("LANGUAGE", "zh_CN")
            .env("LC_ALL", "zh_CN.UTF-8")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start chromedriver ({e}): {SETUP}"));
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not listen on port {port} within 20 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The two screen sizes every journey runs at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Size {
    Desktop,
    Phone,
}

impl Size {
    pub fn name(self) -> &'static str {
        match self {
            Size::Desktop => "desktop",
            Size::Phone => "phone",
        }
    }

    pub fn width(self) -> u32 {
        match self {
            Size::Desktop => 1366,
            Size::Phone => 390,
        }
    }

    pub fn height(self) -> u32 {
        match self {
            Size::Desktop => 900,
            Size::Phone => 844,
        }
    }
}

/// Whether the pages may run JavaScript.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    On,
    Off,
}

/// A Chromium session with its own fresh profile directory.
pub struct Browser {
    pub client: Client,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub async fn open(tools: &Tools, driver: &Driver, size: Size, script: Script) -> Browser {
        let profile = tempfile::tempdir().expect("profile dir");
        let mut options = json!({
            "binary": tools.chromium,
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--lang=zh-CN",
                format!("--user-data-dir={}", profile.path().display()),
            ],
        });
        if size == Size::Phone {
            // Phone emulation: the viewport meta tag applies, and wide content
            // widens the layout viewport, which the overflow check measures.
            options["mobileEmulation"] = json!({
                "deviceMetrics": {"width": size.width(), "height": size.height(), "pixelRatio": 2.0, "touch": true},
            });
        }
        if script == Script::Off {
            options["prefs"] = json!({"profile.managed_default_content_settings.javascript": 2});
        }
        let mut caps = Map::new();
        caps.insert("browserName".into(), Value::from("chrome"));
        caps.insert("goog:chromeOptions".into(), options);
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&driver.url)
            .await
            .unwrap_or_else(|e| panic!("cannot start a Chromium session: {e}"));
        if size == Size::Desktop {
            // The window includes the browser's own frame: size it so that
            // the page itself gets 1366×900.
            client
                .set_window_size(size.width(), size.height())
                .await
                .expect("window size");
            let inner = client
                .execute("return [window.innerWidth, window.innerHeight];", vec![])
                .await
                .expect("inner size");
            let frame = |i: usize, outer: u32| {
                outer.saturating_sub(
                    inner[i]
                        .as_u64()
                        .and_then(|v| u32::try_from(v).ok())
                        .unwrap_or(outer),
                )
            };
            let (extra_w, extra_h) = (frame(0, size.width()), frame(1, size.height()));
            client
                .set_window_size(size.width() + extra_w, size.height() + extra_h)
                .await
                .expect("window size");
        }
        Browser {
            client,
            _profile: profile,
        }
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

/// Chromium's DevTools command `Emulation.setEmulatedMedia` through
/// chromedriver's `goog/cdp/execute` endpoint: the page is laid out for
/// `media` ("print", or "" for the screen again) as a printout would be.
#[derive(Debug)]
struct EmulateMedia(&'static str);

impl fantoccini::wd::WebDriverCompatibleCommand for EmulateMedia {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        let session = session_id.unwrap_or_default();
        base_url.join(&format!("session/{session}/goog/cdp/execute"))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (axum::http::Method, Option<String>) {
        let body = json!({"cmd": "Emulation.setEmulatedMedia", "params": {"media": self.0}});
        (axum::http::Method::POST, Some(body.to_string()))
    }
}

/// Lays the current page out as printed (`true`) or for the screen again.
pub async fn emulate_print(client: &Client, print: bool) {
    client
        .issue_cmd(EmulateMedia(if print { "print" } else { "" }))
        .await
        .unwrap_or_else(|e| panic!("chromedriver cannot emulate print media: {e}"));
}
