//! The shared page frame: head, navigation by role, flash message, footer.

use maud::{DOCTYPE, Markup, html};

use crate::domain::Role;
use crate::services::Principal;

/// What every page needs besides its body.
pub struct PageCtx<'a> {
    pub user: Option<&'a Principal>,
    pub csrf: &'a str,
    pub flash: Option<&'a str>,
    /// The reader's inbox counts, for the navigation.
    pub inbox: Option<InboxBadge>,
}

/// How many items wait in the reader's inbox, and how many are overdue.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InboxBadge {
    pub total: u64,
    pub overdue: u64,
}

/// The inbox link with its counts (in words too, not by colour alone).
fn inbox_link(badge: Option<InboxBadge>) -> Markup {
    let badge = badge.unwrap_or_default();
    html! {
        a.inbox.has-overdue[badge.overdue > 0] href="/inbox" {
            "待办"
            @if badge.total > 0 { " " span.count { (badge.total) } }
            @if badge.overdue > 0 { " " span.count.overdue { "超期" (badge.overdue) } }
        }
    }
}

fn nav_links(role: Role) -> &'static [(&'static str, &'static str)] {
    match role {
        Role::CountyAdmin => &[
            ("/", "工作台"),
            ("/children", "儿童档案"),
            ("/needs", "儿童需求"),
            ("/matches", "对接"),
            ("/providers", "服务机构"),
            ("/families", "爱心家庭"),
            ("/reports", "强制报告"),
            ("/referrals", "部门转介"),
            ("/entitlements/gaps", "应享未享"),
            ("/warnings", "跟进提醒"),
            ("/referrals/figures", "部门办理情况"),
            ("/oversight", "督查看板"),
            ("/staff", "工作人员"),
            ("/audit", "审计日志"),
            ("/search", "搜索"),
        ],
        Role::TownshipOfficer => &[
            ("/", "工作台"),
            ("/children", "儿童档案"),
            ("/needs", "儿童需求"),
            ("/matches", "对接"),
            ("/providers", "服务机构"),
            ("/families", "爱心家庭"),
            ("/reports", "强制报告"),
            ("/entitlements/gaps", "应享未享"),
            ("/warnings", "跟进提醒"),
            ("/referrals", "部门转介"),
            ("/intakes/new", "一门受理"),
            ("/oversight", "督查看板"),
            ("/search", "搜索"),
        ],
        Role::VillageSupervisor => &[
            ("/", "工作台"),
            ("/children", "儿童档案"),
            ("/needs", "儿童需求"),
            ("/report", "报告儿童险情"),
            ("/search", "搜索"),
        ],
        Role::DepartmentStaff => &[("/", "工作台"), ("/referrals", "部门转介")],
        Role::Provider => &[
            ("/", "首页"),
            ("/offers/mine", "我的服务"),
            ("/needs", "儿童需求"),
            ("/matches", "对接"),
            ("/volunteers", "志愿者"),
            ("/search", "搜索"),
        ],
        Role::Family => &[
            ("/", "首页"),
            ("/offers/mine", "我的服务"),
            ("/needs", "儿童需求"),
            ("/matches", "对接"),
            ("/search", "搜索"),
        ],
    }
}

/// A page heading, with each code in it (a file number such as
/// `500235001-2026-0001`, a need code) kept on one line: a phone would
/// otherwise break it at its hyphens.
fn heading(title: &str) -> Markup {
    let is_code = |word: &str| {
        word.chars().count() >= 6
            && word.chars().any(|c| c.is_ascii_digit())
            && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    html! {
        @for (i, word) in title.split(' ').enumerate() {
            @if i > 0 { " " }
            @if is_code(word) { span.code-nowrap { (word) } } @else { (word) }
        }
    }
}

/// A full page. `title` is the `<h1>` and the window title.
pub fn page(title: &str, ctx: &PageCtx<'_>, body: Markup) -> Markup {
    page_refreshing(title, ctx, None, body)
}

/// A full page that the browser reloads after `refresh` seconds, when
/// given (work in progress shown without JavaScript).
pub fn page_refreshing(
    title: &str,
    ctx: &PageCtx<'_>,
    refresh: Option<u32>,
    body: Markup,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                @if let Some(seconds) = refresh {
                    meta http-equiv="refresh" content=(seconds);
                }
                title { (title) " · 童心桥" }
                link rel="stylesheet" href=(super::assets::stylesheet_path());
                link rel="icon" type="image/svg+xml" href=(super::assets::FAVICON_PATH);
            }
            body {
                header.site {
                    a.brand href="/" { "童心桥 CareBridge" }
                    nav aria-label="主导航" {
                        @if let Some(user) = ctx.user {
                            @for (href, label) in nav_links(user.role) {
                                a href=(href) { (label) }
                            }
                            (inbox_link(ctx.inbox))
                            @if matches!(user.role, Role::CountyAdmin | Role::TownshipOfficer) {
                                a href="/allocation" { "分配方案" }
                            }
                            // The role's name may hold brackets of its own
                            // (乡镇（街道）…): none are put around it.
                            a href="/account" { "账户设置" }
                            span.who { (user.username) " · " (user.role.label()) }
                            form.inline method="post" action="/logout" {
                                input type="hidden" name="csrf_token" value=(ctx.csrf);
                                button.link type="submit" { "退出登录" }
                            }
                        } @else {
                            a href="/search" { "搜索" }
                            a href="/report" { "报告儿童险情" }
                            a href="/statistics" { "公开统计" }
                            a href="/login" { "登录" }
                            a href="/register/provider" { "机构注册" }
                            a href="/register/family" { "爱心家庭申请" }
                        }
                    }
                }
                main {
                    @if let Some(flash) = ctx.flash {
                        p.flash role="status" { (flash) }
                    }
                    h1 { (heading(title)) }
                    (body)
                }
                footer.site {
                    p { "云阳县民政局 · 困境儿童关爱服务平台" }
                    p { "发现儿童遭受侵害或处于危险之中，请拨打 110；未成年人保护热线 12355；妇女儿童维权热线 12338。" a href="/report" { "在线报告" } }
                }
            }
        }
    }
}

#[cfg(test)]
mod contrast_tests {
    //! The inbox count is the main "what next" signal on every page: its
    //! text must stand out from its own background (WCAG AA, 4.5:1).

    const STYLESHEET: &str = include_str!("../../assets/app.css");

    /// The value of `property` (a `#rrggbb` colour) in the rule for `selector`.
    fn colour(selector: &str, property: &str) -> (f64, f64, f64) {
        let rule_at = STYLESHEET
            .find(&format!("{selector} {{"))
            .unwrap_or_else(|| panic!("no rule for {selector}"));
        let rule =
            &STYLESHEET[rule_at..rule_at + STYLESHEET[rule_at..].find('}').expect("rule end")];
        let at = rule
            .find(&format!(" {property}: #"))
            .unwrap_or_else(|| panic!("{selector} sets no {property}"));
        let hex = &rule[at + property.len() + 4..at + property.len() + 10];
        let channel =
            |i: usize| f64::from(u8::from_str_radix(&hex[i..i + 2], 16).expect("hex")) / 255.0;
        (channel(0), channel(2), channel(4))
    }

    fn luminance((r, g, b): (f64, f64, f64)) -> f64 {
        let linear = |c: f64| {
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    }

    fn contrast(a: (f64, f64, f64), b: (f64, f64, f64)) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn the_inbox_count_has_real_contrast_and_another_colour_when_overdue() {
        let plain = "header.site a.inbox .count";
        let overdue = "header.site a.inbox.has-overdue .count";
        for selector in [plain, overdue] {
            let ratio = contrast(colour(selector, "color"), colour(selector, "background"));
            assert!(ratio >= 4.5, "{selector}: {ratio:.2}:1");
        }
        assert_ne!(
            colour(plain, "background"),
            colour(overdue, "background"),
            "overdue looks different"
        );
    }
}
