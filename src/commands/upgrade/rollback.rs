//! `paideia upgrade --rollback`: puts `paideia.previous` back, and says whether the database
//! must be restored from the pre-upgrade dump (when contract migrations ran that the previous
//! binary cannot run against) and with which command.

use serde_json::json;

use super::{
    apply::{database_env, database_exists},
    attempt::Attempt,
};
use crate::{
    commands::Context,
    exit::ExitStatus,
    upgrade::{Install, smoke},
    version,
};

pub async fn run(
    ctx: &Context,
    restart: bool,
    yes: bool,
    attempt: &mut Attempt,
) -> anyhow::Result<ExitStatus> {
    let install = Install::current()?;
    let _lock = install.claim()?;
    let previous = install.previous();
    let record = install
        .read_record()
        .filter(|r| r.to_version == version::VERSION);
    let verdict = if previous.exists() && database_exists(ctx) {
        smoke::database_verdict(&previous, &database_env(ctx)).await?
    } else {
        Ok(())
    };
    if let Some(back) = record
        .as_ref()
        .and_then(|r| semver::Version::parse(&r.from_version).ok())
    {
        attempt.to = Some(back);
    }
    install.roll_back()?;
    attempt.swapped = true;
    let back_to = smoke::reported(install.exe())
        .await
        .map(|r| r.version)
        .unwrap_or_else(|_| "the previous version".into());
    if let Ok(v) = semver::Version::parse(&back_to) {
        attempt.to = Some(v);
    }
    eprintln!(
        "rolled back {} from {} to {back_to}; {} now holds {}",
        install.exe().display(),
        version::VERSION,
        previous.display(),
        version::VERSION
    );
    let dump = record.as_ref().and_then(|r| r.backup.clone());
    let restore = match (&verdict, &dump) {
        (Ok(()), _) => None,
        (Err(_), Some(dump)) => Some(format!(
            "{} restore --clean {}",
            install.exe().display(),
            dump.display()
        )),
        (Err(_), None) => Some(format!(
            "{} restore --clean <the pre-upgrade dump in {}>",
            install.exe().display(),
            ctx.settings.backup.dir.display()
        )),
    };
    match (&verdict, &restore) {
        (Err(reason), Some(command)) => {
            eprintln!("the database must be restored: {reason}");
            eprintln!(
                "contract migrations ran after the upgrade; restore the pre-upgrade dump with:\n  {command}"
            );
        }
        _ => eprintln!("no restore needed: {back_to} can run against the database as it is"),
    }
    super::restart::after_swap(restart, yes, install.exe());
    if ctx.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "rolled_back_from": version::VERSION,
                "rolled_back_to": back_to,
                "restore_needed": verdict.is_err(),
                "restore_command": restore,
                "backup": dump,
            }))?
        );
    }
    Ok(ExitStatus::Success)
}
