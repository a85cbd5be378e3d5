//! The page shown for an error.

use axum::http::StatusCode;
use maud::{Markup, html};

use crate::services::Principal;

use super::layout::{PageCtx, page};

/// The error page; a server error names the request id, so that whoever
/// helps the user can find the log line.
pub fn error_page(
    user: Option<&Principal>,
    csrf: &str,
    status: StatusCode,
    message: &str,
    request_id: Option<&str>,
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
            @if let (true, Some(id)) = (status.is_server_error(), request_id) {
                p.hint { "如需帮助，请告知技术人员请求编号：" code { (id) } }
            }
            p { a href="/" { "返回首页" } }
        },
    )
}
