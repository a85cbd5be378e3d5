//! A person's walk through the portal in one browser: find links, fields
//! and buttons by what they say, type and click, and after every page the
//! walk reaches take a screenshot and run the page checks.

use std::path::PathBuf;
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use serde_json::json;

use crate::checks;
use crate::driver::{Browser, Script, Size};

pub struct Tour<'a> {
    client: Client,
    browser: Option<Browser>,
    base: String,
    axe: &'a str,
    size: Size,
    /// What WebDriver can run in these pages, found out on the first one.
    scripting: Option<checks::Scripting>,
    shots: PathBuf,
    step: u32,
    problems: Vec<String>,
}

impl<'a> Tour<'a> {
    /// A walk at `base` whose screenshots go to
    /// `target/browser-screenshots/<journey>/<variant>/`.
    pub async fn start(
        browser: Browser,
        base: String,
        axe: &'a str,
        journey: &str,
        size: Size,
        script: Script,
    ) -> Tour<'a> {
        let variant = match script {
            Script::On => size.name().to_owned(),
            Script::Off => format!("{}-nojs", size.name()),
        };
        let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("target/browser-screenshots")
            .join(journey)
            .join(variant);
        let _ = std::fs::remove_dir_all(&shots);
        std::fs::create_dir_all(&shots).expect("screenshot dir");
        let client = browser.client.clone();
        Tour {
            client,
            browser: Some(browser),
            base,
            axe,
            size,
            scripting: None,
            shots,
            step: 0,
            problems: Vec::new(),
        }
    }

    /// What WebDriver could run in these pages (known after the first one).
    pub fn scripting(&self) -> Option<checks::Scripting> {
        self.scripting
    }

    /// Opens `path` as if typed into the address bar.
    pub async fn visit(&mut self, path: &str, step: &str) {
        let url = format!("{}{path}", self.base);
        self.client.goto(&url).await.expect("navigate");
        self.arrive(step).await;
    }

    /// After a navigation: the screenshot of this step, then the checks.
    async fn arrive(&mut self, step: &str) {
        self.step += 1;
        let png = self.client.screenshot().await.expect("screenshot");
        let file = self.shots.join(format!("{:02}-{step}.png", self.step));
        std::fs::write(&file, png).expect("write screenshot");
        let url = self.url().await;
        let scripting = match self.scripting {
            Some(known) => known,
            None => *self.scripting.insert(checks::scripting(&self.client).await),
        };
        // Without JavaScript axe-core cannot run (see `checks::scripting`):
        // the journey's JavaScript-enabled runs check the same pages with it.
        let found = match scripting {
            checks::Scripting { timers: true, .. } => {
                checks::page_problems(&self.client, Some(self.axe), self.size).await
            }
            checks::Scripting { sync: true, .. } => {
                checks::page_problems(&self.client, None, self.size).await
            }
            _ => checks::problems_without_script(&self.client).await,
        };
        for problem in found {
            self.problems.push(format!("{url} ({step}): {problem}"));
        }
    }

    /// Checks the current page as printed: lays it out for print media,
    /// takes a screenshot of that, runs `checks::print_problems`, and lays
    /// it out for the screen again.
    pub async fn check_print(&mut self, step: &str) {
        crate::driver::emulate_print(&self.client, true).await;
        self.step += 1;
        let png = self.client.screenshot().await.expect("screenshot");
        let file = self
            .shots
            .join(format!("{:02}-{step}-print.png", self.step));
        std::fs::write(&file, png).expect("write screenshot");
        let url = self.url().await;
        for problem in checks::print_problems(&self.client).await {
            self.problems
                .push(format!("{url} ({step}, print): {problem}"));
        }
        crate::driver::emulate_print(&self.client, false).await;
    }

    /// The path and query of the current page.
    pub async fn url(&self) -> String {
        let url = self.client.current_url().await.expect("url");
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// The first displayed element of `xpath`, waiting a little for it.
    async fn displayed(&self, xpath: &str, what: &str) -> Element {
        for _ in 0..20 {
            for element in self
                .client
                .find_all(Locator::XPath(xpath))
                .await
                .expect("find")
            {
                if element.is_displayed().await.unwrap_or(false) {
                    return element;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "{what} is not on {} (step {}); the page says:\n{}",
            self.url().await,
            self.step,
            self.text().await
        );
    }

    /// Whether WebDriver's pointer input works here. With Chromium's
    /// JavaScript setting off, chromedriver's Element Click and pointer
    /// Actions never return (they wait on page tasks that do not run), while
    /// synchronous scripts and typing still work.
    fn pointer_input(&self) -> bool {
        self.scripting.is_none_or(|s| s.timers)
    }

    /// Clicks `element`, which changes this page only (a checkbox).
    async fn click_here(&self, element: &Element) {
        if self.pointer_input() {
            element.click().await.expect("click");
        } else {
            self.client
                .execute("arguments[0].click(); return true;", vec![json!(element)])
                .await
                .expect("click");
        }
    }

    /// Clicks `element`, which leads to another page, and waits for it.
    /// Without JavaScript, the element's own activation behaviour (follow
    /// the link, submit the form: no page script involved) is started from
    /// a synchronous WebDriver script (see [`Self::pointer_input`]).
    async fn click_away(&self, element: &Element) {
        if self.pointer_input() {
            element.click().await.expect("click");
            return;
        }
        self.client
            .execute(
                "window.tourLeaving = true; arguments[0].click(); return true;",
                vec![json!(element)],
            )
            .await
            .expect("click");
        for _ in 0..100 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let arrived = self
                .client
                .execute(
                    "return window.tourLeaving !== true && document.readyState === 'complete';",
                    vec![],
                )
                .await;
            if matches!(arrived, Ok(serde_json::Value::Bool(true))) {
                return;
            }
        }
        panic!("no new page 10 s after a click on {}", self.url().await);
    }

    /// Clicks the link that reads `text` (exactly, or else containing it).
    pub async fn follow(&mut self, text: &str, step: &str) {
        let t = literal(text);
        let xpath = format!(
            "//a[normalize-space()={t}] | //a[not(normalize-space()={t}) and contains(normalize-space(), {t})]"
        );
        let link = self.displayed(&xpath, &format!("a link {text:?}")).await;
        self.click_away(&link).await;
        self.arrive(step).await;
    }

    /// Clicks the first link in the table row that shows `row_text`.
    pub async fn follow_in_row(&mut self, row_text: &str, step: &str) {
        let t = literal(row_text);
        let xpath = format!("//tr[contains(normalize-space(), {t})]//a");
        let link = self
            .displayed(&xpath, &format!("a link in a row showing {row_text:?}"))
            .await;
        self.click_away(&link).await;
        self.arrive(step).await;
    }

    /// Opens the collapsed section (`<details>`) whose summary reads
    /// `summary`, if the page has one; a form shown directly needs no click.
    pub async fn open_section(&mut self, summary: &str) {
        let t = literal(summary);
        let xpath = format!("//details[not(@open)]/summary[normalize-space()={t}]");
        let found = self
            .client
            .find_all(Locator::XPath(&xpath))
            .await
            .expect("find");
        for element in found {
            if element.is_displayed().await.unwrap_or(false) {
                self.click_here(&element).await;
                return;
            }
        }
    }

    /// The value a fact list (`<dt>`/`<dd>`) shows for `term`.
    pub async fn fact(&self, term: &str) -> String {
        let t = literal(term);
        let xpath = format!("//dt[normalize-space()={t}]/following-sibling::dd[1]");
        let dd = self.displayed(&xpath, &format!("the fact {term:?}")).await;
        dd.text().await.expect("text").trim().to_owned()
    }

    /// Clicks the main navigation's link `text`.
    pub async fn nav(&mut self, text: &str, step: &str) {
        let t = literal(text);
        let xpath = format!(
            "//nav[@aria-label='主导航']//a[normalize-space()={t} or starts-with(normalize-space(), {t})]"
        );
        let link = self
            .displayed(&xpath, &format!("the navigation link {text:?}"))
            .await;
        self.click_away(&link).await;
        self.arrive(step).await;
    }

    /// The control that the label `label` names: the label's own text
    /// (before any required-field star) is `label`.
    async fn control(&self, label: &str) -> Element {
        let t = literal(label);
        let xpath = format!("//label[normalize-space(text()[1])={t} or normalize-space()={t}]");
        let element = self.displayed(&xpath, &format!("a field {label:?}")).await;
        match element.attr("for").await.expect("attr") {
            Some(id) => self
                .client
                .find(Locator::Id(&id))
                .await
                .unwrap_or_else(|_| panic!("label {label:?} names #{id}, which is missing")),
            None => element
                .find(Locator::XPath(".//input | .//select | .//textarea"))
                .await
                .unwrap_or_else(|_| panic!("label {label:?} holds no control")),
        }
    }

    /// Types `value` into the field labelled `label`, replacing what it held.
    pub async fn fill(&mut self, label: &str, value: &str) {
        let field = self.control(label).await;
        let kind = field.attr("type").await.expect("attr").unwrap_or_default();
        if kind == "date" {
            // A date input takes keys field by field in the locale's order
            // (年/月/日 with zh-CN): the year takes up to six digits, so a
            // person moves on to the month with the arrow key; month and
            // day move on by themselves after two digits.
            let parts: Vec<&str> = value.split('-').collect();
            assert_eq!(parts.len(), 3, "dates are typed from YYYY-MM-DD");
            const RIGHT: &str = "\u{E014}";
            let digits = format!("{}{RIGHT}{}{}", parts[0], parts[1], parts[2]);
            field.send_keys(&digits).await.expect("type date");
            let typed = field
                .prop("value")
                .await
                .expect("value")
                .unwrap_or_default();
            assert_eq!(
                typed, value,
                "the date field {label:?} took {digits:?} as {typed:?}"
            );
            return;
        }
        field.clear().await.expect("clear");
        field.send_keys(value).await.expect("type");
    }

    /// Picks the option reading `option` in the select labelled `label`.
    pub async fn choose(&mut self, label: &str, option: &str) {
        let field = self.control(label).await;
        let t = literal(option);
        let choice = field
            .find(Locator::XPath(&format!(".//option[normalize-space()={t}]")))
            .await
            .unwrap_or_else(|e| panic!("no option {option:?} in {label:?}: {e}"));
        if self.pointer_input() {
            choice.click().await.expect("choose");
        } else {
            self.client
                .execute(
                    "arguments[0].selected = true; return true;",
                    vec![json!(choice)],
                )
                .await
                .expect("choose");
        }
    }

    /// Ticks the checkbox or radio button whose label reads `label`
    /// (inside the group whose legend starts with `group`).
    pub async fn tick(&mut self, group: &str, label: &str) {
        let g = literal(group);
        let t = literal(label);
        let xpath = format!(
            "//fieldset[starts-with(normalize-space(legend), {g})]//label[normalize-space()={t}]"
        );
        let label_element = self
            .displayed(&xpath, &format!("a choice {label:?} in {group:?}"))
            .await;
        let input = label_element
            .find(Locator::Css("input"))
            .await
            .expect("input in label");
        if !input.is_selected().await.unwrap_or(false) {
            self.click_here(&label_element).await;
        }
    }

    /// Presses the button reading `text`; the page it leads to is step `step`.
    pub async fn press(&mut self, text: &str, step: &str) {
        let t = literal(text);
        let xpath =
            format!("//button[normalize-space()={t}] | //input[@type='submit' and @value={t}]");
        let button = self.displayed(&xpath, &format!("a button {text:?}")).await;
        self.click_away(&button).await;
        self.arrive(step).await;
    }

    /// The visible text of the page.
    pub async fn text(&self) -> String {
        match self.client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Asserts the page shows `expected` somewhere.
    pub async fn see(&self, expected: &str) {
        let text = self.text().await;
        assert!(
            text.contains(expected),
            "{expected:?} is not on {} (step {}); the page says:\n{text}",
            self.url().await,
            self.step
        );
    }

    /// Asserts that the page does not show `absent`.
    pub async fn not_see(&self, absent: &str) {
        let text = self.text().await;
        assert!(
            !text.contains(absent),
            "{absent:?} is on {} (step {})",
            self.url().await,
            self.step
        );
    }

    /// Logs in through the login page.
    pub async fn login(&mut self, username: &str, password: &str) {
        self.visit("/login", "login").await;
        self.fill("用户名", username).await;
        self.fill("密码", password).await;
        self.press("登录", "logged-in").await;
        self.not_see("用户名或密码错误").await;
    }

    /// Logs out through the header's button.
    pub async fn logout(&mut self) {
        self.press("退出登录", "logged-out").await;
    }

    /// Ends the walk: closes the browser and answers the problems the
    /// checks found on the way, each naming its size, page and step.
    pub async fn finish(mut self) -> Vec<String> {
        if let Some(browser) = self.browser.take() {
            browser.close().await;
        }
        let size = self.size.name();
        self.problems
            .into_iter()
            .map(|p| format!("[{size}] {p}"))
            .collect()
    }
}

/// `text` as an XPath string literal.
fn literal(text: &str) -> String {
    assert!(
        !text.contains('\''),
        "texts to find must not contain an apostrophe"
    );
    format!("'{text}'")
}
