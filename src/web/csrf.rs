//! CSRF tokens bound to the session (synchronizer-token pattern).
//!
//! The token is 32 bytes from the operating system's CSPRNG, kept in the
//! session, sent back by forms as a hidden field and by API clients in the
//! `X-CSRF-Token` header, and compared in constant time.
//!
//! Pages carry the token masked with a fresh one-time pad each time
//! ([`masked`]): pages are compressed, and a secret that is the same in
//! every compressed answer beside text an attacker can make the page echo
//! (a search term) can be read from the answers' lengths (BREACH). A
//! masked token differs in every answer and unmasks to the session's one.

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

/// `token` masked for one page: a fresh random pad, then the pad XOR the
/// token, encoded together. Empty for an empty token (no form).
pub fn masked(token: &str) -> Result<String, AppError> {
    let Ok(raw) = URL_SAFE_NO_PAD.decode(token) else {
        return Ok(String::new());
    };
    let mut pad = vec![0u8; raw.len()];
    getrandom::fill(&mut pad)
        .map_err(|e| AppError::Internal(Fault::caused_by("csrf randomness", e)))?;
    let mut out = pad.clone();
    out.extend(raw.iter().zip(&pad).map(|(t, p)| t ^ p));
    Ok(URL_SAFE_NO_PAD.encode(out))
}

/// The token a presented value stands for: a masked one unmasked, or the
/// token itself (as API clients send what the login answered).
fn unmasked(presented: &str, expected_len: usize) -> Option<Vec<u8>> {
    let bytes = URL_SAFE_NO_PAD.decode(presented).ok()?;
    if bytes.len() == 2 * expected_len {
        let (pad, masked) = bytes.split_at(expected_len);
        Some(pad.iter().zip(masked).map(|(p, m)| p ^ m).collect())
    } else {
        Some(bytes)
    }
}

/// Whether `presented` is the session's token, masked or not.
pub async fn matches(session: &Session, presented: Option<&str>) -> Result<bool, AppError> {
    let expected = session
        .get::<String>(SESSION_KEY)
        .await
        .map_err(session_error)?;
    Ok(match (expected, presented) {
        (Some(expected), Some(presented)) => same_token(&expected, presented),
        _ => false,
    })
}

fn same_token(expected: &str, presented: &str) -> bool {
    let Ok(expected) = URL_SAFE_NO_PAD.decode(expected) else {
        return false;
    };
    match unmasked(presented, expected.len()) {
        Some(token) => bool::from(expected.ct_eq(&token)),
        None => false,
    }
}

pub fn session_error(err: tower_sessions::session::Error) -> AppError {
    AppError::Internal(Fault::caused_by("session", err))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_masked_token_differs_each_time_and_unmasks_to_the_token() {
        let token = new_token().expect("token");
        let a = masked(&token).expect("mask");
        let b = masked(&token).expect("mask");
        assert_ne!(a, b);
        assert_ne!(a, token);
        assert!(same_token(&token, &a));
        assert!(same_token(&token, &b));
        assert!(same_token(&token, &token));
    }

    #[test]
    fn another_token_masked_or_not_does_not_match() {
        let token = new_token().expect("token");
        let other = new_token().expect("token");
        assert!(!same_token(&token, &other));
        assert!(!same_token(&token, &masked(&other).expect("mask")));
        assert!(!same_token(&token, ""));
        assert!(!same_token(&token, "not base64 !"));
        // A masked value cut short is neither the token nor its mask.
        let cut = masked(&token).expect("mask");
        assert!(!same_token(&token, &cut[..cut.len() - 4]));
    }
}
