//! A neighbour reports a child at risk from the public form (no login; at
//! phone size also without JavaScript); the township officer finds it at the
//! top of the report queue, takes it and records the first response.

use carebridge::domain::Role;

use super::accounts::staff;
use crate::driver::{Script, Size};
use crate::helpers::PASSWORD;
use crate::tour::Tour;
use crate::{Kit, Site, assert_no_problems};

const OFFICER: &str = "qinglong_reports";

async fn walk(site: &Site, tour: &mut Tour<'_>, township: &str) {
    staff(site, OFFICER, Role::TownshipOfficer).await;

    tour.visit("/", "home").await;
    tour.nav("报告儿童险情", "report-form").await;
    tour.see("请立即拨打 110").await;
    tour.choose("儿童所在乡镇（街道）", township).await;
    tour.fill("儿童现在在哪里", "在家").await;
    tour.tick(
        "儿童现在是否有危险",
        "是，儿童现在就有危险（乡镇将在 1 小时内响应；请同时拨打 110）",
    )
    .await;
    tour.fill(
        "您看到或了解到的情况",
        "邻居家的孩子哭喊了一整夜，大人不在家。",
    )
    .await;
    tour.choose("您的身份", "邻居或亲属").await;
    tour.press("提交报告", "receipt").await;
    tour.see("报告已收到").await;
    tour.see("查询码").await;

    tour.login(OFFICER, PASSWORD).await;
    tour.nav("强制报告", "queue").await;
    tour.see("紧急").await;
    tour.follow_in_row("紧急", "report").await;
    tour.see("邻居家的孩子哭喊了一整夜").await;
    tour.press("我来受理", "assigned").await;
    tour.see("已受理，请尽快到场并记录首次响应。").await;
    tour.fill("出动人员", "街道民政干部").await;
    tour.fill("现场情况", "孩子在家，情绪稳定，已联系亲属照看。")
        .await;
    tour.press("保存首次响应", "responded").await;
    tour.see("首次响应已记录").await;
}

/// The report and the queue at both sizes, and at phone size without
/// JavaScript.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_neighbour_reports_a_child_at_risk_and_the_township_responds() {
    let kit = Kit::start();
    let mut problems = Vec::new();
    for (size, script) in [
        (Size::Desktop, Script::On),
        (Size::Phone, Script::On),
        (Size::Phone, Script::Off),
    ] {
        let site = Site::start().await;
        let township = carebridge::services::regions::township_name(
            &site.app.prepared.regions,
            crate::helpers::TOWNSHIP_A,
        )
        .to_owned();
        let mut tour = kit.tour(&site, "report", size, script).await;
        walk(&site, &mut tour, &township).await;
        problems.extend(tour.finish().await);
    }
    assert_no_problems(&problems);
}
