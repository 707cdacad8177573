//! `paideia restore FILE`: checks the file, asks before replacing anything, restores in one
//! transaction, then migrates the schema forward.

use std::time::Instant;

use crate::{
    backup::{self, RestoreOptions},
    cli::RestoreArgs,
    commands::{Context, confirm::confirm, context::Open, progress},
    exit::{CommandError, ExitStatus},
};

pub async fn run(ctx: &Context, args: RestoreArgs) -> anyhow::Result<ExitStatus> {
    if !args.file.is_file() {
        return Err(
            CommandError::new(format!("no dump at {}", args.file.display()))
                .hint("give the path of a file written by `paideia dump`")
                .into(),
        );
    }
    let db = ctx.connect(Open::CreateIfMissing).await?;
    if args.clean {
        let prompt = format!(
            "replace everything in {} with the contents of {}?",
            ctx.settings.database_url,
            args.file.display()
        );
        if !confirm(&prompt, args.yes)? {
            return Err(CommandError::new("cancelled; nothing was changed").into());
        }
    }
    let started = Instant::now();
    let options = RestoreOptions {
        clean: args.clean,
        trial: false,
    };
    let report = backup::restore(&db, &args.file, options, &progress::Bars::new()).await?;
    db.close();
    let m = &report.manifest;
    eprintln!(
        "restored {} from {} (paideia {}, {} schema {}){}",
        progress::summary(
            m.tables.len(),
            m.total_rows(),
            report.bytes,
            started.elapsed()
        ),
        args.file.display(),
        m.paideia_version,
        m.engine,
        m.schema_version,
        if report.migrated > 0 {
            format!(", then applied {} migration(s)", report.migrated)
        } else {
            String::new()
        }
    );
    Ok(ExitStatus::Success)
}
