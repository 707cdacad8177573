//! Errors of backup sets, each with the hint an admin needs.

use std::path::PathBuf;

use super::{
    super::{BackupError, io::IoFailure},
    auth::AuthProblem,
};
use crate::storage::StorageError;

#[derive(Debug, thiserror::Error)]
pub enum SetError {
    #[error(transparent)]
    Backup(#[from] BackupError),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Io(IoFailure),
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
    #[error("backup key file {file}: {problem}")]
    Key { file: String, problem: String },
    #[error("backup set {id} in {target} is not authenticated: {problem}")]
    Unauthenticated {
        id: String,
        target: String,
        problem: AuthProblem,
    },
}

impl SetError {
    /// For `map_err`: the failure to `op` (a verb) `path`.
    pub fn io(
        op: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> SetError {
        let path = path.into();
        move |cause| SetError::Io(IoFailure::new(op, path, cause))
    }

    pub fn hint(&self) -> Option<String> {
        Some(match self {
            SetError::Backup(e) => return e.hint(),
            SetError::Storage(e) => return storage_hint(e),
            SetError::Io(failure) => return failure.hint(),
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
            SetError::Key { .. } => {
                "a key file holds `paideia-backup-key-1:` lines; `paideia backup key new` makes one (docs/operations.md, Backup keys)".into()
            }
            SetError::Unauthenticated { problem, .. } => problem.hint(),
            SetError::MediaMismatch { .. } => {
                "the stored file differs from the hash in the database; `paideia doctor` checks storage"
                    .into()
            }
        })
    }
}

/// A storage error's hint; for the local folder's I/O errors, the one that fits the cause
/// (a full disk is not a permission problem).
fn storage_hint(e: &StorageError) -> Option<String> {
    match e {
        StorageError::Local { op, path, source } => super::super::io::Cause::of(source)
            .hint(op, path)
            .or_else(|| e.hint()),
        _ => e.hint(),
    }
}
