//! `paideia backup prune [--dry-run]`: retention on the local sets and, when one is set, on
//! the off-site target, under the run lock.

use super::remote_target;
use crate::{
    backup::set::{self, RunLock, Target},
    commands::Context,
    exit::{CommandError, ExitStatus},
};

pub async fn run(ctx: &Context, dry_run: bool) -> anyhow::Result<ExitStatus> {
    let settings = &ctx.settings.backup;
    if !settings.retention.is_set() {
        return Err(CommandError::new("no retention policy is set; nothing would be removed")
            .hint("pass --keep-daily/--keep-weekly/--keep-monthly, or set PAIDEIA_BACKUP_KEEP_DAILY and friends")
            .into());
    }
    let _lock = RunLock::acquire(&settings.dir)?;
    let mut targets = vec![Target::local(&settings.dir).await?];
    targets.extend(remote_target(settings)?);
    for target in &targets {
        let report = set::prune(target, settings.retention, dry_run).await?;
        let verb = if dry_run { "would remove" } else { "removed" };
        for decision in &report.decisions {
            if ctx.quiet && decision.keep() {
                continue;
            }
            let what = if decision.keep() {
                format!("keep   ({})", decision.reasons.join(", "))
            } else {
                verb.to_string()
            };
            println!("{}  {what}", decision.id);
        }
        eprintln!(
            "{target}: {verb} {} of {} set(s) and {} unreferenced media file(s)",
            report.removed().count(),
            report.decisions.len(),
            report.unreferenced_blobs
        );
    }
    Ok(ExitStatus::Success)
}
