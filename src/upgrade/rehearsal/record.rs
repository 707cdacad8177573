//! The record of each rehearsal (table `upgrade_rehearsals`, beside the upgrade history in
//! `upgrade_runs`): versions, the copy it ran on, the verdict with a one-line summary, and
//! the whole report as JSON. `upgrade --rehearse` writes it; `upgrade --history`, the System
//! page and `upgrade` itself (which mentions the last rehearsal) read it.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::db::{Db, DbError, Row};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rehearsal {
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub from_version: String,
    pub to_version: String,
    /// "backup set ID" or "a dump taken at the start".
    pub source: String,
    /// `Verdict::as_str`: safe, safe_with_downtime, not_safe.
    pub verdict: String,
    pub summary: String,
    /// The `--json` report.
    #[serde(skip)]
    pub report: String,
}

impl Rehearsal {
    fn from_row(row: &Row) -> Result<Rehearsal, DbError> {
        Ok(Rehearsal {
            started_at: row.get("started_at")?,
            finished_at: row.get("finished_at")?,
            from_version: row.get("from_version")?,
            to_version: row.get("to_version")?,
            source: row.get("source")?,
            verdict: row.get("verdict")?,
            summary: row.get("summary")?,
            report: row.get("report")?,
        })
    }

    /// The verdict in words.
    pub fn verdict_words(&self) -> &str {
        match self.verdict.as_str() {
            "safe" => "safe",
            "safe_with_downtime" => "safe with downtime",
            "not_safe" => "NOT SAFE",
            other => other,
        }
    }
}

pub async fn record(db: &Db, r: &Rehearsal) -> Result<(), DbError> {
    db.execute(
        "INSERT INTO upgrade_rehearsals (started_at, finished_at, from_version, to_version, source, verdict, summary, report)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            r.started_at.into(),
            r.finished_at.into(),
            r.from_version.as_str().into(),
            r.to_version.as_str().into(),
            r.source.as_str().into(),
            r.verdict.as_str().into(),
            r.summary.as_str().into(),
            r.report.as_str().into(),
        ],
    )
    .await?;
    Ok(())
}

/// The newest `limit` rehearsals, newest first.
pub async fn list(db: &Db, limit: i64) -> Result<Vec<Rehearsal>, DbError> {
    let rows = db
        .query(
            "SELECT started_at, finished_at, from_version, to_version, source, verdict, summary, report
             FROM upgrade_rehearsals ORDER BY finished_at DESC, id DESC LIMIT $1",
            &[limit.into()],
        )
        .await?;
    rows.iter().map(Rehearsal::from_row).collect()
}

/// The newest rehearsal, if any (none on a database from before migration 0012).
pub async fn latest(db: &Db) -> Option<Rehearsal> {
    list(db, 1).await.ok()?.into_iter().next()
}
