//! The login page.

use maud::{Markup, html};

use super::components::csrf_field;
use super::layout::{PageCtx, page};

/// The login form; `next` (a local path, checked by the caller) is where
/// the login goes on to.
pub fn login_page(ctx: &PageCtx<'_>, username: &str, next: &str, error: Option<&str>) -> Markup {
    page(
        "登录",
        ctx,
        html! {
            form.card method="post" action="/login" {
                (csrf_field(ctx.csrf))
                @if next != "/" { input type="hidden" name="next" value=(next); }
                @if let Some(error) = error { p.error-summary role="alert" { (error) } }
                div.field {
                    label for="username" { "用户名" }
                    input id="username" name="username" type="text" value=(username) required autocomplete="username" autocapitalize="none";
                }
                div.field {
                    label for="password" { "密码" }
                    input id="password" name="password" type="password" required autocomplete="current-password";
                }
                button type="submit" { "登录" }
            }
            p { "还没有账号？" a href="/register/provider" { "服务机构注册" } " · " a href="/register/family" { "爱心家庭申请" } }
            p.hint { "工作人员账号由县民政局统一开设。" }
        },
    )
}
