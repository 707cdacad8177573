//! The upgrade history (table `upgrade_runs`): every upgrade and rollback with its versions,
//! the dump taken first and its verification, the outcome, the error and the state it left.
//! `paideia upgrade` writes it; `upgrade --history`, `doctor` and the System page read it.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::db::{Db, DbError, Row};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Upgrade,
    Rollback,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Upgrade => "upgrade",
            Kind::Rollback => "rollback",
        }
    }
}

/// One upgrade or rollback, finished (well or not).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UpgradeRun {
    pub kind: Kind,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub from_version: String,
    pub to_version: String,
    /// The dump taken before the swap (a path); empty when none was.
    pub backup: String,
    /// Whether that dump verified; `None` when there was no dump.
    pub backup_verified: Option<bool>,
    pub succeeded: bool,
    /// The error, for a failed run.
    pub error: String,
    /// The state it left and the next command, for a failed run.
    pub state: String,
}

impl UpgradeRun {
    fn from_row(row: &Row) -> Result<UpgradeRun, DbError> {
        let kind: String = row.get("kind")?;
        Ok(UpgradeRun {
            kind: if kind == "rollback" {
                Kind::Rollback
            } else {
                Kind::Upgrade
            },
            started_at: row.get("started_at")?,
            finished_at: row.get("finished_at")?,
            from_version: row.get("from_version")?,
            to_version: row.get("to_version")?,
            backup: row.get("backup")?,
            backup_verified: row.get("backup_verified")?,
            succeeded: row.get("succeeded")?,
            error: row.get("error")?,
            state: row.get("state")?,
        })
    }

    /// One line: "upgrade 0.1.0 -> 0.2.0 at …: succeeded" or "…: FAILED: why".
    pub fn summary(&self) -> String {
        let outcome = if self.succeeded {
            "succeeded".to_string()
        } else {
            format!("FAILED: {}", self.error)
        };
        format!(
            "{} {} -> {} at {}: {outcome}",
            self.kind.as_str(),
            self.from_version,
            self.to_version,
            self.finished_at.format("%Y-%m-%d %H:%M:%S UTC")
        )
    }
}

pub async fn record(db: &Db, run: &UpgradeRun) -> Result<(), DbError> {
    db.execute(
        "INSERT INTO upgrade_runs (kind, started_at, finished_at, from_version, to_version, backup, backup_verified, succeeded, error, state)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        &[
            run.kind.as_str().into(),
            run.started_at.into(),
            run.finished_at.into(),
            run.from_version.as_str().into(),
            run.to_version.as_str().into(),
            run.backup.as_str().into(),
            run.backup_verified.into(),
            run.succeeded.into(),
            run.error.as_str().into(),
            run.state.as_str().into(),
        ],
    )
    .await?;
    Ok(())
}

/// The newest `limit` runs, newest first.
pub async fn list(db: &Db, limit: i64) -> Result<Vec<UpgradeRun>, DbError> {
    let rows = db
        .query(
            "SELECT kind, started_at, finished_at, from_version, to_version, backup, backup_verified, succeeded, error, state
             FROM upgrade_runs ORDER BY finished_at DESC, id DESC LIMIT $1",
            &[limit.into()],
        )
        .await?;
    rows.iter().map(UpgradeRun::from_row).collect()
}

/// The newest run, if any.
pub async fn latest(db: &Db) -> Result<Option<UpgradeRun>, DbError> {
    Ok(list(db, 1).await?.into_iter().next())
}
