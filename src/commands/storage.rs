//! `paideia storage gc`: removes what killed processes left (temporary files in the files
//! folder, the data directory and the backup folder; unfinished S3 uploads) and the stored
//! files no `media` row refers to that are older than a day. Asks before removing files;
//! `--dry-run` only lists.

use chrono::Utc;
use indicatif::HumanBytes;

use crate::{
    cli::{StorageCommand, StorageGcArgs},
    commands::{Context, confirm::confirm, context::Open},
    exit::{CommandError, ExitStatus},
    lms::media,
    storage::{
        ObjectInfo, Storage, StorageError,
        reconcile::{self, MEDIA_PREFIX},
        temp::{self, Sweep},
    },
};

pub async fn run(ctx: &Context, command: StorageCommand) -> anyhow::Result<ExitStatus> {
    match command {
        StorageCommand::Gc(args) => gc(ctx, args).await,
    }
}

async fn gc(ctx: &Context, args: StorageGcArgs) -> anyhow::Result<ExitStatus> {
    let remove = !args.dry_run;
    let now = Utc::now();
    let db = ctx.connect(Open::MustExist).await?;
    let mut swept = sweep_folders(ctx, now, remove);
    let storage = match Storage::existing(&ctx.settings) {
        Ok(storage) => Some(storage),
        Err(StorageError::Folder(e)) if e.is_missing() => None,
        Err(e) => return Err(e.into()),
    };
    let mut orphans = Vec::new();
    if let Some(storage) = &storage {
        let cutoff = temp::cutoff(now.into());
        swept.merge(storage.sweep_temporary(cutoff, remove).await?);
        let refs = media::references(&db, None).await?;
        let listing = storage.list_objects(MEDIA_PREFIX).await?;
        orphans = reconcile::orphans(&listing, &refs, now);
    }
    db.close();
    let bytes: u64 = orphans.iter().map(|o| o.size).sum();
    let mut removed = 0;
    let mut failures = std::mem::take(&mut swept.failures);
    if let (Some(storage), true) = (&storage, remove && !orphans.is_empty()) {
        let prompt = format!(
            "remove {} file(s) ({}) from {storage} that no database row refers to (older than a day)?",
            orphans.len(),
            HumanBytes(bytes)
        );
        if !confirm(&prompt, args.yes)? {
            return Err(CommandError::new("cancelled; no file was removed")
                .hint("`paideia storage gc --dry-run` lists them")
                .into());
        }
        let (count, failed) = reconcile::remove(storage, &orphans).await;
        removed = count;
        failures.extend(failed);
    }
    report(ctx, &args, &swept, &orphans, removed, &failures);
    if failures.is_empty() {
        Ok(ExitStatus::Success)
    } else {
        Err(
            CommandError::new(format!("{} item(s) could not be removed", failures.len()))
                .hint("see the lines above; run `paideia storage gc` again once fixed")
                .into(),
        )
    }
}

/// Temporary files of killed dumps in the data directory, and of killed backup runs in the
/// backup folder (`storage::temp`: only unheld ones older than an hour).
fn sweep_folders(ctx: &Context, now: chrono::DateTime<Utc>, remove: bool) -> Sweep {
    let cutoff = temp::cutoff(now.into());
    let mut swept = temp::sweep(&ctx.settings.data_dir, temp::Depth::Here, cutoff, remove);
    swept.merge(temp::sweep(
        &ctx.settings.backup.dir,
        temp::Depth::Below,
        cutoff,
        remove,
    ));
    swept
}

fn report(
    ctx: &Context,
    args: &StorageGcArgs,
    swept: &Sweep,
    orphans: &[ObjectInfo],
    removed: usize,
    failures: &[String],
) {
    let orphan_bytes: u64 = orphans.iter().map(|o| o.size).sum();
    if ctx.json {
        let json = serde_json::json!({
            "dry_run": args.dry_run,
            "leftovers": swept.stale,
            "leftover_bytes": swept.bytes(),
            "orphans": orphans.iter().map(|o| serde_json::json!({
                "key": o.key, "bytes": o.size, "modified": o.modified,
            })).collect::<Vec<_>>(),
            "orphan_bytes": orphan_bytes,
            "orphans_removed": removed,
            "failures": failures,
        });
        println!("{json}");
    }
    for failure in failures {
        eprintln!("warning: {failure}");
    }
    if ctx.quiet {
        return;
    }
    if args.dry_run {
        for leftover in &swept.stale {
            eprintln!(
                "would remove {} ({})",
                leftover.name,
                HumanBytes(leftover.bytes)
            );
        }
        for orphan in orphans {
            eprintln!(
                "would remove {} ({}, no row refers to it)",
                orphan.key,
                HumanBytes(orphan.size)
            );
        }
    }
    let verb = if args.dry_run {
        "would remove"
    } else {
        "removed"
    };
    eprintln!(
        "{verb} {} leftover(s) of killed processes ({}) and {} file(s) no database row refers to ({})",
        swept.stale.len(),
        HumanBytes(swept.bytes()),
        if args.dry_run { orphans.len() } else { removed },
        HumanBytes(orphan_bytes)
    );
}
