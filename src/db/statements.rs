//! Counting the statements a piece of work sends to the database: the
//! guard of "cost per request is bounded by what it shows". Work run inside
//! [`counting`] (a request, in a test) has every statement it sends
//! recorded, through the connection's metric callback; anything else pays
//! one task-local lookup per statement. The statements are kept with their
//! parameters, so that a test can ask the database how it would run them
//! (`EXPLAIN QUERY PLAN`); nothing here is ever logged.

use std::future::Future;
use std::sync::{Arc, Mutex};

tokio::task_local! {
    static LOG: Arc<Mutex<Vec<sea_orm::Statement>>>;
}

/// Runs `work` and answers its output with every statement it sent, in
/// order.
pub async fn counting<F: Future>(work: F) -> (F::Output, Vec<sea_orm::Statement>) {
    let log = Arc::new(Mutex::new(Vec::new()));
    let output = LOG.scope(log.clone(), work).await;
    let sent = log.lock().map(|sent| sent.clone()).unwrap_or_default();
    (output, sent)
}

/// The metric callback of every connection (see `db::connect`).
pub(super) fn record(info: &sea_orm::metric::Info<'_>) {
    let _ = LOG.try_with(|log| {
        if let Ok(mut sent) = log.lock() {
            sent.push(info.statement.clone());
        }
    });
}
