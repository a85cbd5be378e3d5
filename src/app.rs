//! Building the application state and serving it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use sea_orm::DatabaseConnection;

use crate::config::Settings;
use crate::db;
use crate::services::{auth, regions};
use crate::web::{AppState, router};

/// Why the application could not start; one line, no secrets.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Db(#[from] db::StartError),
    #[error("cannot load regions: {0}")]
    Regions(String),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("server error: {0}")]
    Serve(std::io::Error),
}

/// Opens (creating the data directory for SQLite) and migrates the database,
/// and loads the region file into an empty one.
pub async fn prepare(settings: &Settings) -> Result<DatabaseConnection, StartError> {
    if db::is_sqlite(&settings.database_url) {
        std::fs::create_dir_all(&settings.data_dir).map_err(|source| db::StartError::DataDir {
            dir: settings.data_dir.display().to_string(),
            source,
        })?;
    }
    let conn = db::connect(&settings.database_url).await?;
    db::migrate(&conn, &settings.database_url).await?;
    regions::ensure_loaded(&conn)
        .await
        .map_err(|e| StartError::Regions(e.to_string()))?;
    Ok(conn)
}

/// The router for `conn` and `settings`.
pub fn router(conn: DatabaseConnection, settings: Settings) -> Router {
    router::build(AppState {
        db: conn,
        settings: Arc::new(settings),
    })
}

/// Serves until Ctrl-C or SIGTERM, purging expired sessions periodically.
pub async fn serve(
    conn: DatabaseConnection,
    settings: Settings,
    addr: SocketAddr,
) -> Result<(), StartError> {
    let purge_conn = conn.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            if let Err(err) = auth::purge_expired(&purge_conn).await {
                tracing::warn!(error = %err, "purging expired sessions failed");
            }
        }
    });
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| StartError::Listen { addr, source })?;
    let app = router(conn, settings).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(StartError::Serve)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
