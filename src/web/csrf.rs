//! CSRF tokens bound to the session (synchronizer-token pattern).
//!
//! The token is 32 bytes from the operating system's CSPRNG, kept in the
//! session, sent back by forms as a hidden field and by API clients in the
//! `X-CSRF-Token` header, and compared in constant time.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use subtle::ConstantTimeEq;
use tower_sessions::Session;

use crate::error::AppError;
use crate::services::Fault;

pub const SESSION_KEY: &str = "csrf";
pub const FORM_FIELD: &str = "csrf_token";
pub const HEADER: &str = "x-csrf-token";

/// A new random token.
pub fn new_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| AppError::Internal(Fault::caused_by("csrf randomness", e)))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// The session's token, creating one (and so the session) if there is none:
/// anonymous forms such as login and registration are protected too.
pub async fn token_for(session: &Session) -> Result<String, AppError> {
    if let Some(token) = session
        .get::<String>(SESSION_KEY)
        .await
        .map_err(session_error)?
    {
        return Ok(token);
    }
    let token = new_token()?;
    session
        .insert(SESSION_KEY, &token)
        .await
        .map_err(session_error)?;
    Ok(token)
}

/// Whether `presented` is the session's token.
pub async fn matches(session: &Session, presented: Option<&str>) -> Result<bool, AppError> {
    let expected = session
        .get::<String>(SESSION_KEY)
        .await
        .map_err(session_error)?;
    Ok(match (expected, presented) {
        (Some(expected), Some(presented)) => {
            bool::from(expected.as_bytes().ct_eq(presented.as_bytes()))
        }
        _ => false,
    })
}

pub fn session_error(err: tower_sessions::session::Error) -> AppError {
    AppError::Internal(Fault::caused_by("session", err))
}
