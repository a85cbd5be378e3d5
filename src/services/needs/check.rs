//! The personal-information check of a need's public texts against its
//! file (`domain::text_check`), as findings per field.

use sea_orm::ConnectionTrait;

use crate::db::entities::child;
use crate::domain::text_check::{self, Sensitive};

use super::super::files::sensitive::sensitive_of;
use super::super::{ServiceError, ServiceResult, Store, TextFinding};

/// Every finding of the text check in the title and description.
pub fn findings(title: &str, description: &str, sensitive: &Sensitive) -> Vec<TextFinding> {
    let mut all = Vec::new();
    for (field, text) in [("title", title), ("description", description)] {
        for f in text_check::check(text, sensitive) {
            all.push(TextFinding::new(field, text, f));
        }
    }
    all
}

pub(super) async fn check_text<C: ConnectionTrait>(
    store: Store<'_, C>,
    child: &child::Model,
    title: &str,
    description: &str,
) -> ServiceResult<()> {
    let sensitive = sensitive_of(store, child).await?;
    let found = findings(title, description, &sensitive);
    if found.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Findings(found))
    }
}
