//! A reveal asked for by a POST and shown by the one GET it redirects to
//! (post/redirect/get): the session carries which fields of which file the
//! next view shows, and the view takes it away, so a reload shows the file
//! masked and writes no second reveal to the audit log. Only field names
//! are kept in the session, never a revealed value.

use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::domain::child::VaultField;
use crate::error::AppError;

use super::super::csrf::session_error;

const SESSION_KEY: &str = "reveal_next_view";

#[derive(Serialize, Deserialize)]
struct Grant {
    child: String,
    fields: Vec<String>,
}

/// Lets the next view of file `child` show `fields`.
pub async fn grant(session: &Session, child: &str, fields: &[VaultField]) -> Result<(), AppError> {
    let grant = Grant {
        child: child.to_owned(),
        fields: fields.iter().map(|f| f.as_str().to_owned()).collect(),
    };
    session
        .insert(SESSION_KEY, grant)
        .await
        .map_err(session_error)
}

/// The fields granted for this view of file `child`, taken from the
/// session (empty when none). A grant for another file is dropped too: it
/// was meant for the view right after its POST.
pub async fn take(session: &Session, child: &str) -> Result<Vec<VaultField>, AppError> {
    // Removing marks the session modified even when the key is absent:
    // read first, so that ordinary views leave the session row alone.
    if session
        .get::<Grant>(SESSION_KEY)
        .await
        .map_err(session_error)?
        .is_none()
    {
        return Ok(Vec::new());
    }
    let Some(grant) = session
        .remove::<Grant>(SESSION_KEY)
        .await
        .map_err(session_error)?
    else {
        return Ok(Vec::new());
    };
    if grant.child != child {
        return Ok(Vec::new());
    }
    Ok(grant
        .fields
        .iter()
        .filter_map(|f| f.parse::<VaultField>().ok())
        .collect())
}
