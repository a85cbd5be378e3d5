//! County staff open the supervision dashboard and the monthly bulletin,
//! and the bulletin prints as an A4 page without the site's navigation.

use carebridge::domain::Role;

use crate::driver::{Script, Size};
use crate::helpers::{ADMIN, PASSWORD, TOWNSHIP_A, VILLAGE_A, child_body, id_number_for};
use crate::tour::Tour;
use crate::{Kit, Site, assert_no_problems};

/// A file with a published need, so that the pages show figures and not
/// only zeros.
async fn seed(site: &Site) {
    let mut officer = site.app.login_as(Role::TownshipOfficer).await;
    let child = officer
        .create_child(child_body(
            "柏小雨",
            &id_number_for("20150307", 21, false),
            TOWNSHIP_A,
            VILLAGE_A,
        ))
        .await;
    officer.publish_need(&child).await;
}

async fn walk(tour: &mut Tour<'_>) {
    tour.login(ADMIN, PASSWORD).await;
    tour.nav("督查看板", "dashboard").await;
    tour.see("数据截至").await;
    tour.follow("月度通报", "bulletin").await;
    tour.see("困境儿童关爱服务工作通报").await;
    // The bulletin is meant to be printed: as printed, no navigation.
    tour.check_print("bulletin").await;
    tour.visit("/oversight/bulletin", "bulletin-direct").await;
    tour.see("困境儿童关爱服务工作通报").await;
}

/// Both pages at both sizes, and at phone size without JavaScript.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn county_staff_read_the_dashboard_and_print_the_bulletin() {
    let kit = Kit::start();
    let mut problems = Vec::new();
    for (size, script) in [
        (Size::Desktop, Script::On),
        (Size::Phone, Script::On),
        (Size::Phone, Script::Off),
    ] {
        let site = Site::start().await;
        seed(&site).await;
        let mut tour = kit.tour(&site, "oversight", size, script).await;
        walk(&mut tour).await;
        problems.extend(tour.finish().await);
    }
    assert_no_problems(&problems);
}
