//! The web layer: the only code that names axum or tower-sessions.
//!
//! Handlers are thin: extract, call one service, render a view or JSON.
//! One file per noun: its JSON API, and its pages beside them while both
//! are small; a big noun keeps its pages in `foo/pages.rs` and its answers
//! in `foo/body.rs`.
//!
//! Every API answer is a struct with `ToSchema`. The bodies several nouns
//! share (`ErrorBody`, `ListBody`, …) and the shared error answers of the
//! OpenAPI document are in [`body`], a leaf: handlers import it, never
//! [`openapi`], which imports the handlers only to list them.

pub mod allocation;
pub mod audit;
pub mod auth;
pub mod body;
pub mod children;
pub mod chrome;
pub mod csrf;
pub mod entitlements;
pub mod extract;
pub mod families;
pub mod health;
pub mod home;
pub mod inbox;
pub mod matches;
pub mod metrics;
pub mod middleware;
pub mod needs;
pub mod notify;
pub mod offers;
pub mod openapi;
pub mod oversight;
pub mod providers;
pub mod referrals;
pub mod regions;
pub mod reports;
pub mod return_to;
pub mod router;
pub mod search;
pub mod session_store;
pub mod suggestions;
pub mod users;
pub mod volunteers;

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::config::Settings;
use crate::services::Store;
use crate::services::search::SearchHandle;
use crate::vault::Vault;

/// Request bodies above this size answer 413.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub vault: Arc<Vault>,
    /// What requests keep for one another while nothing changes.
    pub kept: Arc<crate::services::kept::Kept>,
    /// Townships and villages, as loaded at start.
    pub regions: Arc<Vec<crate::services::regions::Township>>,
    /// The time the services decide by.
    pub clock: crate::services::clock::Clock,
    /// The entitlement rules the portal started with.
    pub rules: Arc<crate::domain::entitlement::Rules>,
    pub search: Arc<SearchHandle>,
    pub settings: Arc<Settings>,
    /// The allocation plan's background job and its last result.
    pub allocation: Arc<crate::services::allocation::Jobs>,
    /// The oversight figures' background jobs and their kept figures.
    pub oversight: Arc<crate::services::oversight::jobs::Jobs>,
    /// The inbox counts of the navigation, kept while they hold.
    pub inbox_counts: Arc<crate::services::inbox::CountCache>,
    /// Appends the audit entries of concurrent reads in one transaction.
    pub audit: Arc<crate::services::audit::Group>,
}

impl AppState {
    /// The database and the vault, as the services that seal and open
    /// personal values take them.
    pub fn store(&self) -> Store<'_> {
        Store {
            db: &self.db,
            vault: &self.vault,
            kept: Some(&self.kept),
            clock: &self.clock,
            rules: &self.rules,
            audit: Some(&self.audit),
        }
    }
}
