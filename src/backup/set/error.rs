//! Errors of backup sets, each with the hint an admin needs.

use std::path::PathBuf;

use super::super::BackupError;
use crate::storage::StorageError;

#[derive(Debug, thiserror::Error)]
pub enum SetError {
    #[error(transparent)]
    Backup(#[from] BackupError),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("{path}: {cause}")]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("another `paideia backup` is running on {0} (it holds the lock)")]
    Locked(PathBuf),
    #[error("no backup set {id} in {target}")]
    NotFound { id: String, target: String },
    #[error("backup set {id} in {target} is damaged: {problem}")]
    Corrupt {
        id: String,
        target: String,
        problem: String,
    },
    #[error("backup set {0} is encrypted and no identity file was given")]
    NeedIdentity(String),
    #[error("{0}")]
    Crypto(String),
    #[error(
        "media file {key} changed while it was copied or does not match the database: {problem}"
    )]
    MediaMismatch { key: String, problem: String },
}

impl SetError {
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> SetError {
        let path = path.into();
        move |cause| SetError::Io { path, cause }
    }

    pub fn hint(&self) -> Option<String> {
        Some(match self {
            SetError::Backup(e) => return e.hint(),
            SetError::Storage(e) => return e.hint(),
            SetError::Locked(_) => {
                "wait for it to finish; runs never overlap (a killed run releases the lock)".into()
            }
            SetError::NotFound { .. } => "`paideia backup list` shows the sets there are".into(),
            SetError::Corrupt { .. } => {
                "nothing was changed; restore another set (`paideia backup list`)".into()
            }
            SetError::NeedIdentity(_) => {
                "pass --identity FILE with the age identity (secret key) the set was encrypted to"
                    .into()
            }
            SetError::Crypto(_) => {
                "recipients are age public keys (age1…, from `age-keygen`); an identity file holds AGE-SECRET-KEY-1… lines"
                    .into()
            }
            SetError::MediaMismatch { .. } => {
                "the stored file differs from the hash in the database; `paideia doctor` checks storage"
                    .into()
            }
            _ => return None,
        })
    }
}
