//! Errors of the storage layer. Each says what failed on what (the folder path, or the bucket
//! and key) and never carries credentials.

use std::{io, path::PathBuf};

use crate::envvars;

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
    #[error("S3 bucket {bucket}: cannot {op} {key}: {source}")]
    S3 {
        op: &'static str,
        bucket: String,
        key: String,
        #[source]
        source: Box<object_store::Error>,
    },
    #[error("{store}: a probe object read back different bytes than were written")]
    ProbeMismatch { store: String },
    #[error("invalid S3 settings: {0}")]
    S3Settings(String),
}

impl StorageError {
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            StorageError::Local { .. } => format!(
                "check that the folder is a directory the paideia user may write to (--data-dir or {})",
                envvars::DATA_DIR
            ),
            StorageError::S3 { .. } => format!(
                "check that the bucket exists and that {}, {} and the credentials ({}, {}) are right",
                envvars::S3_BUCKET,
                envvars::S3_ENDPOINT_URL,
                envvars::S3_ACCESS_KEY,
                envvars::S3_SECRET_KEY
            ),
            StorageError::S3Settings(_) => "see the storage settings in docs/cli.md".into(),
            _ => return None,
        })
    }
}
