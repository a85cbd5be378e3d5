//! A member of the public searches the portal's services: keyword, a
//! category filter, a facet, a result.

use crate::driver::{Script, Size};
use crate::helpers::{TOWNSHIP_A, TOWNSHIP_B, offer_body};
use crate::tour::Tour;
use crate::{Kit, Site, assert_no_problems};

/// Two organisations' offers to find, seeded through the API.
async fn seed(site: &Site) {
    let mut provider = site.app.verified_provider().await;
    provider
        .create_offer(offer_body(
            "tutoring",
            "四点半课堂数学辅导",
            "每周二、四放学后在村活动室辅导小学生数学作业。",
            &[TOWNSHIP_A],
        ))
        .await;
    provider
        .create_offer(offer_body(
            "companionship",
            "大学生志愿者结对陪伴",
            "志愿者每月两次上门陪伴，辅导作业、一起读书。",
            &[TOWNSHIP_A, TOWNSHIP_B],
        ))
        .await;
    let mut other = site.app.verified_provider().await;
    other
        .create_offer(offer_body(
            "rehabilitation",
            "孤独症儿童康复训练",
            "专业康复师一对一训练，每周三次。",
            &[TOWNSHIP_B],
        ))
        .await;
}

async fn walk(tour: &mut Tour<'_>) {
    tour.visit("/", "home").await;
    tour.nav("搜索", "search-page").await;
    tour.fill("关键词", "辅导").await;
    tour.press("搜索", "keyword-results").await;
    tour.see("四点半课堂数学辅导").await;
    tour.see("大学生志愿者结对陪伴").await;
    tour.not_see("孤独症儿童康复训练").await;

    tour.choose("类别", "结对陪伴（1+1+N）").await;
    tour.press("按条件搜索", "category-filter").await;
    tour.see("大学生志愿者结对陪伴").await;
    tour.not_see("四点半课堂数学辅导").await;

    tour.fill("关键词", "康复").await;
    tour.choose("类别", "全部类别").await;
    tour.press("搜索", "other-keyword").await;
    tour.see("孤独症儿童康复训练").await;
    tour.follow("南溪镇", "township-facet").await;
    tour.follow("孤独症儿童康复训练", "result").await;
    tour.see("专业康复师一对一训练").await;
}

/// The public search at both sizes, and once more at phone size with
/// JavaScript switched off: no step needs it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_finds_a_service_by_keyword_filter_and_facet() {
    let kit = Kit::start();
    let mut problems = Vec::new();
    for (size, script) in [
        (Size::Desktop, Script::On),
        (Size::Phone, Script::On),
        (Size::Phone, Script::Off),
    ] {
        let site = Site::start().await;
        seed(&site).await;
        let mut tour = kit.tour(&site, "public-search", size, script).await;
        walk(&mut tour).await;
        // The JavaScript switch took effect: the page's task queue runs
        // with it on and does not with it off (see `checks::scripting`).
        let scripting = tour.scripting().expect("pages were checked");
        assert_eq!(scripting.timers, script == Script::On, "{scripting:?}");
        problems.extend(tour.finish().await);
    }
    assert_no_problems(&problems);
}
