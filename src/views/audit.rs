//! The county's audit log page, with the logins under attack and the ID
//! numbers probed from outside their township.

use std::collections::HashMap;

use maud::{Markup, html};

use crate::db::entities::audit_log;
use crate::domain::audit::terms::{self, ACTIONS};
use crate::services::auth::LoginPressure;
use crate::services::children::Probe;

use super::components::{local_time, local_time_of, pagination};
use super::layout::{PageCtx, page};

/// The names that failed to log in most in the last day: who is being
/// guessed at, from how many addresses.
fn login_pressure(rows: &[LoginPressure]) -> Markup {
    html! {
        h2 #logins { "近24小时登录失败的账号" }
        @if rows.is_empty() {
            p { "近24小时没有登录失败。" }
        } @else {
            p.hint {
                "同一账号在同一地址连续登录失败后，该地址的后续尝试需等待，等待时间逐次加长；"
                "账号本人在其他地址或常用地址仍可正常登录。失败次数多、来源地址多的账号可能正被猜测密码，"
                "请提醒本人使用足够长的密码。"
            }
            table.listing {
                thead { tr { th { "用户名（按输入）" } th { "失败次数" } th { "来源地址数" } th { "最近一次" } th { "账号" } } }
                tbody {
                    @for r in rows {
                        tr {
                            td data-label="用户名" { (r.username) }
                            td data-label="失败次数" { (r.failures) }
                            td data-label="来源地址数" { (r.addresses) }
                            td data-label="最近一次" { (local_time(&r.last_at)) }
                            td data-label="账号" { @if r.account_exists { "存在" } @else { "不存在" } }
                        }
                    }
                }
            }
        }
    }
}

/// ID numbers typed for files outside the typist's reach.
fn probes(rows: &[Probe]) -> Markup {
    html! {
        h2 #probes { "跨辖区身份证号查询" }
        p.hint {
            "工作人员录入的身份证号码已在其辖区以外建档时，系统只告知“已在其他乡镇建档”，不显示所在地，并记录于此。"
            "频繁出现的，请核实是否为儿童迁移，或是否有人借建档查询儿童信息。"
        }
        @if rows.is_empty() {
            p { "暂无记录。" }
        } @else {
            table.listing {
                thead { tr { th { "时间（北京时间）" } th { "操作人" } th { "说明" } th { "被查档案" } th { "档案所在乡镇" } } }
                tbody {
                    @for r in rows {
                        tr {
                            td data-label="时间" { (local_time_of(&r.at)) }
                            td data-label="操作人" { (r.actor.as_deref().unwrap_or("")) }
                            td data-label="说明" { (r.detail.as_deref().unwrap_or("")) }
                            td data-label="被查档案" { (r.file_no.as_deref().unwrap_or("")) }
                            td data-label="档案所在乡镇" { (r.township.as_deref().unwrap_or("")) }
                        }
                    }
                }
            }
        }
    }
}

/// The filters of the log as asked (each exact; empty means none).
#[derive(Clone, Copy, Debug, Default)]
pub struct AuditAsked<'a> {
    pub action: &'a str,
    pub user: &'a str,
    pub target: &'a str,
}

impl AuditAsked<'_> {
    /// The page's address with these filters, for paging.
    fn href(&self) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("action", self.action),
            ("user", self.user),
            ("target", self.target),
        ] {
            if !value.is_empty() {
                query.append_pair(name, value);
            }
        }
        let query = query.finish();
        if query.is_empty() {
            "/audit".to_owned()
        } else {
            format!("/audit?{query}")
        }
    }
}

/// The log's entries with what the page shows beside them.
pub struct AuditLog<'a> {
    pub asked: AuditAsked<'a>,
    pub entries: &'a [audit_log::Model],
    /// The name of each object, by stored target.
    pub names: &'a HashMap<String, String>,
    pub total: u64,
    pub limit: u64,
    pub offset: u64,
}

fn filter_form(asked: &AuditAsked<'_>) -> Markup {
    html! {
        form.card.filters method="get" action="/audit" {
            div.field {
                label for="action" { "操作" }
                select id="action" name="action" {
                    option value="" { "全部操作" }
                    @for (code, name) in ACTIONS {
                        option value=(code) selected[*code == asked.action] { (name) }
                    }
                }
            }
            div.field {
                label for="user" { "操作人（用户名）" }
                input id="user" name="user" type="text" value=(asked.user) autocapitalize="none";
            }
            div.field {
                label for="target" { "对象" }
                p.hint { "点击日志中的对象可只看与它有关的记录。" }
                input id="target" name="target" type="text" value=(asked.target) autocapitalize="none";
            }
            button type="submit" { "筛选" }
            @if !asked.action.is_empty() || !asked.user.is_empty() || !asked.target.is_empty() {
                " " a href="/audit" { "清除筛选" }
            }
        }
    }
}

/// An entry's object: its kind and name, linked to its page, with a link
/// that filters the log by it.
fn object(raw: &str, names: &HashMap<String, String>) -> Markup {
    let Some(t) = terms::target(raw) else {
        return html! { (raw) };
    };
    let short: String = t.id.chars().take(8).collect();
    let name = names.get(raw).cloned().unwrap_or(short);
    let only: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("target", raw)
        .finish();
    html! {
        (t.kind_name) " "
        @match &t.href {
            Some(href) => a href=(href) { (name) },
            None => span { (name) },
        }
        " " a.filter-by href={ "/audit?" (only) } title="只看该对象的记录" { "（相关记录）" }
    }
}

fn entries(log: &AuditLog<'_>) -> Markup {
    html! {
        table.listing {
            thead { tr { th { "#" } th { "时间（北京时间）" } th { "操作人" } th { "操作" } th { "对象" } th { "结果" } } }
            tbody {
                @for e in log.entries {
                    tr {
                        td data-label="序号" { (e.seq) }
                        td data-label="时间" { (local_time_of(&e.at)) }
                        td data-label="操作人" {
                            @match &e.actor_name {
                                Some(name) => {
                                    @let only = form_urlencoded::Serializer::new(String::new()).append_pair("user", name).finish();
                                    a href={ "/audit?" (only) } { (name) }
                                },
                                None => "系统/访客",
                            }
                        }
                        td data-label="操作" { (terms::action_name(&e.action)) @if let Some(d) = e.detail.as_deref().map(|d| terms::detail_text(&e.action, d)).filter(|d| !d.is_empty()) { br; small { (d) } } }
                        td data-label="对象" { @if let Some(t) = &e.target { (object(t, log.names)) } }
                        td data-label="结果" { (terms::outcome_name(&e.outcome)) }
                    }
                }
            }
        }
    }
}

pub fn audit_page(
    ctx: &PageCtx<'_>,
    pressure: &[LoginPressure],
    probed: &[Probe],
    log: &AuditLog<'_>,
) -> Markup {
    page(
        "审计日志",
        ctx,
        html! {
            (login_pressure(pressure))
            (probes(probed))
            h2 { "审计日志" }
            p.hint { "审计日志只能追加，不能修改或删除；可用命令 carebridge audit verify 校验完整性。时间为北京时间。" }
            (filter_form(&log.asked))
            @if log.entries.is_empty() {
                p { "没有符合条件的记录。" }
            } @else {
                (entries(log))
            }
            (pagination(&log.asked.href(), log.total, log.limit, log.offset))
        },
    )
}
