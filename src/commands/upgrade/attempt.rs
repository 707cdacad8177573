//! One upgrade or rollback as it goes: what it has done so far (the dump, the swap), so that
//! its end, good or bad, is written to the upgrade history and a failure says what state it
//! left and the next command. Also `upgrade --history`.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use semver::Version;

use super::apply::database_exists;
use crate::{
    commands::{Context, context::Open, table},
    exit::ExitStatus,
    upgrade::history::{self, Kind, UpgradeRun},
    version,
};

pub struct Attempt {
    kind: Kind,
    started_at: DateTime<Utc>,
    /// The version moved to; `None` until known (or when there was nothing to do).
    pub to: Option<Version>,
    pub backup: Option<PathBuf>,
    pub backup_verified: Option<bool>,
    /// Whether the binary at the install path was replaced.
    pub swapped: bool,
}

impl Attempt {
    pub fn new(kind: Kind) -> Attempt {
        Attempt {
            kind,
            started_at: Utc::now(),
            to: None,
            backup: None,
            backup_verified: None,
            swapped: false,
        }
    }

    /// The state a failure left, with the next command.
    fn state(&self, to: &Version) -> String {
        let from = version::VERSION;
        let kept = self
            .backup
            .as_ref()
            .map(|b| format!("; the pre-upgrade dump {} is kept", b.display()))
            .unwrap_or_default();
        match (self.kind, self.swapped) {
            (Kind::Upgrade, false) => format!(
                "nothing was replaced: paideia {from} is still installed{kept}. Next: fix the cause above, then run `paideia upgrade --to {to}` again"
            ),
            (Kind::Upgrade, true) => format!(
                "paideia {to} is installed{kept}. Next: `paideia upgrade --rollback` puts {from} back if it does not run"
            ),
            (Kind::Rollback, false) => format!(
                "nothing was replaced: paideia {from} is still installed. Next: fix the cause above, then run `paideia upgrade --rollback` again"
            ),
            (Kind::Rollback, true) => format!(
                "paideia {to} is back in place. Next: restart the server (`systemctl restart paideia`)"
            ),
        }
    }

    /// Writes the run to the upgrade history (when there is a database) and, for a failure,
    /// says on stderr what state it left. Failing to write the history only warns.
    pub async fn finish(self, ctx: &Context, result: &anyhow::Result<ExitStatus>) {
        let Some(to) = self.to.clone() else {
            return; // nothing was attempted
        };
        let (succeeded, error) = match result {
            Ok(_) => (true, String::new()),
            Err(e) => (false, crate::exit::describe(e).0),
        };
        let state = if succeeded {
            String::new()
        } else {
            self.state(&to)
        };
        if !succeeded {
            eprintln!("state: {state}");
        }
        if !database_exists(ctx) {
            return;
        }
        let run = UpgradeRun {
            kind: self.kind,
            started_at: self.started_at,
            finished_at: Utc::now(),
            from_version: version::VERSION.to_string(),
            to_version: to.to_string(),
            backup: self
                .backup
                .as_ref()
                .map(|b| b.display().to_string())
                .unwrap_or_default(),
            backup_verified: self.backup_verified,
            succeeded,
            error,
            state,
        };
        let written = match ctx.connect(Open::MustExist).await {
            Ok(db) => {
                let written = history::record(&db, &run).await;
                db.close();
                written.map_err(anyhow::Error::from)
            }
            Err(e) => Err(e),
        };
        if let Err(e) = written {
            eprintln!("warning: the upgrade history could not be written: {e}");
        }
    }
}

/// `paideia upgrade --history [--json]`: the recorded upgrades and rollbacks, newest first.
pub async fn show_history(ctx: &Context) -> anyhow::Result<ExitStatus> {
    let (runs, rehearsal) = if database_exists(ctx) {
        let db = ctx.connect(Open::MustExist).await?;
        let runs = history::list(&db, 100).await;
        let rehearsal = crate::upgrade::rehearsal::record::latest(&db).await;
        db.close();
        (runs?, rehearsal)
    } else {
        (Vec::new(), None)
    };
    if let (Some(r), false) = (&rehearsal, ctx.json) {
        eprintln!(
            "last rehearsal: {} -> {} at {} on {}: {}",
            r.from_version,
            r.to_version,
            r.finished_at.format("%Y-%m-%d %H:%M:%S UTC"),
            r.source,
            r.summary
        );
    }
    if ctx.json {
        println!("{}", serde_json::to_string_pretty(&runs)?);
        return Ok(ExitStatus::Success);
    }
    if runs.is_empty() {
        eprintln!("no upgrade or rollback is recorded in this database");
        return Ok(ExitStatus::Success);
    }
    let mut out = table::new(
        &["FINISHED", "KIND", "FROM", "TO", "OUTCOME", "DUMP FIRST"],
        &[],
    );
    for run in &runs {
        let outcome = if run.succeeded {
            "succeeded".to_string()
        } else {
            format!("FAILED: {}", run.error)
        };
        let dump = match (run.backup.as_str(), run.backup_verified) {
            ("", _) => "none".to_string(),
            (path, Some(true)) => format!("{path} (verified)"),
            (path, _) => format!("{path} (NOT verified)"),
        };
        out.add_row(vec![
            run.finished_at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
            run.kind.as_str().to_string(),
            run.from_version.clone(),
            run.to_version.clone(),
            outcome,
            dump,
        ]);
    }
    table::print(&out);
    Ok(ExitStatus::Success)
}
