//! The web layer: the only code that names axum or tower-sessions.
//!
//! Handlers are thin: extract, call one service, render a view or JSON.
//! Pages and the JSON API sit side by side in one file per noun.

pub mod allocation;
pub mod audit;
pub mod auth;
pub mod body;
pub mod children;
pub mod chrome;
pub mod csrf;
pub mod extract;
pub mod families;
pub mod health;
pub mod home;
pub mod inbox;
pub mod matches;
pub mod middleware;
pub mod needs;
pub mod offers;
pub mod openapi;
pub mod providers;
pub mod regions;
pub mod router;
pub mod search;
pub mod session_store;
pub mod staff;
pub mod suggestions;

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::config::Settings;
use crate::services::search::SearchHandle;
use crate::vault::Vault;

/// Request bodies above this size answer 413.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub vault: Arc<Vault>,
    pub search: Arc<SearchHandle>,
    pub settings: Arc<Settings>,
}
