//! An NGO registers through the registration page, the county verifies it,
//! it posts an offer, finds a need and proposes its offer for it.

use crate::driver::{Script, Size};
use crate::helpers::{
    ADMIN, PASSWORD, TOWNSHIP_A, VILLAGE_A, child_body, credit_code_for, id_number_for,
};
use crate::tour::Tour;
use crate::{Kit, Site, assert_no_problems};
use carebridge::domain::Role;

/// A published tutoring need in township A, written by its officer
/// through the API: the township's side is another journey.
async fn seed(site: &Site) {
    site.app.seed_admin().await;
    let mut officer = site.app.login_as(Role::TownshipOfficer).await;
    let child = officer
        .create_child(child_body(
            "柏小雨",
            &id_number_for("20150307", 11, false),
            TOWNSHIP_A,
            VILLAGE_A,
        ))
        .await;
    officer.publish_need(&child).await;
}

async fn walk(tour: &mut Tour<'_>) {
    let username = "yangguang_charity";
    tour.visit("/", "home").await;
    tour.nav("机构注册", "registration-form").await;
    tour.choose("机构类型", "慈善组织").await;
    tour.fill("机构名称", "云阳县阳光助学慈善会").await;
    tour.fill("统一社会信用代码", &credit_code_for(username))
        .await;
    tour.fill("联系人", "陈女士").await;
    tour.fill("联系电话", "13912345678").await;
    tour.tick("服务的乡镇（街道）", "青龙街道").await;
    tour.fill(
        "机构简介与可提供的服务",
        "组织大学生志愿者为困境儿童辅导功课。",
    )
    .await;
    tour.fill("用户名", username).await;
    tour.fill("密码", PASSWORD).await;
    tour.fill("再次输入密码", PASSWORD).await;
    tour.press("提交注册", "registered").await;
    tour.see("登录").await;

    tour.login(ADMIN, PASSWORD).await;
    tour.nav("服务机构", "provider-queue").await;
    tour.follow("云阳县阳光助学慈善会", "provider-page").await;
    tour.fill("审核意见（不通过时必填，机构可以看到）", "材料齐全。")
        .await;
    tour.press("审核通过", "verified").await;
    tour.logout().await;

    tour.login(username, PASSWORD).await;
    tour.nav("我的服务", "my-offers").await;
    tour.follow("发布新服务", "offer-form").await;
    tour.choose("类别", "课业辅导（四点半课堂）").await;
    tour.fill("标题", "周末数学辅导").await;
    tour.fill(
        "服务内容",
        "大学生志愿者每周六上午辅导小学数学，每次两小时。",
    )
    .await;
    tour.fill("名额", "5").await;
    tour.tick("服务乡镇（街道）", "全县（所有乡镇、街道）")
        .await;
    tour.fill("从", "6").await;
    tour.fill("岁 到", "14").await;
    tour.fill("时间安排", "每周六上午9:00–11:00").await;
    tour.press("发布服务", "offer-posted").await;
    tour.see("周末数学辅导").await;

    // From the need itself: the offer that fits is offered with its score.
    tour.nav("儿童需求", "needs").await;
    tour.follow("四年级数学课业辅导", "need").await;
    tour.see("用我的服务提出对接").await;
    tour.see("匹配度").await;
    tour.fill("说明", "可以从下周六开始。").await;
    tour.press("用我的服务提出对接", "proposed").await;
    tour.see("周末数学辅导").await;
    tour.see("四年级数学课业辅导").await;
    tour.see("可以从下周六开始。").await;
    // The offer's own suggestions show the need as already in hand.
    tour.nav("我的服务", "my-offers-again").await;
    tour.follow("周末数学辅导", "offer").await;
    tour.follow("查看适合的需求", "suggested-needs").await;
    tour.see("四年级数学课业辅导").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ngo_registers_is_verified_posts_an_offer_and_proposes_it_for_a_need() {
    let kit = Kit::start();
    let mut problems = Vec::new();
    for size in [Size::Desktop, Size::Phone] {
        let site = Site::start().await;
        seed(&site).await;
        let mut tour = kit.tour(&site, "ngo", size, Script::On).await;
        walk(&mut tour).await;
        problems.extend(tour.finish().await);
    }
    assert_no_problems(&problems);
}
