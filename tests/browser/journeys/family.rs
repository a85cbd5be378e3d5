//! A caring family applies, the township assesses and recommends it, the
//! county approves it; it posts a foster-care offer, proposes it for a
//! child's need, and the match is approved by the township and then the
//! county.

use axum::http::StatusCode;
use carebridge::domain::Role;
use serde_json::json;

use super::accounts::staff;
use crate::driver::{Script, Size};
use crate::helpers::{ADMIN, PASSWORD, TOWNSHIP_A, VILLAGE_A, child_body, id_number_for};
use crate::tour::Tour;
use crate::{Kit, Site, assert_no_problems};

const OFFICER: &str = "qinglong_officer";
const FAMILY: &str = "li_family";
const NEED_TITLE: &str = "寻找寄养家庭";

/// A published foster-care need in township A, through the API.
async fn seed_need(site: &Site) {
    let mut officer = site.app.logged_in(OFFICER).await;
    let child = officer
        .create_child(child_body(
            "柏小雨",
            &id_number_for("20180512", 31, false),
            TOWNSHIP_A,
            VILLAGE_A,
        ))
        .await;
    let response = officer
        .post_json(
            "/api/v1/needs",
            json!({
                "child_id": child,
                "category": "foster_care",
                "title": NEED_TITLE,
                "description": "父母长期在外务工，需要有照料经验的家庭临时寄养一年。",
                "quantity": 1,
                "urgency": "urgent"
            }),
        )
        .await;
    response.assert_status(StatusCode::CREATED);
    let id = response.json()["id"].as_str().expect("id").to_owned();
    officer
        .post_json(&format!("/api/v1/needs/{id}/publish"), json!({}))
        .await
        .assert_status(StatusCode::OK);
}

async fn walk(tour: &mut Tour<'_>) {
    // The family applies.
    tour.visit("/", "home").await;
    tour.nav("爱心家庭申请", "application-form").await;
    tour.fill("家庭称呼", "李家").await;
    tour.choose("所在乡镇（街道）", "青龙街道").await;
    tour.fill("家庭常住人口", "3").await;
    tour.fill("住房情况", "自有住房三室一厅，孩子可以有单独的房间。")
        .await;
    tour.fill("联系电话", "023-55123456").await;
    tour.tick("愿意提供的照料方式", "家庭寄养").await;
    tour.fill("用户名", FAMILY).await;
    tour.fill("密码", PASSWORD).await;
    tour.fill("再次输入密码", PASSWORD).await;
    tour.press("提交申请", "applied").await;

    // The township officer visits, assesses and recommends it.
    tour.login(OFFICER, PASSWORD).await;
    tour.nav("爱心家庭", "families").await;
    tour.follow("李家", "family").await;
    let today = chrono::Local::now().date_naive();
    tour.fill("走访日期", &today.format("%Y-%m-%d").to_string())
        .await;
    tour.fill("住房情况", "住房宽敞整洁，儿童房间已布置。")
        .await;
    tour.fill("收入情况", "夫妻二人均有稳定工作。").await;
    tour.fill("家庭成员健康状况", "家庭成员身体健康。").await;
    tour.fill("培训情况", "已参加县民政局寄养家庭培训。").await;
    tour.fill("评估意见", "家庭和睦，照料经验丰富，适合寄养。")
        .await;
    tour.tick("是否推荐", "推荐（报县民政局审批）").await;
    tour.press("保存评估", "assessed").await;
    tour.see("家庭和睦，照料经验丰富，适合寄养。").await;
    tour.logout().await;

    // The county approves it.
    tour.login(ADMIN, PASSWORD).await;
    tour.nav("爱心家庭", "families-county").await;
    tour.follow("李家", "family-county").await;
    tour.fill("审批意见（不予批准时必填，家庭可以看到）", "同意。")
        .await;
    tour.press("批准", "family-approved").await;
    tour.logout().await;

    // The family posts a foster-care offer and proposes it for the need.
    tour.login(FAMILY, PASSWORD).await;
    tour.nav("我的服务", "my-offers").await;
    tour.follow("发布新服务", "offer-form").await;
    tour.choose("类别", "家庭寄养").await;
    tour.fill("标题", "李家提供家庭寄养").await;
    tour.fill("服务内容", "可寄养一名学龄儿童，接送上下学、辅导功课。")
        .await;
    tour.fill("名额", "1").await;
    tour.tick("服务乡镇（街道）", "全县（所有乡镇、街道）")
        .await;
    tour.press("发布服务", "offer-posted").await;
    tour.follow("查看适合的需求", "suggested-needs").await;
    tour.see(NEED_TITLE).await;
    tour.press("提出对接", "proposed").await;
    tour.see(NEED_TITLE).await;
    tour.logout().await;

    // The township approves and passes it to the county.
    tour.login(OFFICER, PASSWORD).await;
    tour.nav("对接", "matches").await;
    tour.follow(NEED_TITLE, "match").await;
    tour.open_section("批准（报县级审批）").await;
    tour.fill("审批意见", "家庭条件良好，同意寄养。").await;
    tour.fill(
        "交接说明",
        "请与青龙街道民政办王老师联系，约定接孩子的时间。",
    )
    .await;
    tour.press("批准（报县级审批）", "township-approved").await;
    tour.logout().await;

    // The county approves the placement.
    tour.login(ADMIN, PASSWORD).await;
    tour.nav("对接", "matches-county").await;
    tour.follow(NEED_TITLE, "match-county").await;
    tour.open_section("县级批准").await;
    tour.fill("审批意见", "同意。").await;
    tour.press("县级批准", "county-approved").await;
    // What the county answers for: the audit trail of the day.
    tour.nav("审计日志", "audit").await;
    tour.see("审批爱心家庭").await;
    tour.see("批准对接").await;
    tour.logout().await;

    // Now the family sees how to take over.
    tour.login(FAMILY, PASSWORD).await;
    tour.nav("对接", "family-matches").await;
    tour.follow(NEED_TITLE, "family-match").await;
    tour.see("约定接孩子的时间").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_family_is_approved_and_matched_for_foster_care_with_the_countys_approval() {
    let kit = Kit::start();
    let mut problems = Vec::new();
    for size in [Size::Desktop, Size::Phone] {
        let site = Site::start().await;
        site.app.seed_admin().await;
        staff(&site, OFFICER, Role::TownshipOfficer).await;
        seed_need(&site).await;
        let mut tour = kit.tour(&site, "family", size, Script::On).await;
        walk(&mut tour).await;
        problems.extend(tour.finish().await);
    }
    assert_no_problems(&problems);
}
