//! `paideia restore FILE`: checks the file, asks before replacing anything, restores in one
//! transaction, then migrates the schema forward; last, says how many of the files the
//! restored database refers to are missing from this install's storage (a dump holds no files).

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
    db::Db,
    doctor::bring_back_hint,
    exit::{CommandError, ExitStatus},
    lms::media,
    storage::{
        Storage, StorageError,
        reconcile::{self, MEDIA_PREFIX},
    },
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
    let files = check_files(ctx, &db).await;
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
    for line in files {
        eprintln!("{line}");
    }
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

/// Whether the files the restored database refers to are in the configured storage: lines to
/// print after the summary (a warning and a hint when some are missing).
async fn check_files(ctx: &Context, db: &Db) -> Vec<String> {
    let refs = match media::references(db, None).await {
        Ok(refs) if refs.is_empty() => return Vec::new(),
        Ok(refs) => refs,
        Err(e) => {
            return vec![format!(
                "warning: cannot list the restored database's files: {e}"
            )];
        }
    };
    let (label, listing) = match Storage::existing(&ctx.settings) {
        Ok(storage) => match storage.list_objects(MEDIA_PREFIX).await {
            Ok(listing) => (storage.to_string(), listing),
            Err(e) => {
                return vec![format!(
                    "warning: cannot check that the restored database's {} file(s) are in {storage}: {e}",
                    refs.len()
                )];
            }
        },
        Err(StorageError::Folder(e)) if e.is_missing() => {
            (format!("the files folder {}", e.path.display()), Vec::new())
        }
        Err(e) => {
            return vec![format!(
                "warning: cannot check the restored database's files: {e}"
            )];
        }
    };
    let presence = reconcile::check_listing(&listing, &refs);
    if presence.missing.is_empty() {
        return vec![format!(
            "all {} file(s) the database refers to are in {label}",
            refs.len()
        )];
    }
    vec![
        format!(
            "warning: {} of the {} file(s) the restored database refers to are missing from {label}; until they are back, they answer 404",
            presence.missing.len(),
            refs.len()
        ),
        format!("hint: {}", bring_back_hint(&label)),
    ]
}
