//! `paideia backup restore ID`: the database (same safety rules as `restore`: an empty
//! target, or `--clean` after confirmation) and the set's media back into media storage.

use std::time::Instant;

use super::{open_target, work_dir};
use crate::{
    backup::set::{self, BackupKeys, Identities, RestoreSetOptions, SetError, Trust},
    cli::BackupRestoreArgs,
    commands::{Context, confirm::confirm, context::Open, progress},
    exit::{CommandError, ExitStatus},
    storage::Storage,
};

pub async fn run(ctx: &Context, args: BackupRestoreArgs) -> anyhow::Result<ExitStatus> {
    let target = open_target(&ctx.settings.backup, args.remote).await?;
    let manifest = target
        .manifest(&args.id)
        .await?
        .ok_or_else(|| SetError::NotFound {
            id: args.id.clone(),
            target: target.to_string(),
        })?;
    let keys = BackupKeys::load(&ctx.settings.backup.key)?;
    let looked_in = ctx.settings.backup.key.describe();
    let trust = Trust {
        keys: keys.as_ref(),
        looked_in: &looked_in,
        unauthenticated: args.trust_unauthenticated,
    };
    if let Some(problem) = trust.check(&target, &manifest)? {
        super::warn_unauthenticated(&manifest.id, &problem);
    }
    let identities = args.identity.as_deref().map(Identities::load).transpose()?;
    if manifest.encrypted && identities.is_none() {
        return Err(SetError::NeedIdentity(manifest.id).into());
    }
    let db = ctx.connect(Open::CreateIfMissing).await?;
    let media = Storage::from_settings(&ctx.settings).await?;
    if args.clean {
        let prompt = format!(
            "replace everything in {} with backup set {} (and put its {} media files back into {media})?",
            ctx.settings.database_url,
            manifest.id,
            manifest.media.len()
        );
        if !confirm(&prompt, args.yes)? {
            return Err(CommandError::new("cancelled; nothing was changed").into());
        }
    }
    let started = Instant::now();
    let work = work_dir(&ctx.settings.backup.dir, ".restore-")?;
    let options = RestoreSetOptions {
        clean: args.clean,
        identities: identities.as_ref(),
        trust,
    };
    let report = set::restore_set(
        &db,
        &media,
        &target,
        &manifest,
        options,
        work.path(),
        &progress::Bars::new(),
    )
    .await?;
    db.close();
    if !ctx.quiet {
        eprintln!(
            "restored backup set {} from {target}: {} and {} media file(s) into {media}{}",
            manifest.id,
            progress::summary(
                report.manifest.tables.len(),
                report.manifest.total_rows(),
                report.bytes,
                started.elapsed()
            ),
            manifest.media.len(),
            if report.migrated > 0 {
                format!(", then applied {} migration(s)", report.migrated)
            } else {
                String::new()
            }
        );
    }
    Ok(ExitStatus::Success)
}
