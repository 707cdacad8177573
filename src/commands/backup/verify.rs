//! `paideia backup verify [--latest|--all] [--max-age 26h]`: verifies sets and records the
//! result on the target and in the run log; with only `--max-age`, checks without verifying
//! (for monitoring). Exit 3 when a set fails or the newest verified set is too old.

use chrono::{DateTime, Utc};

use super::{age, log_run, open_target, work_dir};
use crate::{
    backup::{
        Scratch,
        runlog::{RunKind, RunRecord},
        set::{self, BackupKeys, Identities, SetSummary, Target, Trust},
    },
    cli::BackupVerifyArgs,
    commands::{Context, context::Open},
    exit::{CommandError, ExitStatus},
};

pub async fn run(ctx: &Context, args: BackupVerifyArgs) -> anyhow::Result<ExitStatus> {
    let target = open_target(&ctx.settings.backup, args.remote).await?;
    let check_only = args.max_age.is_some() && !args.latest && !args.all;
    let mut failed = Vec::new();
    if !check_only {
        failed = verify_sets(ctx, &target, &args).await?;
    }
    if !failed.is_empty() {
        return Err(CommandError::check_failed(
            format!("backup set(s) failed verification: {}", failed.join(", ")),
            Some("restore from another set; `paideia backup list` shows which are verified".into()),
            ctx.json,
        )
        .into());
    }
    if let Some(max_age) = args.max_age {
        check_age(&target, max_age, Utc::now(), ctx.json).await?;
    }
    Ok(ExitStatus::Success)
}

/// Verifies the selected sets; returns the ids of those that failed.
async fn verify_sets(
    ctx: &Context,
    target: &Target,
    args: &BackupVerifyArgs,
) -> anyhow::Result<Vec<String>> {
    let identities = args.identity.as_deref().map(Identities::load).transpose()?;
    let keys = BackupKeys::load(&ctx.settings.backup.key)?;
    let looked_in = ctx.settings.backup.key.describe();
    let trust = Trust {
        keys: keys.as_ref(),
        looked_in: &looked_in,
        unauthenticated: args.trust_unauthenticated,
    };
    let mut sets: Vec<SetSummary> = target
        .sets()
        .await?
        .into_iter()
        .filter(|s| s.manifest.is_some())
        .collect();
    if !args.all {
        sets = sets.split_off(sets.len().saturating_sub(1));
    }
    if sets.is_empty() {
        return Err(CommandError::new(format!("no backup sets in {target}"))
            .hint("run `paideia backup run` first")
            .into());
    }
    let db = ctx.connect(Open::MustExist).await.ok();
    let mut failed = Vec::new();
    for summary in sets {
        let manifest = summary.manifest.expect("filtered");
        let started_at = Utc::now();
        let work = work_dir(&ctx.settings.backup.dir, ".verify-")?;
        let scratch_dir = ctx.settings.backup.scratch_dir.as_deref();
        let scratch = Scratch::like(
            &ctx.settings.database_url,
            scratch_dir.unwrap_or(work.path()),
        );
        let outcome = set::verify_set(
            target,
            &manifest,
            (identities.as_ref(), trust),
            scratch,
            work.path(),
            Utc::now,
        )
        .await?;
        if let Some(problem) = &outcome.trusted_without_mac {
            super::warn_unauthenticated(&manifest.id, problem);
        }
        let v = outcome.verification;
        let location = format!("{target} set {}", manifest.id);
        let record = RunRecord {
            kind: RunKind::Verify,
            started_at,
            finished_at: v.verified_at,
            succeeded: v.ok,
            location: &location,
            bytes: Some(manifest.total_bytes()),
            detail: &v.detail,
        };
        log_run(db.as_ref(), record).await;
        if v.ok {
            if !ctx.quiet {
                println!("ok: set {} verified: {}", manifest.id, v.detail);
            }
        } else {
            println!("FAILED: set {}: {}", manifest.id, v.detail);
            failed.push(manifest.id);
        }
    }
    if let Some(db) = db {
        db.close();
    }
    Ok(failed)
}

async fn check_age(
    target: &Target,
    max_age: std::time::Duration,
    now: DateTime<Utc>,
    json: bool,
) -> anyhow::Result<()> {
    let newest = target
        .sets()
        .await?
        .into_iter()
        .filter(|s| s.verification.as_ref().is_some_and(|v| v.ok))
        .filter_map(|s| s.manifest)
        .map(|m| m.created_at)
        .max();
    let limit = chrono::Duration::from_std(max_age).unwrap_or(chrono::Duration::MAX);
    match newest {
        Some(at) if now - at <= limit => Ok(()),
        Some(at) => Err(CommandError::check_failed(
            format!(
                "the newest verified backup set in {target} is {} old, more than {}",
                age(now, at),
                humantime::format_duration(max_age)
            ),
            Some("check that `paideia backup run` and `paideia backup verify --latest` run on schedule".into()),
            json,
        )
        .into()),
        None => Err(CommandError::check_failed(
            format!("no verified backup set in {target}"),
            Some("run `paideia backup verify --latest`".into()),
            json,
        )
        .into()),
    }
}
