//! Errors of the migration engine, each with the hint an admin needs.

use crate::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("migration {id} ({name}) failed: {source}")]
    Failed {
        id: i64,
        name: String,
        #[source]
        source: DbError,
    },
    #[error(
        "migration {id} ({name}) has changed since it was applied (database checksum {applied}, binary checksum {embedded})"
    )]
    ChecksumMismatch {
        id: i64,
        name: String,
        applied: String,
        embedded: String,
    },
    #[error(
        "this database has {unknown} migration(s) this binary does not know and needs paideia {min_version} or newer; this binary is {binary}"
    )]
    Incompatible {
        unknown: usize,
        min_version: String,
        binary: String,
    },
    #[error(
        "gave up after {seconds}s waiting for the migration lock held by another paideia process"
    )]
    LockTimeout { seconds: u64 },
    #[error("invalid migration file {file}: {reason}")]
    Invalid { file: String, reason: String },
    #[error(transparent)]
    Db(#[from] DbError),
}

impl MigrateError {
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            MigrateError::Failed { .. } => "the database is as it was before this migration; fix the cause and run `paideia migrate up` again".into(),
            MigrateError::ChecksumMismatch { .. } => "applied migrations must never change: restore the original file, or run the binary that applied it".into(),
            MigrateError::Incompatible { .. } => "run a newer paideia binary (see `paideia upgrade --check`)".into(),
            MigrateError::LockTimeout { .. } => "another `paideia serve` or `migrate up` is migrating this database; wait for it, or raise --lock-timeout".into(),
            _ => return None,
        })
    }
}
