//! One term for one thing: each navigation link leads to a page headed
//! with the link's words, a state reads the same on every page, and the
//! header's user line puts no brackets around brackets.

use axum::http::StatusCode;
use carebridge::domain::Role;

use crate::helpers::TestApp;
use crate::helpers::{TOWNSHIP_A, TestClient};

/// The `(href, label)` of each link of the main navigation.
fn nav_links(html: &str) -> Vec<(String, String)> {
    let start = html.find(r#"aria-label="主导航""#).expect("navigation");
    let nav = &html[start..start + html[start..].find("</nav>").expect("nav end")];
    let mut links = Vec::new();
    let mut rest = nav;
    while let Some(at) = rest.find("<a href=\"") {
        rest = &rest[at + 9..];
        let href = rest[..rest.find('"').expect("href end")].to_owned();
        let text_start = rest.find('>').expect("tag end") + 1;
        let text_end = rest.find("</a>").expect("link end");
        links.push((href, rest[text_start..text_end].to_owned()));
    }
    links
}

fn heading(html: &str) -> String {
    let start = html.find("<h1>").expect("h1") + 4;
    html[start..start + html[start..].find("</h1>").expect("h1 end")].to_owned()
}

async fn nav_matches_headings(client: &mut TestClient, who: &str) {
    let home = client.get("/").await.text();
    let links = nav_links(&home);
    assert!(links.len() > 2, "{who}: {links:?}");
    for (href, label) in links {
        // The home link names the home page; the inbox link carries counts.
        if href == "/" || href == "/inbox" {
            continue;
        }
        let page = client.get(&href).await;
        page.assert_status(StatusCode::OK);
        assert_eq!(heading(&page.text()), label, "{who}: {href}");
    }
}

#[tokio::test]
async fn every_navigation_link_leads_to_a_page_headed_with_its_words() {
    let app = TestApp::spawn().await;
    nav_matches_headings(&mut app.admin().await, "county admin").await;
    nav_matches_headings(&mut app.login_as(Role::TownshipOfficer).await, "officer").await;
    nav_matches_headings(
        &mut app.login_as(Role::VillageSupervisor).await,
        "supervisor",
    )
    .await;
    nav_matches_headings(&mut app.verified_provider().await, "provider").await;
    nav_matches_headings(&mut app.approved_family(TOWNSHIP_A).await, "family").await;
}

#[tokio::test]
async fn the_user_line_puts_no_brackets_around_the_roles_own() {
    let app = TestApp::spawn().await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let html = officer.get("/").await.text();
    let start = html.find(r#"class="who">"#).expect("user line") + 12;
    let line = &html[start..start + html[start..].find("</span>").expect("end")];
    assert!(line.ends_with(Role::TownshipOfficer.label()), "{line}");
    assert!(!line.contains("（乡镇（"), "{line}");
    assert!(!line.ends_with("））"), "{line}");
}

#[tokio::test]
async fn a_familys_state_reads_the_same_for_the_family_and_for_staff() {
    let app = TestApp::spawn().await;
    let (id, username) = app.apply_family(TOWNSHIP_A).await;
    let mut family = app.logged_in(&username).await;
    let mut officer = app.login_as(Role::TownshipOfficer).await;
    let badge = r#"<span class="badge tone-waiting" data-status="submitted">待走访评估</span>"#;
    for (who, html) in [
        ("family", family.get("/").await.text()),
        ("officer's list", officer.get("/families").await.text()),
        (
            "officer's page",
            officer.get(&format!("/families/{id}")).await.text(),
        ),
    ] {
        assert!(html.contains(badge), "{who} shows the state otherwise");
    }
    let home = officer.get("/").await.text();
    assert!(
        home.contains("待走访评估的爱心家庭"),
        "the home card says what the inbox says"
    );
    assert!(!home.contains("待处理的爱心家庭申请"));
}
