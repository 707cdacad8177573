//! The `backup_runs` log of the database: every restore, scheduled backup and verification,
//! read by the admin system page and `paideia doctor`.

use chrono::{DateTime, Utc};

use crate::db::{Db, DbError};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunKind {
    Backup,
    Verify,
    Restore,
}

impl RunKind {
    fn as_str(self) -> &'static str {
        match self {
            RunKind::Backup => "backup",
            RunKind::Verify => "verify",
            RunKind::Restore => "restore",
        }
    }
}

pub struct RunRecord<'a> {
    pub kind: RunKind,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub succeeded: bool,
    pub location: &'a str,
    pub bytes: Option<u64>,
    pub detail: &'a str,
}

pub async fn record(db: &Db, run: RunRecord<'_>) -> Result<(), DbError> {
    db.execute(
        "INSERT INTO backup_runs (kind, started_at, finished_at, succeeded, location, bytes, detail, paideia_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            run.kind.as_str().into(),
            run.started_at.into(),
            run.finished_at.into(),
            run.succeeded.into(),
            run.location.into(),
            run.bytes.map(|b| b as i64).into(),
            run.detail.into(),
            crate::version::VERSION.into(),
        ],
    )
    .await?;
    Ok(())
}
