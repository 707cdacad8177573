//! Errors of dump, restore and verification, each with the hint an admin needs.

use std::path::PathBuf;

use crate::{db::DbError, migrate::MigrateError};

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Migrate(#[from] MigrateError),
    #[error("{path}: {cause}")]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },
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
}

impl BackupError {
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> BackupError {
        let path = path.into();
        move |cause| BackupError::Io { path, cause }
    }

    pub fn hint(&self) -> Option<String> {
        Some(match self {
            BackupError::Corrupt { .. } => {
                "nothing was changed; use another backup (`paideia verify-backup FILE` checks one)"
                    .into()
            }
            BackupError::SqlUnchecked { .. } => {
                "restore it with `paideia restore` (which loads only its data), never with psql -f, then take a new dump".into()
            }
            BackupError::TooNew { .. } => {
                "restore it with a newer paideia binary (`paideia upgrade`)".into()
            }
            BackupError::NotEmpty => {
                "restore into an empty database, or add --clean to replace what is there".into()
            }
            BackupError::Io { cause, .. } if cause.kind() == std::io::ErrorKind::AlreadyExists => {
                "choose another file name, or add --force to replace it".into()
            }
            BackupError::Migrate(e) => return e.hint(),
            _ => return None,
        })
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
