//! `paideia backup`: the cron-driven backup. Each subcommand has its own file; this one
//! dispatches and holds what they share (opening targets, the work folder, the run log).

mod key;
mod list;
mod prune;
mod restore;
mod run;
mod schedule;
mod verify;

use std::path::Path;

use chrono::{DateTime, Utc};

use crate::{
    backup::{
        runlog::{self, RunRecord},
        set::{SetError, Target},
    },
    cli::BackupCommand,
    commands::Context,
    db::Db,
    exit::{CommandError, ExitStatus},
    settings::BackupSettings,
};

pub async fn run(ctx: &Context, command: BackupCommand) -> anyhow::Result<ExitStatus> {
    match command {
        BackupCommand::Run(_) => run::run(ctx).await,
        BackupCommand::List(args) => list::run(ctx, args.remote).await,
        BackupCommand::Prune(args) => prune::run(ctx, args.dry_run).await,
        BackupCommand::Verify(args) => verify::run(ctx, args).await,
        BackupCommand::Restore(args) => restore::run(ctx, args).await,
        BackupCommand::Schedule(args) => schedule::run(ctx, args),
        BackupCommand::Key(sub) => key::run(ctx, sub),
    }
}

/// The loud warning for a set used without authentication, on the admin's word.
fn warn_unauthenticated(id: &str, problem: &crate::backup::set::AuthProblem) {
    eprintln!(
        "warning: backup set {id} is NOT AUTHENTICATED ({problem}); using it anyway because of --trust-unauthenticated: anyone who could write the backup folder or bucket may have made it"
    );
}

/// The local set folder, or with `remote` the off-site target.
async fn open_target(settings: &BackupSettings, remote: bool) -> anyhow::Result<Target> {
    if !remote {
        return Ok(Target::local(&settings.dir).await?);
    }
    match &settings.to {
        Some(to) => Ok(Target::s3(to)?),
        None => Err(CommandError::new("no off-site backup target is set")
            .hint("pass --to s3://BUCKET/PREFIX or set PAIDEIA_BACKUP_TO")
            .into()),
    }
}

/// The off-site target, when one is set.
fn remote_target(settings: &BackupSettings) -> Result<Option<Target>, SetError> {
    settings.to.as_ref().map(Target::s3).transpose()
}

/// What temporary folders of `backup run` are called; other subcommands use their own
/// prefix, as they run without the lock.
const RUN_WORK: &str = ".run-";

/// A hidden folder for temporary files inside `dir`, named `prefix…`, removed when dropped.
fn work_dir(dir: &Path, prefix: &str) -> anyhow::Result<tempfile::TempDir> {
    crate::settings::create_private_dir(dir).map_err(SetError::io("create", dir))?;
    Ok(tempfile::Builder::new()
        .prefix(prefix)
        .tempdir_in(dir)
        .map_err(SetError::io("create a work folder in", dir))?)
}

/// Removes run folders a killed run left behind; only called under the run lock, when no
/// other run can be using one.
fn remove_stale_run_folders(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        if entry.file_name().to_string_lossy().starts_with(RUN_WORK)
            && let Err(e) = std::fs::remove_dir_all(entry.path())
        {
            tracing::warn!("cannot remove {}: {e}", entry.path().display());
        }
    }
}

/// Notes a run in the database's backup log; a failure to do so is logged, not fatal (the
/// backup itself is what matters, and the database may be what failed).
async fn log_run(db: Option<&Db>, record: RunRecord<'_>) {
    if let Some(db) = db
        && let Err(e) = runlog::record(db, record).await
    {
        tracing::warn!("cannot note the run in backup_runs: {e}");
    }
}

/// `3 h`, `2 d`: how long ago `then` was.
fn age(now: DateTime<Utc>, then: DateTime<Utc>) -> String {
    let minutes = (now - then).num_minutes().max(0);
    match minutes {
        m if m < 120 => format!("{m} min"),
        m if m < 48 * 60 => format!("{} h", m / 60),
        m => format!("{} d", m / (24 * 60)),
    }
}
