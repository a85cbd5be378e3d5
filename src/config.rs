//! Settings: defaults, then environment, then flags (flags win).
//!
//! clap reads each flag's environment variable itself, so the order of
//! precedence is declared next to each field. Nothing here opens files or
//! connections; `Settings` is plain data handed to `app` and the commands.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

/// CareBridge (童心桥): the county portal that connects social resources to
/// children in difficult circumstances.
#[derive(Debug, Parser)]
#[command(name = "carebridge", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args, Clone)]
pub struct CommonArgs {
    /// Directory for the SQLite database and the search index.
    #[arg(
        long,
        global = true,
        env = "CAREBRIDGE_DATA_DIR",
        default_value = "./data"
    )]
    pub data_dir: PathBuf,
    /// Database URL (sqlite://… or postgres://…); default: SQLite file in the data directory.
    #[arg(long, global = true, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// A need shows its township only when at least this many children on
    /// file share its township, age band and difficulty class.
    #[arg(
        long,
        global = true,
        env = "CAREBRIDGE_K_ANONYMITY",
        default_value_t = 5,
        value_parser = clap::value_parser!(u32).range(2..=100)
    )]
    pub k_anonymity: u32,
    /// What waits in an inbox longer than this many days is highlighted.
    #[arg(
        long,
        global = true,
        env = "CAREBRIDGE_OVERDUE_DAYS",
        default_value_t = 7,
        value_parser = clap::value_parser!(u32).range(1..=365)
    )]
    pub overdue_days: u32,
    /// An approved or in-service match with no service record for longer
    /// than this many days is a service gap on the child's timeline.
    #[arg(
        long,
        global = true,
        env = "CAREBRIDGE_SERVICE_GAP_DAYS",
        default_value_t = crate::domain::timeline::DEFAULT_SERVICE_GAP_DAYS,
        value_parser = clap::value_parser!(u32).range(1..=365)
    )]
    pub service_gap_days: u32,
    /// A rules file replacing the entitlement rules shipped with the portal
    /// (assets/entitlements.toml); checked at start.
    #[arg(long, global = true, env = "CAREBRIDGE_ENTITLEMENT_RULES")]
    pub entitlement_rules: Option<PathBuf>,
    /// The supervision indicators and their targets, as
    /// `code=target/amber,…` (e.g. `visit_coverage=95/85,days_to_match=14/21`);
    /// default: the five of the README.
    #[arg(long, global = true, env = "CAREBRIDGE_INDICATORS", value_parser = crate::domain::indicator::Indicators::parse)]
    pub indicators: Option<crate::domain::indicator::Indicators>,
}

/// A secret read from the environment: `Debug` never prints it.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Self {
        Self(value)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// The environment variable that carries the vault key. It is read from the
/// environment only, never from a flag, so that it does not show in `ps`.
pub const VAULT_KEY_ENV: &str = "CAREBRIDGE_VAULT_KEY";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate, then serve the portal.
    Serve(ServeArgs),
    /// Run pending database migrations and exit.
    Migrate,
    /// Manage county administrator accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Inspect the audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Rebuild the search index from the database into a new directory and
    /// switch to it (a running portal picks it up without stopping searches).
    Reindex,
    /// Manage the identity vault's key.
    Vault {
        #[command(subcommand)]
        command: VaultCommand,
    },
    /// Fill the database with made-up offers, child files and needs (for
    /// load tests and benchmarks), then rebuild the search index.
    Generate(GenerateArgs),
    /// Write a consistent backup of the database to FILE while the portal
    /// serves (the vault key and the search index are not in it).
    Backup {
        /// The backup file to create (it must not exist yet).
        file: PathBuf,
    },
    /// Restore a backup into an empty database, verify the audit chain and
    /// rebuild the search index. Put the vault key in place first.
    Restore {
        /// A file written by `carebridge backup`.
        file: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Offers to generate (with a few verified providers to own them).
    #[arg(long, default_value_t = 1_000)]
    pub offers: usize,
    /// Published needs to generate (with one active child file per one or two needs).
    #[arg(long, default_value_t = 1_000)]
    pub needs: usize,
    /// The same seed gives the same data.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Generate even though the database already holds offers or child files.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "CAREBRIDGE_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Load demo data into an empty database and print the demo logins.
    #[arg(long)]
    pub demo: bool,
    /// Mark the session cookie `Secure`: set this when the portal is served over TLS.
    #[arg(long, env = "CAREBRIDGE_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Take the client address from the last `X-Forwarded-For` entry (behind a trusted proxy).
    #[arg(long, env = "CAREBRIDGE_TRUST_PROXY")]
    pub trust_proxy: bool,
    /// Minutes within which a mandatory report about a child in danger now
    /// must get its first response (the policy's default: 60).
    #[arg(
        long,
        env = "CAREBRIDGE_REPORT_URGENT_MINUTES",
        default_value_t = 60,
        value_parser = clap::value_parser!(u32).range(5..=1440)
    )]
    pub report_urgent_minutes: u32,
    /// Hours within which any other mandatory report must get its first
    /// response (the policy's default: 24).
    #[arg(
        long,
        env = "CAREBRIDGE_REPORT_NORMAL_HOURS",
        default_value_t = 24,
        value_parser = clap::value_parser!(u32).range(1..=168)
    )]
    pub report_normal_hours: u32,
    /// Days a published critical need waits for a proposal before it is
    /// offered to county-wide offers too (widened).
    #[arg(long, env = "CAREBRIDGE_WIDEN_CRITICAL_DAYS", default_value_t = 2,
        value_parser = clap::value_parser!(u32).range(1..=365))]
    pub widen_critical_days: u32,
    /// The same for an urgent need.
    #[arg(long, env = "CAREBRIDGE_WIDEN_URGENT_DAYS", default_value_t = 5,
        value_parser = clap::value_parser!(u32).range(1..=365))]
    pub widen_urgent_days: u32,
    /// The same for a normal need.
    #[arg(long, env = "CAREBRIDGE_WIDEN_NORMAL_DAYS", default_value_t = 10,
        value_parser = clap::value_parser!(u32).range(1..=365))]
    pub widen_normal_days: u32,
    /// Days after which a need still unanswered asks its officer to renew
    /// or close it.
    #[arg(long, env = "CAREBRIDGE_NEED_CLOSE_DAYS", default_value_t = 40,
        value_parser = clap::value_parser!(u32).range(1..=730))]
    pub need_close_days: u32,
    /// Working days the township has to decide a proposal before it goes
    /// to the county's inbox.
    #[arg(long, env = "CAREBRIDGE_PROPOSAL_WORKING_DAYS", default_value_t = 4,
        value_parser = clap::value_parser!(u32).range(1..=60))]
    pub proposal_working_days: u32,
    /// Also serve Prometheus metrics at `/metrics` on this address (an
    /// admin address, not the public one); off when not given.
    #[arg(long, env = "CAREBRIDGE_METRICS_ADDR")]
    pub metrics_addr: Option<SocketAddr>,
    /// SMTP server for notification e-mails: `smtp://[user:pass@]host[:port]`
    /// (STARTTLS when offered; `?tls=required` to insist) or `smtps://…`
    /// (TLS). Unset: e-mails are only logged.
    #[arg(long, env = "CAREBRIDGE_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// The sender of notification e-mails.
    #[arg(
        long,
        env = "CAREBRIDGE_MAIL_FROM",
        default_value = "童心桥 <noreply@carebridge.invalid>"
    )]
    pub mail_from: String,
    /// HTTP(S) URL of the SMS gateway. Unset: SMS are only logged.
    #[arg(long, env = "CAREBRIDGE_SMS_URL")]
    pub sms_url: Option<String>,
    /// Body POSTed to the SMS gateway, with `{phone}`, `{text}`, `{id}`
    /// replaced; JSON when it starts with `{`, else a form.
    #[arg(long, env = "CAREBRIDGE_SMS_TEMPLATE", default_value = crate::services::notify::senders::DEFAULT_SMS_TEMPLATE)]
    pub sms_template: String,
    /// The portal's public address, for links in messages.
    #[arg(
        long,
        env = "CAREBRIDGE_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    pub public_url: String,
    /// Hour of the day (Beijing time) the daily digests go out.
    #[arg(
        long,
        env = "CAREBRIDGE_DIGEST_HOUR",
        default_value_t = 8,
        value_parser = clap::value_parser!(u32).range(0..=23)
    )]
    pub digest_hour: u32,
}

/// Where notifications go out (issue 18); see `ServeArgs` for each.
#[derive(Debug, Clone)]
pub struct NotifySettings {
    /// Holds credentials: never printed.
    pub smtp_url: Option<Secret>,
    pub mail_from: String,
    /// May hold a gateway key: never printed.
    pub sms_url: Option<Secret>,
    pub sms_template: String,
    pub public_url: String,
    pub digest_hour: u32,
}

impl Default for NotifySettings {
    fn default() -> Self {
        NotifySettings {
            smtp_url: None,
            mail_from: "童心桥 <noreply@carebridge.invalid>".to_owned(),
            sms_url: None,
            sms_template: crate::services::notify::senders::DEFAULT_SMS_TEMPLATE.to_owned(),
            public_url: "http://127.0.0.1:8080".to_owned(),
            digest_hour: 8,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a county_admin account; the password is read from standard input.
    Create {
        #[arg(long)]
        username: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the hash chain; exit 1 naming the first broken entry.
    Verify,
}

#[derive(Debug, Subcommand)]
pub enum VaultCommand {
    /// Re-encrypt every sealed value under a new key in one transaction.
    /// Stop the portal first. With a key file, the new key replaces it; with
    /// CAREBRIDGE_VAULT_KEY, give the new key in CAREBRIDGE_NEW_VAULT_KEY.
    RotateKey,
}

/// Everything the running application needs to know about its environment.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Data directory (SQLite file, search index).
    pub data_dir: PathBuf,
    /// Database URL, resolved (never empty).
    pub database_url: String,
    /// Session cookie carries `Secure`.
    pub secure_cookies: bool,
    /// Client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_proxy: bool,
    /// A session unused for this long ends.
    pub session_idle: Duration,
    /// A session ends this long after login, however active.
    pub session_absolute: Duration,
    /// Login attempts of one account from one address within
    /// `throttle_window` that pass without delay; later ones wait, longer
    /// each time (see `services::throttle`).
    pub throttle_per_account: u32,
    /// Failed logins from one address (any account) within
    /// `throttle_window` that pass without delay. Accounts that logged in
    /// from that address before are not slowed by them.
    pub throttle_per_address: u32,
    /// The window over which login attempts are counted.
    pub throttle_window: Duration,
    /// Registrations (providers, families) from one address within an
    /// hour that pass without delay.
    pub register_per_address: u32,
    /// Mandatory reports from one address within an hour that pass without
    /// delay (a school files several; a flood is slowed).
    pub report_per_address: u32,
    /// Mandatory reports from all addresses together within ten minutes
    /// that pass without delay: a flood from many addresses is slowed too.
    pub report_global: u32,
    /// First-response and follow-up deadlines of mandatory reports.
    pub report_deadlines: crate::domain::report::Deadlines,
    /// When waiting needs and proposals escalate.
    pub escalation: crate::domain::escalation::EscalationSettings,
    /// The vault key from `CAREBRIDGE_VAULT_KEY`; `None` means the key file
    /// in the data directory.
    pub vault_key: Option<Secret>,
    /// The k of k-anonymity for public projections of needs.
    pub k_anonymity: u32,
    /// Inbox items waiting longer than this many days are highlighted.
    pub overdue_days: u32,
    /// Days without a service record that make a running match a gap.
    pub service_gap_days: u32,
    /// The county's entitlement rules file; `None`: the rules shipped.
    pub entitlement_rules: Option<PathBuf>,
    /// The supervision indicators of the dashboards and bulletins.
    pub indicators: crate::domain::indicator::Indicators,
    /// The whole request body must arrive within this time of being asked
    /// for, or the request answers 408: a client that sends its headers and
    /// then stalls or trickles holds a connection no longer than this.
    pub body_timeout: Duration,
    /// Where `/metrics` is served; `None`: nowhere (the default).
    pub metrics_addr: Option<SocketAddr>,
    /// Where notifications go out.
    pub notify: NotifySettings,
}

impl Settings {
    /// Settings for `common`, with the defaults for everything not given.
    pub fn from_common(common: &CommonArgs) -> Self {
        let database_url = common.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                common.data_dir.join("carebridge.db").display()
            )
        });
        Self {
            data_dir: common.data_dir.clone(),
            database_url,
            secure_cookies: false,
            trust_proxy: false,
            session_idle: Duration::from_secs(30 * 60),
            session_absolute: Duration::from_secs(12 * 60 * 60),
            throttle_per_account: 5,
            throttle_per_address: 100,
            throttle_window: Duration::from_secs(15 * 60),
            register_per_address: 20,
            report_per_address: 10,
            report_global: 300,
            report_deadlines: crate::domain::report::Deadlines::default(),
            escalation: crate::domain::escalation::EscalationSettings::default(),
            vault_key: std::env::var(VAULT_KEY_ENV)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .map(Secret::new),
            k_anonymity: common.k_anonymity,
            overdue_days: common.overdue_days,
            service_gap_days: common.service_gap_days,
            entitlement_rules: common.entitlement_rules.clone(),
            indicators: common.indicators.clone().unwrap_or_default(),
            body_timeout: Duration::from_secs(30),
            metrics_addr: None,
            notify: NotifySettings::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_database_is_sqlite_in_the_data_dir() {
        let cli = Cli::try_parse_from(["carebridge", "--data-dir", "/tmp/x", "migrate"])
            .expect("valid arguments");
        let settings = Settings::from_common(&cli.common);
        assert_eq!(
            settings.database_url,
            "sqlite:///tmp/x/carebridge.db?mode=rwc"
        );
    }

    #[test]
    fn the_password_is_never_a_flag() {
        let parsed = Cli::try_parse_from([
            "carebridge",
            "admin",
            "create",
            "--username",
            "root",
            "--password",
            "x",
        ]);
        assert!(parsed.is_err());
    }
}
