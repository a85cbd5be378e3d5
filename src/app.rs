//! Building the application state and serving it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use sea_orm::DatabaseConnection;

use crate::config::Settings;
use crate::db;
use crate::files;
use crate::services::files::population;
use crate::services::search::{self, SearchHandle, indexer};
use crate::services::{Store, auth, regions, vault_admin};
use crate::vault::Vault;
use crate::vault::key_file::{self, KeySource};
use crate::web::{AppState, router};

/// Why the application could not start; one line, no secrets.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Db(#[from] db::StartError),
    #[error("cannot load regions: {0}")]
    Regions(String),
    #[error("identity vault: {0}")]
    Vault(#[from] vault_admin::OpenError),
    #[error("{0}")]
    Search(String),
    #[error("{0}")]
    Rules(String),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("server error: {0}")]
    Serve(std::io::Error),
    #[error("cannot start the metrics recorder")]
    Metrics,
    #[error("notifications: {0}")]
    Notify(String),
}

/// What start-up prepared: the migrated database and the opened vault.
#[derive(Clone)]
pub struct Prepared {
    pub db: DatabaseConnection,
    pub vault: Arc<Vault>,
    pub key_source: KeySource,
    /// What requests keep for one another while nothing changes (shared
    /// by the server's requests and its indexer).
    pub kept: Arc<crate::services::kept::Kept>,
    /// Townships and villages, loaded at start (the region file is loaded
    /// into the database once and never changes while the portal runs).
    pub regions: Arc<Vec<crate::services::regions::Township>>,
    /// The time the services decide by (moved forward only by tests).
    pub clock: crate::services::clock::Clock,
    /// The entitlement rules, read and checked at start.
    pub rules: Arc<crate::domain::entitlement::Rules>,
}

impl Prepared {
    pub fn store(&self) -> Store<'_> {
        Store {
            db: &self.db,
            vault: &self.vault,
            kept: Some(&self.kept),
            clock: &self.clock,
            rules: &self.rules,
            audit: None,
        }
    }
}

/// Opens (creating the data directory for SQLite, owner-only) and migrates
/// the database, restricting access to what start-up finds open to others,
/// loads the region file into an empty one, and opens the identity vault
/// with a key that must match the database's.
pub async fn prepare(settings: &Settings) -> Result<Prepared, StartError> {
    let db = prepare_db(settings).await?;
    let (vault, key_source) = vault_admin::open(
        &db,
        settings.vault_key.as_ref().map(|s| s.expose()),
        &settings.data_dir,
    )
    .await?;
    if let KeySource::Created(path) = &key_source {
        tracing::warn!(
            path = %path.display(),
            "created a new vault key file: back it up; without it no child file can be read"
        );
    }
    let rules = crate::services::entitlements::rules::load(settings.entitlement_rules.as_deref())
        .map_err(StartError::Rules)?;
    let regions = regions::list(&db)
        .await
        .map_err(|e| StartError::Regions(e.to_string()))?;
    let prepared = Prepared {
        db,
        vault: Arc::new(vault),
        key_source,
        kept: Arc::default(),
        regions: Arc::new(regions),
        clock: crate::services::clock::Clock::movable(),
        rules: Arc::new(rules),
    };
    // The counts of the k-anonymity rule hold for a day or two; after a
    // stop, bring them to today before anything is projected.
    let today = chrono::Local::now().date_naive();
    population::refresh(prepared.store(), today)
        .await
        .map_err(|e| StartError::Search(format!("cannot count the files for k-anonymity: {e}")))?;
    // The gap list holds for the rules and the day it was checked under.
    crate::services::entitlements::gaps::refresh_if_due(prepared.store())
        .await
        .map_err(|e| StartError::Rules(format!("cannot check the entitlement gaps: {e}")))?;
    Ok(prepared)
}

/// Opens this node's search index (the serving process alone holds its
/// writer) and applies whatever committed while it was not running: a
/// crash between a database commit and an index commit loses nothing.
pub async fn open_search(
    prepared: &Prepared,
    settings: &Settings,
) -> Result<Arc<SearchHandle>, StartError> {
    let search = SearchHandle::open(&settings.data_dir)
        .map_err(|e| StartError::Search(format!("cannot open the search index: {e}")))?;
    let applied = indexer::catch_up(prepared.store(), &search, settings.k_anonymity)
        .await
        .map_err(|e| {
            StartError::Search(format!("cannot bring the search index up to date: {e}"))
        })?;
    if applied > 0 {
        tracing::info!(entries = applied, "search index caught up");
    }
    Ok(Arc::new(search))
}

/// The database alone, migrated, with the regions loaded.
pub async fn prepare_db(settings: &Settings) -> Result<DatabaseConnection, StartError> {
    if db::is_sqlite(&settings.database_url) {
        files::create_private_dir(&settings.data_dir).map_err(|source| {
            db::StartError::DataDir {
                dir: settings.data_dir.display().to_string(),
                source,
            }
        })?;
    }
    let conn = db::connect(&settings.database_url).await?;
    // After connecting, when SQLite's WAL and shared-memory files exist.
    secure_files(settings, &conn);
    db::migrate(&conn, &settings.database_url).await?;
    regions::ensure_loaded(&conn)
        .await
        .map_err(|e| StartError::Regions(e.to_string()))?;
    Ok(conn)
}

/// Takes other local accounts' access away from whatever the portal keeps
/// that an older version (or a restore, or a careless `mkdir`) left open:
/// the data directory, the vault key files, the search index and, on
/// SQLite, the database with its WAL and shared-memory files. What the
/// portal creates itself is owner-only from the start (see `files`).
fn secure_files(settings: &Settings, conn: &DatabaseConnection) {
    let dir = &settings.data_dir;
    files::secure(dir);
    for name in [key_file::FILE_NAME, key_file::PENDING_NAME] {
        files::secure(&dir.join(name));
    }
    for file in db::sqlite_files(conn) {
        files::secure(&file);
    }
    files::secure_tree(&dir.join(search::INDEX_DIR));
}

/// The router for what start-up prepared and `settings`.
pub fn router(prepared: Prepared, search: Arc<SearchHandle>, settings: Settings) -> Router {
    router::build(state(prepared, search, settings))
}

/// What every handler can reach, for what start-up prepared.
pub fn state(prepared: Prepared, search: Arc<SearchHandle>, settings: Settings) -> AppState {
    let audit = Arc::new(crate::services::audit::Group::new(prepared.db.clone()));
    AppState {
        db: prepared.db,
        vault: prepared.vault,
        kept: prepared.kept,
        regions: prepared.regions,
        clock: prepared.clock,
        rules: prepared.rules,
        search,
        settings: Arc::new(settings),
        allocation: Arc::default(),
        inbox_counts: Arc::default(),
        oversight: Arc::default(),
        audit,
    }
}

/// Serves until Ctrl-C or SIGTERM, purging expired sessions periodically.
pub async fn serve(
    prepared: Prepared,
    search: Arc<SearchHandle>,
    settings: Settings,
    addr: SocketAddr,
) -> Result<(), StartError> {
    tokio::spawn(run_indexer(
        prepared.clone(),
        search.clone(),
        settings.k_anonymity,
    ));
    let purge_conn = prepared.db.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            if let Err(err) = auth::purge_expired(&purge_conn).await {
                tracing::warn!(error = %err, "purging expired sessions failed");
            }
        }
    });
    let sweeping = prepared.clone();
    let sweeping_settings = settings.escalation;
    let sweeping_overdue_days = settings.overdue_days;
    tokio::spawn(async move {
        // Missed report deadlines are recorded (and escalated) within a
        // minute of passing; reads decide overdue from the clock anyway.
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            match crate::services::reports::sweep(sweeping.store()).await {
                Ok(swept) if swept.overdue + swept.escalated > 0 => tracing::warn!(
                    overdue = swept.overdue,
                    escalated = swept.escalated,
                    "mandatory reports past their first-response deadline"
                ),
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "sweeping report deadlines failed"),
            }
            let escalation = sweeping_settings;
            match crate::services::needs::escalation::sweep(sweeping.store(), &escalation).await {
                Ok(swept) if swept.total() > 0 => tracing::info!(
                    widened = swept.widened,
                    renewal_asked = swept.renewal_asked,
                    proposals_escalated = swept.proposals_escalated,
                    "needs and proposals escalated"
                ),
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "sweeping need escalations failed"),
            }
            // The month just ended is counted by class and band as it
            // stood (one keyed read when it was already taken).
            match crate::services::oversight::snapshot::take_due(sweeping.store()).await {
                Ok(Some(month)) => {
                    tracing::info!(month = %month.code(), "month-end population snapshot taken")
                }
                Ok(None) => {}
                Err(err) => tracing::warn!(error = %err, "taking the month-end snapshot failed"),
            }
            // Inbox items that fall due by a date are told once each.
            match crate::services::notify::due::sweep(sweeping.store(), sweeping_overdue_days).await
            {
                Ok(swept) if swept.total() > 0 => tracing::info!(
                    referrals_overdue = swept.referrals_overdue,
                    referrals_escalated = swept.referrals_escalated,
                    needs_unmatched = swept.needs_unmatched,
                    approvals_ending = swept.approvals_ending,
                    "inbox items fell due and were told"
                ),
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "sweeping due notices failed"),
            }
        }
    });
    let (stop_notify, notify_stopped) = tokio::sync::watch::channel(false);
    let notifier = tokio::spawn(crate::services::notify::worker::run(
        notify_worker(&prepared, &settings)?,
        notify_stopped,
    ));
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| StartError::Listen { addr, source })?;
    let k = settings.k_anonymity;
    let flushing = prepared.clone();
    let state = state(prepared, search.clone(), settings);
    if let Some(metrics_addr) = state.settings.metrics_addr {
        serve_metrics(state.clone(), metrics_addr).await?;
    }
    let app = router::build(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(StartError::Serve)?;
    // Let a round under way finish: what it claimed is marked, not left
    // leased until another node's lease check.
    let _ = stop_notify.send(true);
    if let Err(err) = notifier.await {
        tracing::warn!(error = %err, "the notification worker ended abnormally");
    }
    // Every answered write is committed; apply what the indexer has not
    // yet, so that the index is current when the next start opens it.
    match indexer::catch_up(flushing.store(), &search, k).await {
        Ok(applied) => tracing::info!(entries = applied, "search index flushed"),
        Err(err) => {
            tracing::warn!(error = %err, "flushing the search index failed; the next start catches up")
        }
    }
    Ok(())
}

/// The notification worker for `settings` (SMTP and SMS gateway, or
/// log-only senders when they are not configured).
pub fn notify_worker(
    prepared: &Prepared,
    settings: &Settings,
) -> Result<crate::services::notify::worker::Worker, StartError> {
    let n = &settings.notify;
    let senders = crate::services::notify::senders::from_config(
        n.smtp_url.as_ref().map(|s| s.expose()),
        &n.mail_from,
        n.sms_url.as_ref().map(|s| s.expose()),
        &n.sms_template,
        &n.public_url,
    )
    .map_err(|e| StartError::Notify(e.to_string()))?;
    Ok(crate::services::notify::worker::Worker::new(
        prepared.db.clone(),
        prepared.clock.clone(),
        senders,
        n.digest_hour,
    ))
}

/// Serves `/metrics` on the admin address until the process ends.
async fn serve_metrics(state: AppState, addr: SocketAddr) -> Result<(), StartError> {
    if crate::web::metrics::install().is_none() {
        return Err(StartError::Metrics);
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| StartError::Listen { addr, source })?;
    println!("metrics on http://{addr}/metrics");
    let app = crate::web::metrics::admin_router(state);
    tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, app).await {
            tracing::warn!(error = %err, "the metrics server stopped");
        }
    });
    Ok(())
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

/// How often a node looks at the outbox and for a rebuilt index.
const INDEXER_TICK: Duration = Duration::from_millis(300);

/// Keeps this node's index in step: applies new outbox entries, swaps in a
/// rebuilt index, and re-projects published needs once a day (birthdays
/// move children between age bands).
async fn run_indexer(prepared: Prepared, search: Arc<SearchHandle>, k: u32) {
    let mut tick = tokio::time::interval(INDEXER_TICK);
    let mut refreshed_on = search.refreshed_on();
    loop {
        tick.tick().await;
        let store = prepared.store();
        if let Err(err) = search.check_swap().await {
            tracing::warn!(error = %err, "swapping in the rebuilt search index failed");
        }
        if let Err(err) = indexer::catch_up(store, &search, k).await {
            tracing::warn!(error = %err, "applying the search outbox failed; retrying");
            continue;
        }
        let today = chrono::Local::now().date_naive();
        if refreshed_on != Some(today) {
            match indexer::refresh_needs(store, &search, k).await {
                Ok(n) => {
                    refreshed_on = Some(today);
                    tracing::info!(needs = n, "published needs re-projected for today");
                    // Birthdays move children across the rules' age bounds.
                    if let Err(err) =
                        crate::services::entitlements::gaps::refresh_if_due(store).await
                    {
                        tracing::warn!(error = %err, "re-checking entitlement gaps failed");
                    }
                }
                Err(err) => tracing::warn!(error = %err, "re-projecting needs failed; retrying"),
            }
        }
    }
}
