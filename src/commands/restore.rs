//! `paideia restore FILE`: checks the file, asks before replacing anything, restores in one
//! transaction, then migrates the schema forward.

use std::time::Instant;

use crate::{
    backup::{self, RestoreOptions},
    cli::RestoreArgs,
    commands::{
        Context,
        confirm::{ask, confirm},
        context::Open,
        progress,
    },
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
    if args.clean && !confirm_clean(ctx, &args)? {
        return Err(CommandError::new("cancelled; nothing was changed").into());
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

/// `--clean` asks first; about a dump with no data it says so, and asks even with `--yes`
/// unless `--allow-empty` was given (such a dump would leave an empty database).
fn confirm_clean(ctx: &Context, args: &RestoreArgs) -> anyhow::Result<bool> {
    let manifest = backup::peek_manifest(&args.file)?;
    let (target, file) = (&ctx.settings.database_url, args.file.display());
    if manifest.data_rows() == 0 && !args.allow_empty {
        let prompt = format!(
            "{file} holds NO DATA (no rows outside paideia's bookkeeping tables; made {} from {} schema {}): replace everything in {target} with an empty database?",
            manifest.created_at.format("%Y-%m-%d %H:%M UTC"),
            manifest.engine,
            manifest.schema_version
        );
        return ask(
            &prompt,
            "stdin is not a terminal; if an empty database is really what you want, add --allow-empty (with --yes)",
        );
    }
    confirm(
        &format!("replace everything in {target} with the contents of {file}?"),
        args.yes,
    )
}
