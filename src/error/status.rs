//! Errors known only by their status: error answers that axum or a layer
//! made rather than a handler, given the error JSON by
//! `web::middleware::api_errors`.

use axum::http::StatusCode;

use super::AppError;

impl AppError {
    /// The error for an error answer made elsewhere with `status`: the
    /// variant of that status where there is one, so that the code and
    /// message are the ones our own answers of that status carry.
    pub fn for_status(status: StatusCode) -> AppError {
        match status {
            StatusCode::UNAUTHORIZED => AppError::Unauthenticated,
            StatusCode::FORBIDDEN => AppError::Forbidden,
            StatusCode::NOT_FOUND => AppError::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => AppError::MethodNotAllowed,
            StatusCode::REQUEST_TIMEOUT => AppError::RequestTimeout,
            StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::UnsupportedMediaType,
            other => AppError::Status(other),
        }
    }
}

/// The code and message of [`AppError::Status`].
pub(super) fn code_and_message(status: StatusCode) -> (&'static str, &'static str) {
    match status {
        StatusCode::CONFLICT => ("conflict", "操作与当前状态冲突，请刷新后重试"),
        StatusCode::UNPROCESSABLE_ENTITY => ("invalid", "提交的内容有误"),
        StatusCode::TOO_MANY_REQUESTS => ("throttled", "请求过于频繁，请稍后再试"),
        StatusCode::SERVICE_UNAVAILABLE => ("busy", "系统繁忙，请稍后重试"),
        s if s.is_server_error() => ("internal", "服务器内部错误"),
        StatusCode::BAD_REQUEST => ("bad_request", "请求格式不正确"),
        _ => ("bad_request", "无法处理此请求"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_keeps_its_status_and_reuses_our_codes() {
        for status in [
            StatusCode::BAD_REQUEST,
            StatusCode::NOT_FOUND,
            StatusCode::METHOD_NOT_ALLOWED,
            StatusCode::REQUEST_TIMEOUT,
            StatusCode::PAYLOAD_TOO_LARGE,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            StatusCode::UNPROCESSABLE_ENTITY,
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::LENGTH_REQUIRED,
            StatusCode::INTERNAL_SERVER_ERROR,
        ] {
            let (got, _, _) = AppError::for_status(status).parts();
            assert_eq!(got, status);
        }
        let (_, code, _) = AppError::for_status(StatusCode::METHOD_NOT_ALLOWED).parts();
        assert_eq!(code, "method_not_allowed");
    }
}
