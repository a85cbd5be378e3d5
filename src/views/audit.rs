//! The county's audit log page, with the logins under attack and the ID
//! numbers probed from outside their township.

use maud::{Markup, html};

use crate::db::entities::audit_log;
use crate::services::auth::LoginPressure;
use crate::services::children::Probe;

use super::components::{local_time, pagination};
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
            table {
                thead { tr { th { "用户名（按输入）" } th { "失败次数" } th { "来源地址数" } th { "最近一次" } th { "账号" } } }
                tbody {
                    @for r in rows {
                        tr {
                            td { (r.username) }
                            td { (r.failures) }
                            td { (r.addresses) }
                            td { (local_time(&r.last_at)) }
                            td { @if r.account_exists { "存在" } @else { "不存在" } }
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
            table {
                thead { tr { th { "时间 (UTC)" } th { "操作人" } th { "说明" } th { "被查档案" } th { "档案所在乡镇" } } }
                tbody {
                    @for r in rows {
                        tr {
                            td { (r.at.get(..19).unwrap_or(&r.at)) }
                            td { (r.actor.as_deref().unwrap_or("")) }
                            td { (r.detail.as_deref().unwrap_or("")) }
                            td { (r.file_no.as_deref().unwrap_or("")) }
                            td { (r.township.as_deref().unwrap_or("")) }
                        }
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
    entries: &[audit_log::Model],
    total: u64,
    limit: u64,
    offset: u64,
) -> Markup {
    page(
        "审计日志",
        ctx,
        html! {
            (login_pressure(pressure))
            (probes(probed))
            h2 { "审计日志" }
            p.hint { "审计日志只能追加，不能修改或删除；可用命令 carebridge audit verify 校验完整性。" }
            table {
                thead { tr { th { "#" } th { "时间 (UTC)" } th { "操作人" } th { "操作" } th { "对象" } th { "结果" } } }
                tbody {
                    @for e in entries {
                        tr {
                            td { (e.seq) }
                            td { (e.at.get(..19).unwrap_or(&e.at)) }
                            td { (e.actor_name.as_deref().unwrap_or("系统/访客")) }
                            td { (e.action) @if let Some(d) = &e.detail { br; small { (d) } } }
                            td { (e.target.as_deref().unwrap_or("")) }
                            td { (e.outcome) }
                        }
                    }
                }
            }
            (pagination("/audit", total, limit, offset))
        },
    )
}
