//! What every page needs around its body: the user, the CSRF token for its
//! forms, a one-time flash message, and the user's inbox counts (counted
//! once per page request).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use tower_sessions::Session;

use crate::error::AppError;
use crate::services::Fault;
use crate::services::{Principal, inbox};
use crate::views::layout::{InboxBadge, PageCtx};

use super::AppState;
use super::csrf;
use super::extract::LoadedPrincipal;

const FLASH_KEY: &str = "flash";

pub struct Chrome {
    pub user: Option<Principal>,
    pub csrf: String,
    pub flash: Option<String>,
    pub inbox: Option<InboxBadge>,
    /// The counts behind the badge, for a page that shows them in full.
    pub counts: Option<inbox::Counts>,
    pub session: Session,
}

impl Chrome {
    /// The same chrome with a CSRF token for the page's form, creating the
    /// session for an anonymous visitor (login and registration forms).
    pub async fn with_form_token(mut self) -> Result<Self, AppError> {
        if self.csrf.is_empty() {
            self.csrf = csrf::masked(&csrf::token_for(&self.session).await?)?;
        }
        Ok(self)
    }

    pub fn ctx(&self) -> PageCtx<'_> {
        PageCtx {
            user: self.user.as_ref(),
            csrf: &self.csrf,
            flash: self.flash.as_deref(),
            inbox: self.inbox,
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

/// The user's inbox counts. A failed count leaves the link without a
/// number rather than failing the page it decorates.
async fn inbox_counts(state: &AppState, user: &Principal) -> Option<inbox::Counts> {
    match inbox::counts(
        state.store(),
        &state.inbox_counts,
        user,
        state.settings.overdue_days,
    )
    .await
    {
        Ok(counts) => Some(counts),
        Err(err) => {
            tracing::warn!(error = %err, "inbox count failed");
            None
        }
    }
}

impl FromRequestParts<AppState> for Chrome {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|(_, m)| AppError::Internal(Fault::new(m)))?;
        let user = parts
            .extensions
            .get::<LoadedPrincipal>()
            .and_then(|p| p.0.clone());
        // A logged-in session has its token from the login; an anonymous
        // visitor gets one (and so a session row) only from a page with a
        // form to send (`with_form_token`): reading pages creates nothing.
        let csrf = csrf::masked(
            &session
                .get::<String>(csrf::SESSION_KEY)
                .await
                .map_err(csrf::session_error)?
                .unwrap_or_default(),
        )?;
        // Removing marks the session modified even when the key is absent,
        // which would rewrite the session row on every page view: remove
        // only a flash that is there.
        let flash = match session
            .get::<String>(FLASH_KEY)
            .await
            .map_err(csrf::session_error)?
        {
            Some(_) => session
                .remove::<String>(FLASH_KEY)
                .await
                .map_err(csrf::session_error)?,
            None => None,
        };
        let counts = match &user {
            Some(user) => inbox_counts(state, user).await,
            None => None,
        };
        let inbox = counts.as_ref().map(|c| InboxBadge {
            total: c.total(),
            overdue: c.overdue(),
        });
        Ok(Chrome {
            user,
            csrf,
            flash,
            inbox,
            counts,
            session,
        })
    }
}
