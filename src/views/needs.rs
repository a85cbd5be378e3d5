//! Need pages: the public projection (what providers and families see),
//! the staff page of a need with its decisions, the lists, and the form in
//! [`form`]. Nothing on the public pages comes from the child's file but
//! the projection.

pub mod form;

use crate::views::status::status_badge;
use maud::{Markup, html};

use crate::domain::Invalid;
use crate::domain::category::Category;
use crate::domain::need::NeedStatus;
use crate::domain::outcome::{NotMetReason, OutcomeInput, OutcomeKind};
use crate::domain::projection::PublicNeed;
use crate::services::needs::StaffNeed;
use crate::services::offers::OfferView;
use crate::services::suggestions::{OwnProposal, Suggested};

use super::components::{
    Choice, coded_options, csrf_field, error_summary, pagination, select, select_with, text_area,
    text_area_with,
};
use super::layout::{PageCtx, page};

/// The shown area of a projection: the township's name, or the county.
pub fn area_label(township_name: Option<&str>) -> String {
    township_name.unwrap_or("云阳县（县域）").to_owned()
}

fn quantity_text(p: &PublicNeed) -> String {
    match p.quantity {
        Some(q) => format!("{q} {}", p.category.quantity_unit()),
        None => "不限".to_owned(),
    }
}

pub fn projection_facts(p: &PublicNeed, area: &str) -> Markup {
    html! {
        dl.facts {
            dt { "需求编号" } dd { (p.code) }
            dt { "类别" } dd { (p.category.label()) }
            dt { "描述" } dd.text { (p.description) }
            dt { "数量" } dd { (quantity_text(p)) }
            dt { "地区" } dd { (area) }
            dt { "年龄段" } dd { (p.age_band.label()) }
            dt { "困境大类" } dd { (p.difficulty_class.label()) }
            dt { "紧急程度" } dd { (status_badge(p.urgency)) }
            dt { "状态" } dd { (status_badge(p.status)) }
        }
    }
}

/// The public projection of one need, with the caller's own offers to
/// propose one of, as the service gave them.
pub fn public_detail(ctx: &PageCtx<'_>, p: &PublicNeed, area: &str, own: &OwnProposal) -> Markup {
    page(
        &p.title,
        ctx,
        html! {
            (projection_facts(p, area))
            p.hint { "为保护儿童隐私，这里不显示儿童的姓名、具体年龄和住址。对接经乡镇（街道）民政干部审核后，由其转交服务所需的信息。" }
            @if p.status == NeedStatus::Published {
                @if let OwnProposal::Offers(offers) = own {
                    (own_offer_form(ctx, p, offers))
                }
            }
            p { a href="/needs" { "返回需求列表" } }
        },
    )
}

/// "用我的服务提出对接": one of the caller's offers (the best preselected,
/// each with its score), an optional note, one submit to `/matches`.
fn own_offer_form(ctx: &PageCtx<'_>, p: &PublicNeed, offers: &[Suggested<OfferView>]) -> Markup {
    let free: Vec<&Suggested<OfferView>> =
        offers.iter().filter(|s| s.open_match.is_none()).collect();
    html! {
        section.card.propose-own {
            h2 { "用我的服务提出对接" }
            @for s in offers.iter().filter(|s| s.open_match.is_some()) {
                p { "“" (s.item.offer.title) "”已与该需求对接："
                    a href={ "/matches/" (s.open_match.as_deref().unwrap_or_default()) } { "查看对接" } }
            }
            @if free.is_empty() {
                @if offers.is_empty() {
                    p.hint { "您目前没有能服务这条需求的服务（须为同一类别、覆盖该地区和年龄段、仍有名额且正在提供）。"
                        a href="/offers/new" { "发布服务" } }
                }
            } @else {
                form method="post" action="/matches" {
                    (csrf_field(ctx.csrf))
                    input type="hidden" name="need_code" value=(p.code);
                    fieldset.field {
                        legend { "选择我的服务" }
                        @for (i, s) in free.iter().enumerate() {
                            label.check {
                                input type="radio" name="offer_id" value=(s.item.offer.id) required checked[i == 0];
                                " " (s.item.offer.title) " "
                                span.score { "匹配度 " (s.score.total) " / 100" }
                            }
                        }
                    }
                    (text_area_with("note", "说明", "", &Invalid::new(),
                        Some("可不填，例如服务安排、可以开始的时间。请勿填写儿童的姓名、住址等个人信息。"), false))
                    button type="submit" { "用我的服务提出对接" }
                }
            }
        }
    }
}

/// The staff page of a need: the projection plus the file, status and decisions.
pub fn staff_detail(
    ctx: &PageCtx<'_>,
    n: &StaffNeed,
    area: &str,
    reason: &str,
    outcome: &OutcomeInput,
    close_errors: &Invalid,
) -> Markup {
    let need = &n.need;
    let status = n.public.status;
    let may = n.actions;
    page(
        &need.title,
        ctx,
        html! {
            dl.facts {
                dt { "儿童档案" } dd { a href={ "/children/" (need.child_id) } { (n.file_no) } }
                @if let Some(reason) = &need.closed_reason { dt { "关闭原因" } dd { (reason) } }
                dt { "登记时间" } dd { (crate::views::components::local_time(&need.created_at)) }
                @if let Some(at) = need.published_at { dt { "发布时间" } dd { (crate::views::components::local_time(&at)) } }
                @if let Some(o) = &n.outcome { dt { "成效" } dd { (o.describe()) } }
            }
            (escalation_card(ctx, n))
            h2 { "公开内容（服务机构看到的样子）" }
            (projection_facts(&n.public, area))
            @if status == NeedStatus::Draft {
                @if may.edit {
                    p.actions { a.button href={ "/needs/" (need.id) "/edit" } { "修改" } }
                }
                @if may.publish {
                    form.card method="post" action={ "/needs/" (need.id) "/publish" } {
                        (csrf_field(ctx.csrf))
                        p { "发布前请核对：公开内容中没有可识别儿童身份的信息；档案中已登记监护人同意发布匿名需求（或法定依据）。" }
                        button type="submit" { "发布需求" }
                    }
                } @else {
                    p.hint { "草稿由乡镇（街道）民政干部核对后发布。" }
                }
            }
            @if may.close {
                details.card open[!close_errors.is_empty()] {
                    summary { "关闭需求" }
                    form method="post" action={ "/needs/" (need.id) "/close" } {
                        (csrf_field(ctx.csrf))
                        (error_summary(close_errors, &[
                            ("reason", "关闭原因"),
                            ("outcome", "满足情况"),
                            ("delivered", "已提供的帮助"),
                            ("not_met_reason", "未满足的原因"),
                            ("outcome_note", "说明"),
                        ]))
                        (text_area("reason", "关闭原因", reason, close_errors, Some("例如：需求已由其他渠道解决、情况发生变化")))
                        (select(
                            "outcome",
                            "满足情况",
                            &coded_options(OutcomeKind::ALL, OutcomeKind::as_str, OutcomeKind::label),
                            outcome.outcome.as_deref().unwrap_or(""),
                            close_errors,
                        ))
                        (text_area_with("delivered", "已提供的帮助（部分满足时填写）", outcome.delivered.as_deref().unwrap_or(""), close_errors, Some("不要写儿童姓名、证件号、电话、住址"), false))
                        (select(
                            "not_met_reason",
                            "未满足的原因（未满足时选择）",
                            &coded_options(NotMetReason::ALL, NotMetReason::as_str, NotMetReason::label),
                            outcome.not_met_reason.as_deref().unwrap_or(""),
                            close_errors,
                        ))
                        (text_area_with("outcome_note", "说明（选择“其他原因”时填写）", outcome.note.as_deref().unwrap_or(""), close_errors, None, false))
                        button.secondary type="submit" { "确认关闭" }
                    }
                }
            }
            @if matches!(status, NeedStatus::Draft | NeedStatus::Published) {
                p { a href={ "/needs/" (need.id) "/suggestions" } { "查看推荐的服务" } }
            }
            @if may.propose {
                (super::matches::propose_card(ctx, super::matches::ProposeFrom::Need { code: &need.code, title: &need.title }))
            } @else if status != NeedStatus::Draft {
                p { a href={ "/matches?need=" (need.code) } { "查看相关的对接" } }
            }
            p { a href="/needs" { "返回需求列表" } }
        },
    )
}

/// The need's escalation steps and, when the sweep asked, the renewal.
fn escalation_card(ctx: &PageCtx<'_>, n: &StaffNeed) -> Markup {
    html! {
        @if !n.escalations.is_empty() {
            section.card aria-labelledby="escalations" {
                h2 #escalations { "督办记录" }
                ul {
                    @for step in &n.escalations {
                        li {
                            (crate::views::components::local_time(&step.at)) "：" (step.kind.label())
                            @if let Some(m) = &step.match_id {
                                "（" a href={ "/matches/" (m) } { "查看对接" } "）"
                            }
                        }
                    }
                }
            }
        }
        @if n.actions.renew {
            form.card method="post" action={ "/needs/" (n.need.id) "/renew" } {
                (csrf_field(ctx.csrf))
                p { "该需求长期无人对接。如仍需要帮助，请续期（重新计时）；否则请在下方关闭需求并说明原因和满足情况。" }
                button type="submit" { "续期" }
            }
        }
    }
}

fn status_tabs(status: Option<NeedStatus>) -> Markup {
    html! {
        nav.tabs aria-label="按状态筛选" {
            @for s in NeedStatus::ALL {
                a href={ "/needs?status=" (s.as_str()) } aria-current=[(status == Some(*s)).then_some("page")] { (s.label()) }
            }
            a href="/needs" aria-current=[status.is_none().then_some("page")] { "全部" }
        }
    }
}

/// Staff: the needs of their scope.
pub struct StaffNeedList<'a> {
    pub items: &'a [StaffNeed],
    pub status: Option<NeedStatus>,
    pub total: u64,
    pub limit: u64,
    pub offset: u64,
}

pub fn staff_list(
    ctx: &PageCtx<'_>,
    data: &StaffNeedList<'_>,
    area: &dyn Fn(Option<&str>) -> String,
) -> Markup {
    let base = match data.status {
        Some(s) => format!("/needs?status={}", s.as_str()),
        None => "/needs".to_owned(),
    };
    page(
        "儿童需求",
        ctx,
        html! {
            p.hint { "登记需求请从儿童档案页面进入。" }
            (status_tabs(data.status))
            @if data.items.is_empty() {
                p { "没有符合条件的需求。" }
            } @else {
                table.compact {
                    thead { tr { th { "需求编号" } th { "标题" } th { "儿童档案" } th { "状态" } th { "公开显示地区" } } }
                    tbody {
                        @for n in data.items {
                            tr {
                                td { a href={ "/needs/" (n.need.id) } { (n.need.code) } }
                                td { (n.need.title) }
                                td { a href={ "/children/" (n.need.child_id) } { (n.file_no) } }
                                td { (status_badge(n.public.status)) }
                                td { (area(n.public.township.as_deref())) }
                            }
                        }
                    }
                }
            }
            (pagination(&base, data.total, data.limit, data.offset))
        },
    )
}

/// Providers and families: published projections, with their filters.
pub struct PublicNeedList<'a> {
    pub items: &'a [PublicNeed],
    pub category: Option<Category>,
    pub township: Option<&'a str>,
    pub townships: &'a [(String, String)],
    pub total: u64,
    pub limit: u64,
    pub offset: u64,
}

fn filters(data: &PublicNeedList<'_>) -> Markup {
    let none = Invalid::new();
    let any = |label| Choice {
        hint: None,
        empty: label,
        required: false,
    };
    html! {
        form.filters method="get" action="/needs" {
            (select_with("category", "类别", &coded_options(Category::ALL, Category::as_str, Category::label),
                data.category.map(Category::as_str).unwrap_or(""), &none, &any("全部类别")))
            (select_with("township", "乡镇（街道）", data.townships, data.township.unwrap_or(""), &none, &any("全部地区")))
            button type="submit" { "筛选" }
        }
    }
}

pub fn public_list(
    ctx: &PageCtx<'_>,
    data: &PublicNeedList<'_>,
    area: &dyn Fn(Option<&str>) -> String,
) -> Markup {
    let mut query = form_urlencoded::Serializer::new(String::new());
    if let Some(c) = data.category {
        query.append_pair("category", c.as_str());
    }
    if let Some(t) = data.township {
        query.append_pair("township", t);
    }
    let query = query.finish();
    let base = if query.is_empty() {
        "/needs".to_owned()
    } else {
        format!("/needs?{query}")
    };
    page(
        "儿童需求",
        ctx,
        html! {
            p { "以下是乡镇（街道）发布的匿名化需求。为保护儿童隐私，人数较少的地区只显示到县。" }
            (filters(data))
            @if data.items.is_empty() {
                p { "没有符合条件的需求。" }
            } @else {
                table.compact {
                    thead { tr { th { "需求" } th { "类别" } th { "地区" } th { "年龄段" } th { "困境大类" } th { "紧急程度" } } }
                    tbody {
                        @for p in data.items {
                            tr {
                                td { a href={ "/needs/" (p.code) } { (p.title) } }
                                td { (p.category.label()) }
                                td { (area(p.township.as_deref())) }
                                td { (p.age_band.label()) }
                                td { (p.difficulty_class.label()) }
                                td { (status_badge(p.urgency)) }
                            }
                        }
                    }
                }
            }
            (pagination(&base, data.total, data.limit, data.offset))
        },
    )
}
