//! Errors of dump, restore and verification, each with the hint an admin needs.

use std::path::PathBuf;

use super::io::IoFailure;
use crate::{db::DbError, migrate::MigrateError};

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Migrate(#[from] MigrateError),
    #[error(transparent)]
    Io(IoFailure),
    /// The file is damaged or is not a paideia dump; `at` names the table or byte range.
    #[error("{file} is not a valid dump: {problem}")]
    Corrupt { file: String, problem: String },
    #[error(
        "the dump needs paideia {needs} or newer (it has schema {schema}, this binary knows {known})"
    )]
    TooNew {
        needs: String,
        schema: i64,
        known: i64,
    },
    #[error("the target database is not empty")]
    NotEmpty,
    /// A dump of a database without paideia's schema: almost always the wrong database.
    #[error(
        "{0} holds no paideia schema (no migration was ever applied to it); refusing to write a dump of nothing"
    )]
    NoSchema(String),
    #[error("{0}")]
    Refused(String),
    #[error("table {table}: {problem}")]
    Table { table: String, problem: String },
    /// A PostgreSQL dump of format 1 or 2: its data checks out, but its SQL cannot be proven
    /// to be what paideia wrote.
    #[error(
        "{file} is a format {format} PostgreSQL dump: its data matches its hashes, but its SQL cannot be checked (only format 3 and later dumps carry SQL a reader can regenerate)"
    )]
    SqlUnchecked { file: String, format: u32 },
    /// A check could not be carried out for a reason outside the dump (the scratch space or
    /// database); says nothing about the dump.
    #[error("could not check the dump: {problem}")]
    CouldNotCheck { problem: String, hint: String },
    /// The trial restore of a verification failed on the dump's data.
    #[error("a trial restore failed: {0}")]
    TrialRestore(String),
}

impl BackupError {
    /// For `map_err`: the failure to `op` (a verb: "read", "write", "create") `path`.
    pub fn io(
        op: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> BackupError {
        let path = path.into();
        move |cause| BackupError::Io(IoFailure::new(op, path, cause))
    }

    pub fn hint(&self) -> Option<String> {
        Some(match self {
            BackupError::Corrupt { .. } => {
                "nothing was changed; use another backup (`paideia verify-backup FILE` checks one)"
                    .into()
            }
            BackupError::CouldNotCheck { hint, .. } => hint.clone(),
            BackupError::TrialRestore(_) => {
                "the file's hashes match but its data does not restore: use another backup".into()
            }
            BackupError::SqlUnchecked { .. } => {
                "restore it with `paideia restore` (which loads only its data), never with psql -f, then take a new dump".into()
            }
            BackupError::TooNew { .. } => {
                "restore it with a newer paideia binary (`paideia upgrade`)".into()
            }
            BackupError::NoSchema(_) => {
                "check the database URL (--database-url or PAIDEIA_DATABASE_URL): it may name the wrong database; `paideia migrate status` shows what it holds".into()
            }
            BackupError::NotEmpty => {
                "restore into an empty database, or add --clean to replace what is there".into()
            }
            BackupError::Io(failure) => return failure.hint(),
            BackupError::Migrate(e) => return e.hint(),
            _ => return None,
        })
    }
}

/// A database error that comes from the database's own resources or reachability (disk full,
/// out of memory, I/O, connection, shutdown), not from the data it was given.
pub fn is_resource(e: &DbError) -> bool {
    match e {
        DbError::Connect(_) | DbError::Pool(_) => true,
        DbError::Query {
            code: Some(code), ..
        } => {
            matches!(
                code.as_str(),
                "DiskFull"
                    | "OutOfMemory"
                    | "SystemIoFailure"
                    | "CannotOpen"
                    | "ReadOnly"
                    | "DatabaseBusy"
                    | "DatabaseLocked"
                    | "PermissionDenied"
                    | "NoLargeFileSupport"
                    | "42501"
            ) || ["53", "58", "08", "57", "XX"]
                .iter()
                .any(|class| code.starts_with(class))
        }
        _ => false,
    }
}

/// Bytes from an untrusted file, fit for an error message: at most 40 characters, control
/// characters escaped, the length said when cut.
pub fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let shown: String = text
        .chars()
        .take(40)
        .collect::<String>()
        .escape_debug()
        .to_string();
    if text.chars().nth(40).is_some() {
        format!("{shown}… ({} bytes)", bytes.len())
    } else {
        shown
    }
}
