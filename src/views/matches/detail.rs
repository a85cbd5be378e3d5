//! The page of one match: the need (an owner sees its projection only),
//! the offer, the status, the handover note when the viewer may see it,
//! the service records, the timeline, and one small form for each move the
//! viewer may make now.

use maud::{Markup, html};

use crate::domain::category::Category;
use crate::domain::matching::{Action, MatchStatus, Party, ProposedSide, owner_sees_handover};
use crate::domain::outcome::OutcomeKind;
use crate::services::matches::{EventView, MatchDetail, records_amount};
use crate::views::components::{DATE_HINT, csrf_field};
use crate::views::layout::{PageCtx, page};
use crate::views::needs::projection_facts;
use crate::views::offers::remaining_text;

use super::fields::{Control, Field, field};
use super::status_badge;

pub use super::fields::Failed;

/// Everything the page shows.
pub struct MatchPage<'a> {
    pub detail: &'a MatchDetail,
    /// The area the need's projection shows (a township's name or the county).
    pub need_area: &'a str,
    /// The form that was refused, if any.
    pub failed: Option<&'a Failed<'a>>,
}

fn when(at: &chrono::DateTime<chrono::Utc>) -> String {
    crate::views::components::local_time(at)
}

fn event_label(e: &EventView) -> &'static str {
    match e.action.as_str() {
        "propose" => "提出对接",
        "suggest" => "推荐对接",
        "service" => "登记服务",
        "handover" => "更新交接说明",
        "consent_withdrawn" => "监护人撤回发布同意，待乡镇决定",
        "outcome_note" => "填写成效说明",
        other => other.parse::<Action>().map(Action::label).unwrap_or("操作"),
    }
}

fn timeline(events: &[EventView]) -> Markup {
    html! {
        h2 { "办理经过" }
        ol.timeline {
            @for e in events {
                li {
                    span.when { (when(&e.at)) } " "
                    strong { (e.actor_name) } "（" (e.actor_role.label()) "）"
                    (event_label(e))
                    @if e.from != Some(e.to) { "，状态：" (e.to.label()) }
                    @if let Some(note) = &e.note { p.text { (note) } }
                }
            }
        }
    }
}

fn services(d: &MatchDetail) -> Markup {
    // Donations show what each record gave (in the need's unit).
    let amounts = records_amount(d.category);
    let unit = d.category.quantity_unit();
    html! {
        @if !d.services.is_empty() {
            h2 { "服务记录" }
            table.compact {
                thead { tr {
                    th { "服务日期" } th { "时长" }
                    @if amounts { th { "数额" } }
                    th { "志愿者" } th { "服务内容" }
                } }
                tbody {
                    @for s in &d.services {
                        tr {
                            td { (s.served_on) }
                            td { @if let Some(h) = s.hours { (h) " 小时" } @else { "—" } }
                            @if amounts {
                                td { @if let Some(a) = s.amount { (a) " " (unit) } @else { "—" } }
                            }
                            td { (d.served_by.iter().filter(|(r, _)| *r == s.id).map(|(_, n)| n.as_str()).collect::<Vec<_>>().join("、")) }
                            td.text { (s.summary) }
                        }
                    }
                }
            }
        }
    }
}

fn handover(d: &MatchDetail) -> Markup {
    html! {
        h2 { "交接说明" }
        @match &d.record.handover_note {
            Some(note) => p.text { (note) },
            None if d.party == Party::Owner && owner_sees_handover(d.status) => p.hint { "乡镇（街道）民政干部尚未填写交接说明。" },
            None if d.party == Party::Owner => p.hint { "对接批准后，乡镇（街道）民政干部会在这里写明开始服务所需的交接事项。儿童的身份信息不会在平台上公开。" },
            None => p.hint { "尚未填写。批准时或批准后可以填写，服务方在批准后才能看到；请勿写入儿童的姓名、身份证号、电话或住址。" },
        }
    }
}

const RATINGS: [(&str, &str); 5] = [
    ("5", "5分（非常满意）"),
    ("4", "4分（满意）"),
    ("3", "3分（一般）"),
    ("2", "2分（不太满意）"),
    ("1", "1分（不满意）"),
];

/// The button of a move, in the words of this viewer and state.
fn button_label(action: Action, d: &MatchDetail) -> &'static str {
    match action {
        Action::Approve if d.status == MatchStatus::Proposed && d.party == Party::Officer => {
            if crate::domain::matching::needs_county_approval(d.category) {
                "批准（报县级审批）"
            } else {
                "批准对接"
            }
        }
        Action::Approve => "县级批准",
        Action::Withdraw if d.status == MatchStatus::Suggested && d.party == Party::Owner => {
            "不接受推荐"
        }
        Action::Handover => "填写交接说明",
        other => other.label(),
    }
}

/// The amount field of a donation's service record: its label and hint.
fn amount_field(category: Category) -> Option<(&'static str, &'static str)> {
    if !records_amount(category) {
        return None;
    }
    Some(match category {
        Category::DonationMoney => ("本次捐赠金额（元）", "必填；整数，单位：元"),
        _ => ("本次捐赠物资数量（件）", "必填；整数，单位：件"),
    })
}

fn fields_of<'a>(
    action: Action,
    d: &'a MatchDetail,
    today: &'a str,
    ratings: &'a [(String, String)],
    outcomes: &'a [(String, String)],
) -> Vec<Field<'a>> {
    let text = |name, label, hint, required| Field {
        name,
        label,
        control: Control::Area,
        value: "",
        hint,
        required,
    };
    let staff_hint = Some("服务方会看到这段文字，请勿写入儿童的姓名、身份证号、电话或住址。");
    match action {
        Action::Accept => vec![text("note", "说明", None, false)],
        Action::Approve if d.party == Party::Officer => vec![
            text("note", "审批意见", staff_hint, false),
            Field {
                value: d.record.handover_note.as_deref().unwrap_or(""),
                ..text(
                    "handover_note",
                    "交接说明",
                    Some(
                        "服务方在对接最终批准后看到，例如与谁联系、在哪里开始服务。请勿写入儿童的姓名、身份证号、电话、村（社区）或住址。",
                    ),
                    false,
                )
            },
        ],
        Action::Approve => vec![text("note", "审批意见", staff_hint, false)],
        Action::Reject => vec![text("reason", "不予批准的原因", staff_hint, true)],
        Action::Withdraw => vec![text("reason", "原因", None, false)],
        Action::Cancel => vec![text("reason", "取消原因", None, true)],
        Action::Services => {
            let mut fields = vec![
                Field {
                    name: "served_on",
                    label: "服务日期",
                    control: Control::Input("date"),
                    value: today,
                    hint: Some(DATE_HINT),
                    required: true,
                },
                Field {
                    name: "hours",
                    label: "服务时长（小时）",
                    control: Control::Input("number"),
                    value: "",
                    hint: Some("可不填；大于0且不超过24"),
                    required: false,
                },
            ];
            // A donation's record says what it gave, in the need's unit.
            if let Some((label, hint)) = amount_field(d.category) {
                fields.push(Field {
                    name: "amount",
                    label,
                    control: Control::Input("integer"),
                    value: "",
                    hint: Some(hint),
                    required: true,
                });
            }
            fields.push(text("summary", "服务内容", None, true));
            fields.push(Field {
                name: "volunteers",
                label: "参与服务的志愿者",
                control: Control::Checkboxes(&d.volunteers),
                value: "",
                hint: Some("可多选；名单在“志愿者”页维护"),
                required: false,
            });
            fields
        }
        Action::Complete => vec![
            text("feedback", "服务评价", staff_hint, true),
            Field {
                name: "rating",
                label: "评分",
                control: Control::Select(ratings),
                value: "",
                hint: None,
                required: true,
            },
        ],
        Action::Continue => vec![text(
            "note",
            "说明",
            Some("例如：已与监护人沟通，继续服务至本学期结束。服务方会看到这段文字。"),
            false,
        )],
        Action::OutcomeNote if d.party == Party::Officer => vec![
            Field {
                name: "outcome",
                label: "需求的满足情况",
                control: Control::Select(outcomes),
                value: "",
                hint: None,
                required: true,
            },
            text("note", "成效说明", staff_hint, true),
        ],
        Action::OutcomeNote => vec![text(
            "note",
            "成效说明",
            Some(
                "例如：服务了几次、孩子和家庭有什么变化。请勿写入儿童的姓名、身份证号、电话或住址。",
            ),
            true,
        )],
        Action::Handover => vec![Field {
            value: d.record.handover_note.as_deref().unwrap_or(""),
            ..text(
                "handover_note",
                "交接说明",
                Some("服务方可以看到。请勿写入儿童的姓名、身份证号、电话、村（社区）或住址。"),
                true,
            )
        }],
    }
}

/// The outcome notes of a completed match, and the caller's form while
/// its note is asked for (once; the inbox points here).
fn outcome_notes(ctx: &PageCtx<'_>, data: &MatchPage<'_>, outcomes: &[(String, String)]) -> Markup {
    let d = data.detail;
    let r = &d.record;
    let officer = r
        .officer_outcome
        .as_deref()
        .and_then(|c| c.parse::<OutcomeKind>().ok());
    let action = Action::OutcomeNote;
    html! {
        @if d.status == MatchStatus::Completed {
            h2 { "服务成效" }
            dl.facts {
                dt { "乡镇评价" }
                dd {
                    @match (officer, &r.officer_outcome_note) {
                        (Some(kind), Some(note)) => { (kind.label()) p.text { (note) } },
                        _ => span.hint { "尚未填写" },
                    }
                }
                dt { "服务方说明" }
                dd {
                    @match &r.owner_outcome_note {
                        Some(note) => p.text { (note) },
                        None => span.hint { "尚未填写" },
                    }
                }
            }
            @if d.outcome_note_asked {
                section.card.move {
                    h3 { (action.label()) }
                    form method="post" action={ "/matches/" (r.id) "/" (action.as_str()) } {
                        (csrf_field(ctx.csrf))
                        @for f in fields_of(action, d, "", &[], outcomes) {
                            (field(action, &f, data.failed))
                        }
                        button type="submit" { "提交成效说明" }
                    }
                }
            }
        }
    }
}

fn move_forms(ctx: &PageCtx<'_>, data: &MatchPage<'_>) -> Markup {
    let d = data.detail;
    let today = chrono::Local::now().date_naive().to_string();
    let ratings: Vec<(String, String)> = RATINGS
        .iter()
        .map(|(v, t)| ((*v).to_owned(), (*t).to_owned()))
        .collect();
    let outcomes: Vec<(String, String)> = OutcomeKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), k.label().to_owned()))
        .collect();
    html! {
        (outcome_notes(ctx, data, &outcomes))
        @if !d.allowed.is_empty() {
            h2 { "办理" }
            // Every move the state allows is shown open, each with the
            // fields it needs: a decision is one tap, not two.
            @for action in &d.allowed {
                section.card.move {
                    h3 { (button_label(*action, d)) }
                    form method="post" action={ "/matches/" (d.record.id) "/" (action.as_str()) } {
                        (csrf_field(ctx.csrf))
                        @for f in fields_of(*action, d, &today, &ratings, &outcomes) {
                            (field(*action, &f, data.failed))
                        }
                        button type="submit" { (button_label(*action, d)) }
                    }
                }
            }
        }
    }
}

pub fn detail(ctx: &PageCtx<'_>, data: &MatchPage<'_>) -> Markup {
    let d = data.detail;
    let o = &d.offer.offer;
    let need_link = match &d.need_id {
        Some(id) => format!("/needs/{id}"),
        None => format!("/needs/{}", d.need.code),
    };
    page(
        &format!("对接：{}", d.need.title),
        ctx,
        html! {
            @if let (Some(since), true) = (d.record.review_since, d.party != Party::Owner) {
                div.notice role="alert" {
                    p {
                        "监护人已于 " (when(&since)) " 撤回发布需求的同意。该对接仍在服务，"
                        "请与监护人沟通后决定：继续服务，或取消对接（取消后名额退回服务方）。"
                    }
                }
            }
            dl.facts {
                dt { "状态" } dd { (status_badge(d.status)) }
                dt { "提出方式" } dd { (d.side.label()) }
                dt { "需求" } dd { a href=(need_link) { (d.need.code) " " (d.need.title) } }
                dt { "服务" } dd { a href={ "/offers/" (o.id) } { (o.title) } "（" (o.owner_name) "）" }
                dt { "名额" } dd { (remaining_text(o)) }
                @if let Some(note) = &d.record.note {
                    dt { @if d.side == ProposedSide::Officer { "推荐说明" } @else { "对接说明" } }
                    dd.text { (note) }
                }
                @if let Some(feedback) = &d.record.feedback { dt { "服务评价" } dd.text { (feedback) } }
                @if let Some(rating) = d.record.rating { dt { "评分" } dd { (rating) " / 5" } }
            }
            (move_forms(ctx, data))
            (handover(d))
            h2 { "需求（匿名）" }
            (projection_facts(&d.need, data.need_area))
            (services(d))
            (timeline(&d.events))
            p { a href="/matches" { "返回对接列表" } }
        },
    )
}
