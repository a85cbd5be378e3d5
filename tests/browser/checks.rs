//! The checks every page a journey reaches must pass: axe-core finds no
//! critical or serious violation (colour contrast included), nothing is
//! wider than a phone screen, one `<h1>`, a title, and a label for every
//! visible form control.

use std::time::Duration;

use fantoccini::Client;
use fantoccini::wd::TimeoutConfiguration;
use serde_json::Value;

use crate::driver::Size;

/// The problems found on the current page, one line each; empty when it passes.
/// `axe` is the source of axe-core, or `None` where it cannot run (see
/// [`scripting`]).
pub async fn page_problems(client: &Client, axe: Option<&str>, size: Size) -> Vec<String> {
    let mut problems = Vec::new();
    let title = client.title().await.expect("title");
    if title.trim().is_empty() {
        problems.push("the page has no <title>".to_owned());
    }
    let facts = client
        .execute(STRUCTURE, vec![])
        .await
        .expect("run the structure check");
    let h1 = facts["h1"].as_u64().unwrap_or(0);
    if h1 != 1 {
        problems.push(format!("the page has {h1} <h1> elements instead of one"));
    }
    for control in facts["unlabelled"].as_array().into_iter().flatten() {
        problems.push(format!(
            "form control without a label: {}",
            control.as_str().unwrap_or("?")
        ));
    }
    if size == Size::Phone {
        let width = facts["scroll_width"].as_u64().unwrap_or(0);
        if width > u64::from(size.width()) {
            problems.push(format!(
                "the page is {width} px wide on a {} px phone (widest: {})",
                size.width(),
                facts["widest"].as_str().unwrap_or("?")
            ));
        }
    }
    if let Some(axe) = axe {
        problems.extend(axe_violations(client, axe).await);
    }
    problems
}

/// Runs axe-core in the page; its serious and critical violations, each
/// with its rule, the selector of each element and what axe says.
async fn axe_violations(client: &Client, axe: &str) -> Vec<String> {
    // Injected through WebDriver, which the page's Content-Security-Policy
    // does not govern; the page is left as it was apart from `window.axe`.
    client
        .execute(&format!("{axe}\n;return true;"), vec![])
        .await
        .expect("inject axe-core");
    let result = client
        .execute_async(AXE_RUN, vec![])
        .await
        .expect("run axe-core");
    let mut found = Vec::new();
    // A rule that broke is not a rule that passed.
    for broken in result["errors"].as_array().into_iter().flatten() {
        found.push(format!(
            "axe could not run {}: {}",
            broken["id"].as_str().unwrap_or("?"),
            broken["message"].as_str().unwrap_or("")
        ));
    }
    for violation in result["violations"].as_array().into_iter().flatten() {
        let impact = violation["impact"].as_str().unwrap_or("");
        if impact != "critical" && impact != "serious" {
            continue;
        }
        let id = violation["id"].as_str().unwrap_or("?");
        let help = violation["help"].as_str().unwrap_or("");
        let targets: Vec<&str> = violation["targets"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if targets.is_empty() {
            found.push(format!("axe {impact} {id} ({help})"));
        }
        for target in targets {
            found.push(format!("axe {impact} {id} ({help}): {target}"));
        }
    }
    found
}

/// Runs axe-core and answers its violations and the rules it could not
/// run. Texts of one character are judged too: by default axe leaves them
/// "incomplete", and the navigation's count badge is such a text. The
/// check's other options are kept (replacing them breaks the rule).
const AXE_RUN: &str = r#"
const done = arguments[arguments.length - 1];
const contrast = axe._audit.checks['color-contrast'];
axe.configure({checks: [{id: 'color-contrast',
    options: Object.assign({}, contrast.options, {ignoreLength: true})}]});
axe.run(document, {resultTypes: ['violations']})
    .then(r => done({
        violations: r.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.map(n => n.target.join(' ') + ' — ' + n.failureSummary.replace(/\s+/g, ' ')),
        })),
        errors: r.incomplete
            .filter(v => v.nodes.some(n => [...n.any, ...n.all, ...n.none].some(c => c.id === 'error-occurred')))
            .map(v => ({id: v.id, message: (v.error && v.error.message) || 'error'})),
    }))
    .catch(e => done({violations: [], errors: [{id: 'axe', message: String(e)}]}));
"#;

/// Counts the `<h1>`s, measures the document's width and lists the visible
/// form controls that no label names (label[for], a wrapping label,
/// aria-label or aria-labelledby).
const STRUCTURE: &str = r#"
const visible = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
const describe = el => el.tagName.toLowerCase()
    + (el.id ? '#' + el.id : '') + (el.name ? '[name=' + el.name + ']' : '');
const unlabelled = [];
for (const el of document.querySelectorAll('input, select, textarea')) {
    const type = (el.getAttribute('type') || '').toLowerCase();
    if (['hidden', 'submit', 'button', 'reset', 'image'].includes(type) || !visible(el)) continue;
    const byFor = el.id && [...document.querySelectorAll('label')].some(l => l.htmlFor === el.id && l.textContent.trim());
    const wrapped = el.closest('label') && el.closest('label').textContent.trim();
    const aria = (el.getAttribute('aria-label') || '').trim()
        || (el.getAttribute('aria-labelledby') || '').split(/\s+/).some(id => {
            const l = id && document.getElementById(id);
            return l && l.textContent.trim();
        });
    if (!byFor && !wrapped && !aria) unlabelled.push(describe(el));
}
const width = document.documentElement.scrollWidth;
let widest = '';
if (width > window.innerWidth || width > 390) {
    let max = 0;
    for (const el of document.body.querySelectorAll('*')) {
        const right = el.getBoundingClientRect().right;
        if (right > max) { max = right; widest = describe(el) + (el.className ? '.' + String(el.className).replace(/ /g, '.') : '') + ' (' + Math.round(right) + ' px)'; }
    }
}
return {
    h1: document.querySelectorAll('h1').length,
    scroll_width: width,
    widest: widest,
    unlabelled: unlabelled,
};
"#;

/// The same facts without running a script in the page, for a browser
/// that runs none: the title and the `<h1>` count through WebDriver's own
/// element search.
pub async fn problems_without_script(client: &Client) -> Vec<String> {
    let mut problems = Vec::new();
    let title = client.title().await.expect("title");
    if title.trim().is_empty() {
        problems.push("the page has no <title>".to_owned());
    }
    let h1 = client
        .find_all(fantoccini::Locator::Css("h1"))
        .await
        .expect("find h1")
        .len();
    if h1 != 1 {
        problems.push(format!("the page has {h1} <h1> elements instead of one"));
    }
    problems
}

/// What WebDriver can run in the pages of a browser whose JavaScript may
/// be switched off by a content setting.
#[derive(Clone, Copy, Debug)]
pub struct Scripting {
    /// A synchronous script returns its value.
    pub sync: bool,
    /// Promise callbacks and timers run, which axe-core needs.
    pub timers: bool,
}

/// Finds out on the current page what WebDriver can run in it. With
/// Chromium's JavaScript content setting off, WebDriver's synchronous
/// scripts still run, but the page's task queue does not: promise
/// callbacks and timers never fire, so axe-core cannot finish there.
pub async fn scripting(client: &Client) -> Scripting {
    let two = |v: Result<Value, _>| matches!(v, Ok(Value::Number(n)) if n.as_u64() == Some(2));
    let sync = two(client.execute("return 1 + 1;", vec![]).await);
    let saved = client.get_timeouts().await.expect("timeouts");
    client
        .update_timeouts(TimeoutConfiguration::new(
            Some(Duration::from_secs(2)),
            None,
            None,
        ))
        .await
        .expect("set script timeout");
    let timers = two(client
        .execute_async(
            "const done = arguments[arguments.length - 1];
                 Promise.resolve(2).then(v => setTimeout(() => done(v), 0));",
            vec![],
        )
        .await);
    client
        .update_timeouts(saved)
        .await
        .expect("restore timeouts");
    Scripting { sync, timers }
}

/// The problems of the current page as printed, with print media emulated
/// (see `driver::emulate_print`): the site's header, navigation, footer and
/// filter forms hidden, the main content shown, and an `@page` rule of the
/// print stylesheet setting A4.
pub async fn print_problems(client: &Client) -> Vec<String> {
    let facts = client
        .execute(PRINTED, vec![])
        .await
        .expect("run the print check");
    let mut problems = Vec::new();
    if facts["print_media"] != Value::Bool(true) {
        problems.push("print media is not in effect".to_owned());
    }
    for shown in facts["shown"].as_array().into_iter().flatten() {
        problems.push(format!("shown in print: {}", shown.as_str().unwrap_or("?")));
    }
    if facts["main_shown"] != Value::Bool(true) {
        problems.push("the main content is hidden in print".to_owned());
    }
    if facts["a4"] != Value::Bool(true) {
        problems.push("no @media print { @page { size: A4 } } rule".to_owned());
    }
    problems
}

/// What `print_problems` judges: whether what a printout leaves out is
/// laid out at all, and the print stylesheet's page size.
const PRINTED: &str = r#"
const describe = el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).replace(/ /g, '.') : '');
const shown = [];
for (const el of document.querySelectorAll('header.site, nav, footer.site, form.filters')) {
    // Laid out at all: a hidden ancestor hides it whatever its own display.
    if (el.getClientRects().length > 0) shown.push(describe(el));
}
const main = document.querySelector('main');
let a4 = false;
const walk = (rules, inPrint) => {
    for (const rule of rules) {
        if (rule instanceof CSSMediaRule) {
            walk(rule.cssRules, inPrint || /\bprint\b/.test(rule.media.mediaText));
        } else if (rule instanceof CSSPageRule && inPrint) {
            if (/\ba4\b/i.test(rule.style.getPropertyValue('size'))) a4 = true;
        }
    }
};
for (const sheet of document.styleSheets) {
    try { walk(sheet.cssRules, /\bprint\b/.test(sheet.media.mediaText)); } catch (e) {}
}
return {
    print_media: matchMedia('print').matches,
    shown: shown,
    main_shown: !!main && main.getClientRects().length > 0,
    a4: a4,
};
"#;
