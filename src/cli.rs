//! The commands of the `carebridge` binary (API.md, "Command line").

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use crate::app;
use crate::config::{AdminCommand, AuditCommand, Cli, Command, ServeArgs, Settings};
use crate::db;
use crate::services::{ServiceError, audit, demo, users};

/// Runs the parsed command line; the exit code is the process's.
pub async fn run(cli: Cli) -> ExitCode {
    let mut settings = Settings::from_common(&cli.common);
    match cli.command {
        Command::Serve(args) => serve(&mut settings, args).await,
        Command::Migrate => match app::prepare(&settings).await {
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
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}

async fn serve(settings: &mut Settings, args: ServeArgs) -> ExitCode {
    settings.secure_cookies = args.secure_cookies;
    settings.trust_proxy = args.trust_proxy;
    let conn = match app::prepare(settings).await {
        Ok(conn) => conn,
        Err(err) => return fail(&err.to_string()),
    };
    if args.demo {
        match demo::load_if_empty(&conn).await {
            Ok(loaded) => print_demo_logins(loaded),
            Err(err) => return fail(&demo::describe(&err)),
        }
    }
    println!("CareBridge 童心桥 listening on http://{}", args.addr);
    println!("database: {}", db::redact_url(&settings.database_url));
    match app::serve(conn, settings.clone(), args.addr).await {
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
    let conn = match app::prepare(settings).await {
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
    let conn = match app::prepare(settings).await {
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
