//! Query strings and path segments as typed values whose rejections are
//! `AppError`s: 400 `bad_request` naming the parameter, as the API's error
//! JSON or (through `html_errors`) the error page, never axum's plain text.
//! Handlers take these, never axum's `Query` or `Path` directly.

use axum::extract::FromRequestParts;
use axum::extract::path::ErrorKind;
use axum::extract::rejection::PathRejection;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::{AppError, ParamPlace};
use crate::services::Fault;

/// The query string as `T`.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        // Deserialized here, as axum's `Query` does, but keeping serde's
        // path to the failing field so that the answer can name it.
        let query = parts.uri.query().unwrap_or_default();
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(ApiQuery)
            .map_err(|err| {
                let name = err.path().to_string();
                AppError::BadParameter {
                    place: ParamPlace::Query,
                    // serde's path is "." when no field is to blame.
                    name: (name != ".").then_some(name),
                    reason: err.into_inner().to_string(),
                }
            })
    }
}

/// The path's parameters as `T`.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(ApiPath(value)),
            Err(rejection) => Err(path_rejection(rejection)),
        }
    }
}

fn path_rejection(rejection: PathRejection) -> AppError {
    // A route and a handler that disagree on the parameters is our bug.
    if rejection.status().is_server_error() {
        return AppError::Internal(Fault::new(format!(
            "path parameters: {}",
            rejection.body_text()
        )));
    }
    let kind = match rejection {
        PathRejection::FailedToDeserializePathParams(failed) => failed.into_kind(),
        other => ErrorKind::Message(other.body_text()),
    };
    // The reasons leave out the value: it is in the client's own URL.
    let (name, reason) = match kind {
        ErrorKind::InvalidUtf8InPathParam { key } => {
            (Some(key), "not UTF-8 once percent-decoded".to_owned())
        }
        ErrorKind::ParseErrorAtKey {
            key, expected_type, ..
        } => (Some(key), format!("expected {expected_type}")),
        ErrorKind::DeserializeError { key, message, .. } => (Some(key), message),
        ErrorKind::ParseError { expected_type, .. }
        | ErrorKind::ParseErrorAtIndex { expected_type, .. } => {
            (None, format!("expected {expected_type}"))
        }
        other => (None, other.to_string()),
    };
    AppError::BadParameter {
        place: ParamPlace::Path,
        name,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use axum::http::Request;

    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Paging {
        limit: Option<u64>,
        offset: Option<u64>,
    }

    async fn query(uri: &str) -> Result<Paging, AppError> {
        let (mut parts, ()) = Request::get(uri).body(()).expect("request").into_parts();
        ApiQuery::<Paging>::from_request_parts(&mut parts, &())
            .await
            .map(|ApiQuery(paging)| paging)
    }

    #[tokio::test]
    async fn a_query_parameter_that_does_not_parse_is_named() {
        let paging = query("/x?limit=5&offset=10").await.expect("parses");
        assert_eq!((paging.limit, paging.offset), (Some(5), Some(10)));
        assert!(query("/x").await.is_ok());
        for (uri, expected) in [
            ("/x?limit=abc", "limit"),
            ("/x?limit=1&offset=-1", "offset"),
            ("/x?limit=1e9", "limit"),
        ] {
            match query(uri).await {
                Err(AppError::BadParameter {
                    place: ParamPlace::Query,
                    name: Some(name),
                    ..
                }) => assert_eq!(name, expected, "{uri}"),
                other => panic!("{uri}: {other:?}"),
            }
        }
    }
}
