//! What every page needs around its body: the user, the CSRF token for its
//! forms, and a one-time flash message.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use tower_sessions::Session;

use crate::error::AppError;
use crate::services::Principal;
use crate::views::layout::PageCtx;

use super::csrf;
use super::extract::LoadedPrincipal;

const FLASH_KEY: &str = "flash";

pub struct Chrome {
    pub user: Option<Principal>,
    pub csrf: String,
    pub flash: Option<String>,
    pub session: Session,
}

impl Chrome {
    pub fn ctx(&self) -> PageCtx<'_> {
        PageCtx {
            user: self.user.as_ref(),
            csrf: &self.csrf,
            flash: self.flash.as_deref(),
        }
    }
}

/// Leaves a message for the next page this session shows.
pub async fn flash(session: &Session, message: &str) -> Result<(), AppError> {
    session
        .insert(FLASH_KEY, message)
        .await
        .map_err(csrf::session_error)
}

impl<S: Send + Sync> FromRequestParts<S> for Chrome {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|(_, m)| AppError::Internal(m.to_owned()))?;
        let user = parts
            .extensions
            .get::<LoadedPrincipal>()
            .and_then(|p| p.0.clone());
        let csrf = csrf::token_for(&session).await?;
        let flash = session
            .remove::<String>(FLASH_KEY)
            .await
            .map_err(csrf::session_error)?;
        Ok(Chrome {
            user,
            csrf,
            flash,
            session,
        })
    }
}
