//! `paideia backup run`: lock, write a set, prune locally, copy every kept set the off-site
//! target lacks, prune there, note the run, print one line. Any failure exits non-zero; a
//! failed off-site copy leaves the local set in place.

use std::time::Instant;

use chrono::Utc;
use indicatif::HumanBytes;

use super::{RUN_WORK, log_run, remote_target, remove_stale_run_folders, work_dir};
use crate::{
    backup::{
        runlog::{RunKind, RunRecord},
        set::{self, BackupKeys, CopyStats, Recipients, RunLock, SetError, SetManifest, Target},
    },
    commands::{Context, context::Open},
    exit::{CommandError, ExitStatus},
    settings::Retention,
    storage::Storage,
};

pub async fn run(ctx: &Context) -> anyhow::Result<ExitStatus> {
    let settings = &ctx.settings.backup;
    let _lock = RunLock::acquire(&settings.dir)?;
    let recipients = Recipients::parse(&settings.age_recipients)?;
    let (keys, generated) = BackupKeys::for_signing(&settings.key, &settings.dir)?;
    if generated {
        // Even with --quiet: the admin must copy this file somewhere else.
        eprintln!(
            "notice: made the backup key file {} (key {}), which signs every set; keep a copy away from this machine and the backups: without it, sets restore only with --trust-unauthenticated",
            keys.source(),
            keys.ids()[0]
        );
    }
    let started_at = Utc::now();
    let started = Instant::now();
    let db = ctx.connect(Open::MustExist).await?;
    let media = Storage::from_settings(&ctx.settings).await?;
    let local = Target::local(&settings.dir).await?;
    remove_stale_run_folders(&settings.dir);
    report_swept(&local, local.remove_leftovers(started_at.into()).await?);
    let work = work_dir(&settings.dir, RUN_WORK)?;
    let created = set::create_set(
        &db,
        &media,
        &local,
        (&recipients, &keys),
        started_at,
        work.path(),
    )
    .await;
    drop(work);
    let (manifest, stats) = match created {
        Ok(done) => done,
        Err(e) => {
            let detail = format!("{e:#}");
            log_run(
                Some(&db),
                record(started_at, false, &local.to_string(), None, &detail),
            )
            .await;
            return Err(e.into());
        }
    };
    let mut line = summary(&manifest, &stats, &local);
    let outcome = finish(&local, settings, &mut line).await;
    let location = match &settings.to {
        Some(to) => format!("{local}, {}", to.url()),
        None => local.to_string(),
    };
    let detail = match &outcome {
        Ok(()) => line.clone(),
        Err(e) => format!("{line}; {e:#}"),
    };
    let bytes = Some(manifest.total_bytes());
    log_run(
        Some(&db),
        record(started_at, outcome.is_ok(), &location, bytes, &detail),
    )
    .await;
    db.close();
    match outcome {
        Ok(()) => {
            if ctx.json {
                println!("{}", json_summary(&manifest, &stats, settings));
            }
            if !ctx.quiet {
                eprintln!("{line} in {:.1} s", started.elapsed().as_secs_f64());
            }
            Ok(ExitStatus::Success)
        }
        Err(e) => Err(CommandError::new(format!(
            "backup set {} is complete in {local}, but {e:#}",
            manifest.id
        ))
        .hint(match &e {
            FinishError::Copy(_) => {
                "the local set stays; the next run copies every set the target lacks"
            }
            FinishError::Prune(_) => {
                "the new set is complete; check the target, then run `paideia backup prune`"
            }
        })
        .into()),
    }
}

#[derive(Debug, thiserror::Error)]
enum FinishError {
    #[error("the off-site copy failed: {0}")]
    Copy(SetError),
    #[error("pruning failed: {0}")]
    Prune(SetError),
}

/// Local retention, the off-site copy and its retention; appends what happened to `line`.
async fn finish(
    local: &Target,
    settings: &crate::settings::BackupSettings,
    line: &mut String,
) -> Result<(), FinishError> {
    prune(local, settings.retention, line)
        .await
        .map_err(FinishError::Prune)?;
    let Some(remote) = remote_target(settings).map_err(FinishError::Copy)? else {
        return Ok(());
    };
    match remote.remove_leftovers(std::time::SystemTime::now()).await {
        Ok(swept) => report_swept(&remote, swept),
        Err(e) => tracing::warn!("cannot sweep leftovers of killed runs in {remote}: {e}"),
    }
    let copied = sync(local, &remote).await.map_err(FinishError::Copy)?;
    line.push_str(&format!(
        "; copied {} set(s) to {remote} ({} new media file(s))",
        copied.0, copied.1.media_new
    ));
    prune(&remote, settings.retention, line)
        .await
        .map_err(FinishError::Prune)
}

async fn prune(target: &Target, policy: Retention, line: &mut String) -> Result<(), SetError> {
    if !policy.is_set() {
        return Ok(());
    }
    let report = set::prune(target, policy, false).await?;
    let removed = report.removed().count();
    if removed > 0 || report.unreferenced_blobs > 0 {
        line.push_str(&format!(
            "; pruned {removed} set(s) and {} media file(s) in {target}",
            report.unreferenced_blobs
        ));
    }
    Ok(())
}

/// Copies every complete local set that `remote` does not have, oldest first.
async fn sync(local: &Target, remote: &Target) -> Result<(usize, CopyStats), SetError> {
    let there: std::collections::HashSet<String> = remote
        .sets()
        .await?
        .into_iter()
        .filter(|s| s.manifest.is_some())
        .map(|s| s.id)
        .collect();
    let mut total = CopyStats::default();
    let mut sets = 0;
    for summary in local.sets().await? {
        let Some(manifest) = summary.manifest.filter(|_| !there.contains(&summary.id)) else {
            continue;
        };
        let stats = set::copy_set(local, remote, &manifest).await?;
        total.media_new += stats.media_new;
        total.media_new_bytes += stats.media_new_bytes;
        total.media_reused += stats.media_reused;
        sets += 1;
    }
    Ok((sets, total))
}

/// Logs what a sweep of `target` removed (`storage::temp`).
fn report_swept(target: &Target, swept: crate::storage::temp::Sweep) {
    if !swept.stale.is_empty() {
        tracing::info!(
            "removed {} leftover(s) of killed runs ({}) from {target}",
            swept.stale.len(),
            HumanBytes(swept.bytes())
        );
    }
    for failure in swept.failures {
        tracing::warn!("{failure}");
    }
}

fn summary(manifest: &SetManifest, stats: &CopyStats, local: &Target) -> String {
    format!(
        "backup {}: {} rows, dump {}, {} new media file(s) ({}), {} already stored{} in {local}",
        manifest.id,
        manifest.rows,
        HumanBytes(manifest.database.bytes),
        stats.media_new,
        HumanBytes(stats.media_new_bytes),
        stats.media_reused,
        if manifest.encrypted {
            ", encrypted"
        } else {
            ""
        },
    )
}

/// `--json`: what the run wrote, for scripts.
fn json_summary(
    manifest: &SetManifest,
    stats: &CopyStats,
    settings: &crate::settings::BackupSettings,
) -> serde_json::Value {
    serde_json::json!({
        "ok": true,
        "id": manifest.id,
        "created_at": manifest.created_at,
        "rows": manifest.rows,
        "database_bytes": manifest.database.bytes,
        "media_files": manifest.media.len(),
        "media_new": stats.media_new,
        "media_new_bytes": stats.media_new_bytes,
        "media_reused": stats.media_reused,
        "encrypted": manifest.encrypted,
        "dir": settings.dir,
        "copied_to": settings.to.as_ref().map(|t| t.url()),
    })
}

fn record<'a>(
    started_at: chrono::DateTime<Utc>,
    succeeded: bool,
    location: &'a str,
    bytes: Option<u64>,
    detail: &'a str,
) -> RunRecord<'a> {
    RunRecord {
        kind: RunKind::Backup,
        started_at,
        finished_at: Utc::now(),
        succeeded,
        location,
        bytes,
        detail,
    }
}
