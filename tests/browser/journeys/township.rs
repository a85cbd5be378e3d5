//! A village supervisor drafts a child's file and a need; the township
//! officer completes the file, publishes the need and approves an NGO's
//! proposal; the NGO logs a service; the officer completes the match with
//! feedback.

use axum::http::StatusCode;
use carebridge::domain::Role;
use serde_json::json;

use super::accounts::{staff, verified_provider};
use crate::driver::{Script, Size};
use crate::helpers::{PASSWORD, id_number_for, offer_body};
use crate::tour::Tour;
use crate::{Kit, Site, assert_no_problems};

const SUPERVISOR: &str = "hongqi_supervisor";
const OFFICER: &str = "qinglong_officer";
const NGO: &str = "xiaoxin_ngo";
const NEED_TITLE: &str = "五年级语文作业辅导";

async fn walk(site: &Site, tour: &mut Tour<'_>) {
    let mut ngo = verified_provider(site, NGO).await;
    let offer_id = ngo
        .create_offer(offer_body(
            "tutoring",
            "小桔灯作业辅导",
            "志愿者放学后辅导语文、数学作业。",
            &["county"],
        ))
        .await;

    // The village supervisor drafts the file and the need.
    tour.login(SUPERVISOR, PASSWORD).await;
    tour.nav("儿童档案", "children").await;
    tour.follow("新建档案", "file-form").await;
    tour.fill("姓名", "柏小雨").await;
    tour.fill("身份证号码", &id_number_for("20150307", 21, false))
        .await;
    tour.choose("性别", "女").await;
    tour.choose("村（社区）", "红旗村").await;
    tour.fill("住址", "滨江路18号").await;
    tour.fill("监护人姓名", "柏建华").await;
    tour.fill("与儿童的关系", "父亲").await;
    tour.fill("监护人电话", "13912345678").await;
    tour.tick("困境类型", "家庭经济困难").await;
    tour.choose("救助类型", "最低生活保障（低保）").await;
    tour.tick("监护人同意", "监护人同意保存档案").await;
    tour.tick("监护人同意", "监护人同意发布匿名需求").await;
    tour.press("保存档案", "file-drafted").await;
    tour.follow("登记需求", "need-form").await;
    tour.choose("类别", "课业辅导（四点半课堂）").await;
    tour.fill("标题", NEED_TITLE).await;
    tour.fill("描述", "希望每周三次放学后辅导语文作业。").await;
    tour.fill("数量（选填）", "1").await;
    tour.choose("紧急程度", "一般").await;
    tour.press("保存草稿", "need-drafted").await;
    tour.see(NEED_TITLE).await;
    tour.logout().await;

    // The township officer completes the file and publishes the need.
    tour.login(OFFICER, PASSWORD).await;
    tour.nav("儿童档案", "children").await;
    tour.follow_in_row("柏", "file").await;
    tour.press("完善档案", "file-completed").await;
    tour.follow_in_row(NEED_TITLE, "need").await;
    tour.press("发布需求", "need-published").await;
    let code = tour.fact("需求编号").await;

    // The NGO proposes through its API (its pages are the NGO journey's).
    ngo.post_json(
        "/api/v1/matches",
        json!({"need_code": code, "offer_id": offer_id, "note": "可以本周开始。"}),
    )
    .await
    .assert_status(StatusCode::CREATED);

    // The officer approves the proposal.
    tour.nav("对接", "matches").await;
    tour.follow(NEED_TITLE, "match").await;
    tour.open_section("批准对接").await;
    tour.fill("审批意见", "同意，请按交接说明联系。").await;
    tour.fill(
        "交接说明",
        "请与青龙街道民政办王老师联系，在街道社工站开始服务。",
    )
    .await;
    tour.press("批准对接", "match-approved").await;
    tour.logout().await;

    // The NGO logs a service.
    tour.login(NGO, PASSWORD).await;
    tour.nav("对接", "ngo-matches").await;
    tour.follow(NEED_TITLE, "ngo-match").await;
    tour.see("在街道社工站开始服务").await;
    tour.open_section("登记服务").await;
    tour.fill("服务时长（小时）", "2").await;
    tour.fill("服务内容", "辅导语文作业，练习阅读理解。").await;
    tour.press("登记服务", "service-logged").await;
    tour.see("辅导语文作业，练习阅读理解。").await;
    tour.logout().await;

    // The officer completes the match with feedback.
    tour.login(OFFICER, PASSWORD).await;
    tour.nav("对接", "matches-again").await;
    tour.follow(NEED_TITLE, "match-in-service").await;
    tour.open_section("确认完成").await;
    tour.fill("服务评价", "志愿者认真负责，孩子作业按时完成。")
        .await;
    tour.choose("评分", "5分（非常满意）").await;
    tour.press("确认完成", "match-completed").await;
    tour.see("志愿者认真负责，孩子作业按时完成。").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_and_need_go_from_village_draft_to_a_completed_match() {
    let kit = Kit::start();
    let mut problems = Vec::new();
    for size in [Size::Desktop, Size::Phone] {
        let site = Site::start().await;
        staff(&site, SUPERVISOR, Role::VillageSupervisor).await;
        staff(&site, OFFICER, Role::TownshipOfficer).await;
        let mut tour = kit.tour(&site, "township", size, Script::On).await;
        walk(&site, &mut tour).await;
        problems.extend(tour.finish().await);
    }
    assert_no_problems(&problems);
}
