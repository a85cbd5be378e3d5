//! Process tests: `carebridge serve` as a county runs it, killed with
//! SIGKILL, stopped with SIGTERM, two nodes on one PostgreSQL, and a
//! notification that outlives a mail server outage and a restart.
//!
//! Each test prepares its data in process (the API test helpers, on a
//! database of its own: SQLite, or PostgreSQL with
//! `CAREBRIDGE_TEST_POSTGRES`), then starts the built binary on that
//! database with a data directory (search index) of its own.

#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;
#[allow(dead_code)]
#[path = "../api/match_helpers.rs"]
mod match_helpers;
// The in-test SMTP server of the API tests (its SMS gateway unused here).
#[allow(dead_code)]
#[path = "../api/notify_servers.rs"]
mod notify_servers;

mod checks;
mod crash;
mod node;
mod nodes;
mod notify;
mod shutdown;
