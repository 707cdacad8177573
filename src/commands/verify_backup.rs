//! `paideia verify-backup FILE`: exit 0 only when the file is proven restorable, 3 when it is
//! not, 7 when it could not be checked (the scratch space or database failed).

use std::path::PathBuf;

use crate::{
    backup::{self, BackupError, Scratch},
    cli::VerifyBackupArgs,
    commands::Context,
    exit::{CommandError, ExitStatus},
};

pub async fn run(ctx: &Context, args: VerifyBackupArgs) -> anyhow::Result<ExitStatus> {
    let scratch_dir = scratch_dir(ctx, &args.file);
    let scratch = (!args.quick).then(|| Scratch::like(&ctx.settings.database_url, &scratch_dir));
    match backup::verify(&args.file, scratch).await {
        Ok(report) => {
            if ctx.json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!(
                    "ok: {} is a complete paideia dump (format {}, {} schema {}, {} tables, {} rows){}",
                    args.file.display(),
                    report.format,
                    report.engine,
                    report.schema_version,
                    report.tables,
                    report.rows,
                    match report.trial_restore {
                        Some(engine) => format!(
                            "; a trial restore into a scratch {engine} database matched every table"
                        ),
                        None => "; trial restore skipped (--quick)".into(),
                    }
                );
            }
            Ok(ExitStatus::Success)
        }
        Err(
            e @ (BackupError::Corrupt { .. }
            | BackupError::Table { .. }
            | BackupError::TooNew { .. }
            | BackupError::TrialRestore(_)
            | BackupError::Refused(_)),
        ) => Err(CommandError::check_failed(e.to_string(), e.hint(), ctx.json).into()),
        Err(e @ (BackupError::CouldNotCheck { .. } | BackupError::SqlUnchecked { .. })) => {
            if ctx.json {
                println!(
                    "{}",
                    serde_json::json!({"ok": false, "checked": false, "error": e.to_string()})
                );
            }
            Err(CommandError::new(e.to_string())
                .hint(e.hint().unwrap_or_default())
                .status(ExitStatus::CouldNotCheck)
                .into())
        }
        Err(e) => Err(e.into()),
    }
}

/// Where the trial restore's SQLite database goes: the setting, else the data directory (sized
/// for a database), else the dump's own folder.
fn scratch_dir(ctx: &Context, dump: &std::path::Path) -> PathBuf {
    if let Some(dir) = &ctx.settings.backup.scratch_dir {
        return dir.clone();
    }
    if ctx.settings.data_dir.is_dir() {
        return ctx.settings.data_dir.clone();
    }
    match dump.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}
