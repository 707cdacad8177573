//! Errors of the storage layer. Each says what failed on what (the folder path, or the bucket
//! and key) and never carries credentials.

use std::{io, path::PathBuf};

use super::s3::errors::Failure;
use crate::{envvars, paths};

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("invalid storage key `{key}`: {reason}")]
    InvalidKey { key: String, reason: &'static str },
    #[error("no object {key} in {store}")]
    NotFound { store: String, key: String },
    #[error("upload to {key} is larger than the limit of {limit} bytes; nothing was stored")]
    TooLarge { key: String, limit: u64 },
    #[error("the requested range is outside {key}, which has {size} bytes")]
    RangeNotSatisfiable { key: String, size: u64 },
    #[error("the upload stream for {key} failed: {source}; nothing was stored")]
    Upload {
        key: String,
        #[source]
        source: io::Error,
    },
    #[error("storage folder: cannot {op} {}: {source}", path.display())]
    Local {
        op: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot {op} {}, the temporary file of an S3 upload: {source}", path.display())]
    Spill {
        op: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("S3 bucket {bucket}: cannot {op} {key}: {}", failure.text)]
    S3 {
        op: &'static str,
        bucket: String,
        key: String,
        failure: Failure,
    },
    #[error("{store}: a probe object read back different bytes than were written")]
    ProbeMismatch { store: String },
    #[error("invalid S3 settings: {0}")]
    S3Settings(String),
    #[error(transparent)]
    Folder(#[from] paths::PathError),
}

impl StorageError {
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            StorageError::Local { path, source, .. } => paths::io_hint(source, path).unwrap_or_else(|| {
                format!(
                    "check that the folder is a directory the paideia user may write to (--data-dir or {})",
                    envvars::DATA_DIR
                )
            }),
            StorageError::Spill { path, source, .. } => paths::io_hint(source, path).unwrap_or_else(|| {
                "S3 uploads spill to the OS temp dir (TMPDIR) when their memory budget is used up: point TMPDIR at a folder on a disk with room that the paideia user may write to".into()
            }),
            StorageError::S3 { failure, .. } => failure.kind.hint().to_string(),
            StorageError::S3Settings(_) => "see the storage settings in docs/cli.md".into(),
            StorageError::Folder(e) => e.hint(),
            _ => return None,
        })
    }
}
