//! The `carebridge` binary: parse the command line, start logging, run.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

/// mimalloc instead of glibc's malloc: under load glibc's malloc and free
/// took a quarter of the CPU of a search, and its per-thread arenas kept
/// memory freed by one thread from the others (README, "Performance").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    // Before any file is opened: SQLite's WAL and shared-memory files and
    // the search index's files are created by libraries under the umask,
    // and child data must not be readable by other local accounts.
    carebridge::files::restrict_umask();
    // Logs go to stderr; statements (which can carry personal data) stay off.
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("CAREBRIDGE_LOG")
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn")),
        )
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .init();
    carebridge::cli::run(carebridge::config::Cli::parse()).await
}
