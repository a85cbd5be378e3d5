//! The commands of the `carebridge` binary (API.md, "Command line").

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use crate::app;
use crate::config::{
    AdminCommand, AuditCommand, Cli, Command, GenerateArgs, ServeArgs, Settings, VaultCommand,
};
use crate::db;
use crate::services::search::indexer;
use crate::services::{ServiceError, audit, backup as backups, demo, users, vault_admin};
use crate::synthetic;
use crate::vault::Vault;
use crate::vault::key_file::KeySource;

/// Runs the parsed command line; the exit code is the process's.
pub async fn run(cli: Cli) -> ExitCode {
    let mut settings = Settings::from_common(&cli.common);
    match cli.command {
        Command::Serve(args) => serve(&mut settings, args).await,
        Command::Migrate => match app::prepare_db(&settings).await {
            Ok(_) => {
                println!(
                    "migrations applied to {}",
                    db::redact_url(&settings.database_url)
                );
                ExitCode::SUCCESS
            }
            Err(err) => fail(&err.to_string()),
        },
        Command::Admin {
            command: AdminCommand::Create { username },
        } => admin_create(&settings, &username).await,
        Command::Audit {
            command: AuditCommand::Verify,
        } => audit_verify(&settings).await,
        Command::Vault {
            command: VaultCommand::RotateKey,
        } => rotate_key(&settings).await,
        Command::Reindex => reindex(&settings).await,
        Command::Generate(args) => generate(&settings, args).await,
        Command::Backup { file } => backup(&settings, &file).await,
        Command::Restore { file } => restore(&settings, &file).await,
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}

async fn serve(settings: &mut Settings, args: ServeArgs) -> ExitCode {
    settings.secure_cookies = args.secure_cookies;
    settings.metrics_addr = args.metrics_addr;
    settings.notify = crate::config::NotifySettings {
        smtp_url: args
            .smtp_url
            .filter(|u| !u.trim().is_empty())
            .map(crate::config::Secret::new),
        mail_from: args.mail_from,
        sms_url: args
            .sms_url
            .filter(|u| !u.trim().is_empty())
            .map(crate::config::Secret::new),
        sms_template: args.sms_template,
        public_url: args.public_url,
        digest_hour: args.digest_hour,
    };
    settings.trust_proxy = args.trust_proxy;
    settings.report_deadlines.urgent =
        chrono::Duration::minutes(i64::from(args.report_urgent_minutes));
    settings.report_deadlines.normal = chrono::Duration::hours(i64::from(args.report_normal_hours));
    settings.escalation = crate::domain::escalation::EscalationSettings {
        widen_critical_days: args.widen_critical_days,
        widen_urgent_days: args.widen_urgent_days,
        widen_normal_days: args.widen_normal_days,
        close_days: args.need_close_days,
        proposal_working_days: args.proposal_working_days,
    };
    let prepared = match app::prepare(settings).await {
        Ok(prepared) => prepared,
        Err(err) => return fail(&err.to_string()),
    };
    if args.demo {
        match demo::load_if_empty(&prepared.db, &prepared.vault, settings.k_anonymity).await {
            Ok(loaded) => print_demo_logins(loaded),
            Err(err) => return fail(&demo::describe(&err)),
        }
    }
    let search = match app::open_search(&prepared, settings).await {
        Ok(search) => search,
        Err(err) => return fail(&err.to_string()),
    };
    println!("CareBridge 童心桥 listening on http://{}", args.addr);
    println!("database: {}", db::redact_url(&settings.database_url));
    match app::serve(prepared, search, settings.clone(), args.addr).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => fail(&err.to_string()),
    }
}

fn print_demo_logins(loaded: bool) {
    if loaded {
        println!("demo data loaded.");
    } else {
        println!("the database already has accounts; demo data not loaded again.");
    }
    println!("demo logins (demo data only; never use these passwords on a real deployment):");
    for login in demo::LOGINS {
        println!(
            "  {:<34} {:<12} {}",
            login.role, login.username, login.password
        );
    }
}

async fn admin_create(settings: &Settings, username: &str) -> ExitCode {
    let password = match read_password() {
        Ok(p) => p,
        Err(err) => return fail(&format!("cannot read the password: {err}")),
    };
    let conn = match app::prepare_db(settings).await {
        Ok(conn) => conn,
        Err(err) => return fail(&err.to_string()),
    };
    match users::create_admin_from_cli(&conn, username, password).await {
        Ok(user) => {
            println!("county_admin {} created", user.username);
            ExitCode::SUCCESS
        }
        Err(ServiceError::Invalid(invalid)) => fail(&invalid.to_string()),
        Err(err) => fail(&err.to_string()),
    }
}

/// One line from standard input; a prompt without echo on a terminal.
fn read_password() -> std::io::Result<String> {
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password("password: ");
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

async fn audit_verify(settings: &Settings) -> ExitCode {
    let conn = match app::prepare_db(settings).await {
        Ok(conn) => conn,
        Err(err) => return fail(&err.to_string()),
    };
    match audit::verify(&conn).await {
        Ok(audit::Verification::Intact { entries }) => {
            println!("audit chain intact: {entries} entries");
            ExitCode::SUCCESS
        }
        Ok(audit::Verification::Broken { seq, reason }) => {
            eprintln!("audit chain broken at entry #{seq}: {reason}");
            ExitCode::FAILURE
        }
        Err(err) => fail(&err.to_string()),
    }
}

/// The environment variable with the next key, when the current one comes
/// from the environment too.
const NEW_VAULT_KEY_ENV: &str = "CAREBRIDGE_NEW_VAULT_KEY";

async fn rotate_key(settings: &Settings) -> ExitCode {
    let prepared = match app::prepare(settings).await {
        Ok(prepared) => prepared,
        Err(err) => return fail(&err.to_string()),
    };
    let env_new = std::env::var(NEW_VAULT_KEY_ENV).ok();
    if prepared.key_source == KeySource::Environment && env_new.is_none() {
        return fail(&format!(
            "the vault key comes from CAREBRIDGE_VAULT_KEY: put the new key (32 bytes, base64) in {NEW_VAULT_KEY_ENV}"
        ));
    }
    let new_key =
        match vault_admin::new_key(&prepared.key_source, &settings.data_dir, env_new.as_deref()) {
            Ok(key) => key,
            Err(err) => return fail(&err.to_string()),
        };
    let new = Vault::new(&new_key);
    let count = match vault_admin::rotate(&prepared.db, &prepared.vault, &new).await {
        Ok(count) => count,
        Err(err) => {
            return fail(&format!(
                "rotation rolled back, the old key stays valid: {err}"
            ));
        }
    };
    if prepared.key_source != KeySource::Environment
        && let Err(err) = vault_admin::finish_file_rotation(&settings.data_dir)
    {
        return fail(&format!(
            "the database now uses the new key in vault.key.new, but swapping the file failed ({err}); the next start finishes the swap"
        ));
    }
    println!(
        "vault key rotated: {count} files re-sealed; new key fingerprint {}",
        new.fingerprint()
    );
    if prepared.key_source == KeySource::Environment {
        println!(
            "set CAREBRIDGE_VAULT_KEY to the value of {NEW_VAULT_KEY_ENV} before the next start"
        );
    }
    ExitCode::SUCCESS
}

async fn reindex(settings: &Settings) -> ExitCode {
    let prepared = match app::prepare(settings).await {
        Ok(prepared) => prepared,
        Err(err) => return fail(&err.to_string()),
    };
    let started = std::time::Instant::now();
    match indexer::rebuild(prepared.store(), &settings.data_dir, settings.k_anonymity).await {
        Ok(rebuilt) => {
            println!(
                "search index rebuilt: {} documents up to outbox entry {} in {:.1} s ({})",
                rebuilt.documents,
                rebuilt.seq,
                started.elapsed().as_secs_f64(),
                rebuilt.directory
            );
            ExitCode::SUCCESS
        }
        Err(err) => fail(&format!("rebuilding the search index failed: {err}")),
    }
}

/// Generates synthetic data into the configured database, then rebuilds
/// the index: generated rows bypass the outbox, so only a rebuild indexes them.
async fn generate(settings: &Settings, args: GenerateArgs) -> ExitCode {
    let prepared = match app::prepare(settings).await {
        Ok(prepared) => prepared,
        Err(err) => return fail(&err.to_string()),
    };
    match synthetic::has_data(&prepared.db).await {
        Ok(true) if !args.force => {
            return fail(
                "the database already holds offers or child files: refusing to mix made-up data into it (use --force on a test database)",
            );
        }
        Ok(_) => {}
        Err(err) => return fail(&err.to_string()),
    }
    let plan = synthetic::Plan {
        offers: args.offers,
        needs: args.needs,
        seed: args.seed,
    };
    let started = std::time::Instant::now();
    let generated = match synthetic::generate(prepared.store(), plan).await {
        Ok(generated) => generated,
        Err(err) => return fail(&format!("generating failed: {err}")),
    };
    if let Err(err) = crate::db::refresh_statistics(&prepared.db).await {
        return fail(&format!(
            "refreshing the planner's statistics failed: {err}"
        ));
    }
    let generation = started.elapsed();
    println!(
        "generated {} providers, {} offers, {} child files, {} needs (seed {}) in {:.1} s",
        generated.providers,
        generated.offers,
        generated.children,
        generated.needs,
        args.seed,
        generation.as_secs_f64()
    );
    let started = std::time::Instant::now();
    match indexer::rebuild(prepared.store(), &settings.data_dir, settings.k_anonymity).await {
        Ok(rebuilt) => {
            let seconds = started.elapsed().as_secs_f64();
            println!(
                "search index rebuilt: {} documents in {:.1} s ({:.0} documents/s, {})",
                rebuilt.documents,
                seconds,
                rebuilt.documents as f64 / seconds.max(1e-9),
                rebuilt.directory
            );
            ExitCode::SUCCESS
        }
        Err(err) => fail(&format!("rebuilding the search index failed: {err}")),
    }
}

/// Writes a backup while the portal may be serving, and says what is not
/// in it.
async fn backup(settings: &Settings, file: &std::path::Path) -> ExitCode {
    let conn = match app::prepare_db(settings).await {
        Ok(conn) => conn,
        Err(err) => return fail(&err.to_string()),
    };
    let started = std::time::Instant::now();
    match backups::backup(&conn, &settings.database_url, file).await {
        Ok(bytes) => {
            println!(
                "backup written: {} ({bytes} bytes in {:.1} s)",
                file.display(),
                started.elapsed().as_secs_f64()
            );
            let key = if settings.vault_key.is_some() {
                "the value of CAREBRIDGE_VAULT_KEY".to_owned()
            } else {
                backups::key_file_path(&settings.data_dir)
                    .display()
                    .to_string()
            };
            println!(
                "the vault key is NOT in the backup: keep a copy of {key} apart from it (without the key no child's identity can be read; with it, anyone holding the backup can)"
            );
            println!("the search index is not backed up: `carebridge restore` rebuilds it");
            ExitCode::SUCCESS
        }
        Err(err) => fail(&format!("backup failed: {err}")),
    }
}

/// Restores into an empty database, then proves the result: migrations,
/// the vault key, the audit chain, and a fresh search index.
async fn restore(settings: &Settings, file: &std::path::Path) -> ExitCode {
    if db::is_sqlite(&settings.database_url)
        && let Err(err) = crate::files::create_private_dir(&settings.data_dir)
    {
        return fail(&format!(
            "cannot create data directory {}: {err}",
            settings.data_dir.display()
        ));
    }
    if let Err(err) = backups::restore(&settings.database_url, file).await {
        return fail(&format!("restore failed: {err}"));
    }
    println!(
        "backup {} restored into {}",
        file.display(),
        db::redact_url(&settings.database_url)
    );
    let prepared = match app::prepare(settings).await {
        Ok(prepared) => prepared,
        Err(err) => {
            return fail(&format!(
                "the restored database does not open: {err} (is the backup's vault key in place?)"
            ));
        }
    };
    match audit::verify(&prepared.db).await {
        Ok(audit::Verification::Intact { entries }) => {
            println!("audit chain intact: {entries} entries");
        }
        Ok(audit::Verification::Broken { seq, reason }) => {
            eprintln!("audit chain broken at entry #{seq}: {reason}");
            return ExitCode::FAILURE;
        }
        Err(err) => return fail(&err.to_string()),
    }
    match indexer::rebuild(prepared.store(), &settings.data_dir, settings.k_anonymity).await {
        Ok(rebuilt) => {
            println!(
                "search index rebuilt: {} documents ({})",
                rebuilt.documents, rebuilt.directory
            );
            ExitCode::SUCCESS
        }
        Err(err) => fail(&format!("rebuilding the search index failed: {err}")),
    }
}
