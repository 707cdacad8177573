//! `paideia verify-backup FILE`: exit 0 only when the file is proven restorable.

use crate::{
    backup::{self, BackupError, Scratch},
    cli::VerifyBackupArgs,
    commands::Context,
    exit::{CommandError, ExitStatus},
};

pub async fn run(ctx: &Context, args: VerifyBackupArgs) -> anyhow::Result<ExitStatus> {
    let scratch_dir = tempfile::tempdir()?;
    let scratch =
        (!args.quick).then(|| Scratch::like(&ctx.settings.database_url, scratch_dir.path()));
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
            | BackupError::Refused(_)),
        ) => Err(CommandError::check_failed(e.to_string(), e.hint(), ctx.json).into()),
        Err(e) => Err(e.into()),
    }
}
