//! Suggestion pages: for staff, the offers ranked for a need, each with a
//! form that suggests the match to the offer's owner; for an offer's owner,
//! the needs (public projections only) ranked for the offer, each with a
//! form that proposes the match. Both forms post to `/matches`.

use crate::views::status::status_badge;
use maud::{Markup, html};

use chrono::{DateTime, Utc};

use crate::domain::Role;
use crate::domain::dates::day_text;
use crate::domain::need::NeedStatus;
use crate::domain::projection::PublicNeed;
use crate::domain::referral::office_day;
use crate::domain::scoring::Score;
use crate::services::offers::OfferView;
use crate::services::suggestions::{NeedSuggestions, OfferSuggestions, Suggested};

use super::components::{csrf_field, pagination};
use super::layout::{PageCtx, page};
use super::offers::{ages_text, remaining_text};

/// The score and each of its reasons, as a short list.
fn score_block(score: &Score) -> Markup {
    html! {
        p { strong { "匹配度 " (score.total) " / 100" } }
        ul.suggestions aria-label="推荐理由" {
            @for r in &score.reasons {
                li { (r.text) "（+" (r.points) "）" }
            }
        }
    }
}

/// The form that proposes (or suggests) `need_code` × `offer_id`, or a
/// link to the match that is already open.
fn match_form(
    ctx: &PageCtx<'_>,
    need_code: &str,
    offer_id: &str,
    open_match: Option<&str>,
    n: usize,
    label: &str,
) -> Markup {
    let note = format!("note-{n}");
    html! {
        @if let Some(id) = open_match {
            p { "已有进行中的对接。" a href={ "/matches/" (id) } { "查看对接" } }
        } @else {
            form method="post" action="/matches" {
                (csrf_field(ctx.csrf))
                input type="hidden" name="need_code" value=(need_code);
                input type="hidden" name="offer_id" value=(offer_id);
                div.field {
                    label for=(note) { "附言（可不填）" }
                    input id=(note) name="note" type="text" maxlength="500";
                }
                button type="submit" { (label) }
            }
        }
    }
}

fn offer_item(
    ctx: &PageCtx<'_>,
    s: &Suggested<OfferView>,
    area: &str,
    form: Option<(&str, usize)>,
) -> Markup {
    let o = &s.item.offer;
    html! {
        li {
            h2 { a href={ "/offers/" (o.id) } { (o.title) } }
            p.meta {
                span { (o.owner_name) }
                span { (o.category.label()) }
                span { "服务地区：" (area) }
                span { "适合年龄：" (ages_text(o)) }
                span { (remaining_text(o)) }
            }
            (score_block(&s.score))
            @if let Some((need_code, n)) = form {
                (match_form(ctx, need_code, &o.id, s.open_match.as_deref(), n, "推荐给该机构"))
            } @else if let Some(id) = &s.open_match {
                p { "已有进行中的对接。" a href={ "/matches/" (id) } { "查看对接" } }
            }
        }
    }
}

/// A widened need's page says since when and what widening means: the
/// escalation offered it to every county-wide offer, whatever its
/// category, in the suggestions those offers' owners read; this list
/// stays the need's own category.
fn widened_notice(at: DateTime<Utc>) -> Markup {
    html! {
        p.notice {
            strong { "已扩大推荐范围" }
            "（" (day_text(office_day(at))) "起）：该需求发布后长期无人提出对接，系统已将它推荐给服务全县的各类服务机构和家庭，"
            "包括其他服务类别——它们在自己服务的“推荐需求”中会看到这条需求。下面仍只列出同类别的服务；"
            "如有合适的全县服务，也可以在该服务的推荐需求中发起对接。"
        }
    }
}

/// Staff: the offers ranked for a need. `need_area` names the need's
/// township; `offer_area` the area of an offer.
pub fn for_need(
    ctx: &PageCtx<'_>,
    data: &NeedSuggestions,
    need_area: &str,
    offer_area: &dyn Fn(&OfferView) -> String,
    limit: u64,
    offset: u64,
) -> Markup {
    let need = &data.need;
    let published = need.status == NeedStatus::Published;
    let officer = ctx.user.is_some_and(|u| u.role == Role::TownshipOfficer);
    let base = format!("/needs/{}/suggestions", need.id);
    page(
        &format!("推荐服务：{}", need.title),
        ctx,
        html! {
            dl.facts {
                dt { "需求编号" } dd { a href={ "/needs/" (need.id) } { (need.code) } }
                dt { "类别" } dd { (need.category.label()) }
                dt { "描述" } dd.text { (need.description) }
                dt { "所在乡镇（街道）" } dd { (need_area) }
                dt { "年龄段" } dd { (data.age_band.map_or("已满18岁", |b| b.label())) }
                dt { "困境大类" } dd { (data.difficulty_class.label()) }
                dt { "状态" } dd { (status_badge(need.status)) }
            }
            p.hint { "按匹配度排序：服务地区、适合年龄、剩余名额、内容相关度和服务方以往的服务记录。只列出同类别、服务该乡镇（街道）或全县、尚有名额的服务。" }
            @if let Some(at) = need.widened_at {
                (widened_notice(at))
            }
            @if !published {
                p.notice { "需求发布后才能推荐给服务方。" }
            } @else if !officer {
                p.hint { "推荐由乡镇（街道）民政干部发出。" }
            }
            @if data.items.is_empty() {
                p { "暂时没有合适的服务。" }
            } @else {
                ol.results {
                    @for (i, s) in data.items.iter().enumerate() {
                        @let form = (published && officer).then_some((need.code.as_str(), i));
                        (offer_item(ctx, s, &offer_area(&s.item), form))
                    }
                }
            }
            (pagination(&base, data.total, limit, offset))
            p { a href={ "/needs/" (need.id) } { "返回需求" } }
        },
    )
}

fn need_item(
    ctx: &PageCtx<'_>,
    s: &Suggested<PublicNeed>,
    area: &str,
    form: Option<(&str, usize)>,
) -> Markup {
    let p = &s.item;
    html! {
        li {
            h2 { a href={ "/needs/" (p.code) } { (p.title) } }
            p.meta {
                span { (p.code) }
                span { (p.category.label()) }
                span { "地区：" (area) }
                span { "年龄段：" (p.age_band.label()) }
                span { "困境大类：" (p.difficulty_class.label()) }
                span { (status_badge(p.urgency)) }
            }
            p.snippet { (p.description) }
            (score_block(&s.score))
            @if let Some((offer_id, n)) = form {
                (match_form(ctx, &p.code, offer_id, s.open_match.as_deref(), n, "提出对接"))
            }
        }
    }
}

/// The owner: the needs ranked for an offer. `need_area` names the area a
/// projection shows; `offer_area` is the offer's area.
pub fn for_offer(
    ctx: &PageCtx<'_>,
    data: &OfferSuggestions,
    offer_area: &str,
    need_area: &dyn Fn(Option<&str>) -> String,
    limit: u64,
    offset: u64,
) -> Markup {
    let o = &data.offer.offer;
    let open = data.offer.status().is_open() && o.remaining > 0;
    let base = format!("/offers/{}/suggestions", o.id);
    page(
        &format!("适合的需求：{}", o.title),
        ctx,
        html! {
            dl.facts {
                dt { "服务" } dd { a href={ "/offers/" (o.id) } { (o.title) } }
                dt { "类别" } dd { (o.category.label()) }
                dt { "服务地区" } dd { (offer_area) }
                dt { "适合年龄" } dd { (ages_text(o)) }
                dt { "名额" } dd { (remaining_text(o)) }
            }
            p.hint { "按匹配度排序：地区、年龄段和内容相关度。这里只显示匿名化后的需求；为保护儿童隐私，人数较少的地区只显示到县，这类需求只推荐给服务全县的项目。提出对接后由乡镇（街道）民政干部审核。" }
            @if !open {
                p.notice { "该服务已暂停、结束或没有剩余名额，暂不推荐需求。" }
            } @else if data.items.is_empty() {
                p { "暂时没有合适的需求。" }
            } @else {
                ol.results {
                    @for (i, s) in data.items.iter().enumerate() {
                        (need_item(ctx, s, &need_area(s.item.township.as_deref()), Some((o.id.as_str(), i))))
                    }
                }
            }
            (pagination(&base, data.total, limit, offset))
            p { a href={ "/offers/" (o.id) } { "返回服务" } }
        },
    )
}
