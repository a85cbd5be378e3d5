//! The township's report queue, the county's overview and one report with
//! the form of each step its state allows.

use chrono::{DateTime, Utc};
use maud::{Markup, html};

use crate::db::reports::TownshipCounts;
use crate::domain::Invalid;
use crate::domain::report::{
    Decision, InterventionKind, Placement, ReportStatus, RiskFactor, RiskLevel, StepKind,
};
use crate::services::reports::StepDetail;
use crate::services::reports::view::Queue;
use crate::services::reports::view::{Action, QueueItem, ReportDetail};

use crate::views::components::{
    Choice, FieldLabels, checkboxes_with, coded_options, csrf_field, error_summary, local_time,
    pagination, select, select_with, text_area, text_area_with, text_field,
};
use crate::views::layout::{PageCtx, page};
use crate::views::status::status_badge;

/// How long ago, in words: `35 分钟`, `5 小时`, `3 天`.
fn age(since: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let minutes = (now - since).num_minutes().max(0);
    if minutes < 60 {
        format!("{minutes} 分钟")
    } else if minutes < 48 * 60 {
        format!("{} 小时", minutes / 60)
    } else {
        format!("{} 天", minutes / (24 * 60))
    }
}

fn deadline(item: &QueueItem, now: DateTime<Utc>) -> Markup {
    html! {
        @if item.escalated {
            span.overdue-flag { "超时未响应，已上报县级督办" }
        } @else if item.overdue {
            span.overdue-flag { "已超过首次响应时限 " (age(item.response_due, now)) }
        } @else if item.status.awaits_response() {
            "须在 " (local_time(&item.response_due)) " 前首次响应"
        } @else if item.follow_up_overdue {
            span.overdue-flag { "回访已逾期" }
        } @else if let Some(due) = item.follow_up_due.filter(|_| item.status.needs_follow_up()) {
            "回访期限 " (local_time(&due))
        } @else {
            "—"
        }
    }
}

/// What the queue page shows.
pub struct QueueData<'a> {
    pub queue: &'a Queue,
    pub status: Option<ReportStatus>,
    pub township: Option<&'a str>,
    pub township_name: &'a dyn Fn(&str) -> String,
    pub limit: u64,
    pub offset: u64,
}

fn filters(data: &QueueData<'_>) -> Markup {
    let statuses = coded_options(ReportStatus::ALL, ReportStatus::as_str, ReportStatus::label);
    let selected = data.status.map(|s| s.as_str()).unwrap_or("");
    html! {
        form.filters method="get" action="/reports" {
            @if let Some(township) = data.township {
                input type="hidden" name="township" value=(township);
            }
            (select_with("status", "状态", &statuses, selected, &Invalid::new(), &Choice { hint: None, empty: "全部未结案", required: false }))
            button type="submit" { "筛选" }
        }
    }
}

pub fn queue(ctx: &PageCtx<'_>, data: &QueueData<'_>) -> Markup {
    let q = data.queue;
    let now = q.now;
    let mut base = String::from("/reports?");
    if let Some(s) = data.status {
        base.push_str(&format!("status={}&", s.as_str()));
    }
    if let Some(t) = data.township {
        base.push_str(&format!("township={t}&"));
    }
    let base = base.trim_end_matches(['&', '?']).to_owned();
    page(
        "强制报告",
        ctx,
        html! {
            p { "儿童遭受侵害、无人照料等情况的报告。紧急报告排在最前；超过首次响应时限的标红，超过两倍时限的同时进入县级待办。" }
            @if let Some(rows) = &q.by_township {
                h2 { "各乡镇（街道）" }
                (overview(rows, data.township_name))
                @if let Some(t) = data.township {
                    p { "只显示 " ((data.township_name)(t)) " 的报告。" a href="/reports" { "显示全县" } }
                }
            }
            h2 { "报告列表" }
            (filters(data))
            @if q.page.items.is_empty() {
                p { "没有符合条件的报告。" }
            } @else {
                table.listing.inbox {
                    thead { tr { th { "报告" } th { "乡镇" } th { "收到" } th { "状态" } th { "时限" } } }
                    tbody {
                        @for item in &q.page.items {
                            tr.overdue[item.overdue || item.follow_up_overdue] {
                                td data-label="报告" {
                                    a.code-nowrap href={ "/reports/" (item.id) } { (item.reference) }
                                    @if item.urgent { " " span.badge.tone-refused { "紧急" } }
                                }
                                td data-label="乡镇" { ((data.township_name)(&item.township_code)) }
                                td data-label="收到" { (local_time(&item.received_at)) "（" (age(item.received_at, now)) "前）" }
                                td data-label="状态" { (status_badge(item.status)) }
                                td data-label="时限" { (deadline(item, now)) }
                            }
                        }
                    }
                }
                (pagination(&base, q.page.total, data.limit, data.offset))
            }
        },
    )
}

fn overview(rows: &[TownshipCounts], name: &dyn Fn(&str) -> String) -> Markup {
    html! {
        @if rows.is_empty() {
            p { "全县还没有收到报告。" }
        } @else {
            table.listing {
                thead { tr { th { "乡镇（街道）" } th { "未结案" } th { "待首次响应" } th { "超时未响应" } th { "已上报县级" } th { "已结案" } } }
                tbody {
                    @for r in rows {
                        tr.overdue[r.overdue > 0] {
                            td data-label="乡镇（街道）" { a href={ "/reports?township=" (r.township) } { (name(&r.township)) } }
                            td data-label="未结案" { (r.open) }
                            td data-label="待首次响应" { (r.awaiting) }
                            td data-label="超时未响应" { (r.overdue) }
                            td data-label="已上报县级" { (r.escalated) }
                            td data-label="已结案" { (r.closed) }
                        }
                    }
                }
            }
        }
    }
}

/// The step forms' values and errors, when one was refused.
#[derive(Default)]
pub struct StepForms {
    /// Which form the errors are for.
    pub action: Option<Action>,
    pub errors: Invalid,
    pub values: Vec<(String, String)>,
}

impl StepForms {
    fn value(&self, name: &str) -> String {
        self.values
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    fn values_of(&self, name: &str) -> Vec<String> {
        self.values
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    fn errors_for(&self, action: Action) -> &Invalid {
        static NONE: std::sync::LazyLock<Invalid> = std::sync::LazyLock::new(Invalid::new);
        if self.action == Some(action) {
            &self.errors
        } else {
            &NONE
        }
    }
}

fn fact(label: &str, value: Option<&str>) -> Markup {
    html! {
        dt { (label) }
        dd { (value.unwrap_or("未填写")) }
    }
}

fn step_lines(detail: &StepDetail) -> Vec<(&'static str, String)> {
    let code_label = |code: &str, labels: &dyn Fn(&str) -> Option<&'static str>| {
        labels(code).unwrap_or("（未知）").to_owned()
    };
    match detail {
        StepDetail::Responded {
            responders,
            findings,
            police_called,
            police_case_number,
        } => {
            let mut lines = vec![
                ("出动人员", responders.clone()),
                ("现场情况", findings.clone()),
                (
                    "是否报警",
                    if *police_called {
                        "已报警"
                    } else {
                        "未报警"
                    }
                    .to_owned(),
                ),
            ];
            if let Some(n) = police_case_number {
                lines.push(("警情编号", n.clone()));
            }
            lines
        }
        StepDetail::Assessed {
            risk_level,
            factors,
            note,
        } => {
            let mut lines = vec![
                (
                    "风险等级",
                    code_label(risk_level, &|c| {
                        c.parse::<RiskLevel>().ok().map(|l| l.label())
                    }),
                ),
                (
                    "风险因素",
                    if factors.is_empty() {
                        "无".to_owned()
                    } else {
                        factors
                            .iter()
                            .map(|f| {
                                code_label(f, &|c| c.parse::<RiskFactor>().ok().map(|x| x.label()))
                            })
                            .collect::<Vec<_>>()
                            .join("、")
                    },
                ),
            ];
            if let Some(n) = note {
                lines.push(("说明", n.clone()));
            }
            lines
        }
        StepDetail::Decided { decision, reason } => {
            let mut lines = vec![(
                "决定",
                code_label(decision, &|c| c.parse::<Decision>().ok().map(|d| d.label())),
            )];
            if let Some(r) = reason {
                lines.push(("理由", r.clone()));
            }
            lines
        }
        StepDetail::Intervened {
            kind,
            placement,
            place,
            family_id,
            note,
        } => {
            let mut lines = vec![(
                "措施",
                code_label(kind, &|c| {
                    c.parse::<InterventionKind>().ok().map(|k| k.label())
                }),
            )];
            if let Some(p) = placement {
                lines.push((
                    "照护方式",
                    code_label(p, &|c| c.parse::<Placement>().ok().map(|x| x.label())),
                ));
            }
            if let Some(p) = place {
                lines.push(("照护地点", p.clone()));
            }
            if let Some(f) = family_id {
                lines.push(("爱心家庭", f.clone()));
            }
            lines.push(("情况", note.clone()));
            lines
        }
        StepDetail::Linked { file_no, .. } => vec![("儿童档案", file_no.clone())],
        StepDetail::FollowedUp { note } => vec![("回访情况", note.clone())],
        StepDetail::Closed { note } => note
            .as_ref()
            .map(|n| vec![("说明", n.clone())])
            .unwrap_or_default(),
    }
}

fn history(d: &ReportDetail) -> Markup {
    html! {
        ol.timeline {
            @for step in &d.steps {
                li {
                    strong { (step.kind.label()) }
                    " · " (local_time(&step.happened_at))
                    @if let Some(actor) = &step.actor_name { " · " (actor) }
                    @if step.recorded_at != step.happened_at && step.kind != StepKind::Overdue && step.kind != StepKind::Escalated {
                        " （" (local_time(&step.recorded_at)) " 录入）"
                    }
                    @if let Some(detail) = &step.detail {
                        dl.facts {
                            @for (label, value) in step_lines(detail) {
                                dt { (label) } dd { (value) }
                            }
                        }
                    }
                }
            }
        }
    }
}

const STEP_LABELS: &FieldLabels = &[
    ("responders", "出动人员"),
    ("responded_at", "到达现场时间"),
    ("findings", "现场情况"),
    ("police_case_number", "警情编号"),
    ("risk_level", "风险等级"),
    ("factors", "风险因素"),
    ("note", "说明"),
    ("decision", "处置决定"),
    ("reason", "理由"),
    ("kind", "干预措施"),
    ("happened_on", "日期"),
    ("placement", "临时照护方式"),
    ("place", "照护地点"),
    ("family_id", "爱心家庭"),
    ("id_number", "儿童身份证号码"),
    ("followed_up_on", "回访日期"),
    ("follow_up_note", "回访情况"),
];

fn step_form(
    ctx: &PageCtx<'_>,
    id: &str,
    action: &str,
    title: &str,
    errors: &Invalid,
    fields: Markup,
    button: &str,
) -> Markup {
    html! {
        section.card id={ "step-" (action) } {
            h2 { (title) }
            (error_summary(errors, STEP_LABELS))
            form method="post" action={ "/reports/" (id) "/" (action) } novalidate {
                (csrf_field(ctx.csrf))
                (fields)
                button type="submit" { (button) }
            }
        }
    }
}

fn forms(ctx: &PageCtx<'_>, d: &ReportDetail, f: &StepForms) -> Markup {
    let id = d.report.id.as_str();
    let none = Choice {
        hint: None,
        empty: "请选择",
        required: true,
    };
    html! {
        @for action in &d.actions {
            @match action {
                Action::Assign => {
                    (step_form(ctx, id, "assign", "受理", f.errors_for(Action::Assign), html! {
                        p { "受理后由您负责首次响应。" }
                    }, "我来受理"))
                }
                Action::Respond => {
                    @let e = f.errors_for(Action::Respond);
                    (step_form(ctx, id, "respond", "记录首次响应", e, html! {
                        (text_field("responders", "出动人员", "text", &f.value("responders"), e, Some("姓名或职务，如：乡镇民政干部、村儿童主任、派出所民警"), true))
                        (text_field("responded_at", "到达现场时间", "datetime-local", &f.value("responded_at"), e, Some("不填则为现在；格式 2026-11-30 14:05"), false))
                        (text_area("findings", "现场情况", &f.value("findings"), e, None))
                        fieldset.field {
                            legend { "是否报警" }
                            label.check { input type="checkbox" name="police_called" value="true" checked[f.value("police_called") == "true"]; " 已报警（110）" }
                        }
                        (text_field("police_case_number", "警情编号", "text", &f.value("police_case_number"), e, Some("报警后公安机关给出的编号"), false))
                    }, "保存首次响应"))
                }
                Action::Assess => {
                    @let e = f.errors_for(Action::Assess);
                    (step_form(ctx, id, "assess", "记录评估", e, html! {
                        (select_with("risk_level", "风险等级", &coded_options(RiskLevel::ALL, RiskLevel::as_str, RiskLevel::label), &f.value("risk_level"), e, &none))
                        (checkboxes_with("factors", "风险因素", &coded_options(RiskFactor::ALL, RiskFactor::as_str, RiskFactor::label), &f.values_of("factors"), e, Some("勾选评估中发现的情况"), false))
                        (text_area_with("note", "说明", &f.value("note"), e, None, false))
                    }, "保存评估"))
                }
                Action::Decide => {
                    @let e = f.errors_for(Action::Decide);
                    (step_form(ctx, id, "decide", "处置决定", e, html! {
                        (select("decision", "处置决定", &coded_options(Decision::ALL, Decision::as_str, Decision::label), &f.value("decision"), e))
                        (text_area_with("reason", "理由", &f.value("reason"), e, Some("经核查不属实时必填"), false))
                    }, "保存决定"))
                }
                Action::Intervene => {
                    @let e = f.errors_for(Action::Intervene);
                    @let families: Vec<(String, String)> = d.families.iter().map(|x| (x.id.clone(), x.household_name.clone())).collect();
                    (step_form(ctx, id, "intervene", "记录干预措施", e, html! {
                        (select("kind", "干预措施", &coded_options(InterventionKind::ALL, InterventionKind::as_str, InterventionKind::label), &f.value("kind"), e))
                        (text_field("happened_on", "日期", "date", &f.value("happened_on"), e, Some(crate::views::components::DATE_HINT), false))
                        (select_with("placement", "临时照护方式", &coded_options(Placement::ALL, Placement::as_str, Placement::label), &f.value("placement"), e, &Choice { hint: Some("措施为临时照护时必填"), empty: "不适用", required: false }))
                        (text_field("place", "照护地点", "text", &f.value("place"), e, Some("亲属家、机构名称等；安置到爱心家庭时不填"), false))
                        (select_with("family_id", "爱心家庭", &families, &f.value("family_id"), e, &Choice { hint: Some("安置到经批准的爱心家庭时选择"), empty: "不适用", required: false }))
                        (text_area("note", "情况", &f.value("note"), e, None))
                    }, "保存干预措施"))
                }
                Action::Link => {
                    @let e = f.errors_for(Action::Link);
                    (step_form(ctx, id, "link", "关联儿童档案", e, html! {
                        @if let Some(file) = &d.on_record {
                            p { "报告人提供的身份证号码在本乡镇已有档案 " a href={ "/children/" (file.id) } { (file.file_no) } "。" }
                            input type="hidden" name="child_id" value=(file.id);
                        } @else {
                            (text_field("id_number", "儿童身份证号码", "text", &f.value("id_number"), e, Some("本乡镇已有档案的儿童"), true))
                        }
                    }, "关联档案"))
                    @if d.report.status == ReportStatus::Assistance && d.on_record.is_none() {
                        p { a.button href={ "/reports/" (id) "/file" } { "为该儿童建立档案" } }
                    }
                }
                Action::Close => {
                    @let e = f.errors_for(Action::Close);
                    (step_form(ctx, id, "close", "回访并结案", e, html! {
                        @if d.report.status.needs_follow_up() {
                            (text_field("followed_up_on", "回访日期", "date", &f.value("followed_up_on"), e, Some(crate::views::components::DATE_HINT), true))
                            (text_area("follow_up_note", "回访情况", &f.value("follow_up_note"), e, None))
                        }
                        (text_area_with("note", "说明", &f.value("note"), e, None, false))
                    }, "结案"))
                }
            }
        }
    }
}

/// One report: its deadline, content, history and the next steps' forms.
pub fn detail(
    ctx: &PageCtx<'_>,
    d: &ReportDetail,
    township: &str,
    f: &StepForms,
    now: DateTime<Utc>,
) -> Markup {
    let r = &d.report;
    let c = &d.content;
    page(
        &format!("报告 {}", r.reference),
        ctx,
        html! {
            p {
                (status_badge(r.status))
                @if r.urgent { " " span.badge.tone-refused { "紧急：儿童现在有危险" } }
            }
            p { (deadline(&d.item, now)) }
            p.notice { "报告内容和报告人信息属敏感个人信息，本次查看已写入审计日志。请勿转告无关人员。" }
            section.card {
                h2 { "报告内容" }
                dl.facts {
                    dt { "收到时间" } dd { (local_time(&r.received_at)) "（" (age(r.received_at, now)) "前）" }
                    dt { "乡镇（街道）" } dd { (township) }
                    (fact("村（社区）", c.village.as_deref()))
                    (fact("儿童现在在哪里", c.child_location.as_deref()))
                    dt { "情况" } dd.prewrap { (c.description) }
                    (fact("儿童姓名", c.child_name.as_deref()))
                    (fact("儿童身份证号码", c.child_id_number.as_deref()))
                    dt { "报告人身份" } dd { (r.reporter_kind.label()) }
                    (fact("报告人姓名", c.reporter_name.as_deref()))
                    (fact("联系方式", c.reporter_contact.as_deref()))
                    @if let Some(file) = &d.linked {
                        dt { "儿童档案" } dd { a href={ "/children/" (file.id) } { (file.file_no) } }
                    }
                }
                @if let Some(file) = &d.linked {
                    @if r.status == ReportStatus::Assistance {
                        p { a href={ "/needs/new?child=" (file.id) } { "为该儿童起草需求" } }
                    }
                }
            }
            (forms(ctx, d, f))
            section {
                h2 { "处置记录" }
                (history(d))
            }
            p { a href="/reports" { "返回报告列表" } }
        },
    )
}
