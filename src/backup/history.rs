//! Reading the log of backup work (table `backup_runs`: backups, verifications, restores) for
//! status pages. Writing it belongs to the commands that do the work.

use chrono::{DateTime, Utc};

use crate::db::{Db, DbError, Row, Value};

/// The kinds of work the log records, in the order status pages show them.
pub const KINDS: [&str; 3] = ["backup", "verify", "restore"];

/// One finished run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub kind: String,
    pub finished_at: DateTime<Utc>,
    pub succeeded: bool,
    /// Where the dump was (a path or an object key); empty when unknown.
    pub location: String,
    pub detail: String,
}

impl Run {
    fn from_row(row: &Row) -> Result<Run, DbError> {
        Ok(Run {
            kind: row.get("kind")?,
            finished_at: row.get("finished_at")?,
            succeeded: row.get("succeeded")?,
            location: row.get("location")?,
            detail: row.get("detail")?,
        })
    }
}

/// The newest run of `kind`, successful or not.
pub async fn latest(db: &Db, kind: &str) -> Result<Option<Run>, DbError> {
    newest(db, "kind = $1", &[kind.into()]).await
}

/// The newest successful run of `kind`.
pub async fn latest_success(db: &Db, kind: &str) -> Result<Option<Run>, DbError> {
    newest(
        db,
        "kind = $1 AND succeeded = $2",
        &[kind.into(), true.into()],
    )
    .await
}

async fn newest(db: &Db, filter: &str, params: &[Value]) -> Result<Option<Run>, DbError> {
    let sql = format!(
        "SELECT kind, finished_at, succeeded, location, detail FROM backup_runs
         WHERE {filter} ORDER BY finished_at DESC, id DESC LIMIT 1"
    );
    let row = db.query_opt(&sql, params).await?;
    row.as_ref().map(Run::from_row).transpose()
}
