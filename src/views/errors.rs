//! The page shown for an error.

use axum::http::StatusCode;
use maud::{Markup, html};

use crate::services::Principal;

use super::layout::{PageCtx, page};

pub fn error_page(
    user: Option<&Principal>,
    csrf: &str,
    status: StatusCode,
    message: &str,
) -> Markup {
    let title = match status {
        StatusCode::NOT_FOUND => "页面不存在",
        StatusCode::FORBIDDEN => "无权访问",
        StatusCode::TOO_MANY_REQUESTS => "请稍后再试",
        StatusCode::REQUEST_TIMEOUT => "请求超时",
        StatusCode::PAYLOAD_TOO_LARGE => "提交的内容过大",
        s if s.is_server_error() => "系统出错了",
        _ => "无法完成请求",
    };
    let ctx = PageCtx {
        user,
        csrf,
        flash: None,
        inbox: None,
    };
    page(
        title,
        &ctx,
        html! {
            p { (message) }
            p { a href="/" { "返回首页" } }
        },
    )
}
